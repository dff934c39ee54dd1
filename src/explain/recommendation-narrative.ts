/**
 * A sentence for every recommended product: each model's own evidence for one (account, product), with numbers taken
 * from the model's data, and for blends the components that actually moved the product up.
 *
 * @module
 */
import type { PopularityModel } from "../baselines/popularity.ts";
import type { ContentModel } from "../content/recommender.ts";
import type { IntentModel } from "../content/intent.ts";
import type { LookAlikeModel } from "../content/look-alike-recommender.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id } from "../core/id-index.ts";
import type { ImplicitAlsModel } from "../factorization/implicit-als.ts";
import { explainBlend } from "../hybrid/explain.ts";
import type { EaseModel } from "../neighbors/ease.ts";
import type { ItemItemImplicitModel } from "../neighbors/item-item-implicit.ts";
import type { Rp3BetaModel } from "../neighbors/rp3beta.ts";
import type { Recommender } from "../recommend/types.ts";
import type { BuyAgainModel } from "../repeat/buy-again.ts";
import { explainRepeatPurchase } from "../repeat/explain.ts";
import type { RepeatPurchaseModel } from "../repeat/repeat-purchases.ts";
import { explainImplicitAlsScore, explainItemItemScore, explainItemWeightsScore } from "./recommenders.ts";

/**
 * The fitted models {@link narrateRecommendation} can tell a reason for.
 *
 * @category explain
 */
export type NarratableModel =
  | EaseModel
  | Rp3BetaModel
  | ItemItemImplicitModel
  | ImplicitAlsModel
  | PopularityModel
  | RepeatPurchaseModel
  | BuyAgainModel
  | LookAlikeModel
  | IntentModel
  | ContentModel;

/**
 * Options of {@link narrateRecommendation}.
 *
 * @category explain
 */
export interface RecommendationNarrativeOptions {
  /** Product names for the sentences; an id is shown only where no name is given. @defaultValue none */
  productNames?: ReadonlyMap<Id, string>;
  /** The BCP 47 locale of the numbers. @defaultValue "en-US" */
  locale?: string;
  /** The most sentences (components, for a blend). @defaultValue 3 */
  maxSentences?: number;
  /**
   * For a blend: a component whose contribution is below this share of the positive part of the score is not named
   * (an honest reason names what actually moved the product up).
   * @defaultValue 0.15
   */
  minShare?: number;
  /** For a blend: the fitted model behind each component, by component name (components without one are not told). @defaultValue none */
  components?: ReadonlyMap<string, NarratableModel>;
}

/**
 * One reason for a recommended product.
 *
 * @category explain
 */
export interface RecommendationReason {
  /** The component's name in a blend, or the model's kind. */
  readonly component: string;
  /** The component's share of the positive part of the blended score (1 for a single model). */
  readonly share: number;
  /** The sentence, with numbers from the model's data. */
  readonly sentence: string;
}

/**
 * The reasons for one recommended product.
 *
 * @category explain
 */
export interface RecommendationNarrative {
  /** The account. */
  readonly account: Id;
  /** The product. */
  readonly product: Id;
  /** The reasons, largest share first (at most `maxSentences`; empty when no component has evidence to tell). */
  readonly reasons: readonly RecommendationReason[];
  /** The sentences joined with ". " and closed with a period, or "" without reasons. */
  readonly text: string;
}

const KINDS = new Set(["ease", "rp3beta", "item-item-implicit", "implicit-als", "popularity", "repeat-purchases", "buy-again", "look-alike", "intent", "content"]);

interface Seen {
  readonly users: { readonly ids: readonly Id[]; readonly lookup: ReadonlyMap<Id, number> };
  readonly items: { readonly ids: readonly Id[]; readonly lookup: ReadonlyMap<Id, number> };
  readonly seenIndptr: Int32Array;
  readonly seenIndices: Int32Array;
}

/** Whether training account `u` bought item index `i` (seen lists are sorted ascending). */
function bought(model: Seen, u: number, i: number): boolean {
  let lo = model.seenIndptr[u]!;
  let hi = model.seenIndptr[u + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = model.seenIndices[mid]!;
    if (v === i) return true;
    if (v < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Tells why one product is recommended to one account, in one to three short sentences built from the model's own
 * evidence, numbers taken from its data and formatted with `Intl`, products by name:
 * - item-item kNN, EASE, RP3β and implicit ALS (its "because they bought X" split): "Accounts that buy X and Y also
 *   buy it (38 of the 120 that bought both)" — the account's purchases that contribute most to the score, and how
 *   many of the training accounts that bought them bought the product;
 * - the repeat-purchase model: "Reorders about every 5 weeks; last order 7 weeks ago"; buy-again: "Bought before by
 *   this account";
 * - look-alike: "12 of the 20 most similar accounts buy it"; intent: "Research on security matches it (intent 36)";
 *   content: "Like X, which it buys (similarity 0.82)"; popularity: "A best-seller: 312 accounts bought it (#4 of
 *   4,007 products)" in the top tenth of the catalogue, "Bought by 12 accounts (#900 of 4,007 products)" below;
 * - a blend (`source` a recommender from `nextbest/hybrid`, `options.components` the models behind its components):
 *   the blend's exact split of the score; every component with at least `minShare` of the positive part, largest
 *   first, tells its own sentence. Components that contributed less are not named.
 * Deterministic. A component with no evidence for this pair (the product is not in its catalogue, the account bought
 * nothing it can point to) tells nothing rather than something vague.
 *
 * Complexity: one explanation of the score plus O(training purchases) to count co-buyers.
 *
 * @param source - a fitted model (kind ease, rp3beta, item-item-implicit, implicit-als, popularity, repeat-purchases,
 *   buy-again, look-alike, intent or content), or a blended recommender
 * @param account - the account
 * @param product - the recommended product
 * @param options - product names, locale, how many sentences, the share below which a component is not named, the
 *   models behind a blend's components
 * @returns the reasons and their text
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a source that is neither a supported model nor a blend, or a
 *   bad option; `E_UNKNOWN_ID` when a single model does not know the account or the product
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitItemItemImplicit } from "nextbest/neighbors";
 * import { narrateRecommendation } from "nextbest/explain";
 * const purchases = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "acme", item: "support" },
 *   { user: "globex", item: "crm" }, { user: "globex", item: "support" },
 *   { user: "initech", item: "crm" },
 * ]);
 * const model = fitItemItemImplicit(purchases);
 * narrateRecommendation(model, "initech", "support", { productNames: new Map([["crm", "CRM suite"]]) }).text;
 * // => "Accounts that buy CRM suite also buy it (2 of the 3 that bought it)."
 * ```
 * @category explain
 */
export function narrateRecommendation(
  source: NarratableModel | Recommender,
  account: Id,
  product: Id,
  options: RecommendationNarrativeOptions = {},
): RecommendationNarrative {
  const fn = "narrateRecommendation";
  checkId(fn, "account", account);
  checkId(fn, "product", product);
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const maxSentences = options.maxSentences ?? 3;
  if (!Number.isInteger(maxSentences) || maxSentences < 1 || maxSentences > 10) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.maxSentences must be an integer in [1, 10], got ${describeValue(maxSentences)}`);
  }
  const minShare = options.minShare ?? 0.15;
  if (typeof minShare !== "number" || !(minShare >= 0 && minShare <= 1)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.minShare must be a number in [0, 1], got ${describeValue(minShare)}`);
  if (options.components !== undefined && !(options.components instanceof Map)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.components must be a Map from component name to fitted model, got ${describeValue(options.components)}`);
  }
  let number: Intl.NumberFormat;
  try {
    number = new Intl.NumberFormat(options.locale ?? "en-US", { maximumFractionDigits: 2 });
  } catch {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.locale must be a BCP 47 locale, got ${describeValue(options.locale)}`);
  }
  const tell: Teller = { number, nameOf: (id) => options.productNames?.get(id) ?? String(id) };
  const reasons: RecommendationReason[] = [];
  const kind = (source as { kind?: unknown }).kind;
  if (typeof source === "object" && source !== null && typeof kind === "string" && KINDS.has(kind)) {
    const model = source as NarratableModel;
    const known = model.users.lookup.has(account) || model.kind === "popularity";
    if (!known) throw new NextbestError("E_UNKNOWN_ID", `${fn}: account must be known to the ${model.kind} model, got ${describeValue(account)}`);
    if (!model.items.lookup.has(product)) throw new NextbestError("E_UNKNOWN_ID", `${fn}: product must be in the ${model.kind} model's catalogue, got ${describeValue(product)}`);
    const sentence = sentenceOf(model, account, product, tell);
    if (sentence !== undefined) reasons.push(Object.freeze({ component: model.kind, share: 1, sentence }));
  } else {
    if (typeof source !== "object" || source === null || typeof (source as Recommender).scoreUser !== "function") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: source must be a fitted model (${[...KINDS].join(", ")}) or a blended recommender, got ${describeValue(source)}`);
    }
    const why = explainBlend(source as Recommender, account, product);
    const positive = why.contributions.filter((c) => c.contribution > 0);
    const total = positive.reduce((sum, c) => sum + c.contribution, 0);
    const told = new Set<string>();
    for (const part of [...positive].sort((a, b) => b.contribution - a.contribution || (a.name < b.name ? -1 : 1))) {
      const share = total > 0 ? part.contribution / total : 0;
      if (share < minShare) continue;
      const model = options.components?.get(part.name);
      if (model === undefined || !model.items.lookup.has(product) || (model.kind !== "popularity" && !model.users.lookup.has(account))) continue;
      const sentence = sentenceOf(model, account, product, tell);
      // Two co-purchase components may point to the same purchases: one sentence says it once.
      if (sentence === undefined || told.has(sentence)) continue;
      told.add(sentence);
      reasons.push(Object.freeze({ component: part.name, share, sentence }));
    }
  }
  const kept = reasons.slice(0, maxSentences);
  return Object.freeze({
    account,
    product,
    reasons: Object.freeze(kept),
    text: kept.length === 0 ? "" : `${kept.map((r) => r.sentence).join(". ")}.`,
  });
}

interface Teller {
  readonly number: Intl.NumberFormat;
  readonly nameOf: (id: Id) => string;
}

function sentenceOf(model: NarratableModel, account: Id, product: Id, tell: Teller): string | undefined {
  switch (model.kind) {
    case "ease":
    case "rp3beta":
      return coPurchase(model, product, explainItemWeightsScore(model, account, product), tell);
    case "item-item-implicit":
      return coPurchase(model, product, explainItemItemScore(model, account, product), tell);
    case "implicit-als":
      return coPurchase(model, product, explainImplicitAlsScore(model, account, product), tell);
    case "repeat-purchases":
      return explainRepeatPurchase(model, account, product).sentence;
    case "buy-again":
      return bought(model, model.users.lookup.get(account)!, model.items.lookup.get(product)!) ? "Bought before by this account" : undefined;
    case "popularity":
      return popularitySentence(model, product, tell);
    case "look-alike":
      return lookAlikeSentence(model, account, product, tell);
    case "intent":
      return intentSentence(model, account, product, tell);
    case "content":
      return contentSentence(model, account, product, tell);
  }
}

/** "Accounts that buy X and Y also buy it (n of the m that bought both)", from an explanation over the account's purchases. */
function coPurchase(model: Seen, product: Id, explanation: { readonly featureNames: readonly string[]; readonly values: readonly number[] }, tell: Teller): string | undefined {
  const byName = new Map(model.items.ids.map((id, i) => [String(id), i] as const));
  const top = explanation.values
    .map((value, j) => ({ value, item: byName.get(explanation.featureNames[j]!) }))
    .filter((entry): entry is { value: number; item: number } => entry.value > 0 && entry.item !== undefined)
    .sort((a, b) => b.value - a.value || a.item - b.item)
    .slice(0, 2);
  if (top.length === 0) return undefined;
  const target = model.items.lookup.get(product)!;
  const count = (items: readonly number[]): { buyers: number; alsoTarget: number } => {
    let buyers = 0;
    let alsoTarget = 0;
    for (let u = 0; u < model.users.ids.length; u++) {
      if (!items.every((i) => bought(model, u, i))) continue;
      buyers++;
      if (bought(model, u, target)) alsoTarget++;
    }
    return { buyers, alsoTarget };
  };
  const names = top.map((entry) => tell.nameOf(model.items.ids[entry.item]!));
  if (top.length === 2) {
    const both = count(top.map((entry) => entry.item));
    if (both.buyers > 0 && both.alsoTarget > 0) {
      return `Accounts that buy ${names[0]} and ${names[1]} also buy it (${tell.number.format(both.alsoTarget)} of the ${tell.number.format(both.buyers)} that bought both)`;
    }
  }
  const one = count([top[0]!.item]);
  return `Accounts that buy ${names[0]} also buy it (${tell.number.format(one.alsoTarget)} of the ${tell.number.format(one.buyers)} that bought it)`;
}

function popularitySentence(model: PopularityModel, product: Id, tell: Teller): string | undefined {
  const i = model.items.lookup.get(product)!;
  const score = model.scores[i]!;
  if (!(score > 0)) return undefined;
  let rank = 1;
  for (let j = 0; j < model.scores.length; j++) if (model.scores[j]! > score) rank++;
  const place = `#${tell.number.format(rank)} of ${tell.number.format(model.scores.length)} products`;
  // "A best-seller" only for the top tenth of the catalogue (at least the top product); otherwise just the count.
  const top = rank <= Math.max(1, Math.floor(model.scores.length / 10));
  const recently = model.since === undefined ? "" : " recently";
  if (model.measure === "distinct-users") {
    const accounts = `${tell.number.format(score)} account${score === 1 ? "" : "s"}`;
    return top ? `A best-seller: ${accounts} bought it${recently} (${place})` : `Bought by ${accounts}${recently} (${place})`;
  }
  return top ? `A best-seller by volume${recently} (${place})` : `Bought in volume${recently} (${place})`;
}

function lookAlikeSentence(model: LookAlikeModel, account: Id, product: Id, tell: Teller): string | undefined {
  const { users, dimension, features, seenIndptr, neighbors } = model;
  const u = users.lookup.get(account)!;
  const target = model.items.lookup.get(product)!;
  const row = features.subarray(u * dimension, (u + 1) * dimension);
  const candidates: { v: number; similarity: number }[] = [];
  for (let v = 0; v < users.ids.length; v++) {
    if (v === u || seenIndptr[v + 1] === seenIndptr[v]) continue;
    let s = 0;
    for (let d = 0; d < dimension; d++) s += row[d]! * features[v * dimension + d]!;
    candidates.push({ v, similarity: s });
  }
  candidates.sort((a, b) => b.similarity - a.similarity || a.v - b.v);
  const nearest = candidates.slice(0, neighbors).filter((c) => c.similarity > 0);
  const buyers = nearest.filter((c) => bought(model, c.v, target)).length;
  if (buyers === 0) return undefined;
  return `${tell.number.format(buyers)} of the ${tell.number.format(nearest.length)} most similar accounts buy it`;
}

function intentSentence(model: IntentModel, account: Id, product: Id, tell: Teller): string | undefined {
  const topics = model.topics.ids.length;
  const u = model.users.lookup.get(account)!;
  const i = model.items.lookup.get(product)!;
  let best = -1;
  let bestValue = 0;
  for (let t = 0; t < topics; t++) {
    const value = model.intent[u * topics + t]! * model.itemTopics[i * topics + t]!;
    if (value > bestValue) {
      best = t;
      bestValue = value;
    }
  }
  if (best < 0) return undefined;
  return `Research on ${String(model.topics.ids[best])} matches it (intent ${tell.number.format(model.intent[u * topics + best]!)})`;
}

function contentSentence(model: ContentModel, account: Id, product: Id, tell: Teller): string | undefined {
  const { dimension, itemVectors } = model;
  const u = model.users.lookup.get(account)!;
  const target = model.items.lookup.get(product)!;
  const norm = (i: number): number => {
    let s = 0;
    for (let d = 0; d < dimension; d++) s += itemVectors[i * dimension + d]! ** 2;
    return Math.sqrt(s);
  };
  const targetNorm = norm(target);
  if (!(targetNorm > 0)) return undefined;
  let best = -1;
  let bestSimilarity = 0;
  for (let p = model.seenIndptr[u]!; p < model.seenIndptr[u + 1]!; p++) {
    const i = model.seenIndices[p]!;
    if (i === target) continue;
    const n = norm(i);
    if (!(n > 0)) continue;
    let s = 0;
    for (let d = 0; d < dimension; d++) s += itemVectors[i * dimension + d]! * itemVectors[target * dimension + d]!;
    const similarity = s / (n * targetNorm);
    if (similarity > bestSimilarity) {
      best = i;
      bestSimilarity = similarity;
    }
  }
  if (best < 0) return undefined;
  return `Like ${tell.nameOf(model.items.ids[best]!)}, which it buys (similarity ${tell.number.format(Math.round(bestSimilarity * 100) / 100)})`;
}
