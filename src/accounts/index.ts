/**
 * `nextbest/accounts`: account prioritization — upsell / flat / churn labels from spend histories without look-ahead,
 * account features with narrative metadata, and the ranked account book (expected value of a call, next best
 * product, reasons and risks). Score with `nextbest/classifiers`, explain with `nextbest/explain`.
 *
 * @module accounts
 */
export {
  labelSpendOutcomes,
  type SpendEvent,
  type SpendOutcome,
  type SpendOutcomeLabel,
  type SpendOutcomeOptions,
  type TimeUnit,
} from "./labels.ts";
export {
  accountFeatures,
  type AccountFeatureInfo,
  type AccountFeatureOptions,
  type AccountFeatureTable,
  type AccountDate,
  type AccountAttributes,
  type AccountIntentSignal,
  type FeatureUnit,
} from "./features.ts";
export {
  renderAccountReport,
  reportAccount,
  accountReportExplanation,
  type AccountReportExplanation,
  type AccountReportInput,
  type ReportAccount,
  type ReportProduct,
  type ReportMetric,
} from "./report.ts";
export { fitAccountScorers, type AccountScorers, type AccountScorersOptions } from "./scorers.ts";
export { rfmScores, rankFeaturesWithinDates, type RfmOptions, type RfmScore } from "./rfm.ts";
export {
  rankAccountBook,
  type AccountScore,
  type AccountBookOptions,
  type AccountBookEntry,
  type NextBestProduct,
  type AccountNarrative,
} from "./book.ts";
export {
  narrateAccountScore,
  accountNarrativeMetadata,
  accountModelReport,
  findNarrativeProblems,
  type AccountNarrativeOptions,
  type DirectionConflict,
} from "./narrative.ts";
