// renderAccountReport (issue 14, §4): the call list first, cards, escaping, determinism; waterfall labels that fit.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderAccountReport, type ReportAccount } from "../../src/accounts/index.ts";
import { estimateTextWidth, explainLogistic, renderWaterfallSvg } from "../../src/explain/index.ts";
import { expectError } from "../helpers.ts";

const why = explainLogistic({ coefficients: [0.8, -0.5, 0.3], intercept: -0.2 }, [2, 3, 1], { means: [1, 1, 1], featureNames: ["Spend in the last 90 days, a very long label that cannot fit", "Open <tickets>", "Tenure"] });
const account = (rank: number, name: string): ReportAccount => ({
  rank,
  account: name,
  band: rank === 1 ? "High priority" : "Medium priority",
  expectedValue: 1000 / rank,
  upsellProbability: 0.5,
  churnProbability: 0.1,
  products: [{ product: `Product ${rank}`, reasons: [`Accounts that buy A also buy it (${rank} of the 9 that bought it)`] }],
  reasons: ["Spend rose 40% in the last 90 days"],
  risks: ["Open tickets: 3, higher than 66% of peers"],
  explanation: why,
});

describe("renderAccountReport", () => {
  const input = { dataCutoff: "2010-08-31", generated: "2010-09-01", accounts: [account(1, "Acme <script>"), account(2, "Globex & Co")], cards: 1, currency: "GBP", locale: "en-GB" };

  it("opens with the call list, then one card per top account, dates and model card as given", () => {
    const html = renderAccountReport({ ...input, modelCard: { dataWindow: "2009-12 to 2010-08", metrics: [{ metric: "Upsell AUC", value: 0.663, baselines: [{ name: "RFM", value: 0.574 }] }] } });
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html.indexOf('id="call-list"')).toBeLessThan(html.indexOf('id="accounts"'));
    expect(html.indexOf('id="accounts"')).toBeLessThan(html.indexOf('id="model-card"'));
    expect(html).toContain("Data up to 2010-08-31 · generated 2010-09-01");
    expect(html).toContain("<td>Product 1</td><td>Accounts that buy A also buy it (1 of the 9 that bought it)</td>");
    expect(html).toContain("£1,000");
    expect(html.match(/<section class="card">/g)).toHaveLength(1);
    expect(html).toContain("Green raises the chance of an upsell, red lowers it");
    expect(html).toContain("probability, percentage points");
    expect(html).toContain("RFM 0.574");
    expect(html).not.toMatch(/<script/);
    expect(html).toContain("Acme &lt;script&gt;");
    expect(html).toContain("Globex &amp; Co");
    expect(renderAccountReport(input)).toBe(renderAccountReport(input));
  });

  it("rejects malformed input naming the field", () => {
    expectError(() => renderAccountReport({ ...input, dataCutoff: 5 as never }), "E_BAD_INPUT", "renderAccountReport: input.dataCutoff must be a string");
    expectError(() => renderAccountReport({ ...input, accounts: [{ ...account(1, "a"), expectedValue: Number.NaN }] }), "E_BAD_INPUT", "input.accounts[0].expectedValue must be a finite number");
    expectError(() => renderAccountReport({ ...input, currency: "POUNDS" }), "E_BAD_INPUT", "input.currency");
  });
});

describe("renderWaterfallSvg layout", () => {
  // Every text element's estimated box, from its x, anchor and estimated width.
  function boxes(svg: string, width: number) {
    const out: { left: number; right: number; y: number; text: string }[] = [];
    for (const m of svg.matchAll(/<text x="([-\d.]+)" y="([-\d.]+)"(?: text-anchor="(start|middle|end)")?[^>]*>(?:<title>[^<]*<\/title>)?([^<]*)<\/text>/g)) {
      const x = Number(m[1]);
      const anchor = m[3] ?? "start";
      const size = /font-size="(\d+)"/.exec(m[0])?.[1];
      const text = m[4]!.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'");
      const w = estimateTextWidth(text, size === undefined ? 12 : Number(size));
      const left = anchor === "start" ? x : anchor === "middle" ? x - w / 2 : x - w;
      out.push({ left, right: left + w, y: Number(m[2]), text });
    }
    void width;
    return out;
  }

  it("property: labels stay inside the drawing and no two labels on a row overlap, for any width and label length", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 320, max: 1400 }),
        fc.array(fc.string({ minLength: 1, maxLength: 80 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.constantFrom("log-odds" as const, "probability" as const),
        (width, names, coefficients, scale) => {
          const unique = names.map((name, j) => `${name}#${j}`);
          const explanation = explainLogistic({ coefficients: coefficients.slice(0, unique.length), intercept: 0 }, unique.map(() => 2), { means: unique.map(() => 0), featureNames: unique });
          const svg = renderWaterfallSvg(explanation, { width, scale, title: "Why this account", legend: "Green raises the chance, red lowers it" });
          const texts = boxes(svg, width);
          for (const t of texts) {
            expect(t.left, t.text).toBeGreaterThanOrEqual(-0.5);
            expect(t.right, t.text).toBeLessThanOrEqual(width + 0.5);
          }
          for (let a = 0; a < texts.length; a++) {
            for (let b = a + 1; b < texts.length; b++) {
              if (texts[a]!.y !== texts[b]!.y) continue;
              const overlap = Math.min(texts[a]!.right, texts[b]!.right) - Math.max(texts[a]!.left, texts[b]!.left);
              expect(overlap, `${texts[a]!.text} / ${texts[b]!.text}`).toBeLessThanOrEqual(0.5);
            }
          }
        },
      ),
      { seed: 17, numRuns: 150 },
    );
  });

  it("draws a log-odds explanation in probability points that add up from the average P to the account's P", () => {
    const svg = renderWaterfallSvg(why, { scale: "probability", digits: 4 });
    const p = (v: number) => 100 / (1 + Math.exp(-v));
    expect(svg).toContain(`P = ${new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 }).format(p(why.output!))}%`);
    expect(svg).toContain(`average P = ${new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 }).format(p(why.baseValue))}%`);
    const points = [...svg.matchAll(/>([+\u2212])([\d.]+) pts</g)].map((m) => (m[1] === "+" ? 1 : -1) * Number(m[2]));
    expect(points.reduce((s, v) => s + v, 0)).toBeCloseTo(p(why.output!) - p(why.baseValue), 1);
  });
});
