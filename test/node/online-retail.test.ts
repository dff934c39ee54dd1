import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interactionCount, itemCount, userCount } from "../../src/data/index.ts";
import { onlineRetailInteractions, type OnlineRetailData, type OnlineRetailLines } from "../../src/datasets/index.ts";
import { readOnlineRetail } from "../../src/node/index.ts";

const directory = path.resolve(import.meta.dirname, "../../../shared/data/online-retail-ii-2009-2010");
const csvGz = path.join(directory, "online_retail_II_year_2009_2010.csv.gz");
const parquet = path.join(directory, "online_retail_II_year_2009_2010.parquet");
const present = existsSync(csvGz) && existsSync(parquet);
if (!present) console.warn(`skipping the Online Retail II tests on the real files: ${directory} is absent`);

const READ_TIMEOUT = 120_000;
const HEADER = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country";
const ROW = "489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,2009-12-01 07:45:00,6.95,13085,United Kingdom";

/** The first line where two line sets differ (-1 when they are identical). */
function firstDifference(a: OnlineRetailLines, b: OnlineRetailLines): number {
  const n = Math.max(a.accounts.length, b.accounts.length);
  for (let k = 0; k < n; k++) {
    if (
      a.accounts[k] !== b.accounts[k] ||
      a.products[k] !== b.products[k] ||
      a.invoices[k] !== b.invoices[k] ||
      !Object.is(a.quantities[k], b.quantities[k]) ||
      !Object.is(a.unitPrices[k], b.unitPrices[k]) ||
      !Object.is(a.timestamps[k], b.timestamps[k])
    ) {
      return k;
    }
  }
  return -1;
}

const sum = (values: ArrayLike<number>): number => {
  let total = 0;
  for (let k = 0; k < values.length; k++) total += values[k]!;
  return total;
};

describe.skipIf(!present)("readOnlineRetail on the real Online Retail II files", () => {
  let fromCsv: OnlineRetailData;
  let fromParquet: OnlineRetailData;
  beforeAll(async () => {
    fromCsv = await readOnlineRetail(csvGz);
    fromParquet = await readOnlineRetail(parquet);
  }, READ_TIMEOUT);

  it("reads the 525,461 rows and cleans them to 406,297 lines (counts recomputed from the raw CSV)", () => {
    expect(fromCsv.report).toEqual({
      rowsRead: 525_461,
      rowsKept: 406_297,
      dropped: {
        missingAccount: 107_927, // PROVENANCE: 107,927 rows without a customer id
        cancellation: 9_839, // of its 10,206 cancellation rows, 367 have no customer id
        adjustment: 0, // the 3 adjustment rows have no customer id
        nonPositiveQuantity: 0, // every remaining Quantity <= 0 is on a cancellation
        nonPositivePrice: 31,
        nonProductCode: 1_367,
        duplicate: 0, // off by default
      },
      firstTimestamp: Date.UTC(2009, 11, 1, 7, 45) / 1000,
      lastTimestamp: Date.UTC(2010, 11, 9, 20, 1) / 1000,
    });
    expect(fromCsv.accounts).toHaveLength(4_285);
    expect(fromCsv.products).toHaveLength(4_007);
    expect(new Set(fromCsv.lines.invoices).size).toBe(18_966);
    expect(sum(fromCsv.lines.quantities)).toBe(5_533_076);
    // The first line, its timestamp the wall clock 2009-12-01 07:45:00 read as UTC, in seconds.
    expect([fromCsv.lines.invoices[0], fromCsv.lines.products[0], fromCsv.lines.accounts[0]]).toEqual(["489434", "85048", "13085"]);
    expect(fromCsv.lines.timestamps[0]).toBe(Date.UTC(2009, 11, 1, 7, 45) / 1000);
    // Its product: 242 kept lines at a median of 7.95 (the first line's 6.95 is a bulk price; checked with Python's statistics.median).
    expect(fromCsv.products[0]).toEqual({ id: "85048", description: "15CM CHRISTMAS GLASS BALL 20 LIGHTS", unitPrice: 7.95, lines: 242 });
    expect(fromCsv.accounts[0]).toEqual({ id: "13085", country: "United Kingdom" });
    // Every kept product has a name for narratives; every account a country.
    expect(fromCsv.products.every((p) => p.description !== null && p.unitPrice > 0)).toBe(true);
    expect(fromCsv.accounts.every((a) => a.country !== null)).toBe(true);
  });

  it("the .csv.gz and the .parquet give identical cleaned lines, products, accounts and report", () => {
    expect(firstDifference(fromCsv.lines, fromParquet.lines)).toBe(-1);
    expect(fromParquet.lines.accounts).toHaveLength(fromCsv.lines.accounts.length);
    expect(fromParquet.products).toEqual(fromCsv.products);
    expect(fromParquet.accounts).toEqual(fromCsv.accounts);
    expect(fromParquet.report).toEqual(fromCsv.report);
  });

  it(
    "finds the PROVENANCE counts with every rule off",
    async () => {
      const raw = await readOnlineRetail(parquet, {
        dropMissingAccounts: false,
        dropCancellations: false,
        dropAdjustments: false,
        dropNonPositiveQuantities: false,
        dropNonPositivePrices: false,
        nonProductCodes: [],
        dropDuplicates: true,
      });
      expect(raw.report.dropped.duplicate).toBe(6_865);
      expect(raw.report.rowsKept + raw.report.dropped.duplicate).toBe(525_461);
      expect(raw.accounts.filter((a) => a.id !== "")).toHaveLength(4_383);
      // 4,632 stock codes as written; "47503J " (trailing space, once) reads as "47503J".
      expect(raw.products).toHaveLength(4_631);
      expect(new Set(raw.lines.invoices).size).toBe(28_816);
      expect(raw.lines.invoices.filter((invoice) => invoice.startsWith("C"))).toHaveLength(10_206 - 24); // 24 of the repeats are cancellations
    },
    READ_TIMEOUT,
  );

  it("builds account × product interactions from invoice events, and cuts them in time", () => {
    const invoices = onlineRetailInteractions(fromCsv.lines);
    expect([userCount(invoices), itemCount(invoices), interactionCount(invoices)]).toEqual([4_285, 4_007, 273_842]);
    if (invoices.events !== undefined) expect(invoices.events.values).toHaveLength(393_636); // distinct invoice × product
    const spend = onlineRetailInteractions(fromCsv.lines, { value: "spend" });
    expect(sum(spend.byUser.values)).toBeCloseTo(8_673_398.08, 1);
    const cut = Date.UTC(2010, 8, 1) / 1000;
    const train = onlineRetailInteractions(fromCsv.lines, { before: cut });
    const test = onlineRetailInteractions(fromCsv.lines, { from: cut });
    expect([userCount(train), itemCount(train), interactionCount(train)]).toEqual([3_299, 3_735, 175_048]);
    expect([userCount(test), interactionCount(test)]).toEqual([2_975, 125_953]);
    expect(sum(train.byUser.values) + sum(test.byUser.values)).toBe(sum(invoices.byUser.values));
  });
});

describe("readOnlineRetail errors and small files", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), "nextbest-online-retail-"));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("reads .csv and .csv.gz alike, streaming the gzip", async () => {
    const text = `${HEADER}\n${ROW}\nC489449,22087,BUNTING,-12,2009-12-01 10:33:00,2.95,16321,Australia\n`;
    writeFileSync(path.join(scratch, "small.csv"), text);
    writeFileSync(path.join(scratch, "small.csv.gz"), gzipSync(text));
    writeFileSync(path.join(scratch, "small.data"), gzipSync(text));
    const plain = await readOnlineRetail(path.join(scratch, "small.csv"));
    expect(plain.report.rowsKept).toBe(1);
    expect(await readOnlineRetail(path.join(scratch, "small.csv.gz"))).toEqual(plain);
    expect(await readOnlineRetail(path.join(scratch, "small.data"), { format: "csv.gz" })).toEqual(plain);
  });

  it("names the whole path when a file is missing, not gzip, not Parquet or of an unknown kind", async () => {
    const missing = path.join(scratch, "none", "retail.csv.gz");
    await expect(readOnlineRetail(missing)).rejects.toThrow(`readOnlineRetail: path must name a readable file, got ${JSON.stringify(missing)} (ENOENT)`);
    await expect(readOnlineRetail(path.join(scratch, "none.parquet"))).rejects.toThrow("(ENOENT)");
    const notGzip = path.join(scratch, "plain.csv.gz");
    writeFileSync(notGzip, `${HEADER}\n${ROW}\n`);
    await expect(readOnlineRetail(notGzip)).rejects.toThrow(`readOnlineRetail: path must name a readable gzip file, got ${JSON.stringify(notGzip)} (Z_DATA_ERROR)`);
    const notParquet = path.join(scratch, "fake.parquet");
    writeFileSync(notParquet, `${HEADER}\n${ROW}\n`);
    await expect(readOnlineRetail(notParquet)).rejects.toThrow(`readOnlineRetail: path must name a readable Parquet file, got ${JSON.stringify(notParquet)} (`);
    await expect(readOnlineRetail(path.join(scratch, "retail.xlsx"))).rejects.toThrow(
      `readOnlineRetail: path must end in .csv, .csv.gz or .parquet (or options.format must name the format), got ${JSON.stringify(path.join(scratch, "retail.xlsx"))}`,
    );
    await expect(readOnlineRetail("")).rejects.toThrow('readOnlineRetail: path must be a non-empty string, got ""');
    await expect(readOnlineRetail(notGzip, { format: "xlsx" as never })).rejects.toThrow('readOnlineRetail: options.format must be one of "csv", "csv.gz", "parquet", got "xlsx"');
    await expect(readOnlineRetail(notGzip, { dropDuplicates: 1 as never })).rejects.toThrow("readOnlineRetail: options.dropDuplicates must be a boolean, got 1");
  });

  it("names the line and the file of a bad cell", async () => {
    const file = path.join(scratch, "bad.csv.gz");
    writeFileSync(file, gzipSync(`${HEADER}\n${ROW}\n${ROW.replace("2009-12-01 07:45:00", "2009-12-32 07:45:00")}\n`));
    await expect(readOnlineRetail(file)).rejects.toThrow(
      `readOnlineRetail: line 3 of ${JSON.stringify(file)}, column "InvoiceDate" must be a date YYYY-MM-DD HH:MM[:SS] or M/D/YYYY H:MM, got "2009-12-32 07:45:00"`,
    );
    const headerless = path.join(scratch, "headerless.csv");
    writeFileSync(headerless, `${ROW}\n`);
    await expect(readOnlineRetail(headerless)).rejects.toThrow(`readOnlineRetail: the header of ${JSON.stringify(headerless)} must have a column "Invoice" or "InvoiceNo", got "489434"`);
  });
});
