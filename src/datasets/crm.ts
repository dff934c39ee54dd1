/**
 * Parsers for the Maven Analytics "CRM Sales Opportunities" files (accounts.csv, products.csv, sales_pipeline.csv).
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { createInteractions, type CreateInteractionsOptions } from "../data/interactions.ts";
import type { Interactions } from "../data/types.ts";
import { checkOptions, dateCell, numberCell, readTable, textCell, cell } from "./table.ts";

/** An account of the CRM set (`accounts.csv`). @category datasets */
export interface CrmAccount {
  /** The company name (the id the pipeline joins on). */
  readonly account: string;
  /** The industry, as written (the file spells `technolgy` for 12 accounts). */
  readonly sector: string;
  /** The year established. */
  readonly yearEstablished: number;
  /** Annual revenue in millions of USD. */
  readonly revenue: number;
  /** Number of employees. */
  readonly employees: number;
  /** The headquarters country. */
  readonly officeLocation: string;
  /** The parent company, or null. */
  readonly subsidiaryOf: string | null;
}

/** A product of the CRM set (`products.csv`). @category datasets */
export interface CrmProduct {
  /** The product name. */
  readonly product: string;
  /** The product series (`GTX`, `MG`, `GTK`). */
  readonly series: string;
  /** The suggested retail price (USD). */
  readonly salesPrice: number;
}

/** The deal stages of the CRM pipeline (Prospecting > Engaging > Won / Lost). @category datasets */
export type CrmDealStage = "Prospecting" | "Engaging" | "Won" | "Lost";

/** An opportunity of the CRM set (`sales_pipeline.csv`): one row per deal, with its current stage only. @category datasets */
export interface CrmOpportunity {
  /** The unique opportunity id. */
  readonly opportunityId: string;
  /** The sales agent. */
  readonly salesAgent: string;
  /** The product name (with `canonicalProductNames`, `GTXPro` is read as `GTX Pro` to join with products.csv). */
  readonly product: string;
  /** The account, or null when blank (1,425 open deals in the official file). */
  readonly account: string | null;
  /** The current stage. */
  readonly dealStage: CrmDealStage;
  /** When the deal entered Engaging (ms since the epoch, UTC midnight), or null (Prospecting deals). */
  readonly engageDate: number | null;
  /** When it was won or lost (ms since the epoch, UTC midnight), or null while open. */
  readonly closeDate: number | null;
  /** The revenue of the deal (0 for lost deals), or null while open. */
  readonly closeValue: number | null;
}

/** Options of {@link parseCrmPipeline}. @category datasets */
export interface ParseCrmPipelineOptions {
  /** Read the pipeline's `GTXPro` as `GTX Pro`, the name products.csv uses. @defaultValue true */
  canonicalProductNames?: boolean;
}

const STAGES: ReadonlySet<string> = new Set(["Prospecting", "Engaging", "Won", "Lost"]);

/**
 * Parses `accounts.csv` of the CRM Sales Opportunities set (columns `account, sector, year_established, revenue,
 * employees, office_location, subsidiary_of`, in any order; CRLF or LF). O(length of the text).
 *
 * @param text - the file's text
 * @returns one record per data row
 * @throws {@link core!NextbestError} `E_EMPTY` for empty text, `E_BAD_INPUT` for a missing column or a bad field
 *   (naming the line and column), `E_DUPLICATE` for a repeated account
 * @example
 * ```ts
 * import { parseCrmAccounts } from "nextbest/datasets";
 * const text = "account,sector,year_established,revenue,employees,office_location,subsidiary_of\r\nAcme,retail,1996,1100.04,2822,United States,\r\n";
 * parseCrmAccounts(text)[0].subsidiaryOf; // => null
 * parseCrmAccounts(text)[0].revenue; // => 1100.04
 * parseCrmAccounts("account,sector\nAcme,retail");
 * // throws NextbestError E_BAD_INPUT: "parseCrmAccounts: the header must have a column \"year_established\", got \"account,sector\""
 * ```
 * @category datasets
 */
export function parseCrmAccounts(text: string): CrmAccount[] {
  return parseCrmAccountsFor("parseCrmAccounts", text);
}

/** {@link parseCrmAccounts} for the public function `fn` the user called (readCrmSalesOpportunities). @internal */
export function parseCrmAccountsFor(fn: string, text: string): CrmAccount[] {
  const table = readTable(fn, text, ["account", "sector", "year_established", "revenue", "employees", "office_location", "subsidiary_of"]);
  const seen = new Map<string, number>();
  return table.rows.map((row) => {
    const account = textCell(fn, table, row, "account");
    const earlier = seen.get(account);
    if (earlier !== undefined) {
      throw new NextbestError("E_DUPLICATE", `${fn}: line ${row.line}, column "account" must be unique, got ${describeValue(account)} (also on line ${earlier})`);
    }
    seen.set(account, row.line);
    const parent = cell(table, row.fields, "subsidiary_of");
    return Object.freeze({
      account,
      sector: textCell(fn, table, row, "sector"),
      yearEstablished: numberCell(fn, table, row, "year_established", false)!,
      revenue: numberCell(fn, table, row, "revenue", false)!,
      employees: numberCell(fn, table, row, "employees", false)!,
      officeLocation: textCell(fn, table, row, "office_location"),
      subsidiaryOf: parent === "" ? null : parent,
    });
  });
}

/**
 * Parses `products.csv` of the CRM Sales Opportunities set (columns `product, series, sales_price`). O(length).
 *
 * @param text - the file's text
 * @returns one record per data row
 * @throws {@link core!NextbestError} `E_EMPTY` for empty text, `E_BAD_INPUT` for a missing column or a bad field
 *   (naming the line and column), `E_DUPLICATE` for a repeated product
 * @example
 * ```ts
 * import { parseCrmProducts } from "nextbest/datasets";
 * parseCrmProducts("product,series,sales_price\r\nGTX Basic,GTX,550\r\n"); // => [{ product: "GTX Basic", series: "GTX", salesPrice: 550 }]
 * parseCrmProducts("product,series,sales_price\nGTX Basic,GTX,cheap");
 * // throws NextbestError E_BAD_INPUT: "parseCrmProducts: line 2, column \"sales_price\" must be a finite number, got \"cheap\""
 * ```
 * @category datasets
 */
export function parseCrmProducts(text: string): CrmProduct[] {
  return parseCrmProductsFor("parseCrmProducts", text);
}

/** {@link parseCrmProducts} for the public function `fn` the user called (readCrmSalesOpportunities). @internal */
export function parseCrmProductsFor(fn: string, text: string): CrmProduct[] {
  const table = readTable(fn, text, ["product", "series", "sales_price"]);
  const seen = new Map<string, number>();
  return table.rows.map((row) => {
    const product = textCell(fn, table, row, "product");
    const earlier = seen.get(product);
    if (earlier !== undefined) {
      throw new NextbestError("E_DUPLICATE", `${fn}: line ${row.line}, column "product" must be unique, got ${describeValue(product)} (also on line ${earlier})`);
    }
    seen.set(product, row.line);
    return Object.freeze({
      product,
      series: textCell(fn, table, row, "series"),
      salesPrice: numberCell(fn, table, row, "sales_price", false)!,
    });
  });
}

/**
 * Parses `sales_pipeline.csv` of the CRM Sales Opportunities set (columns `opportunity_id, sales_agent, product,
 * account, deal_stage, engage_date, close_date, close_value`). Dates are ISO `YYYY-MM-DD` read as UTC midnight in
 * ms; blank accounts, dates and values become null. O(length of the text).
 *
 * @param text - the file's text
 * @param options - `canonicalProductNames` (default true: `GTXPro` → `GTX Pro`)
 * @returns one record per data row
 * @throws {@link core!NextbestError} `E_EMPTY` for empty text, `E_BAD_INPUT` for a missing column, an unknown stage,
 *   a bad date or number (naming the line and column), `E_DUPLICATE` for a repeated opportunity id
 * @example
 * ```ts
 * import { parseCrmPipeline } from "nextbest/datasets";
 * const text = "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\r\n" +
 *   "Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514\r\n";
 * const [deal] = parseCrmPipeline(text);
 * deal.product; // => "GTX Pro"
 * deal.closeDate === Date.UTC(2017, 2, 11); // => true
 * parseCrmPipeline(text.replace("Won", "Closed"));
 * // throws NextbestError E_BAD_INPUT: "parseCrmPipeline: line 2, column \"deal_stage\" must be one of Prospecting, Engaging, Won, Lost, got \"Closed\""
 * ```
 * @category datasets
 */
export function parseCrmPipeline(text: string, options: ParseCrmPipelineOptions = {}): CrmOpportunity[] {
  return parseCrmPipelineFor("parseCrmPipeline", text, options);
}

/** {@link parseCrmPipeline} for the public function `fn` the user called (readCrmSalesOpportunities). @internal */
export function parseCrmPipelineFor(fn: string, text: string, options: ParseCrmPipelineOptions): CrmOpportunity[] {
  checkOptions(fn, options);
  const canonical = options.canonicalProductNames ?? true;
  if (typeof canonical !== "boolean") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.canonicalProductNames must be a boolean, got ${describeValue(canonical)}`);
  }
  const table = readTable(fn, text, [
    "opportunity_id",
    "sales_agent",
    "product",
    "account",
    "deal_stage",
    "engage_date",
    "close_date",
    "close_value",
  ]);
  const seen = new Map<string, number>();
  return table.rows.map((row) => {
    const opportunityId = textCell(fn, table, row, "opportunity_id");
    const earlier = seen.get(opportunityId);
    if (earlier !== undefined) {
      throw new NextbestError(
        "E_DUPLICATE",
        `${fn}: line ${row.line}, column "opportunity_id" must be unique, got ${describeValue(opportunityId)} (also on line ${earlier})`,
      );
    }
    seen.set(opportunityId, row.line);
    const stage = cell(table, row.fields, "deal_stage");
    if (!STAGES.has(stage)) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: line ${row.line}, column "deal_stage" must be one of Prospecting, Engaging, Won, Lost, got ${describeValue(stage)}`,
      );
    }
    let product = textCell(fn, table, row, "product");
    if (canonical && product === "GTXPro") product = "GTX Pro";
    const account = cell(table, row.fields, "account");
    return Object.freeze({
      opportunityId,
      salesAgent: textCell(fn, table, row, "sales_agent"),
      product,
      account: account === "" ? null : account,
      dealStage: stage as CrmDealStage,
      engageDate: dateCell(fn, table, row, "engage_date", true),
      closeDate: dateCell(fn, table, row, "close_date", true),
      closeValue: numberCell(fn, table, row, "close_value", true),
    });
  });
}

/** Options of {@link crmWonInteractions}. @category datasets */
export interface CrmWonInteractionsOptions extends CreateInteractionsOptions {
  /** The interaction value: `"count"` (1 per won deal) or `"closeValue"` (the revenue). @defaultValue "count" */
  value?: "count" | "closeValue";
}

/**
 * The won deals as `Interactions`: accounts as users, products as items, close dates (ms) as timestamps; repeated
 * wins of a product by an account are summed (by default) and keep the latest close date. Deals that are not won,
 * or lack an account or close date, are skipped. O(opportunities).
 *
 * @param opportunities - parsed pipeline rows (see {@link parseCrmPipeline})
 * @param options - `value` (`"count"` or `"closeValue"`) and the `createInteractions` options
 * @returns the won-deal interactions
 * @throws {@link core!NextbestError} `E_EMPTY` when no deal is won, `E_BAD_INPUT` for a bad `value` option
 * @example
 * ```ts
 * import { crmWonInteractions, parseCrmPipeline } from "nextbest/datasets";
 * import { interactionCount, interactionValue } from "nextbest/data";
 * const deals = parseCrmPipeline(
 *   "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n" +
 *   "A1,Ann,GTX Basic,Acme,Won,2017-01-02,2017-03-01,550\n" +
 *   "A2,Ann,MG Special,Acme,Lost,2017-01-02,2017-03-05,0\n" +
 *   "A3,Bob,GTX Basic,Acme,Won,2017-02-02,2017-04-01,560\n",
 * );
 * const won = crmWonInteractions(deals, { value: "closeValue" });
 * interactionCount(won); // => 1
 * interactionValue(won, "Acme", "GTX Basic"); // => 1110
 * ```
 * @category datasets
 */
export function crmWonInteractions(opportunities: readonly CrmOpportunity[], options: CrmWonInteractionsOptions = {}): Interactions {
  const fn = "crmWonInteractions";
  if (!Array.isArray(opportunities)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: opportunities must be an array, got ${describeValue(opportunities)}`);
  }
  checkOptions(fn, options);
  const { value = "count", ...createOptions } = options;
  if (value !== "count" && value !== "closeValue") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.value must be "count" or "closeValue", got ${describeValue(value)}`);
  }
  const rows: { user: string; item: string; value: number; timestamp: number }[] = [];
  for (const deal of opportunities) {
    if (deal.dealStage !== "Won" || deal.account === null || deal.closeDate === null) continue;
    rows.push({ user: deal.account, item: deal.product, value: value === "count" ? 1 : (deal.closeValue ?? 0), timestamp: deal.closeDate });
  }
  if (rows.length === 0) throw new NextbestError("E_EMPTY", `${fn}: opportunities must hold at least one won deal with an account and a close date, got none`);
  // Close dates are milliseconds since the epoch: the dataset carries that unit.
  return createInteractions(rows, { timeUnit: "milliseconds", ...createOptions });
}
