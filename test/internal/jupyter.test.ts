// The notebook display hook (Symbol.for("Jupyter.display")) on result objects: HTML for Deno's Jupyter kernel,
// invisible to JSON, Object.keys and equality.
import { describe, expect, it } from "vitest";
import { rankAccountBook } from "../../src/accounts/index.ts";
import { createInteractions } from "../../src/data/index.ts";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import { compareModels, formatComparisonTable } from "../../src/evaluation/index.ts";
import { explainLinear, narrateExplanation } from "../../src/explain/index.ts";
import { recommend } from "../../src/recommend/index.ts";
import { escapeHtml, htmlTable } from "../../src/internal/jupyter.ts";

const DISPLAY = Symbol.for("Jupyter.display");
const displayOf = (value: object): Record<string, string> => (value as Record<symbol, () => Record<string, string>>)[DISPLAY]!();

describe("Jupyter display hooks", () => {
  const purchases = createInteractions([
    { user: "acme", item: "crm" },
    { user: "globex", item: "crm" },
    { user: "globex", item: "<script>" },
  ]);
  const popularity = popularityRecommender(fitPopularity(purchases));

  it("a recommendation shows as an escaped HTML table and stays plain data", () => {
    const result = recommend(popularity, "acme", { k: 2 });
    const html = displayOf(result)["text/html"]!;
    expect(html).toContain("<th style=\"text-align:left\">rank</th>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain("<script>");
    expect(JSON.parse(JSON.stringify(result))).toEqual({ user: "acme", items: [{ item: "<script>", score: 1, rank: 1 }], fallback: null, excludedSeen: 1 });
    expect(Object.keys(result)).toEqual(["user", "items", "fallback", "excludedSeen"]);
    expect(displayOf(recommend(popularity, "new", { k: 1 }))["text/html"]).toContain("fallback: unknown-user, popularity");
  });

  it("explanations, narratives and the account book show as HTML", () => {
    const why = explainLinear({ coefficients: [2, -1], intercept: 0 }, [3, 1], { means: [1, 1], featureNames: ["seats", "tickets"] });
    const table = displayOf(why)["text/html"]!;
    expect(table).toContain("seats");
    expect(table.indexOf("seats")).toBeLessThan(table.indexOf("tickets")); // largest |attribution| first
    const story = narrateExplanation(why, { metadata: new Map([["seats", { label: "Seats" }], ["tickets", { label: "Tickets" }]]) });
    expect(displayOf(story)["text/html"]).toContain(`<strong>${escapeHtml(story.headline)}</strong>`);
    const book = rankAccountBook([{ account: "acme", upsellProbability: 0.5, churnProbability: 0.1, spend: 100 }]);
    expect(displayOf(book)["text/html"]).toContain("acme");
    expect(JSON.parse(JSON.stringify(book))).toHaveLength(1);
  });

  it("a model comparison shows as an HTML table with each metric's best value in bold, and stays plain data", () => {
    const train = createInteractions([
      { user: "acme", item: "crm" },
      { user: "globex", item: "crm" },
      { user: "globex", item: "erp" },
      { user: "initech", item: "erp" },
      { user: "initech", item: "crm" },
    ]);
    const test = createInteractions([{ user: "acme", item: "erp" }]);
    // A second model that ignores the training data and ranks "support" first for everyone.
    const elsewhere = createInteractions([
      { user: "acme", item: "crm" },
      { user: "hooli", item: "support" },
      { user: "umbrella", item: "support" },
      { user: "umbrella", item: "erp" },
    ]);
    const comparison = compareModels({ train, test }, {
      "<popularity>": (data) => popularityRecommender(fitPopularity(data)),
      elsewhere: () => popularityRecommender(fitPopularity(elsewhere)),
    }, { metrics: ["hitRate@1"] });
    const bundle = displayOf(comparison);
    const html = bundle["text/html"]!;
    expect(html).toContain("&lt;popularity&gt;");
    expect(html).not.toContain("<popularity>");
    // popularity ranks erp first for acme (hit 1), the other model support (hit 0): 1 is bold, 0 is not.
    expect(html).toContain('<td style="text-align:right"><b>1.0000</b></td>');
    expect(html).toContain('<td style="text-align:right">0.0000</td>');
    expect(html).toContain("5 training and 1 test interactions");
    expect(bundle["text/plain"]).toBe(formatComparisonTable(comparison));
    expect(Object.keys(comparison)).toEqual(["metrics", "rows", "trainInteractions", "testInteractions"]);
  });

  it("htmlTable writes numbers grouped with 4 significant digits, never in exponent form", () => {
    expect(htmlTable(["n"], [[13270.4], [13270], [0.083951], [1234567.89]])).toContain("<td>13,270</td></tr><tr><td>13,270</td></tr><tr><td>0.08395</td></tr><tr><td>1,235,000</td>");
  });

  it("htmlTable escapes every cell and the caption", () => {
    expect(htmlTable(["a&b"], [["<x>", 1.23456789, null]], "\"q\"")).toBe(
      '<table><caption style="text-align:left">&quot;q&quot;</caption><thead><tr><th style="text-align:left">a&amp;b</th></tr></thead><tbody><tr><td>&lt;x&gt;</td><td>1.235</td><td></td></tr></tbody></table>',
    );
  });
});
