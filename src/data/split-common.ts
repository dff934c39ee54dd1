/**
 * What every split returns, and how a test set is mapped into its train set's index spaces.
 *
 * @module
 */
import { assertSeed } from "../internal/validate.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id, IdIndex } from "../core/id-index.ts";
import type { Seed } from "../core/random.ts";
import { IdIndexBuilder, TripletBuffer, buildInteractions } from "./build.ts";
import { validateInteractions } from "./validate.ts";
import type { Interactions } from "./types.ts";

/**
 * What happens to test interactions whose user or item has no interaction in the train set (cold start):
 * `"drop"` removes them (counted in `droppedTestInteractions`), so the test set only holds ids the train set
 * knows; `"keep"` keeps them and appends the cold ids to the test set's indexes after the train set's ids.
 *
 * @category data
 */
export type ColdStartPolicy = "drop" | "keep";

/**
 * A train/test pair.
 *
 * Index spaces: `train.users` / `train.items` hold exactly the ids with at least one train interaction, in the
 * order of the source dataset (the source's own index objects when nothing was left out). The test set shares
 * them: `test.users` is `train.users` itself under `coldStart: "drop"`; under `"keep"` it is `train.users` with
 * the cold users appended, so a user's index is the same in both sets and index >= `train.users.ids.length`
 * means cold. Items likewise.
 *
 * @category data
 */
export interface InteractionsSplit {
  /** The interactions to fit on. */
  readonly train: Interactions;
  /** The held-out interactions to evaluate on. */
  readonly test: Interactions;
  /**
   * Users with test interactions but none in train, in source order. Under `"keep"` these are the ids
   * appended to `test.users`; under `"drop"` their test interactions were dropped.
   */
  readonly coldUsers: readonly Id[];
  /** Items with test interactions but none in train, in order of first appearance; as `coldUsers`. */
  readonly coldItems: readonly Id[];
  /** How many test interactions were removed because their user or item is cold (0 under `"keep"`). */
  readonly droppedTestInteractions: number;
}

/** Options every split takes. @category data */
export interface SplitOptions {
  /** What to do with test interactions of users or items unknown to the train set. @defaultValue "drop" */
  coldStart?: ColdStartPolicy;
}

/** Validates the cold-start option. @internal */
export function resolveColdStart(fn: string, value: unknown): ColdStartPolicy {
  const policy = value ?? "drop";
  if (policy !== "drop" && policy !== "keep") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.coldStart must be "drop" or "keep", got ${describeValue(policy)}`);
  }
  return policy;
}

/** Checks that `data` is an Interactions dataset (a full check when it was not built by nextbest). @internal */
export function checkInteractions(fn: string, name: string, data: unknown): asserts data is Interactions {
  validateInteractions(fn, name, data, true);
}

/** Validates an options object. @internal */
export function checkOptions(fn: string, options: unknown): asserts options is object {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
}

/** Throws E_BAD_INPUT unless `options.seed` is a finite number or a string. @internal */
export function checkSeed(fn: string, seed: unknown): asserts seed is Seed {
  assertSeed(fn, "options.seed", seed);
}

/** Validates a fraction in the open interval (0, 1). @internal */
export function checkFraction(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !(value > 0 && value < 1)) {
    throw new NextbestError(
      typeof value === "number" && Number.isNaN(value) ? "E_NON_FINITE" : "E_BAD_INPUT",
      `${fn}: ${name} must be a number in (0, 1), got ${describeValue(value)}`,
    );
  }
}

// Ids of `source` flagged in `used`, in source order; the source index itself when all are used.
function subIndex(source: IdIndex, used: Uint8Array): IdIndex {
  let count = 0;
  for (let k = 0; k < used.length; k++) count += used[k]!;
  if (count === used.length) return source;
  const ids: Id[] = [];
  const lookup = new Map<Id, number>();
  for (let k = 0; k < used.length; k++) {
    if (used[k] === 1) {
      lookup.set(source.ids[k]!, ids.length);
      ids.push(source.ids[k]!);
    }
  }
  return Object.freeze({ ids: Object.freeze(ids), lookup });
}

/**
 * Splits `data` by a mask (1 = test) into train and test with shared index spaces. The mask is over stored entries
 * (entry p is the p-th stored entry of `data.byUser`), or over events (`data.events` positions) when `perEvent`:
 * then a pair can land on both sides, each side holding only its own events, merged again by the dataset's
 * duplicate policy. Throws E_EMPTY when the train set would be empty. @internal
 */
export function assembleSplit(
  fn: string,
  data: Interactions,
  isTest: Uint8Array,
  coldStart: ColdStartPolicy,
  perEvent = false,
): InteractionsSplit {
  const { indptr, indices, rows } = data.byUser;
  const nnz = indptr[rows]!;
  const events = data.events;
  // Work on events whenever the data has them, so each side keeps (and re-merges) its own events.
  const mask = events === undefined || perEvent ? isTest : expandToEvents(isTest, events.indptr);
  const usedUsers = new Uint8Array(rows);
  const usedItems = new Uint8Array(data.byUser.cols);
  let trainCount = 0;
  for (let u = 0; u < rows; u++) {
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
      const from = events === undefined ? p : events.indptr[p]!;
      const to = events === undefined ? p + 1 : events.indptr[p + 1]!;
      for (let e = from; e < to; e++) {
        if (mask[e] === 0) {
          usedUsers[u] = 1;
          usedItems[indices[p]!] = 1;
          trainCount++;
        }
      }
    }
  }
  if (trainCount === 0) {
    throw new NextbestError(
      "E_EMPTY",
      `${fn}: the train set must hold at least one interaction, got none of ${nnz} (every interaction went to test)`,
    );
  }
  const trainUsers = subIndex(data.users, usedUsers);
  const trainItems = subIndex(data.items, usedItems);
  const trainIds = new IdIndexBuilder(trainUsers, false);
  const trainItemIds = new IdIndexBuilder(trainItems, false);
  const train = rebuild(fn, data, mask, 0, trainIds, trainItemIds, undefined);
  return mapIntoTrain(fn, train, data, mask, coldStart);
}

// The per-event form of a per-entry mask: every event of entry p gets the entry's flag.
function expandToEvents(entryMask: Uint8Array, eventIndptr: Int32Array): Uint8Array {
  const out = new Uint8Array(eventIndptr[eventIndptr.length - 1]!);
  for (let p = 0; p + 1 < eventIndptr.length; p++) {
    if (entryMask[p] !== 0) out.fill(entryMask[p]!, eventIndptr[p]!, eventIndptr[p + 1]!);
  }
  return out;
}

/**
 * The stored entries of `data` flagged in `keep` (1 = keep), with their events, in `data`'s own index spaces (the
 * same `users` and `items` objects). @internal
 */
export function filterEntries(fn: string, data: Interactions, keep: Uint8Array): Interactions {
  const mask = data.events === undefined ? keep : expandToEvents(keep, data.events.indptr);
  return rebuild(fn, data, mask, 1, new IdIndexBuilder(data.users, false), new IdIndexBuilder(data.items, false), undefined);
}

/** What {@link rebuild} reports about the test side: ids and entries lost to cold start. */
interface ColdReport {
  coldUsers: Id[];
  coldItems: Id[];
  dropped: number;
  keep: boolean;
}

// Builds Interactions from the units (events when `source.events` exists, else stored entries) of `source` whose
// mask value equals `side` (mask undefined: every unit), in the id spaces of `users` / `items`. Without `cold`, every
// id must be in those spaces; with it, units of unknown ids are dropped (counted once per pair) or their ids appended.
function rebuild(
  fn: string,
  source: Interactions,
  mask: Uint8Array | undefined,
  side: number,
  users: IdIndexBuilder,
  items: IdIndexBuilder,
  cold: ColdReport | undefined,
): Interactions {
  const { indptr, indices, values, rows } = source.byUser;
  const timestamps = source.timestamps;
  const events = source.events;
  const buffer = new TripletBuffer(timestamps !== undefined, false);
  const coldItemSeen = new Uint8Array(source.byUser.cols);
  for (let u = 0; u < rows; u++) {
    const userId = source.users.ids[u]!;
    const userIndex = users.lookup.get(userId);
    let userMarked = false;
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
      const from = events === undefined ? p : events.indptr[p]!;
      const to = events === undefined ? p + 1 : events.indptr[p + 1]!;
      let counted = false;
      for (let e = from; e < to; e++) {
        if (mask !== undefined && mask[e] !== side) continue;
        const i = indices[p]!;
        const itemId = source.items.ids[i]!;
        const itemIndex = items.lookup.get(itemId);
        if (cold !== undefined && !counted) {
          counted = true;
          if (userIndex === undefined && !userMarked) {
            cold.coldUsers.push(userId);
            userMarked = true;
          }
          if (itemIndex === undefined && coldItemSeen[i] === 0) {
            cold.coldItems.push(itemId);
            coldItemSeen[i] = 1;
          }
          if (!cold.keep && (userIndex === undefined || itemIndex === undefined)) cold.dropped++;
        }
        if (userIndex === undefined || itemIndex === undefined) {
          if (cold === undefined || !cold.keep) continue;
        }
        const value = events === undefined ? values[p]! : events.values[e]!;
        const time = events !== undefined ? events.timestamps[e]! : timestamps === undefined ? 0 : timestamps[p]!;
        buffer.push(users.indexOf(userId), items.indexOf(itemId), value, time, e);
      }
    }
  }
  return buildInteractions(fn, users.finish(), items.finish(), buffer, events?.duplicates ?? "sum", (k) => `entry ${k}`, source.timeUnit);
}

/**
 * The units of `source` (those whose mask value is 1, or all) re-indexed into `train`'s index spaces, with cold
 * users and items dropped or appended. Units are events when `source.events` exists (the mask is then per event),
 * else stored entries. @internal
 */
export function mapIntoTrain(
  fn: string,
  train: Interactions,
  source: Interactions,
  include: Uint8Array | undefined,
  coldStart: ColdStartPolicy,
): InteractionsSplit {
  const keep = coldStart === "keep";
  const cold: ColdReport = { coldUsers: [], coldItems: [], dropped: 0, keep };
  const test = rebuild(fn, source, include, 1, new IdIndexBuilder(train.users, keep), new IdIndexBuilder(train.items, keep), cold);
  return Object.freeze({
    train,
    test,
    coldUsers: Object.freeze(cold.coldUsers),
    coldItems: Object.freeze(cold.coldItems),
    droppedTestInteractions: cold.dropped,
  });
}
