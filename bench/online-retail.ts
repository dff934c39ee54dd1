// Online Retail II for the benchmark suites: accounts × products and invoices × products, one event per invoice line
// group (invoice × product) at the invoice's time, in seconds.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInteractionsFromColumns, type Interactions } from "../src/data/index.ts";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parseCsv } from "../src/data/csv.ts";

export const onlineRetailFolder = join(import.meta.dirname, "..", "..", "shared", "data", "online-retail-ii-2009-2010");

/** The two views of the data the suites use. */
export interface OnlineRetailBench {
  /** Accounts × products, value = invoices, one event per invoice × product. */
  readonly accounts: Interactions;
  /** Invoices × products (baskets), one event per invoice × product. */
  readonly baskets: Interactions;
}

const NON_PRODUCT = /^(POST|DOT|C2|M|m|D|S|BANK CHARGES|AMAZONFEE|ADJUST.*|B|CRUK|TEST.*|gift_0001_.*|DCGS.*|PADS)$/;

/** Reads the data, or undefined when the shared folder is absent. */
export async function loadOnlineRetail(): Promise<OnlineRetailBench | undefined> {
  const file = join(onlineRetailFolder, "online_retail_II_year_2009_2010.csv.gz");
  if (!existsSync(file)) return undefined;
  const rows = parseCsv(gunzipSync(readFileSync(file)).toString("utf8"));
  const seen = new Set<string>();
  const accounts: string[] = [];
  const invoices: string[] = [];
  const products: string[] = [];
  const times: number[] = [];
  for (let r = 1; r < rows.length; r++) {
    const [invoice, code, , quantity, date, price, customer] = rows[r]!;
    if (!customer || invoice!.startsWith("C") || invoice!.startsWith("A")) continue;
    if (!(Number(quantity) > 0) || !(Number(price) > 0) || NON_PRODUCT.test(code!)) continue;
    const key = `${invoice}\u0000${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const m = /^(\d+)-(\d+)-(\d+) (\d+):(\d+):(\d+)$/.exec(date!)!;
    accounts.push(customer);
    invoices.push(invoice!);
    products.push(code!);
    times.push(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000);
  }
  return {
    accounts: createInteractionsFromColumns({ users: accounts, items: products, timestamps: times }),
    baskets: createInteractionsFromColumns({ users: invoices, items: products, timestamps: times }),
  };
}
