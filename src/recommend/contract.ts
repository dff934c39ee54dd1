// The model contract's shared helpers, used by every model domain: checking an Interactions argument, copying its
// seen-item pattern and writing and reading it as JSON, the O(1) header checks of the recommender factories, and the
// biased cold-pair estimate and fallback. Not exported by the barrel.
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id, IdIndex } from "../core/id-index.ts";
import { compressedRowsFromJSON, typedArrayToJSON } from "../internal/serialize.ts";
import { assertInteger } from "../internal/validate.ts";
import type { ColdPairPredictor, RecommenderFallback } from "./types.ts";
import type { Interactions } from "../data/types.ts";
import { isIdIndex, validateInteractions } from "../data/validate.ts";

/**
 * Throws unless `interactions` is an Interactions dataset: O(1) for one nextbest built, a full check of offsets,
 * indices, values, timestamps and the transpose for a hand-built one (see data/validate.ts); `E_EMPTY` when it has
 * no users or no items.
 */
export function checkInteractions(fn: string, interactions: unknown): asserts interactions is Interactions {
  validateInteractions(fn, "interactions", interactions);
}

/** Copies of the user × item pattern (which items each user has seen), so the model owns its arrays. */
export function copySeen(interactions: Interactions): { seenIndptr: Int32Array; seenIndices: Int32Array } {
  const { indptr, indices } = interactions.byUser;
  const nnz = indptr[indptr.length - 1]!;
  return { seenIndptr: indptr.slice(), seenIndices: indices.slice(0, nnz) };
}

/** A model's seen pattern as JSON number arrays (`seenIndptr`, `seenIndices`). */
export function seenToJSON(model: { readonly seenIndptr: Int32Array; readonly seenIndices: Int32Array }): { seenIndptr: number[]; seenIndices: number[] } {
  return { seenIndptr: typedArrayToJSON(model.seenIndptr), seenIndices: typedArrayToJSON(model.seenIndices) };
}

/**
 * Reads a model JSON's seen pattern (`json.seenIndptr`, `json.seenIndices`) against its id indexes: offsets from 0 to
 * the entry count, never decreasing; item indices in range and strictly increasing per user (E_BAD_MODEL naming the
 * field).
 */
export function seenFromJSON(
  fn: string,
  record: Readonly<Record<string, unknown>>,
  users: IdIndex,
  items: IdIndex,
): { seenIndptr: Int32Array; seenIndices: Int32Array } {
  const seen = compressedRowsFromJSON(
    fn,
    "json.seenIndptr",
    "json.seenIndices",
    record["seenIndptr"],
    record["seenIndices"],
    users.ids.length,
    items.ids.length,
  );
  return { seenIndptr: seen.indptr, seenIndices: seen.indices };
}

/** The O(1) checks a recommender factory makes on a model: kind, version and that the arrays agree in length. */
export function checkModelHeader(
  fn: string,
  model: unknown,
  kind: string,
  version: number,
): asserts model is { users: IdIndex; items: IdIndex; seenIndptr: Int32Array; seenIndices: Int32Array } {
  const m = model as { kind?: unknown; version?: unknown; users?: unknown; items?: unknown; seenIndptr?: unknown; seenIndices?: unknown } | null;
  if (typeof m !== "object" || m === null || m.kind !== kind) {
    throw new NextbestError(
      "E_BAD_MODEL",
      `${fn}: model must be a ${kind} model (kind ${JSON.stringify(kind)}), got ${typeof m === "object" && m !== null ? `kind ${describeValue(m.kind)}` : describeValue(model)}`,
    );
  }
  if (m.version !== version) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.version must be ${version}, got ${describeValue(m.version)}`);
  }
  if (!isIdIndex(m.users) || !isIdIndex(m.items)) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.users and model.items must be IdIndex objects, got ${describeValue(isIdIndex(m.users) ? m.items : m.users)}`);
  }
  if (!(m.seenIndptr instanceof Int32Array) || m.seenIndptr.length !== m.users.ids.length + 1) {
    throw new NextbestError(
      "E_BAD_MODEL",
      `${fn}: model.seenIndptr must be an Int32Array of length ${m.users.ids.length + 1} (one per user plus one), got ${describeValue(m.seenIndptr)}`,
    );
  }
  if (!(m.seenIndices instanceof Int32Array)) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.seenIndices must be an Int32Array, got ${describeValue(m.seenIndices)}`);
  }
}

/** Throws unless `out` is a Float64Array of length n (adapters check their buffers: O(1)). */
export function checkScoreBuffer(fn: string, out: unknown, n: number): asserts out is Float64Array {
  if (!(out instanceof Float64Array) || out.length !== n) {
    throw new NextbestError("E_SHAPE", `${fn}: out must be a Float64Array of length ${n} (one per item), got ${describeValue(out)}`);
  }
}

/** Throws unless `user` is a user index in [0, users). */
export function checkUserIndex(fn: string, user: unknown, users: number): asserts user is number {
  if (typeof user !== "number" || !Number.isInteger(user) || user < 0 || user >= users) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: user must be a user index in [0, ${users}), got ${describeValue(user)}`);
  }
}

/**
 * Checks the arguments of a `scoreUsers` adapter (user indices in [0, users), `out` of users.length × items entries,
 * an options object with `threads` an integer in [1, 256]) and returns the threads (undefined when not given).
 */
export function checkScoreUsers(
  fn: string,
  userIndices: unknown,
  out: unknown,
  users: number,
  items: number,
  options: unknown,
): number | undefined {
  if (!(userIndices instanceof Int32Array)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: users must be an Int32Array of user indices, got ${describeValue(userIndices)}`);
  }
  for (let r = 0; r < userIndices.length; r++) {
    const user = userIndices[r]!;
    if (user < 0 || user >= users) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: users[${r}] must be a user index in [0, ${users}), got ${user}`);
    }
  }
  const expected = userIndices.length * items;
  if (!(out instanceof Float64Array) || out.length !== expected) {
    throw new NextbestError(
      "E_SHAPE",
      `${fn}: out must be a Float64Array of length ${expected} (${userIndices.length} users × ${items} items), got ${describeValue(out)}`,
    );
  }
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const threads = (options as { threads?: unknown }).threads;
  if (threads === undefined) return undefined;
  assertInteger(fn, "options.threads", threads, 1, 256);
  return threads;
}

/**
 * The cold-pair estimate of a biased model: μ + b_u (known user) + b_i (known item), clipped to [low, high]; for a
 * pair with an unknown item this is μ + b_u, or μ when the user is unknown too (as Surprise's baseline estimates).
 */
export function biasedColdPairs(
  source: string,
  users: IdIndex,
  items: IdIndex,
  globalMean: number,
  userBiases: Float64Array,
  itemBiases: Float64Array,
  low: number,
  high: number,
): ColdPairPredictor {
  return Object.freeze({
    source,
    predict(user: Id, item: Id): number {
      const u = users.lookup.get(user);
      const i = items.lookup.get(item);
      const r = globalMean + (u === undefined ? 0 : userBiases[u]!) + (i === undefined ? 0 : itemBiases[i]!);
      return r < low ? low : r > high ? high : r;
    },
  });
}

/**
 * The unknown-user fallback of a biased model: μ + b_i for every item, clipped to [low, high] (the ranking by item
 * bias), reported with `source`.
 */
export function biasedFallback(
  fn: string,
  source: string,
  globalMean: number,
  itemBiases: Float64Array,
  low: number,
  high: number,
): RecommenderFallback {
  const itemCount = itemBiases.length;
  return Object.freeze({
    source,
    scoreInto(_user: Id, out: Float64Array): void {
      checkScoreBuffer(`${fn}.fallback.scoreInto`, out, itemCount);
      for (let i = 0; i < itemCount; i++) {
        const r = globalMean + itemBiases[i]!;
        out[i] = r < low ? low : r > high ? high : r;
      }
    },
  });
}

/**
 * A popularity fallback computed from the seen pattern (distinct users per item) on first use, so building the
 * adapter stays O(1). The scores equal those of `fitPopularity` with its default measure on the training data.
 */
export function popularityFallback(items: IdIndex, seenIndices: Int32Array): RecommenderFallback {
  let counts: Float64Array | undefined;
  const itemCount = items.ids.length;
  return Object.freeze({
    source: "popularity",
    scoreInto(_user: unknown, out: Float64Array): void {
      if (!(out instanceof Float64Array) || out.length !== itemCount) {
        throw new NextbestError("E_SHAPE", `fallback.scoreInto: out must be a Float64Array of length ${itemCount} (one per item), got ${describeValue(out)}`);
      }
      if (counts === undefined) {
        counts = new Float64Array(itemCount);
        for (let p = 0; p < seenIndices.length; p++) counts[seenIndices[p]!]! += 1;
      }
      out.set(counts);
    },
  });
}

/**
 * Throws E_NON_FINITE when a fitted table holds NaN or ±∞ (or, for a Float32 table, a value beyond its range):
 * finite input can still overflow in sums and products (values near ±1e308). `what` names the table, `hint` what the
 * user can change; the message names the function called and the first offending position.
 */
export function checkFittedFinite(fn: string, what: string, values: ArrayLike<number>, hint: string, limit: number = Number.MAX_VALUE): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Math.abs(v) <= limit)) {
      throw new NextbestError("E_NON_FINITE", `${fn}: ${what} must be finite, got ${describeValue(v)} at position ${i}; ${hint}`);
    }
  }
}

/** Throws E_BAD_INPUT naming the item when a history value is negative (implicit models weigh values >= 0). */
export function checkHistoryValues(fn: string, history: { readonly items: Int32Array; readonly values: Float64Array }, items: IdIndex): void {
  for (let k = 0; k < history.values.length; k++) {
    const value = history.values[k]!;
    if (!(value >= 0)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: history values must be >= 0, got ${describeValue(value)} for item ${describeValue(items.ids[history.items[k]!])}`);
    }
  }
}

/** A value transform applied to one history value, as the fit applied it to a training value. */
export function historyValue(transform: string, value: number): number {
  return transform === "binary" ? 1 : transform === "log1p" ? Math.log1p(value) : value;
}
