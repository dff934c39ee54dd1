/**
 * `nextbest/interop`: models trained elsewhere, read from their bytes in any JavaScript runtime (browsers, workers,
 * Deno, Node): Spark MLlib `ALSModel` directories (metadata JSON line + Parquet part files) and back, and BigQuery
 * ML matrix factorization weights (`ML.WEIGHTS` exported as newline-delimited JSON). No Node
 * built-ins; `nextbest/node` adds the file-reading wrappers (`readSparkAlsModel`, `writeSparkAlsModel`).
 *
 * @module interop
 */
export {
  parseSparkAlsModel,
  sparkAlsModelToFiles,
  SPARK_ALS_MODEL_CLASS,
  type SparkAlsModelOptions,
  type SparkAlsModelFiles,
  type SparkAlsModelFilesOptions,
  type SparkAlsModelBytes,
  type SparkPartBytes,
  type SparkNamedPart,
  type SparkPartFile,
} from "./spark-als-model.ts";
export { parseBigQueryMfWeights, type BigQueryMfWeightsOptions } from "./bigquery-ml.ts";
