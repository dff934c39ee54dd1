/**
 * `nextbest/repeat`: models of B2B reordering. Accounts mostly reorder what they bought before; these models rank an
 * account's own products by how likely it is to order them again.
 *
 * - {@link fitBuyAgain}: the strong simple baseline, a time-decayed count of each account's purchases of each product
 *   (the rest of the catalogue by popularity below them, or NaN).
 * - {@link fitRepeatPurchases}: the probability of a reorder within a horizon, learned by a small logistic scorer from
 *   each pair's purchase count and recency and where it stands in the account's own and the product's reorder cycle,
 *   so a product due for reorder ranks high and one just bought ranks low. With the default `fill: "none"` it scores
 *   only products the account bought: the repeat component of a `nextbest/hybrid` blend beside a model of new products.
 * - {@link explainRepeatPurchase}: the reason in plain words ("Reorders about every 5 weeks; last order 7 weeks ago").
 *
 * Both models need timestamps and read every purchase from `interactions.events`. Each is a plain versioned model
 * with JSON helpers and an adapter to the `nextbest/recommend` contract.
 *
 * Defaults were chosen on validation data only: Online Retail II (UCI, 2009-12 to 2010-12, invoice lines of a
 * wholesaler), fitted on purchases before 2010-06-01 and judged on every product each account bought from 2010-06-01
 * to 2010-09-01 (NDCG@10, binary gains): popularity 0.157, buy-again 0.391, repeat purchases 0.44.
 *
 * @module repeat
 */
export {
  fitBuyAgain,
  buyAgainRecommender,
  buyAgainToJSON,
  buyAgainFromJSON,
  type BuyAgainModel,
  type BuyAgainModelJSON,
  type BuyAgainOptions,
} from "./buy-again.ts";
export {
  fitRepeatPurchases,
  repeatPurchaseRecommender,
  repeatPurchasesToJSON,
  repeatPurchasesFromJSON,
  type RepeatPurchaseModel,
  type RepeatPurchaseModelJSON,
  type RepeatPurchaseOptions,
} from "./repeat-purchases.ts";
export { explainRepeatPurchase, type RepeatPurchaseReason, type RepeatPurchaseFacts } from "./explain.ts";
export type { RepeatFill } from "./history.ts";
