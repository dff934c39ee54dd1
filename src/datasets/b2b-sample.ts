/**
 * A seeded synthetic B2B dataset with planted, documented signal: accounts, products, purchases, intent and
 * opportunities with stage histories.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { createRandom, type RandomGenerator, type Seed } from "../core/random.ts";
import { TripletBuffer, buildInteractions } from "../data/build.ts";
import { resolveCreateOptions, rowPusher, type CreateInteractionsOptions } from "../data/interactions.ts";
import type { Interactions } from "../data/types.ts";
import { assertFiniteNumber, assertInRange, assertInteger, assertSeed } from "../internal/validate.ts";

/** The industries of the synthetic accounts, in the row order of {@link B2B_FAMILY_AFFINITY}. @category datasets */
export const B2B_INDUSTRIES: readonly string[] = Object.freeze([
  "software",
  "manufacturing",
  "healthcare",
  "finance",
  "retail",
  "logistics",
]);

/** The product families, in the column order of {@link B2B_FAMILY_AFFINITY}; also the intent topics. @category datasets */
export const B2B_FAMILIES: readonly string[] = Object.freeze(["analytics", "security", "collaboration", "infrastructure", "commerce"]);

/**
 * The planted segment × product-family affinity: row = industry ({@link B2B_INDUSTRIES}), column = family
 * ({@link B2B_FAMILIES}). When an account buys, the family is drawn with probability proportional to its row, so
 * e.g. finance buys security most, retail buys commerce most.
 *
 * @category datasets
 */
export const B2B_FAMILY_AFFINITY: readonly (readonly number[])[] = Object.freeze([
  Object.freeze([3, 1.5, 2, 2.5, 0.3]), // software
  Object.freeze([1.5, 1, 0.8, 3, 0.4]), // manufacturing
  Object.freeze([1.2, 3, 1.5, 0.8, 0.3]), // healthcare
  Object.freeze([2, 3.5, 0.8, 1, 0.4]), // finance
  Object.freeze([1.5, 0.6, 0.8, 0.6, 3.5]), // retail
  Object.freeze([1.2, 0.6, 1, 3, 1.5]), // logistics
]);

/** The employee bands, smallest first; larger bands buy more often, more units and more premium tiers. @category datasets */
export const B2B_EMPLOYEE_BANDS: readonly string[] = Object.freeze(["1-49", "50-249", "250-999", "1000-4999", "5000+"]);

/** The regions of the synthetic accounts. @category datasets */
export const B2B_REGIONS: readonly string[] = Object.freeze(["NA", "EMEA", "APAC", "LATAM"]);

/** The technographic tags; each product carries one, and accounts prefer products whose tag they run. @category datasets */
export const B2B_TECHNOLOGIES: readonly string[] = Object.freeze([
  "aws",
  "azure",
  "gcp",
  "salesforce",
  "sap",
  "hubspot",
  "snowflake",
  "kubernetes",
  "oracle",
  "shopify",
]);

/** The opportunity stages in pipeline order, then the two closed outcomes. @category datasets */
export const B2B_STAGES: readonly B2bStage[] = Object.freeze(["prospecting", "qualification", "proposal", "negotiation", "won", "lost"]);

/** An opportunity stage. @category datasets */
export type B2bStage = "prospecting" | "qualification" | "proposal" | "negotiation" | "won" | "lost";

/** A product price tier. @category datasets */
export type B2bPriceTier = "entry" | "standard" | "premium";

/** A synthetic account (customer company) with firmographics and technographics. @category datasets */
export interface B2bAccount {
  /** The id, `"acct-0001"`, ... */
  readonly id: string;
  /** One of {@link B2B_INDUSTRIES}: drives which product families it buys. */
  readonly industry: string;
  /** One of {@link B2B_EMPLOYEE_BANDS}. */
  readonly employeeBand: string;
  /** The head count, inside the band. */
  readonly employees: number;
  /** One of {@link B2B_REGIONS} (no planted effect: a distractor feature). */
  readonly region: string;
  /** Year-over-year revenue growth as a fraction (0.12 = +12%); faster growers buy more often. */
  readonly revenueGrowth: number;
  /** The technologies it runs (1–3 of {@link B2B_TECHNOLOGIES}); it prefers products tagged with them. */
  readonly technographics: readonly string[];
  /** When it churned (ms since the epoch; it makes no purchase, opportunity or intent signal after), or null. */
  readonly churnedAt: number | null;
}

/** A synthetic product. @category datasets */
export interface B2bProduct {
  /** The id, `"prod-01"`, ... */
  readonly id: string;
  /** A display name, e.g. `"Security Premium 2"`. */
  readonly name: string;
  /** One of {@link B2B_FAMILIES}. */
  readonly family: string;
  /** Tags: the family, two family-specific feature words and one technology of {@link B2B_TECHNOLOGIES}. */
  readonly tags: readonly string[];
  /** The price tier; large accounts favour premium, small ones entry. */
  readonly priceTier: B2bPriceTier;
  /** The list price of one unit (USD). */
  readonly listPrice: number;
  /** A one-sentence description built from the family, tier and tags. */
  readonly description: string;
}

/** One purchase (a won deal). @category datasets */
export interface B2bPurchase {
  /** The account id. */
  readonly account: string;
  /** The product id. */
  readonly product: string;
  /** The deal amount (USD). */
  readonly amount: number;
  /** When it closed, ms since the epoch. */
  readonly timestamp: number;
  /** The id of the won opportunity behind it. */
  readonly opportunity: string;
}

/** One buyer-intent observation: how strongly an account researched a topic in a month. @category datasets */
export interface B2bIntent {
  /** The account id. */
  readonly account: string;
  /** The topic: one of {@link B2B_FAMILIES}. */
  readonly topic: string;
  /** The score in [0, 100]; 60 and above is a spike. */
  readonly score: number;
  /** The start of the month observed, ms since the epoch. */
  readonly timestamp: number;
}

/** One stage change of an opportunity. @category datasets */
export interface B2bStageChange {
  /** The stage entered. */
  readonly stage: B2bStage;
  /** When, ms since the epoch. */
  readonly timestamp: number;
}

/** A sales opportunity with its stage history. @category datasets */
export interface B2bOpportunity {
  /** The id, `"opp-00001"`, ... */
  readonly id: string;
  /** The account id. */
  readonly account: string;
  /** The product id. */
  readonly product: string;
  /** The expected (won: actual) amount (USD). */
  readonly amount: number;
  /** The stage changes in time order: starts with `"prospecting"`, ends with `"won"` or `"lost"`. */
  readonly stages: readonly B2bStageChange[];
  /** The final outcome. */
  readonly outcome: "won" | "lost";
}

/** A planted cross-sell path: buyers of `from` tend to buy `to` a few months later. @category datasets */
export interface B2bCrossSell {
  /** The product bought first. */
  readonly from: string;
  /** The product that follows. */
  readonly to: string;
  /** The chance that a purchase of `from` is followed by `to` (while the account is active). */
  readonly probability: number;
}

/** The output of {@link generateB2bSample}: plain data. @category datasets */
export interface B2bSample {
  /** The accounts. */
  readonly accounts: readonly B2bAccount[];
  /** The products. */
  readonly products: readonly B2bProduct[];
  /** The purchases, in time order. */
  readonly purchases: readonly B2bPurchase[];
  /** The intent observations, in time order. */
  readonly intent: readonly B2bIntent[];
  /** The opportunities (won and lost), in order of creation. */
  readonly opportunities: readonly B2bOpportunity[];
  /** The planted ground truth: the affinity table used and the cross-sell paths. */
  readonly signal: {
    /** Purchase affinity of each industry (row, in `B2B_INDUSTRIES` order) for each product family (column). */
    readonly familyAffinity: readonly (readonly number[])[];
    /** The planted cross-sell pairs: buying the first product is often followed by the second a few months later. */
    readonly crossSell: readonly B2bCrossSell[];
  };
  /** The first and the end (exclusive) timestamp of the simulated period. */
  readonly period: {
    /** First timestamp of the period (ms since the epoch). */
    readonly start: number;
    /** End of the period, exclusive (ms since the epoch). */
    readonly end: number;
  };
}

/** The most account-months {@link generateB2bSample} simulates (accounts × months). */
const MAX_ACCOUNT_MONTHS = 1_200_000;

/** Options of {@link generateB2bSample}. @category datasets */
export interface GenerateB2bSampleOptions {
  /** Number of accounts (1 to 100,000; accounts × months at most 1,200,000). @defaultValue 500 */
  accounts?: number;
  /** Number of products (at least 5, one per family; at most 1,000). @defaultValue 40 */
  products?: number;
  /** Length of the simulated period in months (6 to 120; accounts × months at most 1,200,000). @defaultValue 30 */
  months?: number;
  /** The first month, ms since the epoch (the purchases start there). @defaultValue Date.UTC(2023, 0, 1) */
  start?: number;
  /** The share of accounts that churn at a random month in the middle of the period. @defaultValue 0.2 */
  churnRate?: number;
  /** The mean number of new purchase decisions per account per month (before size and growth effects). @defaultValue 0.12 */
  purchaseRate?: number;
  /** The seed: equal seeds give identical samples. @defaultValue 42 */
  seed?: Seed;
}

const FAMILY_WORDS: readonly (readonly string[])[] = [
  ["dashboards", "forecasting", "reporting", "data-pipelines"],
  ["endpoint", "identity", "siem", "zero-trust"],
  ["chat", "video", "documents", "workflow"],
  ["cloud", "storage", "networking", "backup"],
  ["payments", "storefront", "inventory", "pricing"],
];
const TIERS: readonly B2bPriceTier[] = ["entry", "standard", "premium"];
const TIER_PRICE = [400, 2000, 9000];
// Tier preference by employee band (rows) and tier (columns).
const TIER_PREFERENCE = [
  [4, 1.5, 0.3],
  [3, 2, 0.6],
  [1.5, 2.5, 1.2],
  [0.8, 2, 2.5],
  [0.4, 1.5, 4],
];
const BAND_EMPLOYEES = [
  [5, 49],
  [50, 249],
  [250, 999],
  [1000, 4999],
  [5000, 40000],
];
const BAND_RATE = [0.6, 0.8, 1, 1.3, 1.6];
const BAND_UNITS = [1, 2, 4, 8, 15];
const DAY = 86_400_000;

// The start of month `m` counted from the UTC month of `start`.
function monthStart(start: number, m: number): number {
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + m, 1);
}

function pickWeighted(random: RandomGenerator, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

function pickInt(random: RandomGenerator, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * Generates a seeded synthetic B2B dataset whose signal is planted on purpose and documented, so models can be
 * checked against a known truth. Deterministic: the same options and seed give identical output.
 *
 * The generative story, month by month over `months` months:
 * - **Accounts** get an industry, an employee band (and head count), a region, a revenue growth in [-0.1, 0.4]
 *   and 1–3 technographic tags. A `churnRate` share churn at a random month between 25% and 85% of the period
 *   (`churnedAt`); nothing happens for them afterwards.
 * - **Products**: product `j` belongs to family `j mod 5` ({@link B2B_FAMILIES}), with a random price tier, two
 *   family words and one technology as tags, and a description built from them.
 * - **Purchases**: each active month an account starts a buying decision with probability
 *   `purchaseRate × band factor (0.6–1.6) × (1 + revenueGrowth)`. The family is drawn in proportion to
 *   {@link B2B_FAMILY_AFFINITY} (segment × family affinity); the product within it in proportion to the band's
 *   tier preference × 2.5 when the account runs the product's technology tag. Amount = list price × units (by band)
 *   × noise.
 * - **Cross-sell**: `floor(products / 4)` planted pairs (A, B) of different families (`signal.crossSell`): a purchase
 *   of A is followed by B 2–4 months later with probability 0.6 (if the account is still active).
 * - **Intent**: every active account-month shows noise on one random topic (score 5–40); in the 1–2 months before a
 *   purchase the product's family topic spikes (score 60–100).
 * - **Opportunities**: every purchase is a won opportunity whose stage history walks prospecting → qualification →
 *   proposal → negotiation → won over 2–10 weeks per stage, with a 15% chance of one slip back a stage on the way;
 *   about 0.7 lost opportunities per won one, on products drawn uniformly (so lost deals fit the segment less),
 *   stop at a random stage and end lost. A history ends at the close and may begin before `period.start`.
 *
 * Runs in O(accounts × months + purchases); the defaults (500 accounts × 40 products × 30 months, about 2,000
 * purchases) take well under a second.
 *
 * @param options - sizes, period, churn and purchase rates, seed (see {@link GenerateB2bSampleOptions})
 * @returns the accounts, products, purchases, intent, opportunities, the planted signal and the period
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for an option out of range, naming it (accounts × months above
 *   1,200,000 too: the memory follows the account-months, about 350 MB at that bound)
 * @example
 * ```ts
 * import { generateB2bSample } from "nextbest/datasets";
 * const sample = generateB2bSample({ accounts: 50, products: 10, seed: 7 });
 * sample.accounts.length; // => 50
 * sample.products[0].family; // => "analytics"
 * sample.purchases.every((p) => p.timestamp >= sample.period.start && p.timestamp < sample.period.end); // => true
 * generateB2bSample({ accounts: 50, products: 10, seed: 7 }).purchases.length === sample.purchases.length; // => true
 * ```
 * @category datasets
 */
export function generateB2bSample(options: GenerateB2bSampleOptions = {}): B2bSample {
  const fn = "generateB2bSample";
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const accountCount = options.accounts ?? 500;
  const productCount = options.products ?? 40;
  const months = options.months ?? 30;
  const start = options.start ?? Date.UTC(2023, 0, 1);
  const churnRate = options.churnRate ?? 0.2;
  const purchaseRate = options.purchaseRate ?? 0.12;
  const seed = options.seed ?? 42;
  assertInteger(fn, "options.accounts", accountCount, 1, 100_000);
  assertInteger(fn, "options.products", productCount, 5, 1000);
  assertInteger(fn, "options.months", months, 6, 120);
  // Memory and time follow the account-months simulated (about 300 bytes each): 1.2 million is about 350 MB.
  if (accountCount * months > MAX_ACCOUNT_MONTHS) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.accounts × options.months must be at most ${MAX_ACCOUNT_MONTHS} account-months, got ${accountCount} × ${months} = ${accountCount * months}`,
    );
  }
  assertInRange(fn, "options.start", start, -8.64e15, 8.64e15);
  assertInRange(fn, "options.churnRate", churnRate, 0, 1);
  assertInRange(fn, "options.purchaseRate", purchaseRate, 0, 1);
  assertSeed(fn, "options.seed", seed);
  const random = createRandom(seed);
  const families = B2B_FAMILIES.length;

  // Products.
  const products: B2bProduct[] = [];
  const productFamily = new Int32Array(productCount);
  const productTier = new Int32Array(productCount);
  const productTech = new Int32Array(productCount);
  const byFamily: number[][] = Array.from({ length: families }, () => []);
  const familyCounter = new Int32Array(families);
  for (let j = 0; j < productCount; j++) {
    const f = j % families;
    const tier = pickWeighted(random, [1, 1.2, 0.8]);
    const tech = Math.floor(random() * B2B_TECHNOLOGIES.length);
    const words = FAMILY_WORDS[f]!;
    const w1 = Math.floor(random() * words.length);
    const w2 = (w1 + 1 + Math.floor(random() * (words.length - 1))) % words.length;
    const family = B2B_FAMILIES[f]!;
    const tierName = TIERS[tier]!;
    familyCounter[f]!++;
    const listPrice = Math.round(TIER_PRICE[tier]! * (0.8 + 0.4 * random()));
    const tags = [family, words[w1]!, words[w2]!, B2B_TECHNOLOGIES[tech]!];
    products.push(
      Object.freeze({
        id: `prod-${String(j + 1).padStart(2, "0")}`,
        name: `${capitalize(family)} ${capitalize(tierName)} ${familyCounter[f]}`,
        family,
        tags: Object.freeze(tags),
        priceTier: tierName,
        listPrice,
        description: `${capitalize(tierName)} ${family} suite for ${words[w1]} and ${words[w2]}, integrated with ${B2B_TECHNOLOGIES[tech]}.`,
      }),
    );
    productFamily[j] = f;
    productTier[j] = tier;
    productTech[j] = tech;
    byFamily[f]!.push(j);
  }

  // Cross-sell pairs: distinct sources, targets in another family.
  const crossSell: B2bCrossSell[] = [];
  const crossTarget = new Int32Array(productCount).fill(-1);
  const pairCount = Math.floor(productCount / 4);
  const order = Array.from({ length: productCount }, (_, j) => j);
  for (let i = productCount - 1; i > 0; i--) {
    const k = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[k]!;
    order[k] = t;
  }
  for (let p = 0; p < pairCount; p++) {
    const a = order[p]!;
    let b = order[(p + pairCount) % productCount]!;
    if (productFamily[b] === productFamily[a]) b = (b + 1) % productCount;
    if (b === a || productFamily[b] === productFamily[a]) continue;
    crossTarget[a] = b;
    crossSell.push(Object.freeze({ from: products[a]!.id, to: products[b]!.id, probability: 0.6 }));
  }

  // Accounts.
  const end = monthStart(start, months);
  const accounts: B2bAccount[] = [];
  const accountIndustry = new Int32Array(accountCount);
  const accountBand = new Int32Array(accountCount);
  const accountChurnMonth = new Int32Array(accountCount);
  const accountTech: Set<number>[] = [];
  for (let a = 0; a < accountCount; a++) {
    const industry = Math.floor(random() * B2B_INDUSTRIES.length);
    const band = pickWeighted(random, [3, 3, 2, 1.5, 1]);
    const [lo, hi] = BAND_EMPLOYEES[band]! as [number, number];
    const employees = Math.round(Math.exp(Math.log(lo) + random() * (Math.log(hi) - Math.log(lo))));
    const region = B2B_REGIONS[Math.floor(random() * B2B_REGIONS.length)]!;
    const revenueGrowth = Math.round((-0.1 + 0.5 * random()) * 1000) / 1000;
    const techCount = 1 + Math.floor(random() * 3);
    const tech = new Set<number>();
    while (tech.size < techCount) tech.add(Math.floor(random() * B2B_TECHNOLOGIES.length));
    const churns = random() < churnRate;
    const churnMonth = churns ? Math.floor(months * 0.25) + Math.floor(random() * Math.max(1, Math.floor(months * 0.6))) : months;
    accountIndustry[a] = industry;
    accountBand[a] = band;
    accountChurnMonth[a] = churnMonth;
    accountTech.push(tech);
    accounts.push(
      Object.freeze({
        id: `acct-${String(a + 1).padStart(4, "0")}`,
        industry: B2B_INDUSTRIES[industry]!,
        employeeBand: B2B_EMPLOYEE_BANDS[band]!,
        employees,
        region,
        revenueGrowth,
        technographics: Object.freeze([...tech].sort((x, y) => x - y).map((t) => B2B_TECHNOLOGIES[t]!)),
        churnedAt: churns ? monthStart(start, churnMonth) : null,
      }),
    );
  }

  // Purchases, intent and opportunities, account by account.
  const purchases: B2bPurchase[] = [];
  const intent: B2bIntent[] = [];
  const opportunities: (B2bOpportunity & { created: number })[] = [];
  const weights = new Float64Array(productCount);
  let opportunityCounter = 0;
  const nextOpportunityId = (): string => `opp-${String(++opportunityCounter).padStart(5, "0")}`;

  // Builds a stage history ending at `close` (won) or at a random stage then lost.
  const stageHistory = (close: number, won: boolean): B2bStageChange[] => {
    const pipeline: B2bStage[] = ["prospecting", "qualification", "proposal", "negotiation"];
    const reached = won ? 4 : 1 + Math.floor(random() * 4);
    const path: B2bStage[] = [];
    for (let s = 0; s < reached; s++) {
      path.push(pipeline[s]!);
      if (s >= 1 && random() < 0.15 / reached) path.push(pipeline[s - 1]!, pipeline[s]!);
    }
    path.push(won ? "won" : "lost");
    const gaps: number[] = [];
    for (let s = 1; s < path.length; s++) gaps.push((14 + Math.floor(random() * 56)) * DAY);
    let t = close;
    const stamps = new Array<number>(path.length);
    stamps[path.length - 1] = t;
    for (let s = path.length - 2; s >= 0; s--) {
      t -= gaps[s]!;
      stamps[s] = t;
    }
    return path.map((stage, s) => Object.freeze({ stage, timestamp: stamps[s]! }));
  };

  for (let a = 0; a < accountCount; a++) {
    const account = accounts[a]!;
    const band = accountBand[a]!;
    const affinity = B2B_FAMILY_AFFINITY[accountIndustry[a]!]!;
    const tech = accountTech[a]!;
    const churnMonth = accountChurnMonth[a]!;
    const rate = Math.min(1, purchaseRate * BAND_RATE[band]! * (1 + account.revenueGrowth));
    const scheduled = new Map<number, number[]>(); // month -> cross-sell products due
    const spikes = new Map<number, Set<number>>(); // month -> family topics spiking
    const accountPurchases: { product: number; month: number }[] = [];
    for (let m = 0; m < churnMonth; m++) {
      const bought: number[] = [];
      if (random() < rate) {
        const f = pickWeighted(random, affinity);
        const candidates = byFamily[f]!;
        for (let c = 0; c < candidates.length; c++) {
          const j = candidates[c]!;
          weights[c] = TIER_PREFERENCE[band]![productTier[j]!]! * (tech.has(productTech[j]!) ? 2.5 : 1);
        }
        bought.push(candidates[pickWeighted(random, weights.subarray(0, candidates.length))]!);
      }
      const due = scheduled.get(m);
      if (due !== undefined) bought.push(...due);
      for (const j of bought) {
        accountPurchases.push({ product: j, month: m });
        const target = crossTarget[j]!;
        if (target >= 0 && random() < 0.6) {
          const when = m + 2 + Math.floor(random() * 3);
          const list = scheduled.get(when);
          if (list === undefined) scheduled.set(when, [target]);
          else list.push(target);
        }
        const lead = 1 + Math.floor(random() * 2);
        for (let k = 1; k <= lead; k++) {
          if (m - k < 0) continue;
          const set = spikes.get(m - k);
          if (set === undefined) spikes.set(m - k, new Set([productFamily[j]!]));
          else set.add(productFamily[j]!);
        }
      }
    }
    for (const { product: j, month: m } of accountPurchases) {
      const monthBegin = monthStart(start, m);
      const monthEnd = monthStart(start, m + 1);
      const timestamp = monthBegin + Math.floor(random() * (monthEnd - monthBegin - DAY));
      const amount = Math.round(products[j]!.listPrice * BAND_UNITS[band]! * (0.7 + 0.6 * random()));
      const id = nextOpportunityId();
      purchases.push(Object.freeze({ account: account.id, product: products[j]!.id, amount, timestamp, opportunity: id }));
      const stages = Object.freeze(stageHistory(timestamp, true));
      opportunities.push({ id, account: account.id, product: products[j]!.id, amount, stages, outcome: "won", created: stages[0]!.timestamp });
    }
    // Lost opportunities: products drawn uniformly, so they fit the segment less than the won ones.
    const lostCount = Math.round(accountPurchases.length * 0.7 * (0.5 + random()));
    for (let k = 0; k < lostCount; k++) {
      const j = Math.floor(random() * productCount);
      const m = Math.floor(random() * churnMonth);
      const close = monthStart(start, m) + Math.floor(random() * 27 * DAY);
      const amount = Math.round(products[j]!.listPrice * BAND_UNITS[band]! * (0.7 + 0.6 * random()));
      const stages = Object.freeze(stageHistory(close, false));
      opportunities.push({ id: nextOpportunityId(), account: account.id, product: products[j]!.id, amount, stages, outcome: "lost", created: stages[0]!.timestamp });
    }
    for (let m = 0; m < churnMonth; m++) {
      const timestamp = monthStart(start, m);
      const noiseTopic = Math.floor(random() * families);
      const spiking = spikes.get(m);
      for (let f = 0; f < families; f++) {
        if (spiking?.has(f) === true) {
          intent.push(Object.freeze({ account: account.id, topic: B2B_FAMILIES[f]!, score: 60 + Math.floor(random() * 41), timestamp }));
        } else if (f === noiseTopic) {
          intent.push(Object.freeze({ account: account.id, topic: B2B_FAMILIES[f]!, score: 5 + Math.floor(random() * 36), timestamp }));
        }
      }
    }
  }
  purchases.sort((x, y) => x.timestamp - y.timestamp);
  intent.sort((x, y) => x.timestamp - y.timestamp);
  opportunities.sort((x, y) => x.created - y.created);
  return Object.freeze({
    accounts: Object.freeze(accounts),
    products: Object.freeze(products),
    purchases: Object.freeze(purchases),
    intent: Object.freeze(intent),
    opportunities: Object.freeze(
      opportunities.map(({ id, account, product, amount, stages, outcome }) => Object.freeze({ id, account, product, amount, stages, outcome })),
    ),
    signal: Object.freeze({ familyAffinity: B2B_FAMILY_AFFINITY, crossSell: Object.freeze(crossSell) }),
    period: Object.freeze({ start: monthStart(start, 0), end }),
  });
}

/** Options of {@link b2bPurchaseInteractions}. @category datasets */
export interface B2bPurchaseInteractionsOptions extends CreateInteractionsOptions {
  /** The interaction value: `"count"` (1 per purchase) or `"amount"` (the deal amount). @defaultValue "count" */
  value?: "count" | "amount";
}

/**
 * Turns purchases (of {@link generateB2bSample}, or any `{account, product, amount, timestamp}` rows) into
 * `Interactions` with accounts as users, products as items and the purchase timestamps; repeated purchases are
 * summed by default (`duplicates: "sum"`) and keep the latest timestamp. O(purchases).
 *
 * @param purchases - the purchases
 * @param options - `value` (`"count"` or `"amount"`) and the `createInteractions` options (preset id indexes, ...)
 * @returns the interactions
 * @throws {@link core!NextbestError} `E_EMPTY` for no purchases; `E_BAD_INPUT` for a bad option or purchase (an id that is
 *   not a string or finite number, a missing amount under `value: "amount"`, timestamps on some purchases only);
 *   `E_NON_FINITE` for a NaN/∞ amount or timestamp; `E_DUPLICATE` / `E_UNKNOWN_ID` under the strict options. Every
 *   message names `b2bPurchaseInteractions` and the purchase, as in `purchases[3].timestamp`
 * @example
 * ```ts
 * import { b2bPurchaseInteractions } from "nextbest/datasets";
 * import { interactionValue } from "nextbest/data";
 * const data = b2bPurchaseInteractions(
 *   [
 *     { account: "acme", product: "crm", amount: 500, timestamp: 1 },
 *     { account: "acme", product: "crm", amount: 700, timestamp: 5 },
 *   ],
 *   { value: "amount" },
 * );
 * interactionValue(data, "acme", "crm"); // => 1200
 * ```
 * @category datasets
 */
export function b2bPurchaseInteractions(
  purchases: readonly Pick<B2bPurchase, "account" | "product" | "amount" | "timestamp">[],
  options: B2bPurchaseInteractionsOptions = {},
): Interactions {
  const fn = "b2bPurchaseInteractions";
  if (!Array.isArray(purchases)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: purchases must be an array, got ${describeValue(purchases)}`);
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const { value = "count", ...createOptions } = options;
  if (value !== "count" && value !== "amount") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.value must be "count" or "amount", got ${describeValue(value)}`);
  }
  if (purchases.length === 0) throw new NextbestError("E_EMPTY", `${fn}: purchases must hold at least one purchase, got none`);
  // Built with createInteractions' own steps so that every message names this function and purchases[k].
  const resolved = resolveCreateOptions(fn, createOptions);
  const buffer = new TripletBuffer(false, resolved.duplicates === "error");
  const push = rowPusher(fn, resolved, buffer);
  purchases.forEach((p: unknown, k) => {
    const where = `purchases[${k}]`;
    if (typeof p !== "object" || p === null) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} must be an object, got ${describeValue(p)}`);
    }
    const { account, product, amount, timestamp } = p as Partial<B2bPurchase>;
    if (value === "amount" && amount === undefined) assertFiniteNumber(fn, `${where}.amount`, amount);
    const paths = { user: `${where}.account`, item: `${where}.product`, value: `${where}.amount`, timestamp: `${where}.timestamp` };
    push(k, paths, account, product, value === "amount" ? amount : undefined, timestamp);
  });
  return buildInteractions(fn, resolved.users.finish(), resolved.items.finish(), buffer, resolved.duplicates, (k) => `purchases[${k}]`, resolved.timeUnit ?? "milliseconds");
}
