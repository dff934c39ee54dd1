// Issue 15, "silent data loss": duplicate header names, quoted empty ids and non-UTF-8 files.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createInteractions, parseInteractionsCsv } from "../../src/data/index.ts";
import { readInteractionsFile } from "../../src/node/index.ts";
import { expectError } from "../helpers.ts";

const scratch = mkdtempSync(path.join(tmpdir(), "nextbest-encoding-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("header names", () => {
  it("a column the reader needs named twice is an error naming both columns", () => {
    expectError(() => parseInteractionsCsv("user,user,item\na,b,c\n"), "E_BAD_INPUT", 'parseInteractionsCsv: line 1 (the header) must name the user column once, got "user" in columns 1 and 2');
  });

  it("repeated names of columns the reader does not use are harmless", () => {
    const data = parseInteractionsCsv("user,note,item,note\na,x,c,y\n");
    expect(data.users.ids).toEqual(["a"]);
    expect(data.items.ids).toEqual(["c"]);
  });
});

describe("empty ids: CSV and createInteractions agree", () => {
  it('a quoted empty field ("") is the empty-string id, as createInteractions accepts it', () => {
    const fromCsv = parseInteractionsCsv('user,item\n"",crm\nacme,""\n');
    const fromRows = createInteractions([{ user: "", item: "crm" }, { user: "acme", item: "" }]);
    expect(fromCsv.users.ids).toEqual(fromRows.users.ids);
    expect(fromCsv.items.ids).toEqual(fromRows.items.ids);
  });

  it("an unquoted empty or blank field is a missing id", () => {
    expectError(() => parseInteractionsCsv("user,item\n,crm\n"), "E_BAD_INPUT", 'parseInteractionsCsv: line 2, column "user" must be a non-empty id, got ""');
    expectError(() => parseInteractionsCsv("user,item\n  ,crm\n"), "E_BAD_INPUT", "must be a non-empty id");
  });

  it("property: any string id written quoted (quotes doubled) reads back as itself", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 6 }), (ids) => {
        const text = `user,item\n${ids.map((id) => `"${id.replaceAll('"', '""')}",p`).join("\n")}\n`;
        expect(parseInteractionsCsv(text).users.ids).toEqual([...new Set(ids)]);
      }),
    );
  });
});

describe("readInteractionsFile decodes strictly", () => {
  // "café", "cafè", "cafà" in Latin-1: one byte each for é (0xe9), è (0xe8), à (0xe0), invalid as UTF-8.
  const latin1 = Buffer.from("user,item\ncaf\xe9,crm\ncaf\xe8,crm\ncaf\xe0,erp\n", "latin1");

  it("a Latin-1 file read as UTF-8 is an error naming the byte offset and line (accounts were merged before)", async () => {
    const file = path.join(scratch, "latin1.csv");
    writeFileSync(file, latin1);
    await expect(readInteractionsFile(file)).rejects.toThrow(
      `readInteractionsFile: ${JSON.stringify(file)} must be UTF-8 text, got the invalid byte 0xe9 at byte 13 (line 2); if the file is Latin-1 (ISO-8859-1), pass encoding: "latin1"`,
    );
  });

  it('encoding: "latin1" keeps the three accounts apart', async () => {
    const file = path.join(scratch, "latin1-ok.csv");
    writeFileSync(file, latin1);
    const data = await readInteractionsFile(file, { encoding: "latin1" });
    expect(data.users.ids).toEqual(["café", "cafè", "cafà"]);
  });

  it("multi-byte UTF-8 split across chunks still decodes, and a bad encoding option is named", async () => {
    const lines = ["user,item"];
    for (let k = 0; k < 80_000; k++) lines.push(`acct-é€-${k % 101},p${k % 7}`);
    const file = path.join(scratch, "utf8.csv");
    writeFileSync(file, `${lines.join("\n")}\n`);
    expect((await readInteractionsFile(file)).users.ids).toHaveLength(101);
    await expect(readInteractionsFile(file, { encoding: "ascii" as never })).rejects.toThrow('readInteractionsFile: options.encoding must be "utf-8" or "latin1", got "ascii"');
  });
});
