import { mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rejectionOf } from "../helpers.ts";
import {
  interactionCount,
  interactionValue,
  interactionsSummary,
  interactionsToRows,
  itemCount,
  parseMovieLens100k,
  splitRandom,
  userCount,
  userItems,
} from "../../src/data/index.ts";
import { settleInOrder } from "../../src/node/read.ts";
import { readInteractionsFile, readMovieLens100k, readMovieLens100kSplit } from "../../src/node/index.ts";


const scratch = mkdtempSync(path.join(tmpdir(), "nextbest-node-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("readInteractionsFile", () => {
  it("streams a CSV file with a BOM, CRLF line ends and quoted fields", async () => {
    const file = path.join(scratch, "deals.csv");
    writeFileSync(file, '\uFEFFaccount_id,product,amount\r\nacme,"CRM, pro",1200\r\nglobex,ERP,300\r\nacme,ERP,50\r\n');
    const data = await readInteractionsFile(file, { columns: { user: "account_id", item: "product", value: "amount" } });
    expect(data.users.ids).toEqual(["acme", "globex"]);
    expect(userItems(data, "acme").items).toEqual(["CRM, pro", "ERP"]);
    expect(interactionValue(data, "globex", "ERP")).toBe(300);
  });

  it("rejects a line with more fields than the header, naming the whole path (no silent truncation)", async () => {
    const file = path.join(scratch, "extra.csv");
    writeFileSync(file, "user,item,value\nacme,crm,1,200\n");
    await expect(readInteractionsFile(file)).rejects.toThrow(`line 2 of ${JSON.stringify(file)} must have 3 fields like the header (line 1), got 4`);
    expect(interactionValue(await readInteractionsFile(file, { extraFields: "ignore" }), "acme", "crm")).toBe(1);
  });

  it("reads a file larger than one chunk with multi-byte characters intact", async () => {
    const file = path.join(scratch, "big.tsv");
    const lines = ["user\titem\tvalue"];
    for (let k = 0; k < 60_000; k++) lines.push(`kunde-ü-${k % 997}\tprodukt-€-${k % 113}\t${(k % 7) + 1}`);
    writeFileSync(file, lines.join("\n"));
    const data = await readInteractionsFile(file);
    expect(userCount(data)).toBe(997);
    expect(itemCount(data)).toBe(113);
    expect(data.users.ids[0]).toBe("kunde-ü-0");
    let total = 0;
    for (const value of data.byUser.values) total += value;
    let expected = 0;
    for (let k = 0; k < 60_000; k++) expected += (k % 7) + 1;
    expect(total).toBe(expected);
  });

  it("names the file and the line of a malformed value", async () => {
    const file = path.join(scratch, "bad.csv");
    writeFileSync(file, "user,item,value\na,x,1\nb,y,abc\n");
    const error = await rejectionOf(readInteractionsFile(file));
    expect(error.code).toBe("E_BAD_INPUT");
    expect(error.message).toBe(`readInteractionsFile: line 3 of ${JSON.stringify(file)}, column "value" must be a number, got "abc"`);
  });

  it("rejects a missing file and a directory with E_BAD_INPUT naming the path", async () => {
    const missing = path.join(scratch, "nope.csv");
    const error = await rejectionOf(readInteractionsFile(missing));
    expect(error.code).toBe("E_BAD_INPUT");
    expect(error.message).toBe(`readInteractionsFile: path must name a readable file, got ${JSON.stringify(missing)} (ENOENT)`);
    expect((await rejectionOf(readInteractionsFile(scratch))).message).toContain("(EISDIR)");
    expect((await rejectionOf(readInteractionsFile(""))).code).toBe("E_BAD_INPUT");
  });

  it("names a long path whole, never shortened", async () => {
    const missing = path.join(scratch, "a-folder-name-long-enough-to-push-the-path-past-sixty-characters", "nope.csv");
    expect(missing.length).toBeGreaterThan(80);
    const error = await rejectionOf(readInteractionsFile(missing));
    expect(error.message).toBe(`readInteractionsFile: path must name a readable file, got ${JSON.stringify(missing)} (ENOENT)`);
  });
});

const movieLens = path.resolve(import.meta.dirname, "../../../shared/data/movielens-100k");
const hasMovieLens = existsSync(path.join(movieLens, "u.data"));
if (!hasMovieLens) {
  console.warn(`MovieLens 100K not found at ${movieLens}: skipping the real-data tests of nextbest/node.`);
}

describe.skipIf(!hasMovieLens)("MovieLens 100K (real data, read from ../shared)", () => {
  it("u.data holds 100,000 ratings by 943 users of 1,682 movies, ratings 1 to 5", async () => {
    const ratings = await readMovieLens100k(movieLens);
    const summary = interactionsSummary(ratings);
    expect(summary.interactionCount).toBe(100_000);
    expect(summary.userCount).toBe(943);
    expect(summary.itemCount).toBe(1682);
    expect([summary.valueMin, summary.valueMax]).toEqual([1, 5]);
    expect(summary.hasTimestamps).toBe(true);
    // First line of u.data: 196 242 3 881250949.
    expect(ratings.users.ids[0]).toBe(196);
    expect(interactionValue(ratings, 196, 242)).toBe(3);
    expect(userItems(ratings, 196).timestamps![userItems(ratings, 196).items.indexOf(242)]).toBe(881250949);
    // The published minimum: every user rated at least 20 movies.
    for (let u = 0; u < ratings.byUser.rows; u++) {
      expect(ratings.byUser.indptr[u + 1]! - ratings.byUser.indptr[u]!).toBeGreaterThanOrEqual(20);
    }
    // Streaming from disk equals parsing the whole text.
    expect(parseMovieLens100k(readFileSync(path.join(movieLens, "u.data"), "utf8"))).toEqual(ratings);
  });

  it("the official u1 split reads back as 80,000 train and 20,000 test ratings in train's index spaces", async () => {
    const kept = await readMovieLens100kSplit(movieLens, { split: "u1", coldStart: "keep" });
    expect(interactionCount(kept.train)).toBe(80_000);
    expect(interactionCount(kept.test)).toBe(20_000);
    expect(kept.test.users.ids.slice(0, kept.train.users.ids.length)).toEqual(kept.train.users.ids);
    const dropped = await readMovieLens100kSplit(movieLens, { split: "u1" });
    expect(dropped.test.items).toBe(dropped.train.items);
    expect(interactionCount(dropped.test) + dropped.droppedTestInteractions).toBe(20_000);
    expect(dropped.coldItems).toEqual(kept.coldItems);
    expect(dropped.droppedTestInteractions).toBeGreaterThan(0); // u1.test has movies u1.base never shows
    // u1.base ∪ u1.test is u.data, without overlap.
    const all = await readMovieLens100k(movieLens);
    const key = (r: { user: unknown; item: unknown }): string => `${String(r.user)}:${String(r.item)}`;
    const union = new Set([...interactionsToRows(kept.train), ...interactionsToRows(kept.test)].map(key));
    expect(union.size).toBe(100_000);
    for (const row of interactionsToRows(all)) expect(union.has(key(row))).toBe(true);
  });

  it("an 80/20 random split of u.data with the same seed repeats and drops only cold-start ratings", async () => {
    const ratings = await readMovieLens100k(movieLens);
    const a = splitRandom(ratings, { seed: 2024, testFraction: 0.2 });
    const b = splitRandom(ratings, { seed: 2024, testFraction: 0.2 });
    expect(interactionCount(a.test)).toBe(interactionCount(b.test));
    expect(Array.from(a.test.byUser.values)).toEqual(Array.from(b.test.byUser.values));
    expect(interactionCount(a.train)).toBe(80_000);
    expect(interactionCount(a.test) + a.droppedTestInteractions).toBe(20_000);
    expect(a.coldUsers).toEqual([]); // every user has >= 20 ratings
  });

  it("names the file when a split name is unknown or a file is missing", async () => {
    expect((await rejectionOf(readMovieLens100kSplit(movieLens, { split: "u9" as "u1" }))).message).toContain("options.split");
    expect((await rejectionOf(readMovieLens100k(movieLens, { file: "u0.data" }))).message).toContain("u0.data");
  });
});

describe("settleInOrder", () => {
  it("reports the first failure in argument order, whichever fails first in time", async () => {
    const late = new Promise<number>((_, reject) => setTimeout(() => reject(new Error("first, failing late")), 30));
    const early = Promise.reject(new Error("second, failing at once"));
    early.catch(() => {});
    await expect(settleInOrder<[number, number]>([late, early])).rejects.toThrow("first, failing late");
    await expect(settleInOrder<[number, string]>([Promise.resolve(1), Promise.resolve("x")])).resolves.toEqual([1, "x"]);
  });
});
