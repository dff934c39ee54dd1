import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { B2B_PRODUCTS, TINY_PURCHASES, b2bAccounts, b2bPurchases, cli, csvRows, scratchFolder, writeFixture } from "./fixtures.ts";

const scratch = scratchFolder();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const tiny = writeFixture(scratch, "tiny.csv", TINY_PURCHASES);
const purchases = writeFixture(scratch, "purchases.csv", b2bPurchases());
const products = writeFixture(scratch, "products.csv", B2B_PRODUCTS);
const accounts = writeFixture(scratch, "accounts.csv", b2bAccounts());

// Checks the invariants every recommend output keeps: ranks 1..n per user, scores not increasing, no seen item.
function checkLists(rows: string[][], seen: ReadonlyMap<string, ReadonlySet<string>>, k: number): void {
  const byUser = new Map<string, string[][]>();
  for (const row of rows) byUser.set(row[0]!, [...(byUser.get(row[0]!) ?? []), row]);
  for (const [user, list] of byUser) {
    expect(list.length).toBeLessThanOrEqual(k);
    expect(list.map((row) => Number(row[1]))).toEqual(list.map((_, j) => j + 1));
    for (let j = 1; j < list.length; j++) expect(Number(list[j]![3])).toBeLessThanOrEqual(Number(list[j - 1]![3]));
    for (const row of list) expect(seen.get(user)?.has(row[2]!) ?? false).toBe(false);
  }
}

function seenOf(csv: string): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  for (const [user, item] of csvRows(csv).rows) seen.set(user!, new Set([...(seen.get(user!) ?? []), item!]));
  return seen;
}

describe("nextbest recommend", () => {
  it("popularity on a tiny file gives the hand-computed lists (distinct buyers, seen items left out)", async () => {
    const run = await cli(["recommend", "--interactions", tiny, "--model", "popularity", "--k", "2"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    // x has 3 buyers, y 2, z 1; a saw x and y, b saw x, c saw x and z, d saw y.
    expect(run.stdout).toBe("user,rank,item,score\na,1,z,1\nb,1,y,2\nb,2,z,1\nc,1,y,2\nd,1,x,3\nd,2,z,1\n");
  });

  it("item-knn scores are sums of cosines with the account's items (hand-computed)", async () => {
    const run = await cli(["recommend", "--interactions", tiny, "--model", "item-knn", "--users", "a,b"]);
    expect(run.code).toBe(0);
    const { rows } = csvRows(run.stdout);
    // cos(x, z) = (1·0 + 1·0 + 1·2) / (√3 · 2) = 1/√3; cos(x, y) = 1 / (√3 · √2); cos(y, z) = 0.
    expect(rows.map((row) => row.slice(0, 3))).toEqual([["a", "1", "z"], ["b", "1", "z"], ["b", "2", "y"]]);
    expect(Number(rows[0]![3])).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(Number(rows[1]![3])).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(Number(rows[2]![3])).toBeCloseTo(1 / Math.sqrt(6), 12);
  });

  for (const model of ["random", "item-knn", "als", "bpr", "content", "hybrid"]) {
    it(`--model ${model} writes ranked lists without seen products for every account`, async () => {
      const extra = model === "content" || model === "hybrid" ? ["--items", products] : [];
      const run = await cli(["recommend", "--interactions", purchases, "--model", model, "--k", "3", ...extra]);
      expect(run.code, run.stderr).toBe(0);
      const { header, rows } = csvRows(run.stdout);
      expect(header).toEqual(["user", "rank", "item", "score"]);
      expect(new Set(rows.map((row) => row[0]))).toEqual(new Set(Array.from({ length: 24 }, (_, j) => `acct-${j}`)));
      checkLists(rows, seenOf(b2bPurchases().replace(/,[^,\n]*,[^,\n]*$/gm, "")), 3);
    });
  }

  it("the content model recommends the new product nobody bought to CRM buyers", async () => {
    const run = await cli(["recommend", "--interactions", purchases, "--items", products, "--model", "content", "--k", "1", "--users", "acct-0,acct-1"]);
    expect(run.code, run.stderr).toBe(0);
    const { rows } = csvRows(run.stdout);
    // acct-0 (manufacturing) bought c1, c2, c3 and e1: its best unseen product is a CRM one.
    expect(rows[0]![2]!.startsWith("c")).toBe(true);
    expect(rows[1]![2]!.startsWith("e")).toBe(true);
  });

  it("the same seed gives the same ALS output; the seed is used", async () => {
    const args = ["recommend", "--interactions", purchases, "--model", "als", "--k", "2"];
    const first = await cli([...args, "--seed", "7"]);
    const again = await cli([...args, "--seed", "7"]);
    const other = await cli([...args, "--seed", "8"]);
    expect(again.stdout).toBe(first.stdout);
    expect(other.stdout).not.toBe(first.stdout);
  });

  it("--explain tells a reason in words for every product; JSON adds the hybrid's contributions, which add up to the score", async () => {
    const run = await cli(["recommend", "--interactions", purchases, "--items", products, "--accounts", accounts, "--explain", "--k", "3"]);
    expect(run.code, run.stderr).toBe(0);
    const { header, rows } = csvRows(run.stdout);
    expect(header).toEqual(["user", "rank", "item", "score", "source", "reason"]);
    const sentence = /^(Like [a-z0-9]+, which it buys \(similarity [0-9.]+\)|Accounts that buy [a-z0-9]+( and [a-z0-9]+)? also buy it \(\d+ of the \d+ that bought (both|it)\)|(A best-seller: \d+ accounts bought it|Bought by \d+ accounts?) \(#\d+ of \d+ products\)|No single piece of evidence stands out \(it fills the list\))$/;
    for (const row of rows.filter((r) => r[4] === "model")) {
      const sentences = row[5]!.replace(/\.$/, "").split(". ");
      expect(sentences.length).toBeGreaterThanOrEqual(1);
      expect(sentences.length).toBeLessThanOrEqual(3);
      for (const text of sentences) expect(text).toMatch(sentence);
      // scores to 3 significant digits
      expect(row[3]!.replace(/^-?0\.0*/, "").replace(/[-.]/g, "").length).toBeLessThanOrEqual(3);
    }
    // Known accounts are scored by the model; the two prospects from --accounts by the hybrid's cold-start fallback.
    expect(new Set(rows.filter((row) => row[0]!.startsWith("acct-")).map((row) => row[4]))).toEqual(new Set(["model"]));
    expect(new Set(rows.filter((row) => row[0]!.startsWith("p-")).map((row) => row[0]))).toEqual(new Set(["p-maker", "p-shop"]));
    expect(new Set(rows.filter((row) => row[0]!.startsWith("p-")).map((row) => row[4]))).toEqual(new Set(["hybrid"]));
    for (const row of rows.filter((r) => r[4] === "hybrid")) expect(row[5]).not.toBe("");
  });

  it("prospects are scored from their firmographics: the manufacturing prospect gets CRM products", async () => {
    const run = await cli([
      "recommend", "--interactions", purchases, "--items", products, "--accounts", accounts, "--model", "content",
      "--users", "p-maker,p-shop", "--k", "2", "--explain",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const { rows } = csvRows(run.stdout);
    expect(rows.filter((row) => row[0] === "p-maker").map((row) => row[2]![0])).toEqual(["c", "c"]);
    expect(rows.filter((row) => row[0] === "p-shop").map((row) => row[2]![0])).toEqual(["e", "e"]);
    expect(new Set(rows.map((row) => row[4]))).toEqual(new Set(["firmographics"]));
    expect(new Set(rows.map((row) => row[5]))).toEqual(new Set(["New account: scored from its firmographics (what similar accounts buy)"]));
  });

  it("--explain for a single model tells its evidence, or the cold-start answer for an unknown account", async () => {
    const run = await cli(["recommend", "--interactions", tiny, "--model", "popularity", "--users", "a,newco", "--k", "1", "--explain"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "user,rank,item,score,source,reason\na,1,z,1,model,Bought by 1 account (#3 of 3 products).\nnewco,1,x,3,popularity,New account: among the products most accounts buy\n",
    );
    for (const model of ["item-knn", "als"]) {
      const told = await cli(["recommend", "--interactions", purchases, "--model", model, "--users", "acct-1", "--k", "2", "--explain"]);
      expect(told.code, told.stderr).toBe(0);
      for (const row of csvRows(told.stdout).rows) expect(row[5]).toMatch(/^Accounts that buy [a-z0-9]+( and [a-z0-9]+)? also buy it \(\d+ of the \d+ that bought (both|it)\)\.$/);
    }
  });

  it("--format json holds the same rows as csv, with contributions when explaining the hybrid", async () => {
    const args = ["recommend", "--interactions", purchases, "--items", products, "--k", "2", "--explain"];
    const csv = await cli(args);
    const json = await cli([...args, "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    const objects = JSON.parse(json.stdout) as { user: string; rank: number; item: string; score: number; source: string; reason: string; contributions: Record<string, number> }[];
    const { rows } = csvRows(csv.stdout);
    expect(objects.map((o) => [o.user, String(o.rank), o.item, String(o.score), o.source, o.reason])).toEqual(rows);
    for (const o of objects) {
      expect(Object.keys(o.contributions)).toEqual(["cf", "content", "popularity"]);
      // both rounded to 3 significant digits: they agree to within a few thousandths
      expect(Math.abs(Object.values(o.contributions).reduce((s, v) => s + v, 0) - o.score)).toBeLessThanOrEqual(0.005);
    }
  });

  it("--weights changes the blend and leaves out components weighted 0", async () => {
    const run = await cli(["recommend", "--interactions", purchases, "--items", products, "--weights", "cf=1,content=1", "--explain", "--k", "1", "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    for (const row of JSON.parse(run.stdout) as { contributions: Record<string, number> }[]) expect(Object.keys(row.contributions)).toEqual(["cf", "content"]);
  });

  it("--learn-weights learns the hybrid's weights on a validation split and reports them as progress", async () => {
    const run = await cli(["recommend", "--interactions", purchases, "--items", products, "--learn-weights", "--k", "2", "--progress"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/learned weights cf=[0-9.]+, content=[0-9.]+, popularity=[0-9.]+ \(validation ndcg@10/);
    checkLists(csvRows(run.stdout).rows, seenOf(b2bPurchases().replace(/,[^,\n]*,[^,\n]*$/gm, "")), 2);
  });

  for (const model of ["popularity", "random", "item-knn", "als", "bpr", "content", "hybrid", "hybrid --learn-weights"]) {
    it(`--model-out then --model-in gives identical output (${model})`, async () => {
      const file = path.join(scratch, `${model.replace(/\W+/g, "-")}.json`);
      const [name, ...flags] = model.split(" ");
      const extra = [...(name === "content" || name === "hybrid" ? ["--items", products] : []), ...flags];
      const fitted = await cli(["recommend", "--interactions", purchases, "--model", name!, "--model-out", file, "--k", "3", "--users", "acct-0,acct-5,newco", ...extra]);
      expect(fitted.code, fitted.stderr).toBe(0);
      expect((JSON.parse(readFileSync(file, "utf8")) as { version: number }).version).toBe(1);
      const loaded = await cli(["recommend", "--model-in", file, "--k", "3", "--users", "acct-0,acct-5,newco"]);
      expect(loaded.code, loaded.stderr).toBe(0);
      expect(loaded.stdout).toBe(fitted.stdout);
      expect(csvRows(loaded.stdout).rows.length).toBeGreaterThan(0);
    });
  }

  it("a line with more fields than the header is an error with exit code 2, not a silent truncation", async () => {
    const extra = writeFixture(scratch, "extra.csv", "user,item,value\nacme,crm,1,200\n");
    const run = await cli(["recommend", "--interactions", extra, "--model", "popularity"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("line 2");
    expect(run.stderr).toContain("must have 3 fields like the header (line 1), got 4");
  });

  it("a loaded model recommends for all its accounts by default, and --model must agree with the file", async () => {
    const file = path.join(scratch, "tiny-popularity.json");
    expect((await cli(["recommend", "--interactions", tiny, "--model", "popularity", "--model-out", file])).code).toBe(0);
    const loaded = await cli(["recommend", "--model-in", file, "--k", "2"]);
    expect(loaded.stdout).toBe("user,rank,item,score\na,1,z,1\nb,1,y,2\nb,2,z,1\nc,1,y,2\nd,1,x,3\nd,2,z,1\n");
    const mismatch = await cli(["recommend", "--model-in", file, "--model", "als"]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain("--model als does not match the model in");
  });

  it("--output writes the file and nothing to stdout; --include-seen keeps bought products", async () => {
    const file = path.join(scratch, "out.csv");
    const run = await cli(["recommend", "--interactions", tiny, "--model", "popularity", "--output", file, "--include-seen", "--users", "d"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(readFileSync(file, "utf8")).toBe("user,rank,item,score\nd,1,x,3\nd,2,y,2\nd,3,z,1\n");
  });

  it("reads other column names, a tab delimiter, and files without a header", async () => {
    const renamed = writeFixture(scratch, "renamed.tsv", "account\tsku\tqty\na\tx\t1\na\ty\t1\nb\tx\t1\nc\tx\t1\nc\tz\t2\nd\ty\t1\n");
    const named = await cli(["recommend", "--interactions", renamed, "--delimiter", "tab", "--user-column", "account", "--item-column", "sku", "--model", "popularity", "--k", "2"]);
    expect(named.code, named.stderr).toBe(0);
    const bare = writeFixture(scratch, "bare.csv", TINY_PURCHASES.split("\n").slice(1).join("\n"));
    const positional = await cli(["recommend", "--interactions", bare, "--no-header", "--model", "popularity", "--k", "2"]);
    expect(positional.code, positional.stderr).toBe(0);
    const expected = "user,rank,item,score\na,1,z,1\nb,1,y,2\nb,2,z,1\nc,1,y,2\nd,1,x,3\nd,2,z,1\n";
    expect(named.stdout).toBe(expected);
    expect(positional.stdout).toBe(expected);
  });

  it("progress goes to stderr only on a terminal or with --progress", async () => {
    const quiet = await cli(["recommend", "--interactions", tiny, "--model", "popularity"]);
    const tty = await cli(["recommend", "--interactions", tiny, "--model", "popularity"], { isTTY: true });
    expect(quiet.stderr).toBe("");
    expect(tty.stderr).toMatch(/^nextbest: \[[0-9.]+ s\] read 6 interactions \(4 users, 3 items\)/m);
    expect(tty.stdout).toBe(quiet.stdout);
  });
});

describe("nextbest recommend with saved models and tables", () => {
  it("a saved content model with --accounts scores the same prospects from firmographics after loading", async () => {
    const file = path.join(scratch, "content-accounts.json");
    const args = ["--accounts", accounts, "--k", "2", "--explain"];
    const fitted = await cli(["recommend", "--interactions", purchases, "--items", products, "--model", "content", "--model-out", file, ...args]);
    expect(fitted.code, fitted.stderr).toBe(0);
    const loaded = await cli(["recommend", "--model-in", file, ...args]);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout).toBe(fitted.stdout);
    expect(loaded.stdout).toContain("p-maker,1,");
    const popularity = path.join(scratch, "popularity-for-accounts.json");
    expect((await cli(["recommend", "--interactions", purchases, "--model", "popularity", "--model-out", popularity])).code).toBe(0);
    const wrong = await cli(["recommend", "--model-in", popularity, "--accounts", accounts]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe("nextbest: --accounts is used by --model content and hybrid, got --model popularity; see nextbest recommend --help\n");
  });

  it("--categorical turns a numeric table column into categories", async () => {
    const numeric = await cli(["recommend", "--interactions", purchases, "--items", products, "--model", "content", "--progress"]);
    const categorical = await cli(["recommend", "--interactions", purchases, "--items", products, "--model", "content", "--progress", "--categorical", "price"]);
    // family: 2 categories; tags: 8; price: 1 standardized column, or 9 distinct prices as categories.
    expect(numeric.stderr).toContain("read 9 products (11 features)");
    expect(categorical.stderr).toContain("read 9 products (19 features)");
  });

  it("a product missing from the table is left out of the content model with a warning", async () => {
    const partial = writeFixture(scratch, "partial.csv", B2B_PRODUCTS.split("\n").filter((line) => !line.startsWith("e4,")).join("\n"));
    const run = await cli(["recommend", "--interactions", purchases, "--items", partial, "--model", "content", "--k", "1"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('nextbest: warning: 1 of 8 interaction items have no row in the product table (e.g. "e4"); the content model leaves them out\n');
  });
});
