// Small CSV fixtures for the CLI tests, written to a scratch folder under os.tmpdir(), and a captured runCli.
import { parseCsv } from "../../src/data/index.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../../src/cli/main.ts";

/** A scratch folder for one test file. */
export function scratchFolder(): string {
  return mkdtempSync(path.join(tmpdir(), "nextbest-cli-"));
}

/** Writes `text` to `name` in `folder`; returns the path. */
export function writeFixture(folder: string, name: string, text: string): string {
  const file = path.join(folder, name);
  writeFileSync(file, text);
  return file;
}

/** What one runCli call wrote, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with captured output. */
export async function cli(argv: readonly string[], options: { isTTY?: boolean } = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    ...(options.isTTY === undefined ? {} : { isTTY: options.isTTY }),
  });
  return { code, stdout, stderr };
}

/** Parses CSV output without quoted fields (the fixtures' ids have none) into header and rows. */
export function csvRows(text: string): { header: string[]; rows: string[][] } {
  // The CLI quotes fields with commas (sentences in the reason column): read them with the library's CSV parser.
  const [header, ...rows] = parseCsv(text.trimEnd());
  return { header: header!, rows };
}

/** Six purchases by four accounts of three products: x bought by a, b, c (3 buyers); y by a, d (2); z by c (1, value 2). */
export const TINY_PURCHASES = "user,item,value\na,x,1\na,y,1\nb,x,1\nc,x,1\nc,z,2\nd,y,1\n";

/**
 * A small B2B book: 24 accounts in two industries; manufacturers buy CRM products (c1..c4), retailers ERP products
 * (e1..e4), three each with ISO dates; every sixth account also buys one product of the other family. c5 is a new CRM
 * product nobody has bought.
 */
export function b2bPurchases(): string {
  const lines = ["user,item,value,timestamp"];
  for (let j = 0; j < 24; j++) {
    const family = j % 2 === 0 ? "c" : "e";
    const other = family === "c" ? "e" : "c";
    for (let t = 0; t < 3; t++) {
      const day = String(1 + t * 7 + (j % 5)).padStart(2, "0");
      lines.push(`acct-${j},${family}${1 + ((j + t) % 4)},${1 + (j % 3)},2024-03-${day}`);
    }
    if (j % 6 === 0) lines.push(`acct-${j},${other}${1 + (j % 4)},1,2024-04-0${1 + (j % 5)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The product table of {@link b2bPurchases}: family (categorical), price (numeric), tags. */
export const B2B_PRODUCTS = [
  "id,family,price,tags",
  "c1,crm,100,sales|pipeline",
  "c2,crm,120,sales|forecasting",
  "c3,crm,90,sales|email",
  "c4,crm,150,sales|pipeline|email",
  "c5,crm,130,sales|forecasting|pipeline",
  "e1,erp,300,finance|ledger",
  "e2,erp,280,finance|inventory",
  "e3,erp,320,finance|ledger|inventory",
  "e4,erp,260,finance|procurement",
  "",
].join("\n");

/** The account table of {@link b2bPurchases} plus two prospects with no purchases (p-maker, p-shop). */
export function b2bAccounts(): string {
  const lines = ["id,industry,employees"];
  for (let j = 0; j < 24; j++) lines.push(`acct-${j},${j % 2 === 0 ? "manufacturing" : "retail"},${100 + j * 10}`);
  lines.push("p-maker,manufacturing,150", "p-shop,retail,220");
  return `${lines.join("\n")}\n`;
}
