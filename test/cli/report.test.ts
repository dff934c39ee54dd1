// `nextbest report` (issue 14, §4): a purchases CSV in, the account report out.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateB2bSample } from "../../src/datasets/index.ts";
import { cli, scratchFolder, writeFixture } from "./fixtures.ts";

const scratch = scratchFolder();
// 150 synthetic accounts over 24 months: one row per purchase, value = amount, ISO dates.
const sample = generateB2bSample({ accounts: 150, months: 24, seed: 5 });
const purchases = writeFixture(
  scratch,
  "purchases.csv",
  `user,item,value,timestamp\n${sample.purchases.map((p) => `${p.account},${p.product},${p.amount},${new Date(p.timestamp).toISOString().slice(0, 10)}`).join("\n")}\n`,
);

describe("nextbest report", () => {
  it("writes the call list with next best products and reasons, and a model card with RFM beside the scorers", async () => {
    const out = path.join(scratch, "report.html");
    const run = await cli(["report", "--interactions", purchases, "--out", out, "--top", "12", "--k", "2"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^wrote .*report\.html: \d+ accounts in the call list, \d+ cards\n$/);
    const html = readFileSync(out, "utf8");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    const rows = html.slice(html.indexOf('id="call-list"'), html.indexOf("</table>")).match(/<tr><td class="number">/g) ?? [];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(12);
    expect(html).toMatch(/Accounts that buy prod-\d+( and prod-\d+)? also buy it \(\d+ of the \d+ that bought (both|it)\)/);
    expect(html).toMatch(/Upsell, ROC AUC on the outcomes after \d{4}-\d{2}-\d{2}/);
    expect(html).toContain("RFM");
    // deterministic
    const again = path.join(scratch, "again.html");
    expect((await cli(["report", "--interactions", purchases, "--out", again, "--top", "12", "--k", "2"])).code).toBe(0);
    expect(readFileSync(again, "utf8")).toBe(html);
  });

  it("says what is missing when the history is too short to learn from", async () => {
    const short = writeFixture(scratch, "short.csv", "user,item,value,timestamp\na,x,10,2024-01-01\nb,x,5,2024-01-02\n");
    const run = await cli(["report", "--interactions", short, "--out", path.join(scratch, "short.html")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "nextbest: report: --interactions must hold spend before the training dates and in the 90 days after them; 0 account-dates were labelled (at least 10 needed: lower --window-days or score a later date)\n",
    );
  });
});
