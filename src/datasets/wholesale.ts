/**
 * Parser for the UCI "Wholesale customers" data: real annual spend of 440 clients of a Portuguese distributor.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { createInteractions, type CreateInteractionsOptions } from "../data/interactions.ts";
import type { Interactions } from "../data/types.ts";
import { cell, checkOptions, numberCell, readTable } from "./table.ts";

/** The six spend categories of the wholesale data, in file order (the keys of {@link WholesaleCustomer.spend}). @category datasets */
export const WHOLESALE_CATEGORIES: readonly WholesaleCategory[] = Object.freeze([
  "fresh",
  "milk",
  "grocery",
  "frozen",
  "detergentsPaper",
  "delicatessen",
]);

/** A spend category of the wholesale data. @category datasets */
export type WholesaleCategory = "fresh" | "milk" | "grocery" | "frozen" | "detergentsPaper" | "delicatessen";

/** One client of the wholesale distributor. @category datasets */
export interface WholesaleCustomer {
  /** The 1-based row number (the file has no client id). */
  readonly client: number;
  /** The channel: `Channel` 1 = horeca (hotel/restaurant/café), 2 = retail. */
  readonly channel: "horeca" | "retail";
  /** The region: `Region` 1 = lisbon, 2 = oporto, 3 = other. */
  readonly region: "lisbon" | "oporto" | "other";
  /** Annual spend per category in monetary units (columns Fresh, Milk, Grocery, Frozen, Detergents_Paper, Delicassen). */
  readonly spend: Readonly<Record<WholesaleCategory, number>>;
}

const COLUMNS: readonly (readonly [WholesaleCategory, string])[] = [
  ["fresh", "Fresh"],
  ["milk", "Milk"],
  ["grocery", "Grocery"],
  ["frozen", "Frozen"],
  ["detergentsPaper", "Detergents_Paper"],
  ["delicatessen", "Delicassen"],
];
const CHANNELS = new Map<string, "horeca" | "retail">([
  ["1", "horeca"],
  ["2", "retail"],
]);
const REGIONS = new Map<string, "lisbon" | "oporto" | "other">([
  ["1", "lisbon"],
  ["2", "oporto"],
  ["3", "other"],
]);

/**
 * Parses the UCI Wholesale customers CSV (`Channel, Region, Fresh, Milk, Grocery, Frozen, Detergents_Paper,
 * Delicassen`; CRLF or LF). Codes become names; spends must be finite and non-negative. O(length of the text).
 * Source: Cardoso, M. (2013), Wholesale customers, UCI Machine Learning Repository, doi:10.24432/C5030X.
 *
 * @param text - the file's text
 * @returns one record per client, numbered from 1
 * @throws {@link core!NextbestError} `E_EMPTY` for empty text, `E_BAD_INPUT` for a missing column, an unknown
 *   channel or region code, or a bad spend (naming the line and column)
 * @example
 * ```ts
 * import { parseWholesaleCustomers } from "nextbest/datasets";
 * const text = "Channel,Region,Fresh,Milk,Grocery,Frozen,Detergents_Paper,Delicassen\r\n2,3,12669,9656,7561,214,2674,1338\r\n";
 * const [client] = parseWholesaleCustomers(text);
 * client.channel; // => "retail"
 * client.spend.grocery; // => 7561
 * parseWholesaleCustomers(text.replace("2,3,", "4,3,"));
 * // throws NextbestError E_BAD_INPUT: "parseWholesaleCustomers: line 2, column \"Channel\" must be 1 (horeca) or 2 (retail), got \"4\""
 * ```
 * @category datasets
 */
export function parseWholesaleCustomers(text: string): WholesaleCustomer[] {
  return parseWholesaleCustomersFor("parseWholesaleCustomers", text);
}

/** {@link parseWholesaleCustomers} for the public function `fn` the user called (readWholesaleCustomers). @internal */
export function parseWholesaleCustomersFor(fn: string, text: string): WholesaleCustomer[] {
  const table = readTable(fn, text, ["Channel", "Region", ...COLUMNS.map(([, name]) => name)]);
  return table.rows.map((row, k) => {
    const channelCode = cell(table, row.fields, "Channel");
    const channel = CHANNELS.get(channelCode);
    if (channel === undefined) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: line ${row.line}, column "Channel" must be 1 (horeca) or 2 (retail), got ${describeValue(channelCode)}`);
    }
    const regionCode = cell(table, row.fields, "Region");
    const region = REGIONS.get(regionCode);
    if (region === undefined) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: line ${row.line}, column "Region" must be 1 (lisbon), 2 (oporto) or 3 (other), got ${describeValue(regionCode)}`,
      );
    }
    const spend = {} as Record<WholesaleCategory, number>;
    for (const [key, name] of COLUMNS) {
      const value = numberCell(fn, table, row, name, false)!;
      if (value < 0) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: line ${row.line}, column ${describeValue(name)} must be >= 0, got ${describeValue(cell(table, row.fields, name))}`);
      }
      spend[key] = value;
    }
    return Object.freeze({ client: k + 1, channel, region, spend: Object.freeze(spend) });
  });
}

/**
 * The wholesale spend as `Interactions`: clients (their row numbers) as users, the six categories as items, the
 * annual spend as the value; zero spends are left out. No timestamps (the data are annual totals). O(clients).
 *
 * @param customers - parsed clients (see {@link parseWholesaleCustomers})
 * @param options - the `createInteractions` options (preset id indexes, ...)
 * @returns the client × category spend interactions
 * @throws {@link core!NextbestError} `E_EMPTY` when there is no positive spend, `E_BAD_INPUT` for a non-array
 * @example
 * ```ts
 * import { parseWholesaleCustomers, wholesaleInteractions } from "nextbest/datasets";
 * import { interactionValue, itemCount } from "nextbest/data";
 * const data = wholesaleInteractions(parseWholesaleCustomers(
 *   "Channel,Region,Fresh,Milk,Grocery,Frozen,Detergents_Paper,Delicassen\n1,1,100,0,30,5,0,2\n",
 * ));
 * itemCount(data); // => 4
 * interactionValue(data, 1, "fresh"); // => 100
 * ```
 * @category datasets
 */
export function wholesaleInteractions(customers: readonly WholesaleCustomer[], options: CreateInteractionsOptions = {}): Interactions {
  const fn = "wholesaleInteractions";
  if (!Array.isArray(customers)) throw new NextbestError("E_BAD_INPUT", `${fn}: customers must be an array, got ${describeValue(customers)}`);
  checkOptions(fn, options);
  const rows: { user: number; item: string; value: number }[] = [];
  for (const customer of customers) {
    for (const category of WHOLESALE_CATEGORIES) {
      const value = customer.spend[category];
      if (value > 0) rows.push({ user: customer.client, item: category, value });
    }
  }
  if (rows.length === 0) throw new NextbestError("E_EMPTY", `${fn}: customers must have at least one positive spend, got none`);
  return createInteractions(rows, options);
}
