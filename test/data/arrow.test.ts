import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Dictionary, Int32, Int64, DateDay, TimestampMillisecond, Utf8, Float64, makeTable, tableFromArrays, vectorFromArray, Table, tableFromIPC, tableToIPC } from "apache-arrow";
import { createInteractions, createInteractionsFromArrow, interactionsToRows } from "../../src/data/index.ts";
import { createIdIndex } from "../../src/core/index.ts";
import { expectError } from "../helpers.ts";

describe("createInteractionsFromArrow", () => {
  it("reads string, dictionary and integer ids, numeric values and timestamps into the same dataset as the rows", () => {
    const table = new Table({
      user: vectorFromArray(["acme", "acme", "globex"], new Utf8()),
      item: vectorFromArray(["crm", "erp", "crm"], new Dictionary(new Utf8(), new Int32())),
      value: vectorFromArray([2, 1, 5], new Float64()),
      timestamp: vectorFromArray([1_700_000_000_000, 1_700_000_001_000, 1_700_000_002_000], new TimestampMillisecond()),
    });
    const data = createInteractionsFromArrow(table);
    const expected = createInteractions([
      { user: "acme", item: "crm", value: 2, timestamp: 1_700_000_000 },
      { user: "acme", item: "erp", value: 1, timestamp: 1_700_000_001 },
      { user: "globex", item: "crm", value: 5, timestamp: 1_700_000_002 },
    ]);
    expect(interactionsToRows(data)).toEqual(interactionsToRows(expected));
  });

  it("takes other column names, 64-bit integer ids, date columns (days → seconds), and no value column (1 each)", () => {
    const table = new Table({
      account: vectorFromArray([7n, 7n, 9n], new Int64()),
      product: vectorFromArray([1, 2, 1], new Int32()),
      day: vectorFromArray([new Date(0), new Date(86_400_000), new Date(2 * 86_400_000)], new DateDay()),
    });
    const data = createInteractionsFromArrow(table, { userColumn: "account", itemColumn: "product", timestampColumn: "day" });
    expect(interactionsToRows(data)).toEqual([
      { user: 7, item: 1, value: 1, timestamp: 0 },
      { user: 7, item: 2, value: 1, timestamp: 86_400 },
      { user: 9, item: 1, value: 1, timestamp: 172_800 },
    ]);
  });

  it("reads a table that went through Arrow IPC (as a warehouse or DuckDB hands it over)", () => {
    const table = tableFromIPC(tableToIPC(tableFromArrays({ user: Int32Array.from([1, 2, 2]), item: Int32Array.from([5, 5, 6]), value: Float64Array.from([1, 2, 3]) })));
    expect(interactionsToRows(createInteractionsFromArrow(table)).map((row) => [row.user, row.item, row.value])).toEqual([[1, 5, 1], [2, 5, 2], [2, 6, 3]]);
  });

  it("property: any table of ids and values gives the dataset of its rows", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ user: fc.integer({ min: 0, max: 20 }), item: fc.constantFrom("a", "b", "c", "d"), value: fc.double({ min: 0, max: 100, noNaN: true }) }), { minLength: 1, maxLength: 50 }), (rows) => {
        const numeric = makeTable({ user: Int32Array.from(rows, (row) => row.user), value: Float64Array.from(rows, (row) => row.value) });
        const table = new Table({ user: numeric.getChild("user")!, value: numeric.getChild("value")!, item: vectorFromArray(rows.map((row) => row.item), new Utf8()) });
        const fromArrow = createInteractionsFromArrow(table, { duplicates: "sum" });
        const fromRows = createInteractions(rows, { duplicates: "sum" });
        expect(interactionsToRows(fromArrow)).toEqual(interactionsToRows(fromRows));
      }),
      { numRuns: 50 },
    );
  });

  it("names a missing column, a null, an unsupported type and an unsafe 64-bit id", () => {
    const base = { user: vectorFromArray(["a", "b"], new Utf8()), item: vectorFromArray(["x", null], new Utf8()) };
    expectError(() => createInteractionsFromArrow(new Table(base), { itemColumn: "product" }), "E_BAD_INPUT", 'options.itemColumn names column "product", which the table does not have');
    expectError(() => createInteractionsFromArrow(new Table(base)), "E_BAD_INPUT", 'column "item" has 1 null(s), the first at row 1');
    expectError(
      () => createInteractionsFromArrow(new Table({ user: base.user, item: vectorFromArray(["x", "y"], new Utf8()), value: vectorFromArray(["1", "2"], new Utf8()) })),
      "E_BAD_INPUT",
      'column "value" must hold numbers, got Arrow type Utf8',
    );
    expectError(
      () => createInteractionsFromArrow(new Table({ user: vectorFromArray([2n ** 60n, 1n], new Int64()), item: vectorFromArray(["x", "y"], new Utf8()) })),
      "E_BAD_INPUT",
      'column "user" row 0 holds 1152921504606846976, beyond 2^53 − 1',
    );
    expectError(() => createInteractionsFromArrow({} as never), "E_BAD_INPUT", "table must be an Arrow Table or RecordBatch");
  });
  it("names createInteractionsFromArrow and the table's own column in the errors of the column builder", () => {
    const ids = { user: vectorFromArray(["a", "b", "a"], new Utf8()), item: vectorFromArray(["x", "y", "x"], new Utf8()) };
    const nan = new Table({ ...ids, score: vectorFromArray([1, Number.NaN, 2], new Float64()) });
    expectError(() => createInteractionsFromArrow(nan, { valueColumn: "score" }), "E_NON_FINITE", 'createInteractionsFromArrow: column "score" row 1 must be a finite number, got NaN');
    expectError(() => createInteractionsFromArrow(new Table(ids), { duplicates: "error" }), "E_DUPLICATE", "createInteractionsFromArrow: ");
    expectError(() => createInteractionsFromArrow(new Table(ids), { duplicates: "nope" as never }), "E_BAD_INPUT", "createInteractionsFromArrow: ");
    expectError(() => createInteractionsFromArrow(new Table(ids), { users: createIdIndex(["a"]), unknownIds: "error" }), "E_UNKNOWN_ID", 'createInteractionsFromArrow: column "user" row 1');
    for (const run of [() => createInteractionsFromArrow(nan, { valueColumn: "score" }), () => createInteractionsFromArrow(new Table(ids), { duplicates: "error" })]) {
      expect(run).toThrow(expect.objectContaining({ message: expect.not.stringContaining("createInteractionsFromColumns") }));
    }
  });
});
