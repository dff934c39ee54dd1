import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIdIndex } from "../../src/core/index.ts";
import { interactionCount, interactionValue, itemCount, userCount } from "../../src/data/index.ts";
import {
  cleanOnlineRetail,
  createOnlineRetailReader,
  ONLINE_RETAIL_NON_PRODUCT_CODES,
  onlineRetailInteractions,
  parseOnlineRetail,
  type OnlineRetailData,
} from "../../src/datasets/index.ts";
import { expectError } from "../helpers.ts";

const II = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country";
const ORIGINAL = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";
const text = (header: string, rows: readonly string[]): string => [header, ...rows].join("\n") + "\n";

// One row per cleaning rule, in file order (the rule that drops each is in the comment).
const MIXED = [
  "489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,2009-12-01 07:45:00,6.95,13085,United Kingdom", // kept
  "489435,22350,CAT BOWL ,12,2009-12-01 07:46:00,2.55,,United Kingdom", // no account
  "C489449,22087,PAPER BUNTING WHITE LACE,-12,2009-12-01 10:33:00,2.95,16321,Australia", // cancellation
  "A506401,B,Adjust bad debt,1,2010-04-29 13:36:00,-53594.36,12346,United Kingdom", // adjustment
  "489500,21755,LOVE BUILDING BLOCK WORD,-3,2009-12-01 12:00:00,5.45,13085,United Kingdom", // quantity <= 0
  "489501,21755,LOVE BUILDING BLOCK WORD,0,2009-12-01 12:01:00,5.45,13085,United Kingdom", // quantity <= 0
  "489502,21754,HOME BUILDING BLOCK WORD,3,2009-12-01 12:02:00,0,13085,United Kingdom", // price <= 0
  "489503,POST,POSTAGE,1,2009-12-01 12:03:00,18,12682,France", // non-product
  "489504,gift_0001_30,Dotcomgiftshop Gift Voucher £30.00,1,2009-12-01 12:04:00,25.53,12682,France", // non-product (prefix)
  '489505,79323W,"WHITE CHERRY LIGHTS, SET",2,2009-12-01 12:05:00,6.75,12682,France', // kept
  "489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,2009-12-01 07:45:00,6.95,13085,United Kingdom", // exact repeat (kept by default)
];

describe("parseOnlineRetail", () => {
  it("reads the Online Retail II and the original header alike", () => {
    const ii = parseOnlineRetail(text(II, MIXED));
    const original = parseOnlineRetail(text(ORIGINAL, MIXED));
    expect(original).toEqual(ii);
    expect(ii.lines.accounts).toEqual(["13085", "12682", "13085"]);
    expect(ii.lines.products).toEqual(["85048", "79323W", "85048"]);
    expect(ii.lines.invoices).toEqual(["489434", "489505", "489434"]);
    expect(Array.from(ii.lines.quantities)).toEqual([12, 2, 12]);
    expect(Array.from(ii.lines.unitPrices)).toEqual([6.95, 6.75, 6.95]);
    expect(ii.lines.timeUnit).toBe("seconds");
  });

  it("reports rows read, kept and dropped under the first rule that drops each", () => {
    const { report } = parseOnlineRetail(text(II, MIXED));
    expect(report).toEqual({
      rowsRead: 11,
      rowsKept: 3,
      dropped: {
        missingAccount: 1,
        cancellation: 1,
        adjustment: 1,
        nonPositiveQuantity: 2,
        nonPositivePrice: 1,
        nonProductCode: 2,
        duplicate: 0,
      },
      firstTimestamp: Date.UTC(2009, 11, 1, 7, 45) / 1000,
      lastTimestamp: Date.UTC(2009, 11, 1, 12, 5) / 1000,
    });
    // A cancellation without an account counts as a missing account (the first rule), not as a cancellation.
    const both = parseOnlineRetail(text(II, ["C489449,22087,BUNTING,-12,2009-12-01 10:33:00,2.95,,Australia"]));
    expect(both.report.dropped.missingAccount).toBe(1);
    expect(both.report.dropped.cancellation).toBe(0);
    expect(both.report.firstTimestamp).toBeNull();
    expect(both.lines.accounts).toEqual([]);
  });

  it("keeps what each rule would drop when that rule is off", () => {
    const kept = (options: Parameters<typeof parseOnlineRetail>[1]) => parseOnlineRetail(text(II, MIXED), options).report.rowsKept;
    expect(kept({ dropMissingAccounts: false })).toBe(4);
    expect(kept({ dropCancellations: false, dropNonPositiveQuantities: false })).toBe(6);
    expect(kept({ dropCancellations: false })).toBe(3); // the cancellation then fails Quantity > 0
    expect(kept({ dropAdjustments: false, dropNonPositivePrices: false, nonProductCodes: [] })).toBe(3 + 1 + 1 + 2);
    expect(kept({ dropNonPositivePrices: false })).toBe(4);
    expect(kept({ nonProductCodes: [] })).toBe(5);
    const guests = parseOnlineRetail(text(II, MIXED), { dropMissingAccounts: false });
    expect(guests.lines.accounts).toContain("");
    expect(guests.accounts.find((a) => a.id === "")).toEqual({ id: "", country: "United Kingdom" });
  });

  it("drops exact repeats only when asked, after the other rules", () => {
    const data = parseOnlineRetail(text(II, MIXED), { dropDuplicates: true });
    expect(data.report.dropped.duplicate).toBe(1);
    expect(data.report.rowsKept).toBe(2);
    // A repeat that differs in one field (here the quantity) is not a repeat.
    const near = parseOnlineRetail(text(II, [MIXED[0]!, MIXED[0]!.replace(",12,", ",13,")]), { dropDuplicates: true });
    expect(near.report.rowsKept).toBe(2);
    // Cells are compared trimmed: a repeat with padded text is still a repeat.
    const padded = parseOnlineRetail(text(II, [MIXED[0]!, MIXED[0]!.replace("489434", " 489434 ")]), { dropDuplicates: true });
    expect(padded.report.dropped.duplicate).toBe(1);
  });

  it("matches non-product codes exactly (case-sensitive) or by the prefix before *", () => {
    const codes = ["POST", "DOT", "C2", "M", "m", "D", "S", "BANK CHARGES", "AMAZONFEE", "ADJUST", "ADJUST2", "B", "CRUK", "TEST001", "TEST002", "gift_0001_10", "DCGS0058", "DCGSSBOY", "PADS"];
    const products = ["85048", "SP1002", "POSTAGE", "MM", "GIFT", "C3", "d", "Post"];
    const rows = [...codes, ...products].map((code, k) => `${500000 + k},${code},X,1,2010-01-04 10:00:00,1.5,12346,United Kingdom`);
    const data = parseOnlineRetail(text(II, rows));
    expect(data.report.dropped.nonProductCode).toBe(codes.length);
    expect(data.lines.products).toEqual(products);
    expect(ONLINE_RETAIL_NON_PRODUCT_CODES).toContain("gift_0001_*");
    expect(Object.isFrozen(ONLINE_RETAIL_NON_PRODUCT_CODES)).toBe(true);
    // Overridable: a list (extending the default) or a function.
    const extended = parseOnlineRetail(text(II, rows), { nonProductCodes: [...ONLINE_RETAIL_NON_PRODUCT_CODES, "SP1002", "C*"] });
    expect(extended.lines.products).toEqual(["85048", "POSTAGE", "MM", "GIFT", "d", "Post"]);
    const digitsOnly = parseOnlineRetail(text(II, rows), { nonProductCodes: (code) => !/^\d{5}/.test(code) });
    expect(digitsOnly.lines.products).toEqual(["85048"]);
  });

  it("builds the product table: trimmed most frequent description (ties: the latest), median price, line count", () => {
    const data = parseOnlineRetail(
      text(II, [
        "1,A1, RED MUG ,1,2010-01-01 10:00:00,1,10,France",
        "2,A1,RED MUG,1,2010-01-02 10:00:00,3,10,France",
        "3,A1,MUG RED,1,2010-01-03 10:00:00,2,11,Germany",
        "4,A1,,1,2010-01-04 10:00:00,10,11,",
        "5,B2,BLUE CUP,1,2010-01-05 10:00:00,4,11,Germany",
        "6,B2,CUP BLUE,1,2010-01-06 10:00:00,2,10,Germany",
        "7,C3,,1,2010-01-07 10:00:00,5,10,Germany",
      ]),
    );
    expect(data.products).toEqual([
      { id: "A1", description: "RED MUG", unitPrice: 2.5, lines: 4 },
      { id: "B2", description: "CUP BLUE", unitPrice: 3, lines: 2 },
      { id: "C3", description: null, unitPrice: 5, lines: 1 },
    ]);
    // Countries: 10 has France twice and Germany twice (the latest wins), 11 Germany twice (an empty one is ignored).
    expect(data.accounts).toEqual([
      { id: "10", country: "Germany" },
      { id: "11", country: "Germany" },
    ]);
    expect(Object.isFrozen(data.products[0])).toBe(true);
  });

  it("reads a float customer id (17850.0) as the integer id and trims cells", () => {
    const data = parseOnlineRetail(text(ORIGINAL, ["536365 , 85123A ,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850.0, United Kingdom "]));
    expect(data.lines.accounts).toEqual(["17850"]);
    expect(data.lines.products).toEqual(["85123A"]);
    expect(data.lines.invoices).toEqual(["536365"]);
    expect(data.accounts).toEqual([{ id: "17850", country: "United Kingdom" }]);
  });

  it("reads the wall clock as UTC without shifting, in seconds or milliseconds", () => {
    const rows = [
      "1,A1,X,1,2009-12-01 07:45:00,1,10,UK", // winter (GMT)
      "2,A1,X,1,2010-07-01 07:45:00,1,10,UK", // summer: BST in the UK, still read as 07:45 UTC
      "3,A1,X,1,2010-03-28 01:30:00,1,10,UK", // a wall clock the UK skipped (spring forward)
      "4,A1,X,1,12/1/2010 8:26,1,10,UK", // the original sheet's M/D/YYYY H:MM
      "5,A1,X,1,2010-12-09T20:01,1,10,UK",
      "6,A1,X,1,2011-02-03 04:05:06.789,1,10,UK",
      "7,A1,X,1,2012-02-29 00:00:00,1,10,UK",
    ];
    const expected = [
      Date.UTC(2009, 11, 1, 7, 45),
      Date.UTC(2010, 6, 1, 7, 45),
      Date.UTC(2010, 2, 28, 1, 30),
      Date.UTC(2010, 11, 1, 8, 26),
      Date.UTC(2010, 11, 9, 20, 1),
      Date.UTC(2011, 1, 3, 4, 5, 6, 789),
      Date.UTC(2012, 1, 29),
    ];
    expect(Array.from(parseOnlineRetail(text(II, rows)).lines.timestamps)).toEqual(expected.map((ms) => ms / 1000));
    expect(Array.from(parseOnlineRetail(text(II, rows), { timeUnit: "milliseconds" }).lines.timestamps)).toEqual(expected);
    expect(parseOnlineRetail(text(II, rows), { timeUnit: "milliseconds" }).lines.timeUnit).toBe("milliseconds");
  });

  it("rejects a malformed or impossible date naming the line and the value", () => {
    for (const date of ["2010-13-01 08:00:00", "2010-02-29 10:00:00", "2010-12-01", "2010-12-01 24:00:00", "13/1/2010 8:26", "yesterday", ""]) {
      expectError(
        () => parseOnlineRetail(text(II, [MIXED[0]!, `489435,85048,X,1,${date},1,10,UK`])),
        "E_BAD_INPUT",
        `parseOnlineRetail: line 3, column "InvoiceDate" must be a date YYYY-MM-DD HH:MM[:SS] or M/D/YYYY H:MM, got ${JSON.stringify(date)}`,
      );
    }
  });

  it("rejects a non-numeric Quantity or Price naming the line, column and value", () => {
    expectError(
      () => parseOnlineRetail(text(II, [MIXED[0]!, MIXED[0]!, "489435,85048,X,twelve,2009-12-01 07:45:00,1,10,UK"])),
      "E_BAD_INPUT",
      'parseOnlineRetail: line 4, column "Quantity" must be a finite number, got "twelve"',
    );
    expectError(
      () => parseOnlineRetail(text(ORIGINAL, ["489435,85048,X,1,2009-12-01 07:45:00,0x10,10,UK"])),
      "E_BAD_INPUT",
      'parseOnlineRetail: line 2, column "UnitPrice" must be a finite number, got "0x10"',
    );
    expectError(() => parseOnlineRetail(text(II, ["489435,85048,X,,2009-12-01 07:45:00,1,10,UK"])), "E_BAD_INPUT", 'column "Quantity" must be a finite number, got ""');
    // Rows are checked before the rules: a bad price on a guest row is still an error.
    expectError(() => parseOnlineRetail(text(II, ["489435,85048,X,1,2009-12-01 07:45:00,n/a,,UK"])), "E_BAD_INPUT", 'line 2, column "Price"');
    expectError(() => parseOnlineRetail(text(II, [",85048,X,1,2009-12-01 07:45:00,1,10,UK"])), "E_BAD_INPUT", 'line 2, column "Invoice" must be non-empty, got ""');
    expectError(() => parseOnlineRetail(text(II, ["1, ,X,1,2009-12-01 07:45:00,1,10,UK"])), "E_BAD_INPUT", 'line 2, column "StockCode" must be non-empty, got ""');
  });

  it("counts physical lines: a quoted line break moves the line numbers on", () => {
    expectError(
      () => parseOnlineRetail(text(II, ['1,A1,"TWO\nLINES",1,2009-12-01 07:45:00,1,10,UK', "2,A1,X,1,2009-12-01 07:45:00,free,10,UK"])),
      "E_BAD_INPUT",
      'parseOnlineRetail: line 4, column "Price"',
    );
  });

  it("rejects a missing column naming the header it found, and empty text", () => {
    expectError(
      () => parseOnlineRetail("Invoice,StockCode,Quantity,InvoiceDate,Cost,Customer ID\n1,A,1,2010-01-01 10:00,1,2\n"),
      "E_BAD_INPUT",
      'parseOnlineRetail: the header must have a column "Price" or "UnitPrice", got "Invoice", "StockCode", "Quantity", "InvoiceDate", "Cost", "Customer ID"',
    );
    expectError(() => parseOnlineRetail(""), "E_EMPTY", "parseOnlineRetail: the text must start with a header line, got no lines");
    expectError(() => parseOnlineRetail(42 as unknown as string), "E_BAD_INPUT", "parseOnlineRetail: text must be a string, got 42");
    // Description and Country are optional columns.
    const bare = parseOnlineRetail("Invoice,StockCode,Quantity,InvoiceDate,Price,Customer ID\n1,A1,2,2010-01-01 10:00,1.5,7\n");
    expect(bare.products).toEqual([{ id: "A1", description: null, unitPrice: 1.5, lines: 1 }]);
    expect(bare.accounts).toEqual([{ id: "7", country: null }]);
    // A header alone is valid data with nothing in it.
    expect(parseOnlineRetail(`${II}\n`).report).toMatchObject({ rowsRead: 0, rowsKept: 0, firstTimestamp: null });
  });

  it("reads semicolon- and tab-separated files (the delimiter is detected from the header)", () => {
    const semicolon = parseOnlineRetail(text(II.replaceAll(",", ";"), ["489434;85048;GLASS BALL, LARGE;12;2009-12-01 07:45:00;6.95;13085;United Kingdom"]));
    expect(semicolon.products[0]).toEqual({ id: "85048", description: "GLASS BALL, LARGE", unitPrice: 6.95, lines: 1 });
    const tab = parseOnlineRetail(text(II.replaceAll(",", "\t"), ["489434\t85048\tGLASS BALL\t12\t2009-12-01 07:45:00\t6.95\t13085\tUnited Kingdom"]));
    expect(tab.lines.accounts).toEqual(["13085"]);
  });

  it("rejects bad options", () => {
    const t = text(II, MIXED);
    expectError(() => parseOnlineRetail(t, null as never), "E_BAD_INPUT", "parseOnlineRetail: options must be an object, got null");
    expectError(() => parseOnlineRetail(t, { dropCancellations: "yes" as never }), "E_BAD_INPUT", 'parseOnlineRetail: options.dropCancellations must be a boolean, got "yes"');
    expectError(() => parseOnlineRetail(t, { nonProductCodes: "POST" as never }), "E_BAD_INPUT", "options.nonProductCodes must be an array of stock codes or a function");
    expectError(() => parseOnlineRetail(t, { nonProductCodes: ["POST", ""] }), "E_BAD_INPUT", 'options.nonProductCodes[1] must be a non-empty stock code (or a prefix ending in *), got ""');
    expectError(() => parseOnlineRetail(t, { nonProductCodes: (() => 1) as never }), "E_BAD_INPUT", 'options.nonProductCodes must return a boolean, got 1 for "85048"');
    expectError(() => parseOnlineRetail(t, { timeUnit: "days" as never }), "E_BAD_INPUT", 'options.timeUnit must be one of "seconds", "milliseconds", got "days"');
  });
});

describe("createOnlineRetailReader", () => {
  it("gives the parse result whatever the chunk boundaries", () => {
    const whole = text(II, MIXED);
    const expected = parseOnlineRetail(whole);
    for (let cut = 1; cut < whole.length; cut += 7) {
      const reader = createOnlineRetailReader();
      reader.push(whole.slice(0, cut));
      reader.push(whole.slice(cut));
      expect(reader.end()).toEqual(expected);
    }
  });

  it("names itself in errors and cannot be used after end()", () => {
    const reader = createOnlineRetailReader();
    reader.push(`${II}\n489434,85048,X,1,2009-12-01 07:45:00,`);
    expectError(() => reader.push("abc,10,UK\n"), "E_BAD_INPUT", 'createOnlineRetailReader: line 2, column "Price" must be a finite number, got "abc"');
    const done = createOnlineRetailReader();
    done.push(`${II}\n`);
    done.end();
    expectError(() => done.end(), "E_BAD_INPUT", "createOnlineRetailReader: the parser must not be used after end()");
  });
});

describe("cleanOnlineRetail", () => {
  const columns = {
    invoice: ["489434", "489435", "C489449", 489505],
    stockCode: ["85048", "22350", "22087", "79323W"],
    description: [" GLASS BALL ", "CAT BOWL", "BUNTING", null],
    quantity: [12n, 12n, -12n, "2"],
    invoiceDate: ["2009-12-01 07:45:00", "2009-12-01 07:46:00", "2009-12-01 10:33:00", new Date(Date.UTC(2009, 11, 1, 12, 5))],
    price: [6.95, 2.55, 2.95, "6.75"],
    customerId: [13085n, Number.NaN, 16321, "12682"],
    country: ["United Kingdom", "United Kingdom", "Australia", "France"],
  };

  it("cleans columns (numbers, bigints, numeric text, Dates) as the CSV parser cleans text", () => {
    const data = cleanOnlineRetail(columns);
    const csv = parseOnlineRetail(
      text(II, [
        "489434,85048, GLASS BALL ,12,2009-12-01 07:45:00,6.95,13085,United Kingdom",
        "489435,22350,CAT BOWL,12,2009-12-01 07:46:00,2.55,,United Kingdom",
        "C489449,22087,BUNTING,-12,2009-12-01 10:33:00,2.95,16321,Australia",
        "489505,79323W,,2,2009-12-01 12:05:00,6.75,12682,France",
      ]),
    );
    expect(data).toEqual(csv);
    expect(data.report.dropped.missingAccount).toBe(1); // NaN is pandas' missing number
  });

  it("rejects columns of different lengths and bad cells, naming the column and row", () => {
    expectError(() => cleanOnlineRetail({ ...columns, price: [1, 2] }), "E_SHAPE", "cleanOnlineRetail: columns.price must have the length of columns.invoice (4), got length 2");
    expectError(() => cleanOnlineRetail({ ...columns, quantity: undefined as never }), "E_BAD_INPUT", "cleanOnlineRetail: columns.quantity must be an array, got undefined");
    expectError(() => cleanOnlineRetail({ ...columns, quantity: [1, 2, null, 4] }), "E_BAD_INPUT", "cleanOnlineRetail: columns.quantity[2] must be a finite number, got null");
    expectError(() => cleanOnlineRetail({ ...columns, price: [1, Number.POSITIVE_INFINITY, 3, 4] }), "E_BAD_INPUT", "cleanOnlineRetail: columns.price[1] must be a finite number, got Infinity");
    expectError(() => cleanOnlineRetail({ ...columns, invoiceDate: ["2009-12-01 07:45:00", 1259653500, "x", "y"] as never }), "E_BAD_INPUT", "cleanOnlineRetail: columns.invoiceDate[1] must be a date");
    expectError(() => cleanOnlineRetail({ ...columns, invoice: ["1", "2", null, "4"] }), "E_BAD_INPUT", "cleanOnlineRetail: columns.invoice[2] must be a non-empty string or a number, got null");
    expectError(() => cleanOnlineRetail({ ...columns, customerId: [1, 2, true, 4] as never }), "E_BAD_INPUT", "cleanOnlineRetail: columns.customerId[2] must be a string, a number or missing, got true");
    expectError(() => cleanOnlineRetail(null as never), "E_BAD_INPUT", "cleanOnlineRetail: columns must be an object of Online Retail columns, got null");
  });
});

describe("onlineRetailInteractions", () => {
  const data = parseOnlineRetail(
    text(II, [
      "100,A1,X,2,2010-01-04 10:00:00,1.5,10,UK",
      "100,A1,X,3,2010-01-04 10:00:00,1.5,10,UK", // the same product twice on one invoice: one event
      "100,B2,Y,1,2010-01-04 10:00:00,4,10,UK",
      "101,A1,X,5,2010-02-01 09:30:00,1.25,10,UK",
      "101,A1,X,1,2010-02-01 09:31:00,1.25,10,UK", // an invoice whose lines span two minutes: the earliest is its time
      "102,A1,X,10,2010-03-01 12:00:00,1,11,France",
    ]),
  );
  const t = (month: number, day: number, hour: number, minute: number): number => Date.UTC(2010, month - 1, day, hour, minute) / 1000;

  it("counts distinct invoices by default, or quantity, spend and lines", () => {
    const invoices = onlineRetailInteractions(data.lines);
    expect(interactionValue(invoices, "10", "A1")).toBe(2);
    expect(interactionValue(invoices, "10", "B2")).toBe(1);
    expect(interactionValue(invoices, "11", "A1")).toBe(1);
    expect([userCount(invoices), itemCount(invoices), interactionCount(invoices)]).toEqual([2, 2, 3]);
    expect(interactionValue(onlineRetailInteractions(data.lines, { value: "quantity" }), "10", "A1")).toBe(11);
    expect(interactionValue(onlineRetailInteractions(data.lines, { value: "spend" }), "10", "A1")).toBeCloseTo(2 * 1.5 + 3 * 1.5 + 5 * 1.25 + 1.25, 12);
    expect(interactionValue(onlineRetailInteractions(data.lines, { value: "lines" }), "10", "A1")).toBe(4);
  });

  it("keeps one event per invoice × product at the invoice's earliest time, merged by sum", () => {
    const quantity = onlineRetailInteractions(data.lines, { value: "quantity" });
    const a = quantity.users.lookup.get("10")!;
    const i = quantity.items.lookup.get("A1")!;
    const start = quantity.byUser.indptr[a]!;
    const p = start + Array.from(quantity.byUser.indices.subarray(start, quantity.byUser.indptr[a + 1]!)).indexOf(i);
    expect(quantity.timestamps![p]).toBe(t(2, 1, 9, 30));
    const events = quantity.events;
    if (events !== undefined) {
      expect(Array.from(events.values.subarray(events.indptr[p]!, events.indptr[p + 1]!))).toEqual([5, 6]);
      expect(Array.from(events.timestamps.subarray(events.indptr[p]!, events.indptr[p + 1]!))).toEqual([t(1, 4, 10, 0), t(2, 1, 9, 30)]);
      expect(events.duplicates).toBe("sum");
    }
  });

  it("keeps only lines in [from, before)", () => {
    const february = onlineRetailInteractions(data.lines, { from: t(2, 1, 9, 30), before: t(3, 1, 12, 0) });
    expect(interactionCount(february)).toBe(1);
    expect(interactionValue(february, "10", "A1")).toBe(1);
    const fromFebruary = onlineRetailInteractions(data.lines, { from: t(2, 1, 9, 31), value: "quantity" });
    expect(interactionValue(fromFebruary, "10", "A1")).toBe(1);
    expect(interactionValue(fromFebruary, "11", "A1")).toBe(10);
    expectError(() => onlineRetailInteractions(data.lines, { before: t(1, 4, 10, 0) }), "E_EMPTY", "onlineRetailInteractions: lines must hold at least one line in [-Infinity, 1262599200), got none of 6");
  });

  it("shares preset id indexes and names the line of an unknown id", () => {
    const users = createIdIndex(["11", "10"]);
    const shared = onlineRetailInteractions(data.lines, { users });
    expect(shared.users.ids).toEqual(["11", "10"]);
    expectError(
      () => onlineRetailInteractions(data.lines, { users: createIdIndex(["10"]), unknownIds: "error" }),
      "E_UNKNOWN_ID",
      'onlineRetailInteractions: lines.accounts[5] must be a user of options.users (options.unknownIds is "error"), got "11"',
    );
  });

  it("rejects bad options and malformed lines", () => {
    expectError(() => onlineRetailInteractions(data.lines, { value: "revenue" as never }), "E_BAD_INPUT", 'options.value must be one of "invoices", "quantity", "spend", "lines", got "revenue"');
    expectError(() => onlineRetailInteractions(data.lines, { duplicates: "max" } as never), "E_BAD_INPUT", 'onlineRetailInteractions: options.duplicates must be omitted (an account × product pair always sums its invoice events), got "max"');
    expectError(() => onlineRetailInteractions(data.lines, { from: 5, before: 5 }), "E_BAD_INPUT", "onlineRetailInteractions: options.from must be less than options.before (5), got 5");
    expectError(() => onlineRetailInteractions(data.lines, { from: Number.NaN }), "E_BAD_INPUT", "onlineRetailInteractions: options.from must be a number, got NaN");
    expectError(() => onlineRetailInteractions(data.lines, { unknownIds: "skip" as never }), "E_BAD_INPUT", 'onlineRetailInteractions: options.unknownIds must be "add" or "error", got "skip"');
    expectError(() => onlineRetailInteractions({ ...data.lines, quantities: [1] } as never), "E_BAD_INPUT", "onlineRetailInteractions: lines.quantities must be a Float64Array, got array of length 1");
    expectError(() => onlineRetailInteractions({ ...data.lines, invoices: ["1"] }), "E_SHAPE", "onlineRetailInteractions: lines.invoices must have the length of lines.accounts (6), got length 1");
    expectError(() => onlineRetailInteractions(data as never), "E_BAD_INPUT", "onlineRetailInteractions: lines must be the lines of parseOnlineRetail's result (pass data.lines), got the whole result");
    expectError(() => onlineRetailInteractions({ ...data.lines, accounts: undefined } as never), "E_BAD_INPUT", "onlineRetailInteractions: lines.accounts must be an array, got undefined");
  });
});

// Random Online Retail rows: every rule fires now and then, ids repeat so pairs and invoices merge.
const rowArbitrary = fc.record({
  invoice: fc.constantFrom("500001", "500002", "500003", "C500004", "A500005", "500006"),
  stockCode: fc.constantFrom("85048", "22350", "79323W", "POST", "DCGS0058", "gift_0001_10", "M"),
  description: fc.constantFrom("", " GLASS BALL", "CAT BOWL", '"BOWL, LARGE"'),
  quantity: fc.integer({ min: -3, max: 12 }),
  date: fc.constantFrom("2010-01-04 10:00:00", "2010-01-04 10:01:00", "2010-06-30 23:59:00", "2/1/2010 8:26"),
  price: fc.constantFrom("0", "0.85", "1.25", "2.1", "-1"),
  customer: fc.constantFrom("", "12346", "12347", "12348.0"),
  country: fc.constantFrom("United Kingdom", "France", ""),
});
type Row = typeof rowArbitrary extends fc.Arbitrary<infer T> ? T : never;
const toText = (rows: readonly Row[]): string =>
  text(
    II,
    rows.map((r) => [r.invoice, r.stockCode, r.description, r.quantity, r.date, r.price, r.customer, r.country].join(",")),
  );
const sum = (values: ArrayLike<number>): number => {
  let total = 0;
  for (let k = 0; k < values.length; k++) total += values[k]!;
  return total;
};
const dropTotal = (data: OnlineRetailData): number => Object.values(data.report.dropped).reduce((a, b) => a + b, 0);

describe("Online Retail properties", () => {
  it("rows kept plus rows dropped is rows read, under any rule set", () => {
    fc.assert(
      fc.property(
        fc.array(rowArbitrary, { minLength: 0, maxLength: 60 }),
        fc.record({
          dropMissingAccounts: fc.boolean(),
          dropCancellations: fc.boolean(),
          dropAdjustments: fc.boolean(),
          dropNonPositiveQuantities: fc.boolean(),
          dropNonPositivePrices: fc.boolean(),
          dropDuplicates: fc.boolean(),
        }),
        (rows, options) => {
          const data = parseOnlineRetail(toText(rows), options);
          expect(data.report.rowsRead).toBe(rows.length);
          expect(data.report.rowsKept + dropTotal(data)).toBe(rows.length);
          expect(data.lines.accounts).toHaveLength(data.report.rowsKept);
          expect(data.products.reduce((n, p) => n + p.lines, 0)).toBe(data.report.rowsKept);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("interaction values sum to the lines' invoices, quantities, spend and line count", () => {
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 60 }), (rows) => {
        const { lines } = parseOnlineRetail(toText(rows));
        fc.pre(lines.accounts.length > 0);
        const visits = new Set(lines.accounts.map((a, k) => `${a}|${lines.invoices[k]}|${lines.products[k]}`));
        let spend = 0;
        for (let k = 0; k < lines.accounts.length; k++) spend += lines.quantities[k]! * lines.unitPrices[k]!;
        expect(sum(onlineRetailInteractions(lines).byUser.values)).toBe(visits.size);
        expect(sum(onlineRetailInteractions(lines, { value: "quantity" }).byUser.values)).toBe(sum(lines.quantities));
        expect(sum(onlineRetailInteractions(lines, { value: "spend" }).byUser.values)).toBeCloseTo(spend, 9);
        expect(sum(onlineRetailInteractions(lines, { value: "lines" }).byUser.values)).toBe(lines.accounts.length);
        const pairs = new Set(lines.accounts.map((a, k) => `${a}|${lines.products[k]}`));
        expect(interactionCount(onlineRetailInteractions(lines))).toBe(pairs.size);
        // A window split cuts events: the two sides' values add up to the whole.
        const cut = Date.UTC(2010, 0, 4, 10, 1) / 1000;
        const count = (options: Parameters<typeof onlineRetailInteractions>[1]): number => {
          try {
            return sum(onlineRetailInteractions(lines, { value: "quantity", ...options }).byUser.values);
          } catch {
            return 0; // an empty side
          }
        };
        expect(count({ before: cut }) + count({ from: cut })).toBe(sum(lines.quantities));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("the columnar cleaner agrees with the CSV parser", () => {
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 0, maxLength: 40 }), (rows) => {
        const fromText = parseOnlineRetail(toText(rows), { dropDuplicates: true });
        const fromColumns = cleanOnlineRetail(
          {
            invoice: rows.map((r) => r.invoice),
            stockCode: rows.map((r) => r.stockCode),
            description: rows.map((r) => (r.description.startsWith('"') ? r.description.slice(1, -1) : r.description)),
            quantity: rows.map((r) => BigInt(r.quantity)),
            invoiceDate: rows.map((r) => r.date),
            price: rows.map((r) => Number(r.price)),
            customerId: rows.map((r) => (r.customer === "" ? null : r.customer)),
            country: rows.map((r) => r.country),
          },
          { dropDuplicates: true },
        );
        expect(fromColumns).toEqual(fromText);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
