// Online Retail II for the benchmark suites and the demo, read by nextbest/node's readOnlineRetail with the standard
// cleaning: accounts × products and invoices × products (baskets), one event per invoice × product at the invoice's
// time, in seconds.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInteractionsFromColumns, type Interactions } from "../src/data/index.ts";
import { onlineRetailInteractions, type OnlineRetailData } from "../src/datasets/index.ts";
import { readOnlineRetail } from "../src/node/index.ts";

export const onlineRetailFolder = join(import.meta.dirname, "..", "..", "shared", "data", "online-retail-ii-2009-2010");
export const onlineRetailFile = join(onlineRetailFolder, "online_retail_II_year_2009_2010.csv.gz");

/** The views of the data the suites use. */
export interface OnlineRetailBench {
  /** The cleaned lines, product and account tables, and the cleaning report. */
  readonly data: OnlineRetailData;
  /** Accounts × products, value = invoices, one event per invoice × product. */
  readonly accounts: Interactions;
  /** Invoices × products (baskets), one event per invoice × product. */
  readonly baskets: Interactions;
}

/** Reads the data, or undefined when the shared folder is absent. */
export async function loadOnlineRetail(): Promise<OnlineRetailBench | undefined> {
  if (!existsSync(onlineRetailFile)) return undefined;
  const data = await readOnlineRetail(onlineRetailFile);
  const accounts = onlineRetailInteractions(data.lines);
  // Baskets: one event per (invoice, product), at the invoice's time.
  const { invoices, products, timestamps } = data.lines;
  const seen = new Set<string>();
  const basketIds: string[] = [];
  const basketItems: string[] = [];
  const basketTimes: number[] = [];
  for (let k = 0; k < invoices.length; k++) {
    const key = `${invoices[k]}\u0000${products[k]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    basketIds.push(invoices[k]!);
    basketItems.push(products[k]!);
    basketTimes.push(timestamps[k]!);
  }
  const baskets = createInteractionsFromColumns({ users: basketIds, items: basketItems, timestamps: basketTimes });
  return { data, accounts, baskets };
}
