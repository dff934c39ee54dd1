/**
 * The MovieLens 100K `u.data` layout.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { CreateInteractionsOptions } from "./interactions.ts";
import { createInteractionsCsvReaderFor, type ParseInteractionsCsvOptions } from "./interactions-csv.ts";
import type { Interactions } from "./types.ts";

/**
 * Options of {@link parseMovieLens100k}: the {@link CreateInteractionsOptions}, with duplicates defaulting to
 * `"error"` because the published files hold one rating per (user, movie); a repeat means a damaged file.
 *
 * @category data
 */
export interface ParseMovieLens100kOptions extends CreateInteractionsOptions {}

/** The reader settings of the `u.data` layout, given the caller's options. @internal */
export function movieLens100kCsvOptions(options: ParseMovieLens100kOptions): ParseInteractionsCsvOptions {
  const { duplicates = "error", users, items, unknownIds } = options;
  return {
    delimiter: "\t",
    header: false,
    columns: { user: 0, item: 1, value: 2, timestamp: 3 },
    ids: "number",
    timestamps: "number",
    duplicates,
    ...(users === undefined ? {} : { users }),
    ...(items === undefined ? {} : { items }),
    ...(unknownIds === undefined ? {} : { unknownIds }),
  };
}

/**
 * Reads ratings in the MovieLens 100K `u.data` layout (also `u1.base` … `u5.test`, `ua.*`, `ub.*`): one rating per
 * line, tab-separated `user id`, `item id`, `rating` (1–5), `timestamp` (seconds since 1970-01-01 UTC), no header.
 *
 * User and item ids are kept as **numbers**, as published (user 196, movie 242), so they join with `u.item` and
 * `u.user` by value; timestamps stay in seconds. O(length of the text + users + items).
 * Reference: F. M. Harper and J. A. Konstan, "The MovieLens Datasets: History and Context", ACM TiiS 5(4), 2015.
 *
 * @param text - the file's text, or an iterable of chunks
 * @param options - duplicate policy (default `"error"`) and optional preset indexes
 * @returns the ratings as {@link Interactions}, with timestamps
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed line (naming it), `E_EMPTY` for an empty text,
 *   `E_DUPLICATE` for a repeated (user, item) under the default policy
 * @example
 * ```ts
 * import { parseMovieLens100k, interactionValue } from "nextbest/data";
 * const ratings = parseMovieLens100k("196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
 * ratings.users.ids; // => [196, 186]
 * interactionValue(ratings, 196, 242); // => 3
 * Array.from(ratings.timestamps ?? []); // => [881250949, 891717742]
 * ```
 * @category data
 */
export function parseMovieLens100k(text: string | Iterable<string>, options: ParseMovieLens100kOptions = {}): Interactions {
  const fn = "parseMovieLens100k";
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const reader = createInteractionsCsvReaderFor(fn, movieLens100kCsvOptions(options));
  if (typeof text === "string") reader.push(text);
  else if (text !== null && typeof text === "object" && typeof (text as Iterable<string>)[Symbol.iterator] === "function") {
    for (const chunk of text) reader.push(chunk);
  } else {
    throw new NextbestError("E_BAD_INPUT", `${fn}: text must be a string or an iterable of strings, got ${describeValue(text)}`);
  }
  return reader.end();
}
