import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { interactionCount, interactionValue, userCount } from "../../src/data/index.ts";
import {
  B2B_FAMILIES,
  B2B_FAMILY_AFFINITY,
  B2B_INDUSTRIES,
  b2bPurchaseInteractions,
  generateB2bSample,
} from "../../src/datasets/index.ts";
import { expectError } from "../helpers.ts";

const sample = generateB2bSample();
const accountById = new Map(sample.accounts.map((a) => [a.id, a]));
const productById = new Map(sample.products.map((p) => [p.id, p]));
const MONTH = 30.44 * 86_400_000;

describe("generateB2bSample", () => {
  it("has the default sizes and a 30-month period", () => {
    expect(sample.accounts).toHaveLength(500);
    expect(sample.products).toHaveLength(40);
    expect(sample.period).toEqual({ start: Date.UTC(2023, 0, 1), end: Date.UTC(2025, 6, 1) });
    expect(sample.purchases.length).toBeGreaterThan(1000);
    expect(sample.signal.crossSell.length).toBeGreaterThan(0);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    expect(generateB2bSample()).toEqual(sample);
    expect(generateB2bSample({ seed: 42 })).toEqual(sample);
    expect(generateB2bSample({ seed: 43 }).purchases).not.toEqual(sample.purchases);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 5, max: 12 }), (seed, accounts, products) => {
        const a = generateB2bSample({ seed, accounts, products, months: 12 });
        expect(generateB2bSample({ seed, accounts, products, months: 12 })).toEqual(a);
        expect(a.accounts).toHaveLength(accounts);
        expect(a.products).toHaveLength(products);
      }),
      { seed: 42, numRuns: 30 },
    );
  });

  it("gives well-formed records joined by id, sorted in time, inside the period", () => {
    const { start, end } = sample.period;
    for (let k = 0; k < sample.purchases.length; k++) {
      const p = sample.purchases[k]!;
      expect(accountById.has(p.account)).toBe(true);
      expect(productById.has(p.product)).toBe(true);
      expect(p.amount).toBeGreaterThan(0);
      expect(p.timestamp >= start && p.timestamp < end).toBe(true);
      if (k > 0) expect(p.timestamp).toBeGreaterThanOrEqual(sample.purchases[k - 1]!.timestamp);
    }
    for (const i of sample.intent) {
      expect(B2B_FAMILIES).toContain(i.topic);
      expect(i.score >= 0 && i.score <= 100).toBe(true);
    }
    for (const product of sample.products) {
      expect(product.tags[0]).toBe(product.family);
      expect(product.description).toContain(product.family);
    }
  });

  it("plants the segment × family affinity: each industry buys its top-affinity family more than its lowest", () => {
    for (let s = 0; s < B2B_INDUSTRIES.length; s++) {
      const counts = new Array<number>(B2B_FAMILIES.length).fill(0);
      for (const p of sample.purchases) {
        if (accountById.get(p.account)!.industry !== B2B_INDUSTRIES[s]) continue;
        counts[B2B_FAMILIES.indexOf(productById.get(p.product)!.family)]!++;
      }
      const row = B2B_FAMILY_AFFINITY[s]!;
      const top = row.indexOf(Math.max(...row));
      const bottom = row.indexOf(Math.min(...row));
      // The planted ratio top/bottom is at least 5 (e.g. 3.5 / 0.6 for retail); cross-sell dilutes it, so ask for 2.
      expect(counts[top]!, `industry ${B2B_INDUSTRIES[s]}`).toBeGreaterThan(2 * counts[bottom]!);
    }
  });

  it("plants cross-sell: B follows A within 5 months far more often than B appears at all", () => {
    for (const { from, to } of sample.signal.crossSell) {
      const byAccount = new Map<string, { a: number[]; b: number[] }>();
      for (const p of sample.purchases) {
        if (p.product !== from && p.product !== to) continue;
        let entry = byAccount.get(p.account);
        if (entry === undefined) byAccount.set(p.account, (entry = { a: [], b: [] }));
        (p.product === from ? entry.a : entry.b).push(p.timestamp);
      }
      let buyersOfA = 0;
      let followed = 0;
      let buyersOfB = 0;
      for (const { a, b } of byAccount.values()) {
        if (b.length > 0) buyersOfB++;
        if (a.length === 0) continue;
        buyersOfA++;
        if (b.some((tb) => a.some((ta) => tb > ta && tb - ta < 5.2 * MONTH))) followed++;
      }
      if (buyersOfA < 10) continue;
      const chance = buyersOfB / sample.accounts.length;
      expect(followed / buyersOfA, `${from} → ${to}`).toBeGreaterThan(chance + 0.2);
    }
  });

  it("plants intent spikes: the family topic scores higher in the month before a purchase than on average", () => {
    const scores = new Map<string, number>();
    for (const i of sample.intent) scores.set(`${i.account}|${i.topic}|${i.timestamp}`, i.score);
    let before = 0;
    let beforeCount = 0;
    for (const p of sample.purchases) {
      const d = new Date(p.timestamp);
      const previous = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1);
      if (previous < sample.period.start) continue;
      before += scores.get(`${p.account}|${productById.get(p.product)!.family}|${previous}`) ?? 0;
      beforeCount++;
    }
    let all = 0;
    for (const i of sample.intent) all += i.score;
    const accountMonthsTopics = sample.intent.length; // observations with a score; the rest are 0
    expect(before / beforeCount).toBeGreaterThan(45);
    expect(all / accountMonthsTopics).toBeLessThan(before / beforeCount);
  });

  it("plants churn: churned accounts have no purchases, opportunities or intent after their churn date", () => {
    const churned = sample.accounts.filter((a) => a.churnedAt !== null);
    expect(churned.length / sample.accounts.length).toBeGreaterThan(0.1);
    expect(churned.length / sample.accounts.length).toBeLessThan(0.3);
    for (const p of sample.purchases) {
      const c = accountById.get(p.account)!.churnedAt;
      if (c !== null) expect(p.timestamp).toBeLessThan(c);
    }
    for (const i of sample.intent) {
      const c = accountById.get(i.account)!.churnedAt;
      if (c !== null) expect(i.timestamp).toBeLessThan(c);
    }
    for (const o of sample.opportunities) {
      const c = accountById.get(o.account)!.churnedAt;
      if (c !== null) expect(o.stages[o.stages.length - 1]!.timestamp).toBeLessThan(c);
    }
  });

  it("gives opportunities valid stage histories; the won ones are exactly the purchases", () => {
    const order = ["prospecting", "qualification", "proposal", "negotiation"];
    let slips = 0;
    for (const o of sample.opportunities) {
      expect(o.stages[0]!.stage).toBe("prospecting");
      expect(o.stages[o.stages.length - 1]!.stage).toBe(o.outcome);
      for (let s = 1; s < o.stages.length; s++) {
        expect(o.stages[s]!.timestamp).toBeGreaterThan(o.stages[s - 1]!.timestamp);
        const from = order.indexOf(o.stages[s - 1]!.stage);
        const to = order.indexOf(o.stages[s]!.stage);
        if (to >= 0) {
          expect(Math.abs(to - from)).toBe(1);
          if (to < from) slips++;
        }
      }
      if (o.outcome === "won") expect(o.stages.map((s) => s.stage)).toContain("negotiation");
    }
    expect(slips).toBeGreaterThan(0);
    const won = sample.opportunities.filter((o) => o.outcome === "won");
    expect(won).toHaveLength(sample.purchases.length);
    const purchaseByOpportunity = new Map(sample.purchases.map((p) => [p.opportunity, p]));
    for (const o of won) {
      const p = purchaseByOpportunity.get(o.id)!;
      expect([p.account, p.product, p.amount, p.timestamp]).toEqual([o.account, o.product, o.amount, o.stages.at(-1)!.timestamp]);
    }
    const lost = sample.opportunities.length - won.length;
    expect(lost).toBeGreaterThan(0.4 * won.length);
  });

  it("rejects bad options, naming them", () => {
    expectError(() => generateB2bSample({ accounts: 0 }), "E_BAD_INPUT", "generateB2bSample: options.accounts must be an integer in [1, 100000], got 0");
    expectError(() => generateB2bSample({ products: 4 }), "E_BAD_INPUT", "options.products");
    expectError(() => generateB2bSample({ months: 2.5 }), "E_BAD_INPUT", "options.months");
    expectError(() => generateB2bSample({ churnRate: 1.5 }), "E_BAD_INPUT", "options.churnRate");
    expectError(() => generateB2bSample({ seed: Number.NaN }), "E_BAD_INPUT", "options.seed");
    expectError(() => generateB2bSample(null as never), "E_BAD_INPUT", "options must be an object");
  });
});

describe("b2bPurchaseInteractions", () => {
  it("turns purchases into account × product interactions with timestamps", () => {
    const data = b2bPurchaseInteractions(sample.purchases);
    expect(userCount(data)).toBe(new Set(sample.purchases.map((p) => p.account)).size);
    expect(interactionCount(data)).toBe(new Set(sample.purchases.map((p) => `${p.account}|${p.product}`)).size);
    expect(data.timestamps).not.toBeNull();
    // Hand count: the number of times the first purchase's pair occurs.
    const first = sample.purchases[0]!;
    const times = sample.purchases.filter((p) => p.account === first.account && p.product === first.product).length;
    expect(interactionValue(data, first.account, first.product)).toBe(times);
  });

  it("rejects bad input", () => {
    expectError(() => b2bPurchaseInteractions([]), "E_EMPTY", "b2bPurchaseInteractions: purchases must hold at least one purchase");
    expectError(() => b2bPurchaseInteractions({} as never), "E_BAD_INPUT", "purchases must be an array");
    expectError(() => b2bPurchaseInteractions(sample.purchases, { value: "units" as never }), "E_BAD_INPUT", 'options.value must be "count" or "amount"');
  });
});
