// Shared by the neighbourhood models: their JSON readers and the adapter of sparse item-item weights. Not exported by
// the barrel.
import type { IdIndex } from "../core/id-index.ts";
import { float64ArrayFromJSON, int32ArrayFromJSON, badModel } from "../internal/serialize.ts";
import { checkHistoryValues, checkScoreBuffer, checkUserIndex, historyValue } from "../recommend/contract.ts";
import type { ItemHistory, Recommender, RecommenderFallback } from "../recommend/types.ts";

/**
 * The recommender of a sparse item-item model (item-item cosine / TF-IDF / BM25, RP3β): the score of item i for user
 * u is Σ over u's items j of x_uj · w(j, i), over j's stored neighbours. O(Σ_j K) per user.
 */
export function sparseItemWeightsRecommender(
  fn: string,
  name: string,
  model: {
    readonly users: IdIndex;
    readonly items: IdIndex;
    readonly neighborIndptr: Int32Array;
    readonly neighborIndices: Int32Array;
    readonly neighborSimilarities: Float64Array;
    readonly seenIndptr: Int32Array;
    readonly seenIndices: Int32Array;
    readonly seenValues: Float64Array;
  },
  fallback: RecommenderFallback,
  historyWeights?: (fn: string, history: ItemHistory) => Float64Array,
): Recommender {
  const { users, items, neighborIndptr: np, neighborIndices: ni, neighborSimilarities: ns, seenIndptr: up, seenIndices: ui, seenValues: uv } = model;
  const itemCount = items.ids.length;
  const userCount = users.ids.length;
  return Object.freeze({
    name,
    users,
    items,
    scoreUser(user: number, out: Float64Array): void {
      checkUserIndex(`${fn}.scoreUser`, user, userCount);
      checkScoreBuffer(`${fn}.scoreUser`, out, itemCount);
      out.fill(0);
      for (let p = up[user]!; p < up[user + 1]!; p++) {
        const j = ui[p]!;
        const w = uv[p]!;
        for (let q = np[j]!; q < np[j + 1]!; q++) out[ni[q]!]! += w * ns[q]!;
      }
    },
    seenItems(user: number): ArrayLike<number> {
      checkUserIndex(`${fn}.seenItems`, user, userCount);
      return ui.subarray(up[user]!, up[user + 1]!);
    },
    fallback,
    // A new account: its rows weighted as a training account's, summed over their neighbour lists.
    ...(historyWeights === undefined
      ? {}
      : {
          scoreHistory(history: ItemHistory, out: Float64Array): void {
            checkScoreBuffer(`${fn}.scoreHistory`, out, itemCount);
            const weights = historyWeights(`${fn}.scoreHistory`, history);
            out.fill(0);
            for (let k = 0; k < history.items.length; k++) {
              const j = history.items[k]!;
              const w = weights[k]!;
              for (let q = np[j]!; q < np[j + 1]!; q++) out[ni[q]!]! += w * ns[q]!;
            }
          },
        }),
  });
}

/**
 * The weights of a new account's rows under an elementwise value transform (raw, binary, log1p; `dropNegative` sets
 * negative values to 0); undefined for the corpus-wide transforms (bm25, tfidf), which a single account cannot
 * reproduce, so such models do not score histories.
 */
export function elementwiseHistoryWeights(
  transform: string,
  dropNegative: boolean,
  items: IdIndex,
): ((fn: string, history: ItemHistory) => Float64Array) | undefined {
  if (transform !== "raw" && transform !== "binary" && transform !== "log1p") return undefined;
  return (fn, history) => {
    if (transform === "log1p" && !dropNegative) checkHistoryValues(fn, history, items);
    return history.values.map((value) => (dropNegative && value < 0 ? 0 : historyValue(transform, value)));
  };
}

/** Reads a neighbour-list structure: offsets, indices in range and never the entity itself, similarities > 0. */
export function neighborListsFromJSON(
  fn: string,
  record: Readonly<Record<string, unknown>>,
  entities: number,
  requirePositive: boolean,
): { indptr: Int32Array; indices: Int32Array; similarities: Float64Array } {
  const indptrValue = record["neighborIndptr"];
  const indicesValue = record["neighborIndices"];
  if (!Array.isArray(indicesValue)) badModel(fn, "json.neighborIndices", "be an array of numbers", indicesValue);
  const indices = new Int32Array(indicesValue.length);
  for (let p = 0; p < indicesValue.length; p++) {
    const v = indicesValue[p];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= entities) {
      badModel(fn, `json.neighborIndices[${p}]`, `be an integer in [0, ${Math.max(0, entities - 1)}]`, v);
    }
    indices[p] = v;
  }
  const indptr = int32ArrayFromJSON(fn, "json.neighborIndptr", indptrValue, {
    length: entities + 1,
    lengthMeaning: "one per entity plus one",
    min: 0,
    max: indices.length,
  });
  if (indptr[0] !== 0) badModel(fn, "json.neighborIndptr[0]", "be 0", indptr[0]);
  if (indptr[entities] !== indices.length) {
    badModel(fn, `json.neighborIndptr[${entities}]`, `be the number of stored neighbours ${indices.length}`, indptr[entities]);
  }
  for (let e = 0; e < entities; e++) {
    if (indptr[e + 1]! < indptr[e]!) badModel(fn, `json.neighborIndptr[${e + 1}]`, `be >= json.neighborIndptr[${e}] = ${indptr[e]}`, indptr[e + 1]);
  }
  for (let e = 0; e < entities; e++) {
    for (let p = indptr[e]!; p < indptr[e + 1]!; p++) {
      if (indices[p] === e) badModel(fn, `json.neighborIndices[${p}]`, `not be the entity itself (${e})`, indices[p]);
    }
  }
  const similarities = float64ArrayFromJSON(fn, "json.neighborSimilarities", record["neighborSimilarities"], { length: indices.length, lengthMeaning: "one per stored neighbour" });
  for (let e = 0; e < entities; e++) {
    for (let p = indptr[e]!; p < indptr[e + 1]!; p++) {
      if (requirePositive && !(similarities[p]! > 0)) badModel(fn, `json.neighborSimilarities[${p}]`, "be > 0", similarities[p]);
      if (p > indptr[e]! && similarities[p]! > similarities[p - 1]!) {
        badModel(fn, `json.neighborSimilarities[${p}]`, `be <= json.neighborSimilarities[${p - 1}] = ${similarities[p - 1]} (each list is sorted, most similar first)`, similarities[p]);
      }
    }
  }
  return { indptr, indices, similarities };
}

/** Reads an integer option field of a model JSON. */
export function integerFromJSON(fn: string, field: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) badModel(fn, field, `be an integer >= ${min}`, value);
  return value;
}

