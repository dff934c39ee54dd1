import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextbestError } from "../../src/core/errors.ts";
import {
  createIdIndex,
  createInteractions,
  createInteractionsFromColumns,
  idIndexFromJSON,
  idIndexToJSON,
  interactionCount,
  interactionValue,
  interactionsSummary,
  interactionsToRows,
  itemCount,
  itemUsers,
  userCount,
  userItems,
  type InteractionRow,
  type Interactions,
} from "../../src/data/index.ts";
import { errorOf, expectError } from "../helpers.ts";


function dense(data: Interactions): number[][] {
  const out = Array.from({ length: data.byUser.rows }, () => new Array<number>(data.byUser.cols).fill(0));
  const { indptr, indices, values } = data.byUser;
  for (let u = 0; u < data.byUser.rows; u++) {
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) out[u]![indices[p]!] = values[p]!;
  }
  return out;
}

describe("createInteractions", () => {
  it("indexes ids in first-seen order and builds byUser and its transpose byItem", () => {
    const data = createInteractions([
      { user: "acme", item: "crm", value: 2 },
      { user: "globex", item: "erp", value: 5 },
      { user: "acme", item: "erp", value: 1 },
    ]);
    expect(data.users.ids).toEqual(["acme", "globex"]);
    expect(data.items.ids).toEqual(["crm", "erp"]);
    expect(dense(data)).toEqual([
      [2, 1],
      [0, 5],
    ]);
    expect(Array.from(data.byItem.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(data.byItem.indices)).toEqual([0, 0, 1]);
    expect(Array.from(data.byItem.values)).toEqual([2, 1, 5]);
    expect(data.timestamps).toBeUndefined();
    expect(Object.isFrozen(data)).toBe(true);
  });

  it("counts a row without a value as 1 and sums duplicates by default", () => {
    const data = createInteractions([
      { user: 1, item: 9 },
      { user: 1, item: 9 },
      { user: 1, item: 9, value: 3 },
    ]);
    expect(interactionCount(data)).toBe(1);
    expect(interactionValue(data, 1, 9)).toBe(5);
  });

  it("applies each duplicate policy and keeps the latest timestamp of a merged pair", () => {
    const rows: InteractionRow[] = [
      { user: "u", item: "i", value: 4, timestamp: 30 },
      { user: "u", item: "i", value: 2, timestamp: 50 },
      { user: "u", item: "i", value: 3, timestamp: 10 },
    ];
    const sum = createInteractions(rows, { duplicates: "sum" });
    expect(Array.from(sum.byUser.values)).toEqual([9]);
    expect(Array.from(sum.timestamps!)).toEqual([50]);
    const max = createInteractions(rows, { duplicates: "max" });
    expect(Array.from(max.byUser.values)).toEqual([4]);
    expect(Array.from(max.timestamps!)).toEqual([50]);
    // "last" = the value of the latest timestamp, not the last row.
    const last = createInteractions(rows, { duplicates: "last" });
    expect(Array.from(last.byUser.values)).toEqual([2]);
    expect(Array.from(last.timestamps!)).toEqual([50]);
    // Without timestamps "last" is the last row in input order.
    const lastNoTime = createInteractions(rows.map(({ user, item, value }) => ({ user, item, value: value! })), {
      duplicates: "last",
    });
    expect(Array.from(lastNoTime.byUser.values)).toEqual([3]);
    const error = errorOf(() => createInteractions(rows, { duplicates: "error" }));
    expect(error.code).toBe("E_DUPLICATE");
    expect(error.message).toBe(
      'createInteractions: a (user, item) pair must not repeat under duplicates "error", got user "u", item "i" at rows[0] and rows[1]',
    );
  });

  it("accepts ids that collide with Object.prototype and the empty string", () => {
    const data = createInteractions([
      { user: "__proto__", item: "constructor" },
      { user: "", item: "toString" },
      { user: "constructor", item: "__proto__" },
    ]);
    expect(data.users.ids).toEqual(["__proto__", "", "constructor"]);
    expect(userItems(data, "__proto__").items).toEqual(["constructor"]);
    expect(userItems(data, "").items).toEqual(["toString"]);
  });

  it("keeps 1 and '1' as different ids", () => {
    const data = createInteractions([
      { user: 1, item: "a" },
      { user: "1", item: "a" },
    ]);
    expect(userCount(data)).toBe(2);
  });

  it("starts from preset indexes and appends new ids after them", () => {
    const users = createIdIndex(["z", "y"]);
    const items = createIdIndex(["p"]);
    const data = createInteractions(
      [
        { user: "y", item: "q" },
        { user: "x", item: "p" },
      ],
      { users, items },
    );
    expect(data.users.ids).toEqual(["z", "y", "x"]);
    expect(data.items.ids).toEqual(["p", "q"]);
    expect(userItems(data, "z").items).toEqual([]);
    // An index that gained nothing is reused as is.
    const same = createInteractions([{ user: "z", item: "p" }], { users, items });
    expect(same.users).toBe(users);
    expect(same.items).toBe(items);
  });

  it("rejects an id outside a preset index under unknownIds 'error', naming the row", () => {
    const error = errorOf(() =>
      createInteractions([{ user: "a", item: "x" }, { user: "b", item: "x" }], {
        users: createIdIndex(["a"]),
        unknownIds: "error",
      }),
    );
    expect(error.code).toBe("E_UNKNOWN_ID");
    expect(error.message).toContain("rows[1].user");
    expect(error.message).toContain('"b"');
  });

  it("does not mutate its input rows", () => {
    const rows = [{ user: "a", item: "x", value: 2 }, { user: "a", item: "x", value: 3 }];
    const copy = structuredClone(rows);
    createInteractions(rows);
    expect(rows).toEqual(copy);
  });

  it("names the row of a non-finite value", () => {
    const rows: InteractionRow[] = Array.from({ length: 20 }, (_, k) => ({ user: k, item: 0, value: k === 17 ? Number.NaN : 1 }));
    const error = errorOf(() => createInteractions(rows));
    expect(error.code).toBe("E_NON_FINITE");
    expect(error.message).toBe("createInteractions: rows[17].value must be a finite number, got NaN");
    expect(errorOf(() => createInteractions([{ user: 1, item: 1, value: Infinity }])).code).toBe("E_NON_FINITE");
  });

  it("rejects a non-finite timestamp, a string value, missing ids and non-object rows", () => {
    const t = errorOf(() => createInteractions([{ user: 1, item: 1, timestamp: -Infinity }]));
    expect(t.code).toBe("E_NON_FINITE");
    expect(t.message).toBe("createInteractions: rows[0].timestamp must be a finite number, got -Infinity");
    const v = errorOf(() => createInteractions([{ user: 1, item: 1, value: "5" as unknown as number }]));
    expect(v.code).toBe("E_BAD_INPUT");
    expect(v.message).toContain("rows[0].value");
    const missing = errorOf(() => createInteractions([{ user: 1, item: 2 }, { user: 1 } as InteractionRow]));
    expect(missing.code).toBe("E_BAD_INPUT");
    expect(missing.message).toBe("createInteractions: rows[1].item must be a string or a finite number, got undefined");
    const nanId = errorOf(() => createInteractions([{ user: Number.NaN, item: 2 }]));
    expect(nanId.code).toBe("E_NON_FINITE");
    expect(nanId.message).toContain("rows[0].user");
    const notObject = errorOf(() => createInteractions([null as unknown as InteractionRow]));
    expect(notObject.code).toBe("E_BAD_INPUT");
    expect(notObject.message).toContain("rows[0]");
  });

  it("requires timestamps on all rows or none, naming the first row that breaks it", () => {
    const some = errorOf(() =>
      createInteractions([{ user: 1, item: 1, timestamp: 5 }, { user: 2, item: 1, timestamp: 6 }, { user: 3, item: 1 }]),
    );
    expect(some.code).toBe("E_BAD_INPUT");
    expect(some.message).toMatch(/^createInteractions: rows\[2\]\.timestamp must be given/);
    const late = errorOf(() => createInteractions([{ user: 1, item: 1 }, { user: 2, item: 1, timestamp: 6 }]));
    expect(late.message).toMatch(/^createInteractions: rows\[1\]\.timestamp must be omitted/);
  });

  it("rejects empty input and bad options", () => {
    const empty = errorOf(() => createInteractions([]));
    expect(empty.code).toBe("E_EMPTY");
    expect(empty.message).toBe("createInteractions: rows must hold at least one interaction, got none");
    expect(errorOf(() => createInteractions([{ user: 1, item: 1 }], { duplicates: "mean" as "sum" })).code).toBe("E_BAD_INPUT");
    expect(errorOf(() => createInteractions([{ user: 1, item: 1 }], { users: {} as never })).code).toBe("E_BAD_INPUT");
    expect(errorOf(() => createInteractions(42 as never)).code).toBe("E_BAD_INPUT");
  });

  it("accepts any iterable, such as a generator", () => {
    function* rows(): Generator<InteractionRow> {
      for (let k = 0; k < 5; k++) yield { user: k % 2, item: k };
    }
    expect(interactionCount(createInteractions(rows()))).toBe(5);
  });
});

describe("createInteractionsFromColumns", () => {
  it("equals createInteractions on the same data", () => {
    const fromColumns = createInteractionsFromColumns({
      users: ["a", "b", "a", "a"],
      items: [1, 2, 2, 1],
      values: new Float64Array([1, 2, 3, 4]),
      timestamps: [10, 20, 30, 40],
    });
    const fromRows = createInteractions([
      { user: "a", item: 1, value: 1, timestamp: 10 },
      { user: "b", item: 2, value: 2, timestamp: 20 },
      { user: "a", item: 2, value: 3, timestamp: 30 },
      { user: "a", item: 1, value: 4, timestamp: 40 },
    ]);
    expect(fromColumns).toEqual(fromRows);
    expect(Array.from(fromColumns.byUser.values)).toEqual([5, 3, 2]);
    expect(Array.from(fromColumns.timestamps!)).toEqual([40, 30, 20]);
  });

  it("rejects columns of different lengths, empty columns and bad cells", () => {
    const shape = errorOf(() => createInteractionsFromColumns({ users: [1, 2], items: [1] }));
    expect(shape.code).toBe("E_SHAPE");
    expect(shape.message).toBe("createInteractionsFromColumns: columns.items must have the length of columns.users (2), got length 1");
    expect(errorOf(() => createInteractionsFromColumns({ users: [], items: [] })).code).toBe("E_EMPTY");
    const cell = errorOf(() => createInteractionsFromColumns({ users: [1, 2], items: [1, 1], values: [1, Number.NaN] }));
    expect(cell.code).toBe("E_NON_FINITE");
    expect(cell.message).toBe("createInteractionsFromColumns: columns.values[1] must be a finite number, got NaN");
  });
});

describe("accessors", () => {
  const data = createInteractions([
    { user: "acme", item: "crm", value: 3, timestamp: 100 },
    { user: "globex", item: "crm", value: 1, timestamp: 300 },
    { user: "acme", item: "erp", value: 2, timestamp: 200 },
  ]);

  it("count users, items and interactions", () => {
    expect([userCount(data), itemCount(data), interactionCount(data)]).toEqual([2, 2, 3]);
  });

  it("summarize ranges and density", () => {
    expect(interactionsSummary(data)).toEqual({
      userCount: 2,
      itemCount: 2,
      interactionCount: 3,
      density: 0.75,
      valueMin: 1,
      valueMax: 3,
      hasTimestamps: true,
      timestampMin: 100,
      timestampMax: 300,
    });
  });

  it("userItems and itemUsers return values and aligned timestamps", () => {
    const acme = userItems(data, "acme");
    expect(acme.items).toEqual(["crm", "erp"]);
    expect(Array.from(acme.values)).toEqual([3, 2]);
    expect(Array.from(acme.timestamps!)).toEqual([100, 200]);
    const crm = itemUsers(data, "crm");
    expect(crm.users).toEqual(["acme", "globex"]);
    expect(Array.from(crm.values)).toEqual([3, 1]);
    expect(Array.from(crm.timestamps!)).toEqual([100, 300]);
  });

  it("throw E_UNKNOWN_ID for ids outside the dataset", () => {
    expect(errorOf(() => userItems(data, "initech")).code).toBe("E_UNKNOWN_ID");
    expect(errorOf(() => itemUsers(data, "hr")).code).toBe("E_UNKNOWN_ID");
    expect(errorOf(() => interactionValue(data, "acme", "hr")).code).toBe("E_UNKNOWN_ID");
    expect(interactionValue(data, "globex", "erp")).toBeUndefined();
  });

  it("interactionsToRows rebuilds an equal dataset with the same indexes", () => {
    const rows = interactionsToRows(data);
    expect(rows[0]).toEqual({ user: "acme", item: "crm", value: 3, timestamp: 100 });
    expect(createInteractions(rows, { users: data.users, items: data.items })).toEqual(data);
  });
});

const anyId = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 6 }),
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.constantFrom("__proto__", "constructor", "", "toString", "hasOwnProperty"),
  fc.integer({ min: -5, max: 5 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

describe("IdIndex through nextbest/data (properties)", () => {
  it("round-trips every generated id through JSON", () => {
    fc.assert(
      fc.property(fc.array(anyId, { maxLength: 30 }), (ids) => {
        const index = createIdIndex(ids);
        const back = idIndexFromJSON(JSON.parse(JSON.stringify(idIndexToJSON(index))));
        expect(back.ids).toEqual(index.ids);
        for (let k = 0; k < index.ids.length; k++) expect(back.lookup.get(index.ids[k]!)).toBe(k);
        expect(back.ids.length).toBe(new Set(ids).size);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe("createInteractions (properties)", () => {
  const rowsArbitrary = fc.array(
    fc.record({
      user: fc.oneof(fc.constantFrom("__proto__", "constructor", ""), fc.integer({ min: 0, max: 6 })),
      item: fc.oneof(fc.constantFrom("__proto__", "x"), fc.integer({ min: 0, max: 6 })),
      value: fc.integer({ min: -3, max: 9 }),
    }),
    { minLength: 1, maxLength: 40 },
  );

  it("sums duplicates into a matrix equal to the dense accumulation, and byItem is its transpose", () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        const data = createInteractions(rows);
        const expected = new Map<string, number>();
        for (const r of rows) {
          const key = `${data.users.lookup.get(r.user)},${data.items.lookup.get(r.item)}`;
          expected.set(key, (expected.get(key) ?? 0) + r.value);
        }
        const got = new Map<string, number>();
        const { indptr, indices, values } = data.byUser;
        for (let u = 0; u < data.byUser.rows; u++) {
          for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
            if (p > indptr[u]!) expect(indices[p]!).toBeGreaterThan(indices[p - 1]!);
            got.set(`${u},${indices[p]}`, values[p]!);
          }
        }
        expect(got).toEqual(expected);
        const t = data.byItem;
        const transposed = new Map<string, number>();
        for (let i = 0; i < t.rows; i++) {
          for (let p = t.indptr[i]!; p < t.indptr[i + 1]!; p++) transposed.set(`${t.indices[p]},${i}`, t.values[p]!);
        }
        expect(transposed).toEqual(expected);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe("hostile sizes and sums (issue 15)", () => {
  it("a repeated pair whose values sum past the largest double is E_NON_FINITE naming the pair", () => {
    expectError(
      () => createInteractions([{ user: "acme", item: "crm", value: 1e308 }, { user: "acme", item: "crm", value: 1e308 }]),
      "E_NON_FINITE",
      'createInteractions: the summed value of a repeated (user, item) pair must be finite, got Infinity for user "acme", item "crm"',
    );
  });

  it("a column claiming 2^32 entries is rejected before anything is allocated", () => {
    const huge = { length: 2 ** 32 } as ArrayLike<string>;
    expectError(() => createInteractionsFromColumns({ users: huge, items: huge }), "E_BAD_INPUT", "createInteractionsFromColumns: columns.users.length must be an integer in [0, 2147483647], got 4294967296");
  });

  it("interactionsSummary of something that is not interactions names itself", () => {
    expectError(() => interactionsSummary({} as never), "E_BAD_INPUT", "interactionsSummary: data must be an Interactions dataset");
  });
});
