/**
 * `nextbest/node`: Node-only helpers that read interaction files from disk. The only entry that imports Node
 * built-ins; everything else in nextbest runs in browsers and Deno as well.
 *
 * @module node
 */
export {
  readFeatureTableFile,
  readInteractionsFile,
  type ReadFeatureTableFileOptions,
  readMovieLens100k,
  readMovieLens100kSplit,
  type ReadInteractionsFileOptions,
  type ReadMovieLens100kOptions,
  type ReadMovieLens100kSplitOptions,
  type MovieLens100kSplitName,
  type TextEncodingName,
} from "./read.ts";
export {
  readCrmSalesOpportunities,
  type CrmSalesOpportunities,
  type ReadCrmSalesOpportunitiesOptions,
} from "./crm.ts";
export { readWholesaleCustomers } from "./wholesale.ts";
export { readOnlineRetail, type ReadOnlineRetailOptions } from "./online-retail.ts";
export {
  readSparkAlsModel,
  writeSparkAlsModel,
  SPARK_ALS_MODEL_CLASS,
  type ReadSparkAlsModelOptions,
  type WriteSparkAlsModelOptions,
  type SparkAlsModelWritten,
} from "./spark-als-model.ts";
