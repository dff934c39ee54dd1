/**
 * `nextbest/data`: the interactions dataset, its id indexes, splits and text readers. No Node built-ins:
 * file helpers live in `nextbest/node`.
 *
 * @module data
 */
export {
  createIdIndex,
  indexOfId,
  idAt,
  idIndexToJSON,
  idIndexFromJSON,
  type Id,
  type IdIndex,
  type IdIndexJSON,
  type CreateIdIndexOptions,
} from "../core/id-index.ts";
export type { Interactions, InteractionRow, InteractionEvents } from "./types.ts";
export {
  createInteractions,
  createInteractionsFromColumns,
  userCount,
  itemCount,
  interactionCount,
  interactionsSummary,
  userItems,
  itemUsers,
  interactionValue,
  interactionsToRows,
  type DuplicatePolicy,
  type CreateInteractionsOptions,
  type InteractionColumns,
  type InteractionsSummary,
  type UserItems,
  type ItemUsers,
} from "./interactions.ts";
export { createInteractionsFromArrow, type ArrowTableLike, type ArrowTypeLike, type ArrowVectorLike, type CreateInteractionsFromArrowOptions } from "./arrow.ts";
export {
  type ColdStartPolicy,
  type InteractionsSplit,
  type SplitOptions,
} from "./split-common.ts";
export { alignToTrain } from "./align-to-train.ts";
export { splitRandom, type SplitRandomOptions } from "./split-random.ts";
export { splitByUser, type SplitByUserOptions } from "./split-by-user.ts";
export { splitTemporal, type SplitTemporalOptions, type TemporalSplit } from "./split-temporal.ts";
export { splitLeaveLastOut, type SplitLeaveLastOutOptions } from "./split-leave-last-out.ts";
export { splitKFold, type SplitKFoldOptions } from "./split-k-fold.ts";
export { splitTemporalWindow, type SplitTemporalWindowOptions, type TemporalWindowSplit } from "./split-window.ts";
export { splitBasketCompletion, type SplitBasketCompletionOptions } from "./split-basket.ts";
export { transformValues, VALUE_TRANSFORMS, type ValueTransform, type TransformValuesOptions } from "./transform.ts";
export {
  createCsvRowParser,
  parseCsv,
  type CsvParserOptions,
  type CsvRecord,
  type CsvRowParser,
  type CsvTableOptions,
  type CsvTableRow,
} from "./csv.ts";
export {
  createInteractionsCsvReader,
  parseInteractionsCsv,
  type InvalidRow,
  parseInteractionsCsvAsync,
  type InteractionsCsvColumns,
  type InteractionsCsvReader,
  type ParseInteractionsCsvOptions,
} from "./interactions-csv.ts";
export { parseMovieLens100k, type ParseMovieLens100kOptions } from "./movielens.ts";
