import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { interactionsToRows } from "../../src/data/index.ts";
import { readInteractionsFile } from "../../src/node/index.ts";

const scratch = mkdtempSync(path.join(tmpdir(), "nextbest-gzip-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("readInteractionsFile on .gz files", () => {
  it("gunzips a .gz file as it streams and reads the same dataset as the plain file", async () => {
    // Multi-byte characters and enough rows that the gunzipped text arrives in several chunks.
    const lines = ["account,product,amount"];
    for (let k = 0; k < 40_000; k++) lines.push(`acct-${k % 997},prod-é€-${k % 89},${(k % 7) + 1}`);
    const text = `${lines.join("\n")}\n`;
    const plain = path.join(scratch, "deals.csv");
    const gzipped = path.join(scratch, "deals.csv.gz");
    writeFileSync(plain, text);
    writeFileSync(gzipped, gzipSync(text));
    const options = { columns: { user: "account", item: "product", value: "amount" } };
    const fromGzip = await readInteractionsFile(gzipped, options);
    expect(interactionsToRows(fromGzip)).toEqual(interactionsToRows(await readInteractionsFile(plain, options)));
    expect(fromGzip.items.ids[0]).toBe("prod-é€-0");
  });

  it("names the path and the zlib code of a file that is not gzip, and the line of a bad row", async () => {
    const fake = path.join(scratch, "fake.csv.gz");
    writeFileSync(fake, "user,item\nacme,crm\n");
    await expect(readInteractionsFile(fake)).rejects.toThrow(`readInteractionsFile: path must name a readable gzip file, got ${JSON.stringify(fake)} (Z_DATA_ERROR)`);
    const bad = path.join(scratch, "bad.csv.gz");
    writeFileSync(bad, gzipSync("user,item,value\nacme,crm,1\nacme,erp,abc\n"));
    await expect(readInteractionsFile(bad)).rejects.toThrow(`readInteractionsFile: line 3 of ${JSON.stringify(bad)}, column "value"`);
    const truncated = path.join(scratch, "truncated.csv.gz");
    let rows = "user,item\n";
    for (let k = 0; k < 5000; k++) rows += `a${(k * 7919) % 10007},i${(k * 104729) % 9973}\n`;
    const compressed = gzipSync(rows);
    writeFileSync(truncated, compressed.subarray(0, compressed.length >> 1));
    await expect(readInteractionsFile(truncated)).rejects.toThrow(`readInteractionsFile: path must name a readable gzip file, got ${JSON.stringify(truncated)} (Z_BUF_ERROR)`);
  });
});
