// Issue 16, "reading tables": parseCsv's header mode and the product/account table readers.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions, parseCsv } from "../../src/data/index.ts";
import { contentRecommender, encodeRows, fitContentRecommender, fitFeatureEncoder, parseFeatureTable } from "../../src/content/index.ts";
import { readFeatureTableFile } from "../../src/node/index.ts";
import { recommend } from "../../src/recommend/index.ts";
import { expectError } from "../helpers.ts";

const scratch = mkdtempSync(path.join(tmpdir(), "nextbest-table-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("parseCsv in header mode", () => {
  it("returns one Map per row that fitFeatureEncoder takes directly (the stumble of issue 16)", () => {
    const rows = parseCsv("sku,family,seats\ncrm,sales,10\nerp,finance,\n", { header: true, numbers: "auto" });
    expect(rows).toEqual([new Map<string, string | number>([["sku", "crm"], ["family", "sales"], ["seats", 10]]), new Map([["sku", "erp"], ["family", "finance"]])]);
    const encoder = fitFeatureEncoder(rows, [{ field: "family", kind: "categorical" }, { field: "seats", kind: "numeric" }]);
    expect(encodeRows(encoder, rows).rows).toBe(2);
  });

  it("keeps strings unless told, names bad number cells, repeated columns and ragged lines", () => {
    expect(parseCsv("zip\n01234\n", { header: true })[0]!.get("zip")).toBe("01234");
    expect(parseCsv("zip,n\n01234,5\n", { header: true, numbers: ["n"] })[0]).toEqual(new Map<string, string | number>([["zip", "01234"], ["n", 5]]));
    expectError(() => parseCsv("a,n\nx,five\n", { header: true, numbers: ["n"] }), "E_BAD_INPUT", 'parseCsv: line 2, column "n" must be a finite number (options.numbers), got "five"');
    expectError(() => parseCsv("a,a\n1,2\n", { header: true }), "E_BAD_INPUT", 'parseCsv: line 1 (the header) must name each column once, got "a" in columns 1 and 2');
    expectError(() => parseCsv("a,b\n1\n", { header: true }), "E_BAD_INPUT", "parseCsv: line 2 must have 2 fields like the header, got 1");
    expectError(() => parseCsv("a\n1\n", { numbers: "auto" } as never), "E_BAD_INPUT", "parseCsv: options.numbers needs header: true");
  });

  it("property: a table of random strings round-trips through quoting", () => {
    const cell = fc.string({ maxLength: 5 });
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }).filter((s) => s.trim() === s && s !== ""), { minLength: 1, maxLength: 4 }), fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (names, body) => {
        const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
        const text = [names.map(quote).join(","), ...body.map((row) => names.map((_, c) => quote(row[c]!)).join(","))].join("\n");
        const rows = parseCsv(text, { header: true, delimiter: "," });
        expect(rows).toHaveLength(body.length);
        rows.forEach((row, r) => names.forEach((name, c) => expect(row.get(name)).toBe(body[r]![c]!.trim() === "" ? undefined : body[r]![c])));
      }),
    );
  });
});

describe("parseFeatureTable and readFeatureTableFile", () => {
  const products = "sku,family,list_price,tags\ncrm,sales,1200,cloud|ai\ncrm-ai,sales,1500,cloud|ai\nerp,finance,5000,on-prem\n";

  it("infers numeric, categorical and tag columns and feeds the content recommender", () => {
    const table = parseFeatureTable(products, { idColumn: "sku" });
    expect(table.ids).toEqual(["crm", "crm-ai", "erp"]);
    expect(table.schema.map((field) => [field.field, field.kind])).toEqual([["family", "categorical"], ["list_price", "numeric"], ["tags", "tags"]]);
    const purchases = createInteractions([{ user: "acme", item: "crm" }, { user: "globex", item: "erp" }]);
    const model = contentRecommender(fitContentRecommender(purchases, table));
    expect(recommend(model, "acme", { k: 1 }).items[0]!.item).toBe("crm-ai");
  });

  it("names the line and column of a repeated or empty id and a missing id column", () => {
    expectError(() => parseFeatureTable("id,f\na,x\na,y\n"), "E_DUPLICATE", 'parseFeatureTable: line 3, column "id" must hold unique ids, got "a" again (first at line 2)');
    expectError(() => parseFeatureTable("id,f\n,x\n"), "E_BAD_INPUT", 'parseFeatureTable: line 2, column "id" must not be empty');
    expectError(() => parseFeatureTable("sku,f\na,x\n"), "E_BAD_INPUT", 'parseFeatureTable: line 1 must have an id column "id", got columns "sku", "f"');
    expectError(() => parseFeatureTable("id,zip\na,01234\n", { categorical: "zip" as never }), "E_BAD_INPUT", "parseFeatureTable: options.categorical must be an array of column names");
  });

  it("reads a file the same way, naming the file in errors", async () => {
    const file = path.join(scratch, "products.csv");
    writeFileSync(file, products);
    const table = await readFeatureTableFile(file, { idColumn: "sku", categorical: ["list_price"] });
    expect(table.schema.find((field) => field.field === "list_price")!.kind).toBe("categorical");
    expect(Array.from(table.features.data)).toEqual(Array.from(parseFeatureTable(products, { idColumn: "sku", categorical: ["list_price"] }).features.data));
    const bad = path.join(scratch, "bad.csv");
    writeFileSync(bad, "id,f\na,x\na,y\n");
    await expect(readFeatureTableFile(bad)).rejects.toThrow(`readFeatureTableFile: line 3 of ${JSON.stringify(bad)}, column "id" must hold unique ids`);
  });
});
