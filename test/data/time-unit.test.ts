// Issue 16, "time units": interactions carry the unit of their timestamps, models read it, an explicit option that
// contradicts it is an error, and timestamps that are plainly milliseconds are never read as seconds.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions, parseInteractionsCsv, splitTemporal, type Interactions } from "../../src/data/index.ts";
import { denseFromRows } from "../../src/linalg/index.ts";
import { buyAgainRecommender, fitBuyAgain } from "../../src/repeat/index.ts";
import { easeRecommender, fitEase } from "../../src/neighbors/index.ts";
import { contentRecommender, fitContentRecommender } from "../../src/content/index.ts";
import { recommendMany, type Recommender } from "../../src/recommend/index.ts";
import { expectError } from "../helpers.ts";

const DAY_SECONDS = 86_400;
const START_SECONDS = 1_700_000_000; // November 2023

function rowsAt(days: readonly [number, number, number][], scale: number) {
  return days.map(([user, item, day]) => ({ user: `u${user}`, item: `p${item}`, timestamp: (START_SECONDS + day * DAY_SECONDS) * scale }));
}

describe("Interactions carry their time unit", () => {
  it("createInteractions and the CSV readers set it; splits keep it", () => {
    const data = createInteractions([{ user: "a", item: "x", timestamp: 5 }], { timeUnit: "seconds" });
    expect(data.timeUnit).toBe("seconds");
    expect(createInteractions([{ user: "a", item: "x", timestamp: 5 }]).timeUnit).toBeUndefined();
    const iso = parseInteractionsCsv("user,item,timestamp\na,x,2024-03-01\nb,x,2024-04-01\nb,y,2024-05-01\n");
    expect(iso.timeUnit).toBe("milliseconds");
    const split = splitTemporal(iso, { testFraction: 0.34 });
    expect([split.train.timeUnit, split.test.timeUnit]).toEqual(["milliseconds", "milliseconds"]);
    expect(parseInteractionsCsv("user,item,timestamp\na,x,5\n", { timeUnit: "seconds" }).timeUnit).toBe("seconds");
    expectError(
      () => parseInteractionsCsv("user,item,timestamp\na,x,2024-03-01\n", { timeUnit: "seconds" }),
      "E_BAD_INPUT",
      'parseInteractionsCsv: options.timeUnit must be "milliseconds" (or left out) for ISO 8601 dates',
    );
    expectError(() => createInteractions([{ user: "a", item: "x" }], { timeUnit: "days" as never }), "E_BAD_INPUT", "createInteractions: options.timeUnit must be one of");
  });

  it("a model's explicit timeUnit that contradicts the data's is an error naming both", () => {
    const data = createInteractions(rowsAt([[0, 0, 0], [0, 1, 10]], 1000), { timeUnit: "milliseconds" });
    expectError(() => fitBuyAgain(data, { timeUnit: "seconds" }), "E_BAD_INPUT", 'fitBuyAgain: options.timeUnit must match the interactions\' own time unit, got "seconds" for timestamps in milliseconds');
  });

  it("timestamps that are plainly milliseconds under seconds are an error (every half-life would be 1000× off)", () => {
    const unknown = createInteractions(rowsAt([[0, 0, 0], [0, 1, 10]], 1000));
    expectError(() => fitBuyAgain(unknown), "E_BAD_INPUT", 'fitBuyAgain: interactions timestamps must be seconds under timeUnit "seconds", got 1700864000000, which is milliseconds (2023-11-24)');
    expectError(() => fitEase(unknown, { recencyHalfLifeDays: 30 }), "E_BAD_INPUT", "fitEase: interactions timestamps must be seconds");
    expect(() => fitBuyAgain(unknown, { timeUnit: "milliseconds" })).not.toThrow();
  });

  it("property: the same data in seconds and in milliseconds gives the same recommendations, with no option given", () => {
    const catalog = { ids: ["p0", "p1", "p2", "p3"], features: denseFromRows([[1, 0], [0, 1], [1, 1], [0.5, 2]]) };
    const fits: ReadonlyArray<(data: Interactions) => Recommender> = [
      (d) => buyAgainRecommender(fitBuyAgain(d, { halfLifeDays: 30 })),
      (d) => easeRecommender(fitEase(d, { recencyHalfLifeDays: 20 })),
      (d) => contentRecommender(fitContentRecommender(d, catalog, { halfLifeDays: 15 })),
    ];
    const event = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 400 }));
    fc.assert(
      fc.property(fc.array(event, { minLength: 2, maxLength: 25 }), (events) => {
        const seconds = createInteractions(rowsAt(events, 1), { timeUnit: "seconds" });
        const milliseconds = createInteractions(rowsAt(events, 1000), { timeUnit: "milliseconds" });
        for (const fit of fits) {
          const a = recommendMany(fit(seconds), seconds.users.ids, { k: 4 });
          const b = recommendMany(fit(milliseconds), milliseconds.users.ids, { k: 4 });
          expect(b.map((r) => r.items.map((item) => item.item))).toEqual(a.map((r) => r.items.map((item) => item.item)));
          b.forEach((r, u) => r.items.forEach((item, j) => expect(item.score).toBeCloseTo(a[u]!.items[j]!.score, 9)));
        }
      }),
      { numRuns: 40 },
    );
  });
});
