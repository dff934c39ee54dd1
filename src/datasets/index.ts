/**
 * `nextbest/datasets`: sample and real B2B datasets as plain data. A seeded synthetic B2B generator with planted,
 * documented signal, and text parsers for the CRM Sales Opportunities, UCI Wholesale customers and UCI Online Retail
 * files (no Node built-ins: the file readers live in `nextbest/node`).
 *
 * @module datasets
 */
export {
  generateB2bSample,
  b2bPurchaseInteractions,
  B2B_INDUSTRIES,
  B2B_FAMILIES,
  B2B_FAMILY_AFFINITY,
  B2B_EMPLOYEE_BANDS,
  B2B_REGIONS,
  B2B_TECHNOLOGIES,
  B2B_STAGES,
  type B2bStage,
  type B2bPriceTier,
  type B2bAccount,
  type B2bProduct,
  type B2bPurchase,
  type B2bIntent,
  type B2bStageChange,
  type B2bOpportunity,
  type B2bCrossSell,
  type B2bSample,
  type GenerateB2bSampleOptions,
  type B2bPurchaseInteractionsOptions,
} from "./b2b-sample.ts";
export {
  parseCrmAccounts,
  parseCrmProducts,
  parseCrmPipeline,
  crmWonInteractions,
  type CrmAccount,
  type CrmProduct,
  type CrmDealStage,
  type CrmOpportunity,
  type ParseCrmPipelineOptions,
  type CrmWonInteractionsOptions,
} from "./crm.ts";
export {
  parseWholesaleCustomers,
  wholesaleInteractions,
  WHOLESALE_CATEGORIES,
  type WholesaleCategory,
  type WholesaleCustomer,
} from "./wholesale.ts";
export {
  parseOnlineRetail,
  createOnlineRetailReader,
  cleanOnlineRetail,
  onlineRetailInteractions,
  ONLINE_RETAIL_NON_PRODUCT_CODES,
  type ParseOnlineRetailOptions,
  type OnlineRetailColumns,
  type OnlineRetailLines,
  type OnlineRetailProduct,
  type OnlineRetailAccount,
  type OnlineRetailDropCounts,
  type OnlineRetailReport,
  type OnlineRetailData,
  type OnlineRetailReader,
  type OnlineRetailValue,
  type OnlineRetailInteractionsOptions,
} from "./online-retail.ts";
export { b2bSampleFeatures, type B2bSampleFeatures } from "./b2b-features.ts";
