import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, indexOfId, type Id } from "../core/id-index.ts";
import { topK } from "../linalg/topk.ts";
import { checkRecommender, createWorkspace, planRecommend, recommendationOf } from "./engine.ts";
import type { ItemHistory, Recommendation, RecommendOptions, Recommender } from "./types.ts";

/**
 * A new account's purchase history, as {@link recommendForHistory} takes it: the items it bought, optionally with the
 * value and the time of each row (the same scale and time unit as the training data).
 *
 * @category recommend
 */
export interface AccountHistory {
  /** The product ids, one per row (repeats are summed, as `createInteractions` sums them). */
  readonly items: readonly Id[];
  /** One value per row (quantity, spend); 1 each when omitted. */
  readonly values?: readonly number[];
  /** One timestamp per row, for models that weight recent rows more (EASE with a half-life); none when omitted. */
  readonly timestamps?: readonly number[];
}

/**
 * The recommendation for a new account, with the items of its history the model does not know.
 *
 * @category recommend
 */
export interface HistoryRecommendation extends Recommendation {
  /** History items not in the model's catalogue, left out of the scoring (in first-seen order). */
  readonly unknownItems: readonly Id[];
}

/**
 * Recommends for an account the model was not trained on, from the account's own history, without refitting:
 * ALS folds the account in (one ridge solve against the item factors), item-kNN, EASE and RP3β sum their item
 * weights over its items, content builds its profile from the products' features, buy-again counts its dated
 * purchases and the repeat-purchase model scores their dates (give `timestamps`), popularity ignores the history, and a blend combines components that all can. Items in the history are left out of the list (`excludeSeen`, as
 * for a known account); items the model does not know are reported in `unknownItems` (or an error with `strict`).
 *
 * Complexity: the model's `scoreHistory` plus O(items) for the top-k.
 *
 * @param recommender - a recommender whose model implements `scoreHistory`
 * @param history - the account's items, with optional values and timestamps
 * @param options - as {@link recommend} (`k`, `excludeSeen`, allow and deny lists, `strict` for unknown items)
 * @returns the recommendation (`user` is `options.user`, default `"new account"`), with `unknownItems`
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when the model cannot score a history (naming it) or for
 *   malformed input; `E_UNKNOWN_ID` for an unknown item with `strict`
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { easeRecommender, fitEase } from "nextbest/neighbors";
 * import { recommendForHistory } from "nextbest/recommend";
 * const data = createInteractions([
 *   { user: "a", item: "crm" }, { user: "a", item: "erp" }, { user: "b", item: "crm" }, { user: "b", item: "erp" },
 *   { user: "c", item: "hr" }, { user: "c", item: "payroll" },
 * ]);
 * const ease = easeRecommender(fitEase(data));
 * const result = recommendForHistory(ease, { items: ["crm", "fax"] }, { k: 1 });
 * [result.items[0]!.item, result.unknownItems]; // => ["erp", ["fax"]]
 * ```
 * @category recommend
 */
export function recommendForHistory(
  recommender: Recommender,
  history: AccountHistory,
  options: RecommendOptions & { readonly user?: Id } = {},
): HistoryRecommendation {
  const fn = "recommendForHistory";
  checkRecommender(fn, recommender);
  if (typeof recommender.scoreHistory !== "function") {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: recommender ${describeValue(recommender.name)} cannot score a new account's history (its model has no scoreHistory); refit with the account, or use ALS, item-kNN, EASE, RP3β, content, popularity or a blend of them`,
    );
  }
  const user = options.user ?? "new account";
  checkId(fn, "options.user", user);
  const { user: _user, ...recommendOptions } = options;
  const plan = planRecommend(fn, recommender, recommendOptions);
  const { itemHistory, unknownItems } = readHistory(fn, recommender, history, plan.strict);
  const workspace = createWorkspace(recommender, plan);
  const { scores, mask } = workspace;
  recommender.scoreHistory(itemHistory, scores);
  let excludedSeen = 0;
  if (plan.excludeSeen) {
    for (const j of itemHistory.items) {
      if (mask[j] === 0) {
        mask[j] = 1;
        excludedSeen++;
      }
    }
  }
  const result = recommendationOf(fn, recommender, user, scores, topK(scores, { k: plan.k, exclude: mask }), excludedSeen);
  return Object.assign(result, { unknownItems });
}

function readHistory(fn: string, recommender: Recommender, history: unknown, strict: boolean): { itemHistory: ItemHistory; unknownItems: Id[] } {
  const h = history as Partial<AccountHistory> | null;
  if (typeof h !== "object" || h === null || !Array.isArray(h.items)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: history must be { items, values?, timestamps? } with an array of items, got ${describeValue(history)}`);
  }
  const n = h.items.length;
  for (const [name, column] of [["values", h.values], ["timestamps", h.timestamps]] as const) {
    if (column === undefined) continue;
    if (!Array.isArray(column) || column.length !== n) {
      throw new NextbestError("E_SHAPE", `${fn}: history.${name} must be an array with one number per item (${n}), got ${describeValue(column)}`);
    }
    column.forEach((v: unknown, k) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new NextbestError(typeof v === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: history.${name}[${k}] must be a finite number, got ${describeValue(v)}`);
      }
    });
  }
  const sums = new Map<number, { value: number; time: number; times: number[] }>();
  const unknownItems: Id[] = [];
  const unknownSeen = new Set<Id>();
  h.items.forEach((item: unknown, k) => {
    checkId(fn, `history.items[${k}]`, item);
    const index = indexOfId(recommender.items, item);
    if (index < 0) {
      if (strict) throw new NextbestError("E_UNKNOWN_ID", `${fn}: history.items[${k}] must be an item the model knows (strict), got ${describeValue(item)}`);
      if (!unknownSeen.has(item)) {
        unknownSeen.add(item);
        unknownItems.push(item);
      }
      return;
    }
    const value = h.values?.[k] ?? 1;
    const time = h.timestamps?.[k] ?? Number.NEGATIVE_INFINITY;
    const entry = sums.get(index);
    if (entry === undefined) sums.set(index, { value, time, times: [time] });
    else {
      entry.value += value;
      entry.times.push(time);
      if (time > entry.time) entry.time = time;
    }
  });
  const items = Int32Array.from([...sums.keys()].sort((a, b) => a - b));
  const values = Float64Array.from(items, (i) => sums.get(i)!.value);
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k]!)) throw new NextbestError("E_NON_FINITE", `${fn}: history values of item ${describeValue(recommender.items.ids[items[k]!])} must sum to a finite number, got ${values[k]}`);
  }
  const timestamps = h.timestamps === undefined ? undefined : Float64Array.from(items, (i) => sums.get(i)!.time);
  let events: ItemHistory["events"];
  if (h.timestamps !== undefined) {
    const indptr = new Int32Array(items.length + 1);
    const times: number[] = [];
    items.forEach((i, k) => {
      times.push(...sums.get(i)!.times.sort((a, b) => a - b));
      indptr[k + 1] = times.length;
    });
    events = { indptr, timestamps: Float64Array.from(times) };
  }
  return { itemHistory: { items, values, timestamps, events }, unknownItems };
}
