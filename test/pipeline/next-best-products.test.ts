import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions, transformValues, type InteractionRow } from "../../src/data/index.ts";
import { recommend } from "../../src/recommend/index.ts";
import {
  fitNextBestProducts,
  nextBestProductsFromJSON,
  nextBestProductsRecommender,
  nextBestProductsToJSON,
  recommendNextBestProducts,
} from "../../src/pipeline/index.ts";
import { expectError } from "../helpers.ts";

const DAY = 86_400;

// 40 accounts reorder paper every 20 days; even ones buy pens, then most of them ink; odd ones a stapler.
function office(seedShift = 0): InteractionRow[] {
  const rows: InteractionRow[] = [];
  for (let a = 0; a < 40; a++) {
    for (let t = (a + seedShift) % 5; t < 300; t += 20) rows.push({ user: `acct-${a}`, item: "paper", timestamp: t * DAY });
    rows.push({ user: `acct-${a}`, item: a % 2 === 0 ? "pens" : "stapler", timestamp: (10 + a) * DAY });
    if (a % 2 === 0 && a < 34) rows.push({ user: `acct-${a}`, item: "ink", timestamp: ((a < 16 ? 100 : 200) + 3 * a) * DAY });
  }
  return rows;
}

describe("fitNextBestProducts", () => {
  const data = createInteractions(office());
  const model = fitNextBestProducts(data, { components: ["repeat", "ease", "popularity"] });

  it("learns one blend per task on the held-out days and refits every component on all of the history", () => {
    expect(model.validation.end - model.validation.cutoff).toBe(90 * DAY);
    expect(model.blends["new-products"].components.map((c) => c.name)).toEqual(["repeat", "ease", "popularity"]);
    for (const task of ["new-products", "all-products"] as const) {
      const weights = model.blends[task].components.map((c) => c.weight);
      expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
      const seen = model.validation[task];
      expect(seen.value).not.toBeNull();
      for (const alone of Object.values(seen.alone)) expect(seen.value!).toBeGreaterThanOrEqual(alone);
    }
    // Refitted on everything: the repeat model knows the last purchases.
    expect(model.components.repeat!.users.ids.length).toBe(40);
    expect(model.components.popularity.users.ids.length).toBe(40);
  });

  it("cross-sells what similar accounts buy and reorders what the account buys, with reasons from the data", () => {
    const cross = recommendNextBestProducts(model, "acct-36", { k: 2 });
    expect(cross.items.map((r) => r.product)).toEqual(["ink", "stapler"]);
    const reorder = recommendNextBestProducts(model, "acct-3", { k: 3, task: "all-products" });
    expect(reorder.items[0]!.product).toBe("paper");
    expect(reorder.items[0]!.reasons[0]).toEqual({ component: "repeat", share: 1, sentence: "Bought 15 times; last order 13 days ago (usually every 3 weeks)" });
    // New products never include what the account bought; all products may.
    const seen = new Set(["paper", "stapler"]);
    for (const entry of recommendNextBestProducts(model, "acct-3", { k: 5 }).items) expect(seen.has(String(entry.product))).toBe(false);
  });

  it("names only components above minShare, shares in (0, 1] summing to at most 1, deterministic", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 39 }), fc.constantFrom<"new-products" | "all-products">("new-products", "all-products"), fc.double({ min: 0, max: 1, noNaN: true }), (a, task, minShare) => {
        const result = recommendNextBestProducts(model, `acct-${a}`, { k: 3, task, minShare });
        for (const item of result.items) {
          let total = 0;
          for (const reason of item.reasons) {
            expect(reason.share).toBeGreaterThan(0);
            expect(reason.share).toBeLessThanOrEqual(1 + 1e-12);
            expect(reason.share).toBeGreaterThanOrEqual(minShare);
            expect(reason.sentence.length).toBeGreaterThan(0);
            total += reason.share;
          }
          expect(total).toBeLessThanOrEqual(1 + 1e-9);
        }
        expect(recommendNextBestProducts(model, `acct-${a}`, { k: 3, task, minShare })).toEqual(result);
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it("round-trips through JSON to identical recommendations, and the recommender keeps bought products for reordering", () => {
    const copy = nextBestProductsFromJSON(JSON.parse(JSON.stringify(nextBestProductsToJSON(model))));
    for (const account of ["acct-1", "acct-36", "newco"]) {
      for (const task of ["new-products", "all-products"] as const) {
        expect(recommendNextBestProducts(copy, account, { task })).toEqual(recommendNextBestProducts(model, account, { task }));
      }
    }
    const all = nextBestProductsRecommender(model, { task: "all-products" });
    expect(Array.from(all.seenItems(0))).toEqual([]);
    expect(recommend(all, "acct-3", { k: 1 }).items[0]!.item).toBe("paper");
    // An unknown account gets the popularity answer, marked.
    expect(recommendNextBestProducts(model, "newco").fallback).toEqual({ reason: "unknown-user", source: "hybrid" });
  });

  it("weights components equally when the held-out days hold nothing new, and drops a repeat model without history", () => {
    // Nobody buys a new product in the last 90 days: the new-products weights cannot be learned.
    const stale = createInteractions(office().filter((r) => r.item === "paper" || r.timestamp! < 150 * DAY));
    const fitted = fitNextBestProducts(stale, { components: ["ease", "popularity"] });
    expect(fitted.validation["new-products"]).toEqual({ value: null, alone: {} });
    expect(fitted.blends["new-products"].components.map((c) => c.weight)).toEqual([0.5, 0.5]);
    // 100 days of history: nothing before the repeat model's own 90-day horizon inside the first 10 days.
    const short = createInteractions(office().filter((r) => r.timestamp! >= 200 * DAY));
    const withoutRepeat = fitNextBestProducts(short, { components: ["repeat", "popularity"] });
    expect(withoutRepeat.dropped.map((d) => d.component)).toEqual(["repeat"]);
    expect(withoutRepeat.blends["all-products"].components.map((c) => c.name)).toEqual(["popularity"]);
    // Interactions without events (e.g. after transformValues) have no purchases to learn reorders from.
    const merged = transformValues(data, "raw");
    expect(fitNextBestProducts(merged, { components: ["repeat", "popularity"] }).dropped[0]!.reason).toMatch(/no per-purchase events/);
  });

  it("rejects data without timestamps, bad options and malformed JSON with named errors", () => {
    expectError(() => fitNextBestProducts(createInteractions([{ user: "a", item: "x" }])), "E_BAD_INPUT", "fitNextBestProducts: interactions must have timestamps");
    expectError(() => fitNextBestProducts(data, { components: ["svd" as never] }), "E_BAD_INPUT", "options.components[0] must be one of");
    expectError(() => fitNextBestProducts(data, { validationDays: 0 }), "E_BAD_INPUT", "options.validationDays must be a finite number > 0, got 0");
    expectError(() => fitNextBestProducts(data, { validationDays: 1000 }), "E_BAD_INPUT", "options.validationDays must leave history before the held-out days, got 1000 days");
    expectError(() => recommendNextBestProducts(model, "acct-1", { task: "upsell" as never }), "E_BAD_INPUT", "options.task must be one of");
    const json = nextBestProductsToJSON(model);
    expectError(() => nextBestProductsFromJSON({ ...json, components: { ...json.components, popularity: undefined } }), "E_BAD_MODEL", "json.components.popularity");
    expectError(() => nextBestProductsFromJSON({ ...json, components: { ...json.components, svd: {} } }), "E_BAD_MODEL", "json.components.svd");
    const { ease: _ease, ...withoutEase } = json.components;
    expectError(() => nextBestProductsFromJSON({ ...json, components: withoutEase }), "E_BAD_MODEL", 'model.components must hold the blend\'s component "ease"');
  });
});
