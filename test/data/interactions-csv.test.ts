import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextbestError } from "../../src/core/errors.ts";
import {
  createIdIndex,
  createInteractions,
  createInteractionsCsvReader,
  interactionValue,
  interactionsToRows,
  parseInteractionsCsv,
  parseInteractionsCsvAsync,
  parseMovieLens100k,
  userItems,
} from "../../src/data/index.ts";
import { errorOf, expectError } from "../helpers.ts";


describe("parseInteractionsCsv", () => {
  it("maps header names to user, item, value and timestamp", () => {
    const data = parseInteractionsCsv("account_id,product,spend,ts\nacme,crm,10,5\nglobex,\"erp, pro\",2.5,7\nacme,crm,1,9\n", {
      columns: { user: "account_id", item: "product", value: "spend", timestamp: "ts" },
    });
    expect(interactionsToRows(data)).toEqual([
      { user: "acme", item: "crm", value: 11, timestamp: 9 },
      { user: "globex", item: "erp, pro", value: 2.5, timestamp: 7 },
    ]);
  });

  it("uses the columns user, item, value and timestamp by default, each of the last two only when present", () => {
    const withValue = parseInteractionsCsv("item,user,value\nx,a,3\n");
    expect(interactionsToRows(withValue)).toEqual([{ user: "a", item: "x", value: 3 }]);
    const bare = parseInteractionsCsv("user;item;comment\na;x;hello\na;x;again\n");
    expect(interactionsToRows(bare)).toEqual([{ user: "a", item: "x", value: 2 }]);
    expect(bare.timestamps).toBeUndefined();
  });

  it("reads a header-less file by position, with value and timestamp when the first line has them", () => {
    const data = parseInteractionsCsv("1\t10\t4\t100\n2\t10\t5\t200\n", { header: false, ids: "number" });
    expect(interactionsToRows(data)).toEqual([
      { user: 1, item: 10, value: 4, timestamp: 100 },
      { user: 2, item: 10, value: 5, timestamp: 200 },
    ]);
    const pairs = parseInteractionsCsv("a,x\nb,y\n", { header: false });
    expect(interactionsToRows(pairs)).toEqual([
      { user: "a", item: "x", value: 1 },
      { user: "b", item: "y", value: 1 },
    ]);
    const picked = parseInteractionsCsv("x,9,a\n", { header: false, columns: { user: 2, item: 0, value: 1 } });
    expect(interactionsToRows(picked)).toEqual([{ user: "a", item: "x", value: 9 }]);
  });

  it("keeps ids as strings by default and as numbers when asked", () => {
    const text = "user,item\n007,42\n";
    expect(parseInteractionsCsv(text).users.ids).toEqual(["007"]);
    expect(parseInteractionsCsv(text, { ids: "number" }).users.ids).toEqual([7]);
  });

  it("reads ISO 8601 timestamps as milliseconds since the epoch, UTC without an offset", () => {
    const data = parseInteractionsCsv(
      "user,item,timestamp\na,x,2024-03-01\na,y,2024-03-01T09:30:00Z\na,z,2024-03-01 09:30:00.250+01:00\nb,x,2024-03-01T09:30\n",
    );
    expect(Array.from(userItems(data, "a").timestamps!)).toEqual([
      Date.UTC(2024, 2, 1),
      Date.UTC(2024, 2, 1, 9, 30),
      Date.UTC(2024, 2, 1, 8, 30, 0, 250),
    ]);
    expect(Array.from(userItems(data, "b").timestamps!)).toEqual([Date.UTC(2024, 2, 1, 9, 30)]);
  });

  it("holds every timestamp to the kind of the first data line in auto mode", () => {
    const mixed = errorOf(() => parseInteractionsCsv("user,item,timestamp\na,x,100\na,y,2024-01-01\n"));
    expect(mixed.code).toBe("E_BAD_INPUT");
    expect(mixed.message).toBe('parseInteractionsCsv: line 3, column "timestamp" must be a number like line 2, got "2024-01-01"');
    const iso = errorOf(() => parseInteractionsCsv("user,item,timestamp\na,x,2024-01-01\na,y,2024-02-30\n"));
    expect(iso.message).toBe('parseInteractionsCsv: line 3, column "timestamp" must be an ISO 8601 date like line 2, got "2024-02-30"');
    const forced = errorOf(() => parseInteractionsCsv("user,item,timestamp\na,x,100\n", { timestamps: "iso" }));
    expect(forced.message).toBe('parseInteractionsCsv: line 2, column "timestamp" must be an ISO 8601 date, got "100"');
  });

  it("names the line and column of a value that is not a number", () => {
    const lines = ["user,item,value"];
    for (let k = 2; k <= 20; k++) lines.push(`u${k},i,${k === 17 ? "abc" : k}`);
    const error = errorOf(() => parseInteractionsCsv(lines.join("\n")));
    expect(error.code).toBe("E_BAD_INPUT");
    expect(error.message).toBe('parseInteractionsCsv: line 17, column "value" must be a number, got "abc"');
  });

  it("rejects empty and infinite values, hexadecimal numbers and empty ids", () => {
    expect(errorOf(() => parseInteractionsCsv("user,item,value\na,x,\n")).message).toBe(
      'parseInteractionsCsv: line 2, column "value" must be a number, got ""',
    );
    const infinite = errorOf(() => parseInteractionsCsv("user,item,value\na,x,Infinity\n"));
    expect(infinite.code).toBe("E_NON_FINITE");
    expect(errorOf(() => parseInteractionsCsv("user,item,value\na,x,0x10\n")).code).toBe("E_BAD_INPUT");
    expect(errorOf(() => parseInteractionsCsv("user,item\n,x\n")).message).toBe(
      'parseInteractionsCsv: line 2, column "user" must be a non-empty id, got ""',
    );
    expect(errorOf(() => parseInteractionsCsv("a\tb\n", { header: false, ids: "number" })).message).toBe(
      'parseInteractionsCsv: line 1, column 1 (user) must be a numeric id (options.ids is "number"), got "a"',
    );
  });

  it("names a missing field and a missing header column", () => {
    const short = errorOf(() => parseInteractionsCsv("1,2,3\n4,5\n", { header: false }));
    expect(short.message).toBe("parseInteractionsCsv: line 2, column 3 (value) must be present, got a line of 2 fields");
    const header = errorOf(() => parseInteractionsCsv("account,sku\na,b\n"));
    expect(header.code).toBe("E_BAD_INPUT");
    expect(header.message).toBe('parseInteractionsCsv: line 1 (the header) must have a column "user" for the user, got "account", "sku"');
    const explicit = errorOf(() => parseInteractionsCsv("user,item\na,b\n", { columns: { user: "user", item: "item", value: "qty" } }));
    expect(explicit.message).toContain('must have a column "qty" for the value');
  });

  it("rejects a header-only text with E_EMPTY and a repeated pair under duplicates 'error' naming both lines", () => {
    expect(errorOf(() => parseInteractionsCsv("user,item\n")).code).toBe("E_EMPTY");
    expect(errorOf(() => parseInteractionsCsv("")).code).toBe("E_EMPTY");
    const duplicate = errorOf(() => parseInteractionsCsv("user,item\na,x\nb,x\na,x\n", { duplicates: "error" }));
    expect(duplicate.code).toBe("E_DUPLICATE");
    expect(duplicate.message).toContain("at line 2 and line 4");
  });

  it("aligns with preset indexes and rejects unknown ids when asked", () => {
    const train = createInteractions([{ user: "b", item: "y" }]);
    const test = parseInteractionsCsv("user,item\na,y\n", { users: train.users, items: train.items });
    expect(test.users.ids).toEqual(["b", "a"]);
    const strict = errorOf(() =>
      parseInteractionsCsv("user,item\nb,y\nb,z\n", { users: train.users, items: train.items, unknownIds: "error" }),
    );
    expect(strict.code).toBe("E_UNKNOWN_ID");
    expect(strict.message).toBe('parseInteractionsCsv: line 3, column "item" must be an item of options.items (options.unknownIds is "error"), got "z"');
  });

  it("rejects invalid options", () => {
    expect(errorOf(() => parseInteractionsCsv("a", { header: "yes" as unknown as boolean })).message).toContain("options.header");
    expect(errorOf(() => parseInteractionsCsv("a", { header: false, columns: { user: "u", item: 1 } })).message).toContain(
      "options.columns.user",
    );
    expect(errorOf(() => parseInteractionsCsv("a", { ids: "int" as "number" })).message).toContain("options.ids");
    expect(errorOf(() => parseInteractionsCsv(5 as unknown as string)).code).toBe("E_BAD_INPUT");
  });

  it("reads the same dataset from chunks, an iterable or an async iterable", async () => {
    const text = 'user,item,value,timestamp\r\n"a",x,1,10\r\nb,"y\r\nz",2,20\r\na,y,3,30\r\n';
    const whole = parseInteractionsCsv(text);
    const chunks = text.match(/[\s\S]{1,3}/g)!;
    expect(parseInteractionsCsv(chunks)).toEqual(whole);
    const reader = createInteractionsCsvReader();
    for (const chunk of chunks) reader.push(chunk);
    expect(reader.end()).toEqual(whole);
    async function* stream(): AsyncGenerator<string> {
      yield* chunks;
    }
    expect(await parseInteractionsCsvAsync(stream())).toEqual(whole);
    expect(userItems(whole, "b").items).toEqual(["y\r\nz"]);
  });

  it("reads the same interactions as createInteractions for generated rows (property)", () => {
    const idArbitrary = fc.string({ unit: "grapheme", minLength: 1, maxLength: 5 }).filter((s) => s.trim() !== "");
    fc.assert(
      fc.property(
        fc.array(fc.record({ user: idArbitrary, item: idArbitrary, value: fc.integer({ min: -100, max: 100 }) }), {
          minLength: 1,
          maxLength: 30,
        }),
        (rows) => {
          const quote = (s: string): string => `"${s.replaceAll('"', '""')}"`;
          const text = ["user,item,value", ...rows.map((r) => `${quote(r.user)},${quote(r.item)},${r.value}`)].join("\n");
          expect(parseInteractionsCsv(text)).toEqual(createInteractions(rows));
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe("parseMovieLens100k", () => {
  it("reads tab-separated user, item, rating, timestamp with numeric ids", () => {
    const data = parseMovieLens100k("196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n");
    expect(data.users.ids).toEqual([196, 186, 22]);
    expect(interactionValue(data, 22, 377)).toBe(1);
    expect(Array.from(userItems(data, 186).timestamps!)).toEqual([891717742]);
  });

  it("rejects a repeated rating by default and a malformed line by number", () => {
    const duplicate = errorOf(() => parseMovieLens100k("1\t2\t3\t4\n1\t2\t5\t6\n"));
    expect(duplicate.code).toBe("E_DUPLICATE");
    expect(interactionValue(parseMovieLens100k("1\t2\t3\t4\n1\t2\t5\t6\n", { duplicates: "last" }), 1, 2)).toBe(5);
    expect(errorOf(() => parseMovieLens100k("1\t2\t3\t4\n1\t2\tthree\t6\n")).message).toBe(
      'parseMovieLens100k: line 2, column 3 (value) must be a number, got "three"',
    );
  });
});

describe("lines with more fields than the header (regression: the extra fields were dropped silently)", () => {
  it("throw by default, naming the line and both counts; extraFields: ignore reads the planned columns", async () => {
    expectError(
      () => parseInteractionsCsv("user,item,value\nacme,crm,1,200\n"),
      "E_BAD_INPUT",
      'parseInteractionsCsv: line 2 must have 3 fields like the header (line 1), got 4 (a delimiter inside an unquoted field? quote it, or pass extraFields: "ignore")',
    );
    async function* chunks(): AsyncIterable<string> {
      yield "user,item,value\n";
      yield "acme,crm,1,200\n";
    }
    await expect(parseInteractionsCsvAsync(chunks())).rejects.toThrow("line 2 must have 3 fields like the header (line 1), got 4");
    expectError(() => parseInteractionsCsv("acme,crm,1\nglobex,erp,2,9\n", { header: false }), "E_BAD_INPUT", "line 2 must have 3 fields like the first line (line 1), got 4");
    const ignored = parseInteractionsCsv("user,item,value\nacme,crm,1,200\n", { extraFields: "ignore" });
    expect(interactionValue(ignored, "acme", "crm")).toBe(1);
    // A quoted delimiter is one field, not an extra one.
    expect(parseInteractionsCsv('user,item,value\nacme,"crm, pro",5\n').items.ids).toEqual(["crm, pro"]);
    expectError(() => parseInteractionsCsv("user,item\na,b\n", { extraFields: "drop" as never }), "E_BAD_INPUT", 'options.extraFields must be "error" or "ignore"');
  });

  it("property: any line wider than the header is an error naming that line", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), (rowsBefore, extra) => {
        const lines = ["user,item,value", ...Array.from({ length: rowsBefore }, (_, r) => `u${r},i${r},${r}`), `x,y,1${",9".repeat(extra)}`];
        expectError(() => parseInteractionsCsv(lines.join("\n")), "E_BAD_INPUT", `line ${rowsBefore + 2} must have 3 fields like the header (line 1), got ${3 + extra}`);
      }),
      { seed: 42, numRuns: 50 },
    );
  });
});
