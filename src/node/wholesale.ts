/// <reference types="node" />
/**
 * Node-only reader for the UCI Wholesale customers file.
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { NextbestError, describeValue } from "../core/errors.ts";
import { parseWholesaleCustomersFor, type WholesaleCustomer } from "../datasets/wholesale.ts";
import { readTextFile, withFile } from "./crm.ts";

/**
 * Reads the UCI "Wholesale customers" CSV (440 clients: channel, region and annual spend on six categories)
 * through `parseWholesaleCustomers`. Takes the file, or a folder holding `wholesale_customers_data.csv`.
 *
 * @param path - the CSV file or its folder
 * @returns a promise of the clients, numbered from 1 in file order
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when the file cannot be read (naming the path) or a field is bad
 *   (naming the line, column and file); the promise rejects
 * @example
 * ```ts
 * import { readWholesaleCustomers } from "nextbest/node";
 * const clients = await readWholesaleCustomers("../shared/data/uci-wholesale-customers");
 * clients.length; // => 440
 * ```
 * @category node
 */
export async function readWholesaleCustomers(path: string): Promise<WholesaleCustomer[]> {
  const fn = "readWholesaleCustomers";
  if (typeof path !== "string" || path === "") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: path must be a non-empty string, got ${describeValue(path)}`);
  }
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, "wholesale_customers_data.csv");
  } catch {
    // readTextFile reports the missing path.
  }
  const text = await readTextFile(fn, file);
  return withFile(file, () => parseWholesaleCustomersFor(fn, text));
}
