/**
 * Reader and cleaner for the UCI "Online Retail" invoice-line layout (Online Retail II and the original Online
 * Retail): a real UK gift-ware wholesaler's transactions, one row per product on an invoice. Cleans the rows the
 * usual way for recommendation, keeps the cleaned lines as events, and builds account × product interactions from
 * them.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { createCsvTokenizer, type CsvRecord } from "../data/csv.ts";
import {
  createInteractionsFromColumns,
  resolveCreateOptions,
  unknownIdError,
  type CreateInteractionsOptions,
} from "../data/interactions.ts";
import type { Interactions } from "../data/types.ts";
import { resolveTimeUnit } from "../internal/time.ts";
import { checkOptions } from "./table.ts";

/**
 * The stock codes of the Online Retail data that are not products (postage, carriage, manual entries, discounts,
 * samples, fees, adjustments, vouchers, tests, ...), as listed in the data's provenance: `POST`, `DOT`, `C2`, `M`,
 * `m`, `D`, `S`, `BANK CHARGES`, `AMAZONFEE`, `ADJUST*`, `B`, `CRUK`, `TEST*`, `gift_0001_*`, `DCGS*`, `PADS`.
 * A code ending in `*` matches every stock code that starts with the rest; the others match exactly
 * (case-sensitive). The default of {@link ParseOnlineRetailOptions.nonProductCodes}.
 *
 * @category datasets
 */
export const ONLINE_RETAIL_NON_PRODUCT_CODES: readonly string[] = Object.freeze([
  "POST",
  "DOT",
  "C2",
  "M",
  "m",
  "D",
  "S",
  "BANK CHARGES",
  "AMAZONFEE",
  "ADJUST*",
  "B",
  "CRUK",
  "TEST*",
  "gift_0001_*",
  "DCGS*",
  "PADS",
]);

/**
 * Options of {@link parseOnlineRetail}, {@link createOnlineRetailReader} and {@link cleanOnlineRetail}: the cleaning
 * rules (each drops the rows it names; a row is counted under the first rule that drops it, in the order below)
 * and the unit of the timestamps.
 *
 * @category datasets
 */
export interface ParseOnlineRetailOptions {
  /**
   * Drop rows without a customer id (guest orders; about 20% of Online Retail II). When false they are kept with
   * the account id `""`.
   * @defaultValue true
   */
  dropMissingAccounts?: boolean;
  /** Drop cancellations: rows whose invoice starts with `C` (returns, with negative quantities). @defaultValue true */
  dropCancellations?: boolean;
  /** Drop adjustments: rows whose invoice starts with `A` (bad-debt write-offs). @defaultValue true */
  dropAdjustments?: boolean;
  /** Drop rows with Quantity ≤ 0. @defaultValue true */
  dropNonPositiveQuantities?: boolean;
  /** Drop rows with Price ≤ 0 (free items, manual corrections). @defaultValue true */
  dropNonPositivePrices?: boolean;
  /**
   * The stock codes that are not products, dropped: a list of codes (a code ending in `*` matches by prefix, the
   * others exactly) or a function that returns true for a non-product stock code (it gets the trimmed code).
   * `[]` keeps every code.
   * @defaultValue {@link ONLINE_RETAIL_NON_PRODUCT_CODES}
   */
  nonProductCodes?: readonly string[] | ((stockCode: string) => boolean);
  /**
   * Drop a row that repeats an earlier kept row exactly (same invoice, stock code, description, quantity, date,
   * price, customer and country; 6,865 rows of Online Retail II repeat one). Off by default: the repeats may be
   * real repeated scans, and the default interaction value (distinct invoices) does not change either way.
   * @defaultValue false
   */
  dropDuplicates?: boolean;
  /**
   * The unit of the timestamps: `"seconds"` (the models' default) or `"milliseconds"` since the epoch.
   * @defaultValue "seconds"
   */
  timeUnit?: "seconds" | "milliseconds";
}

/**
 * Raw Online Retail rows in columnar form, for {@link cleanOnlineRetail}: entry `k` of each column is row `k`
 * (what a Parquet or Arrow reader returns). Text cells are trimmed; numbers may come as numbers, bigints (Parquet
 * INT64) or numeric text.
 *
 * @category datasets
 */
export interface OnlineRetailColumns {
  /** `Invoice` / `InvoiceNo`: the invoice number; a leading `C` marks a cancellation, `A` an adjustment. */
  readonly invoice: ArrayLike<string | number | null | undefined>;
  /** `StockCode`: the product id. */
  readonly stockCode: ArrayLike<string | number | null | undefined>;
  /** `Description`: the product name (optional column). */
  readonly description?: ArrayLike<string | null | undefined>;
  /** `Quantity`: units on the line (negative for returns). */
  readonly quantity: ArrayLike<number | bigint | string | null | undefined>;
  /**
   * `InvoiceDate`: text in a format {@link parseOnlineRetail} reads, or a `Date` whose UTC fields are the wall
   * clock (what Parquet readers return for a timestamp without a time zone).
   */
  readonly invoiceDate: ArrayLike<string | Date | null | undefined>;
  /** `Price` / `UnitPrice`: the unit price. */
  readonly price: ArrayLike<number | bigint | string | null | undefined>;
  /** `Customer ID` / `CustomerID`: the account id; null, undefined, NaN or empty when missing. */
  readonly customerId: ArrayLike<string | number | bigint | null | undefined>;
  /** `Country`: the customer's country (optional column). */
  readonly country?: ArrayLike<string | null | undefined>;
}

/**
 * The cleaned invoice lines, in columnar form: line `k` is `quantities[k]` units of product `products[k]` on
 * invoice `invoices[k]` of account `accounts[k]` at `unitPrices[k]` each, at time `timestamps[k]`. These are the
 * events; split them in time before merging (see {@link onlineRetailInteractions}).
 *
 * @category datasets
 */
export interface OnlineRetailLines {
  /** The account (customer) id of each line. */
  readonly accounts: readonly string[];
  /** The product id (stock code) of each line. */
  readonly products: readonly string[];
  /** The invoice id of each line. */
  readonly invoices: readonly string[];
  /** The units on each line. */
  readonly quantities: Float64Array;
  /** The unit price of each line. */
  readonly unitPrices: Float64Array;
  /** The invoice date of each line: the wall clock read as UTC, in `timeUnit` since the epoch. */
  readonly timestamps: Float64Array;
  /** The unit of `timestamps`. */
  readonly timeUnit: "seconds" | "milliseconds";
}

/** A product of the cleaned lines. @category datasets */
export interface OnlineRetailProduct {
  /** The stock code. */
  readonly id: string;
  /** The most frequent trimmed non-empty description on its lines (ties: the latest line's), or null. */
  readonly description: string | null;
  /** The median unit price over its lines. */
  readonly unitPrice: number;
  /** The number of cleaned lines it is on. */
  readonly lines: number;
}

/** An account of the cleaned lines. @category datasets */
export interface OnlineRetailAccount {
  /** The customer id. */
  readonly id: string;
  /** The country on most of its lines (ties: the latest line's), or null when no line names one. */
  readonly country: string | null;
}

/** How many rows each cleaning rule dropped (a row counts under the first rule that drops it). @category datasets */
export interface OnlineRetailDropCounts {
  /** Rows without a customer id. */
  readonly missingAccount: number;
  /** Rows of invoices starting with `C`. */
  readonly cancellation: number;
  /** Rows of invoices starting with `A`. */
  readonly adjustment: number;
  /** Rows with Quantity ≤ 0. */
  readonly nonPositiveQuantity: number;
  /** Rows with Price ≤ 0. */
  readonly nonPositivePrice: number;
  /** Rows with a non-product stock code. */
  readonly nonProductCode: number;
  /** Rows that repeat an earlier kept row exactly. */
  readonly duplicate: number;
}

/** What the cleaning did. `rowsKept` plus every count of `dropped` equals `rowsRead`. @category datasets */
export interface OnlineRetailReport {
  /** The data rows read (the header not counted). */
  readonly rowsRead: number;
  /** The rows kept as lines. */
  readonly rowsKept: number;
  /** The rows each rule dropped. */
  readonly dropped: OnlineRetailDropCounts;
  /** The earliest kept line's timestamp (in the lines' `timeUnit`), or null when no row was kept. */
  readonly firstTimestamp: number | null;
  /** The latest kept line's timestamp, or null when no row was kept. */
  readonly lastTimestamp: number | null;
}

/** The cleaned Online Retail data: lines (the events), products, accounts and the cleaning report. @category datasets */
export interface OnlineRetailData {
  /** The kept invoice lines, in input order. */
  readonly lines: OnlineRetailLines;
  /** One record per product of the lines, in first-seen order. */
  readonly products: readonly OnlineRetailProduct[];
  /** One record per account of the lines, in first-seen order. */
  readonly accounts: readonly OnlineRetailAccount[];
  /** Rows read, kept and dropped per rule, and the time range. */
  readonly report: OnlineRetailReport;
}

/**
 * A streaming Online Retail reader: push text chunks as they arrive (a file stream, a fetch body), call `end()`.
 *
 * @category datasets
 */
export interface OnlineRetailReader {
  /** Parses a chunk of text (any size; it may end mid-field). */
  push(chunk: string): void;
  /** Ends the input and returns the cleaned data. The reader cannot be used afterwards. */
  end(): OnlineRetailData;
}

/** A logical column of the layout. @internal */
export type OnlineRetailField = keyof OnlineRetailColumns;

/** The columns in the order rows are read, with the header names of both layouts (II first). */
const FIELDS: readonly { readonly field: OnlineRetailField; readonly names: readonly string[]; readonly required: boolean }[] = [
  { field: "invoice", names: ["Invoice", "InvoiceNo"], required: true },
  { field: "stockCode", names: ["StockCode"], required: true },
  { field: "description", names: ["Description"], required: false },
  { field: "quantity", names: ["Quantity"], required: true },
  { field: "invoiceDate", names: ["InvoiceDate"], required: true },
  { field: "price", names: ["Price", "UnitPrice"], required: true },
  { field: "customerId", names: ["Customer ID", "CustomerID"], required: true },
  { field: "country", names: ["Country"], required: false },
];
const [INVOICE, STOCK_CODE, DESCRIPTION, QUANTITY, INVOICE_DATE, PRICE, CUSTOMER, COUNTRY] = [0, 1, 2, 3, 4, 5, 6, 7] as const;

/**
 * Where each field of the layout sits among `names` (a CSV header or a Parquet schema): one position per field of
 * `fields`, -1 for an absent optional column, and the name found. `what` is `"the header"` or the like.
 * @internal
 */
export function onlineRetailColumnPositions(
  fn: string,
  names: readonly string[],
  what: string,
): { readonly positions: readonly number[]; readonly names: readonly string[]; readonly fields: readonly OnlineRetailField[] } {
  const at = new Map<string, number>();
  names.forEach((name, k) => {
    if (!at.has(name.trim())) at.set(name.trim(), k);
  });
  const positions: number[] = [];
  const found: string[] = [];
  for (const { names: candidates, required } of FIELDS) {
    const name = candidates.find((candidate) => at.has(candidate));
    if (name === undefined && required) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: ${what} must have a column ${candidates.map((c) => describeValue(c)).join(" or ")}, got ${names.length === 0 ? "no columns" : names.map((n) => describeValue(n)).join(", ")}`,
      );
    }
    positions.push(name === undefined ? -1 : at.get(name)!);
    found.push(name ?? candidates[0]!);
  }
  return { positions, names: found, fields: FIELDS.map((f) => f.field) };
}

// ---------------------------------------------------------------------------------------------------------------
// Cell conversion

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const US_DATE_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const INTEGRAL_FLOAT = /^(\d+)\.0+$/;
const DATE_RULE = "be a date YYYY-MM-DD HH:MM[:SS] or M/D/YYYY H:MM";

/** Strict numeric text (no hex, no empty text), or NaN. */
function parseNumberText(text: string): number {
  return NUMBER.test(text) ? Number(text) : Number.NaN;
}

/** The wall clock of a date-time text read as UTC, in ms since the epoch, or NaN for a malformed or impossible date. */
function parseWallClock(text: string): number {
  let year: number, month: number, day: number, hour: number, minute: number, second: number;
  let millis = 0;
  let m = ISO_DATE_TIME.exec(text);
  if (m !== null) {
    [year, month, day, hour, minute] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
    second = m[6] === undefined ? 0 : Number(m[6]);
    if (m[7] !== undefined) millis = Math.round(Number(`0.${m[7]}`) * 1000);
  } else {
    m = US_DATE_TIME.exec(text);
    if (m === null) return Number.NaN;
    [month, day, year, hour, minute] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
    second = m[6] === undefined ? 0 : Number(m[6]);
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return Number.NaN; // e.g. 2010-02-30
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime() + millis;
}

/** An id cell (invoice, stock code, customer) as trimmed text; "" when missing (NaN too: pandas' missing number); undefined for a wrong type. */
function idText(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim();
  if (value === null || value === undefined) return "";
  if (typeof value === "bigint") return String(value);
  if (typeof value === "number") return Number.isNaN(value) ? "" : Number.isFinite(value) ? String(value) : undefined;
  return undefined;
}

/** A free-text cell (description, country), trimmed; "" when missing; undefined for a wrong type. */
function freeText(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim();
  if (value === null || value === undefined) return "";
  return undefined;
}

/** A numeric cell as a number (NaN when it is not one). */
function numberOf(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") return parseNumberText(value.trim());
  return Number.NaN;
}

/** A customer id as an account id: `"17850.0"` (a float export) reads as `"17850"`. */
function accountId(text: string): string {
  if (!text.includes(".")) return text;
  const m = INTEGRAL_FLOAT.exec(text);
  return m === null ? text : m[1]!;
}

// ---------------------------------------------------------------------------------------------------------------
// Cleaning

interface Tally {
  count: number;
  time: number;
  order: number;
}

interface ProductState {
  readonly index: number;
  lines: number;
  readonly descriptions: Map<string, Tally>;
}

function countInto(tallies: Map<string, Tally>, key: string, time: number, order: number): void {
  const tally = tallies.get(key);
  if (tally === undefined) tallies.set(key, { count: 1, time, order });
  else {
    tally.count++;
    if (time >= tally.time) {
      tally.time = time;
      tally.order = order;
    }
  }
}

/** The most frequent key; ties go to the latest time, then to the later line. */
function mostFrequent(tallies: ReadonlyMap<string, Tally>): string | null {
  let best: string | null = null;
  let top: Tally | undefined;
  for (const [key, tally] of tallies) {
    if (
      top === undefined ||
      tally.count > top.count ||
      (tally.count === top.count && (tally.time > top.time || (tally.time === top.time && tally.order > top.order)))
    ) {
      best = key;
      top = tally;
    }
  }
  return best;
}

function resolveNonProduct(fn: string, value: unknown): ((stockCode: string) => boolean) | null {
  if (typeof value === "function") {
    return (stockCode) => {
      const verdict: unknown = value(stockCode);
      if (typeof verdict !== "boolean") {
        throw new NextbestError("E_BAD_INPUT", `${fn}: options.nonProductCodes must return a boolean, got ${describeValue(verdict)} for ${describeValue(stockCode)}`);
      }
      return verdict;
    };
  }
  if (!Array.isArray(value)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.nonProductCodes must be an array of stock codes or a function, got ${describeValue(value)}`);
  }
  const exact = new Set<string>();
  const prefixes: string[] = [];
  value.forEach((code: unknown, k) => {
    if (typeof code !== "string" || code === "" || code === "*") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.nonProductCodes[${k}] must be a non-empty stock code (or a prefix ending in *), got ${describeValue(code)}`);
    }
    if (code.endsWith("*")) prefixes.push(code.slice(0, -1));
    else exact.add(code);
  });
  if (exact.size === 0 && prefixes.length === 0) return null;
  return (stockCode) => exact.has(stockCode) || prefixes.some((prefix) => stockCode.startsWith(prefix));
}

function resolveFlag(fn: string, options: ParseOnlineRetailOptions, name: keyof ParseOnlineRetailOptions, fallback: boolean): boolean {
  const value = options[name] ?? fallback;
  if (typeof value !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be a boolean, got ${describeValue(value)}`);
  return value;
}

/** Applies the cleaning rules to rows one at a time and accumulates the kept lines and the tables. */
class OnlineRetailBuilder {
  private readonly dropMissingAccounts: boolean;
  private readonly dropCancellations: boolean;
  private readonly dropAdjustments: boolean;
  private readonly dropNonPositiveQuantities: boolean;
  private readonly dropNonPositivePrices: boolean;
  private readonly isNonProduct: ((stockCode: string) => boolean) | null;
  private readonly seen: Set<string> | null;
  readonly timeUnit: "seconds" | "milliseconds";
  private rowsRead = 0;
  private readonly dropped = {
    missingAccount: 0,
    cancellation: 0,
    adjustment: 0,
    nonPositiveQuantity: 0,
    nonPositivePrice: 0,
    nonProductCode: 0,
    duplicate: 0,
  };
  private count = 0;
  private quantities = new Float64Array(1024);
  private unitPrices = new Float64Array(1024);
  private timestamps = new Float64Array(1024);
  private productOf = new Int32Array(1024);
  private readonly accounts: string[] = [];
  private readonly products: string[] = [];
  private readonly invoices: string[] = [];
  private readonly productStates = new Map<string, ProductState>();
  private readonly accountCountries = new Map<string, Map<string, Tally>>();
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;

  constructor(fn: string, options: ParseOnlineRetailOptions) {
    checkOptions(fn, options);
    this.dropMissingAccounts = resolveFlag(fn, options, "dropMissingAccounts", true);
    this.dropCancellations = resolveFlag(fn, options, "dropCancellations", true);
    this.dropAdjustments = resolveFlag(fn, options, "dropAdjustments", true);
    this.dropNonPositiveQuantities = resolveFlag(fn, options, "dropNonPositiveQuantities", true);
    this.dropNonPositivePrices = resolveFlag(fn, options, "dropNonPositivePrices", true);
    this.isNonProduct = resolveNonProduct(fn, options.nonProductCodes ?? ONLINE_RETAIL_NON_PRODUCT_CODES);
    this.seen = resolveFlag(fn, options, "dropDuplicates", false) ? new Set() : null;
    this.timeUnit = resolveTimeUnit(fn, options.timeUnit);
  }

  /** One validated row: trimmed texts ("" = missing), finite numbers, time in the output unit. */
  add(
    invoice: string,
    stockCode: string,
    description: string,
    quantity: number,
    time: number,
    price: number,
    customer: string,
    country: string,
  ): void {
    this.rowsRead++;
    const dropped = this.dropped;
    if (customer === "" && this.dropMissingAccounts) {
      dropped.missingAccount++;
      return;
    }
    const mark = invoice.charCodeAt(0);
    if (mark === 67 /* C */ && this.dropCancellations) {
      dropped.cancellation++;
      return;
    }
    if (mark === 65 /* A */ && this.dropAdjustments) {
      dropped.adjustment++;
      return;
    }
    if (quantity <= 0 && this.dropNonPositiveQuantities) {
      dropped.nonPositiveQuantity++;
      return;
    }
    if (price <= 0 && this.dropNonPositivePrices) {
      dropped.nonPositivePrice++;
      return;
    }
    if (this.isNonProduct !== null && this.isNonProduct(stockCode)) {
      dropped.nonProductCode++;
      return;
    }
    if (this.seen !== null) {
      const key = `${invoice}\u0000${stockCode}\u0000${description}\u0000${quantity}\u0000${time}\u0000${price}\u0000${customer}\u0000${country}`;
      if (this.seen.has(key)) {
        dropped.duplicate++;
        return;
      }
      this.seen.add(key);
    }
    const k = this.count;
    if (k === this.quantities.length) this.grow();
    let product = this.productStates.get(stockCode);
    if (product === undefined) {
      product = { index: this.productStates.size, lines: 0, descriptions: new Map() };
      this.productStates.set(stockCode, product);
    }
    product.lines++;
    if (description !== "") countInto(product.descriptions, description, time, k);
    let countries = this.accountCountries.get(customer);
    if (countries === undefined) {
      countries = new Map();
      this.accountCountries.set(customer, countries);
    }
    if (country !== "") countInto(countries, country, time, k);
    this.quantities[k] = quantity;
    this.unitPrices[k] = price;
    this.timestamps[k] = time;
    this.productOf[k] = product.index;
    this.accounts.push(customer);
    this.products.push(stockCode);
    this.invoices.push(invoice);
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;
    this.count = k + 1;
  }

  private grow(): void {
    const size = this.quantities.length * 2;
    const grown = (from: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const to = new Float64Array(size);
      to.set(from);
      return to;
    };
    this.quantities = grown(this.quantities);
    this.unitPrices = grown(this.unitPrices);
    this.timestamps = grown(this.timestamps);
    const productOf = new Int32Array(size);
    productOf.set(this.productOf);
    this.productOf = productOf;
  }

  /** The median unit price of each product (by product index), from the kept lines grouped by a counting sort. */
  private medianPrices(productCount: number): Float64Array {
    const n = this.count;
    const start = new Int32Array(productCount + 1);
    for (let k = 0; k < n; k++) start[this.productOf[k]! + 1]!++;
    for (let p = 0; p < productCount; p++) start[p + 1]! += start[p]!;
    const fill = start.slice(0, productCount);
    const grouped = new Float64Array(n);
    for (let k = 0; k < n; k++) grouped[fill[this.productOf[k]!]!++] = this.unitPrices[k]!;
    const medians = new Float64Array(productCount);
    for (let p = 0; p < productCount; p++) {
      const prices = grouped.subarray(start[p]!, start[p + 1]!).sort();
      const half = prices.length >> 1;
      medians[p] = prices.length % 2 === 1 ? prices[half]! : (prices[half - 1]! + prices[half]!) / 2;
    }
    return medians;
  }

  finish(): OnlineRetailData {
    const n = this.count;
    const medians = this.medianPrices(this.productStates.size);
    const products: OnlineRetailProduct[] = [];
    for (const [id, state] of this.productStates) {
      products.push(Object.freeze({ id, description: mostFrequent(state.descriptions), unitPrice: medians[state.index]!, lines: state.lines }));
    }
    const accounts: OnlineRetailAccount[] = [];
    for (const [id, countries] of this.accountCountries) accounts.push(Object.freeze({ id, country: mostFrequent(countries) }));
    const lines: OnlineRetailLines = Object.freeze({
      accounts: Object.freeze(this.accounts),
      products: Object.freeze(this.products),
      invoices: Object.freeze(this.invoices),
      quantities: this.quantities.slice(0, n),
      unitPrices: this.unitPrices.slice(0, n),
      timestamps: this.timestamps.slice(0, n),
      timeUnit: this.timeUnit,
    });
    const report: OnlineRetailReport = Object.freeze({
      rowsRead: this.rowsRead,
      rowsKept: n,
      dropped: Object.freeze({ ...this.dropped }),
      firstTimestamp: n === 0 ? null : this.first,
      lastTimestamp: n === 0 ? null : this.last,
    });
    return Object.freeze({ lines, products: Object.freeze(products), accounts: Object.freeze(accounts), report });
  }
}

/** Validates the options of a parser (for readers that check them before any I/O). @internal */
export function checkOnlineRetailOptions(fn: string, options: ParseOnlineRetailOptions): void {
  new OnlineRetailBuilder(fn, options);
}

/** The trimmed text of the cell at position `p` of a record ("" for an absent column or a short row). */
function cellText(fields: readonly string[], p: number): string {
  return p < 0 ? "" : (fields[p] ?? "").trim();
}

function cellError(fn: string, where: string, rule: string, value: unknown): NextbestError {
  return new NextbestError("E_BAD_INPUT", `${fn}: ${where} must ${rule}, got ${describeValue(value)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Text (CSV) input

/**
 * The reader behind {@link createOnlineRetailReader}, {@link parseOnlineRetail} and `readOnlineRetail`; `fn` names
 * the public function and `source` (e.g. ` of "retail.csv"`) follows the line number in errors. @internal
 */
export function createOnlineRetailReaderFor(fn: string, options: ParseOnlineRetailOptions, source = ""): OnlineRetailReader {
  const builder = new OnlineRetailBuilder(fn, options);
  const milliseconds = builder.timeUnit === "milliseconds";
  const tokenizer = createCsvTokenizer(fn, "auto", source);
  let at: readonly number[] | undefined; // the position of each field in a record, -1 when absent
  let names: readonly string[] = [];
  let lastDateText: string | undefined;
  let lastTime = 0;

  const where = (line: number, field: number): string => `line ${line}${source}, column ${describeValue(names[field])}`;
  const take = (records: CsvRecord[]): void => {
    for (const { fields, line } of records) {
      if (at === undefined) {
        ({ positions: at, names } = onlineRetailColumnPositions(fn, fields, `the header${source}`));
        continue;
      }
      const invoice = cellText(fields, at[INVOICE]!);
      if (invoice === "") throw cellError(fn, where(line, INVOICE), "be non-empty", invoice);
      const stockCode = cellText(fields, at[STOCK_CODE]!);
      if (stockCode === "") throw cellError(fn, where(line, STOCK_CODE), "be non-empty", stockCode);
      const quantityText = cellText(fields, at[QUANTITY]!);
      const quantity = parseNumberText(quantityText);
      if (!Number.isFinite(quantity)) throw cellError(fn, where(line, QUANTITY), "be a finite number", quantityText);
      const dateText = cellText(fields, at[INVOICE_DATE]!);
      if (dateText !== lastDateText) {
        const ms = parseWallClock(dateText);
        if (Number.isNaN(ms)) throw cellError(fn, where(line, INVOICE_DATE), DATE_RULE, dateText);
        lastDateText = dateText;
        lastTime = milliseconds ? ms : ms / 1000;
      }
      const priceText = cellText(fields, at[PRICE]!);
      const price = parseNumberText(priceText);
      if (!Number.isFinite(price)) throw cellError(fn, where(line, PRICE), "be a finite number", priceText);
      const description = cellText(fields, at[DESCRIPTION]!);
      const customer = accountId(cellText(fields, at[CUSTOMER]!));
      builder.add(invoice, stockCode, description, quantity, lastTime, price, customer, cellText(fields, at[COUNTRY]!));
    }
  };
  return {
    push(chunk: string): void {
      take(tokenizer.push(chunk));
    },
    end(): OnlineRetailData {
      take(tokenizer.end());
      if (at === undefined) throw new NextbestError("E_EMPTY", `${fn}: the text${source} must start with a header line, got no lines`);
      return builder.finish();
    },
  };
}

/**
 * Creates a streaming reader for Online Retail CSV text that arrives in chunks: the same header layouts, cleaning
 * and result as {@link parseOnlineRetail}, with memory for the kept lines only (not the text).
 *
 * @param options - the cleaning rules and the time unit (see {@link ParseOnlineRetailOptions})
 * @returns a reader with `push(chunk)` and `end()`
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad option; from `push`/`end`, the errors of
 *   {@link parseOnlineRetail}
 * @example
 * ```ts
 * import { createOnlineRetailReader } from "nextbest/datasets";
 * const reader = createOnlineRetailReader();
 * reader.push("Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n489434,85048,GLASS BALL,12,2009-12-01 07:");
 * reader.push("45:00,6.95,13085,United Kingdom\nC489449,22087,PAPER BUNTING,-12,2009-12-01 10:33:00,2.95,16321,Australia\n");
 * const data = reader.end();
 * data.lines.products; // => ["85048"]
 * data.report.dropped.cancellation; // => 1
 * ```
 * @category datasets
 */
export function createOnlineRetailReader(options: ParseOnlineRetailOptions = {}): OnlineRetailReader {
  return createOnlineRetailReaderFor("createOnlineRetailReader", options);
}

/**
 * Parses and cleans Online Retail CSV text: the UCI "Online Retail II" header (`Invoice, StockCode, Description,
 * Quantity, InvoiceDate, Price, Customer ID, Country`) or the original "Online Retail" one (`InvoiceNo, ...,
 * UnitPrice, CustomerID, ...`), in any column order (`Description` and `Country` may be absent). The delimiter is
 * detected from the header (comma, tab, semicolon or pipe); quoting follows RFC 4180.
 *
 * Cleaning (each rule an option, on by default but the last; a row counts under the first rule that drops it):
 * rows without a customer id, cancellations (`C…` invoices), adjustments (`A…`), Quantity ≤ 0, Price ≤ 0,
 * non-product stock codes ({@link ONLINE_RETAIL_NON_PRODUCT_CODES}), and optionally exact repeats. Cells are
 * trimmed; a customer id written as a float (`17850.0`) reads as `17850`.
 *
 * Dates: `InvoiceDate` is naive UK local time. Its wall clock is read as if it were UTC (`Date.UTC` of the written
 * fields, no time-zone or daylight-saving shift), so `2009-12-01 07:45:00` gives `Date.UTC(2009, 11, 1, 7, 45)`,
 * divided by 1000 for the default `timeUnit: "seconds"`. Formats: `YYYY-MM-DD HH:MM[:SS[.fff]]` (Online Retail II;
 * `T` may separate) and the original sheet's `M/D/YYYY H:MM[:SS]` (month first, as Excel exports it).
 *
 * Returns the kept lines (the events, in input order), a product table (stock code, most frequent description,
 * median unit price, line count), an account table (customer id, country) and a report of what each rule dropped.
 * O(length of the text + kept lines · log).
 * Source: Chen, D. (2019), Online Retail II, UCI Machine Learning Repository, doi:10.24432/C5CG6D (CC BY 4.0).
 *
 * @param text - the file's text
 * @param options - the cleaning rules and the time unit (see {@link ParseOnlineRetailOptions})
 * @returns the cleaned lines, products, accounts and report
 * @throws {@link core!NextbestError} `E_EMPTY` for text without a header line; `E_BAD_INPUT` for a bad option, a
 *   missing column (naming the header found), an empty invoice or stock code, a Quantity or Price that is not a
 *   finite number, or a malformed or impossible date (each naming the line, column and value)
 * @example
 * ```ts
 * import { parseOnlineRetail } from "nextbest/datasets";
 * const data = parseOnlineRetail(
 *   "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n" +
 *   "489434,85048, GLASS BALL ,12,2009-12-01 07:45:00,6.95,13085,United Kingdom\n" +
 *   "489434,POST,POSTAGE,1,2009-12-01 07:45:00,18,13085,United Kingdom\n" +
 *   "489435,85048,GLASS BALL,6,2009-12-01 07:46:00,6.95,,United Kingdom\n",
 * );
 * [data.report.rowsRead, data.report.rowsKept]; // => [3, 1]
 * data.report.dropped.missingAccount; // => 1
 * data.report.dropped.nonProductCode; // => 1
 * data.lines.timestamps[0] === Date.UTC(2009, 11, 1, 7, 45) / 1000; // => true
 * data.products; // => [{ id: "85048", description: "GLASS BALL", unitPrice: 6.95, lines: 1 }]
 * data.accounts; // => [{ id: "13085", country: "United Kingdom" }]
 * parseOnlineRetail("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n536365,85123A,six,12/1/2010 8:26,2.55,17850\n");
 * // throws NextbestError E_BAD_INPUT: "parseOnlineRetail: line 2, column \"Quantity\" must be a finite number, got \"six\""
 * ```
 * @category datasets
 */
export function parseOnlineRetail(text: string, options: ParseOnlineRetailOptions = {}): OnlineRetailData {
  const fn = "parseOnlineRetail";
  if (typeof text !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: text must be a string, got ${describeValue(text)}`);
  const reader = createOnlineRetailReaderFor(fn, options);
  reader.push(text);
  return reader.end();
}

// ---------------------------------------------------------------------------------------------------------------
// Columnar input

/**
 * The cleaning behind {@link cleanOnlineRetail} and the Parquet reader; `where(row, field)` names a cell in errors.
 * @internal
 */
export function cleanOnlineRetailColumnsFor(
  fn: string,
  columns: OnlineRetailColumns,
  options: ParseOnlineRetailOptions,
  where: (row: number, field: OnlineRetailField) => string,
): OnlineRetailData {
  if (typeof columns !== "object" || columns === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: columns must be an object of Online Retail columns, got ${describeValue(columns)}`);
  }
  const builder = new OnlineRetailBuilder(fn, options);
  const milliseconds = builder.timeUnit === "milliseconds";
  let n = -1;
  let lengthOf: OnlineRetailField = "invoice";
  for (const { field, required } of FIELDS) {
    const column = columns[field] as unknown;
    if (column === undefined && !required) continue;
    if (typeof column !== "object" || column === null || typeof (column as { length?: unknown }).length !== "number") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: columns.${field} must be an array, got ${describeValue(column)}`);
    }
    const length = (column as ArrayLike<unknown>).length;
    if (n < 0) {
      n = length;
      lengthOf = field;
    } else if (length !== n) {
      throw new NextbestError("E_SHAPE", `${fn}: columns.${field} must have the length of columns.${lengthOf} (${n}), got length ${length}`);
    }
  }
  const { invoice, stockCode, description, quantity, invoiceDate, price, customerId, country } = columns;
  let lastDate: unknown;
  let lastTime = 0;
  for (let k = 0; k < n; k++) {
    const invoiceValue = invoice[k];
    const invoiceText = idText(invoiceValue);
    if (invoiceText === undefined || invoiceText === "") throw cellError(fn, where(k, "invoice"), "be a non-empty string or a number", invoiceValue);
    const stockValue = stockCode[k];
    const stockText = idText(stockValue);
    if (stockText === undefined || stockText === "") throw cellError(fn, where(k, "stockCode"), "be a non-empty string or a number", stockValue);
    const descriptionValue = description === undefined ? undefined : description[k];
    const descriptionText = freeText(descriptionValue);
    if (descriptionText === undefined) throw cellError(fn, where(k, "description"), "be a string or missing", descriptionValue);
    const quantityValue = quantity[k];
    const quantityNumber = numberOf(quantityValue);
    if (!Number.isFinite(quantityNumber)) throw cellError(fn, where(k, "quantity"), "be a finite number", quantityValue);
    const dateValue = invoiceDate[k];
    if (dateValue !== lastDate || k === 0) {
      const ms = typeof dateValue === "string" ? parseWallClock(dateValue.trim()) : dateValue instanceof Date ? dateValue.getTime() : Number.NaN;
      if (Number.isNaN(ms)) throw cellError(fn, where(k, "invoiceDate"), `${DATE_RULE}, or a Date`, dateValue);
      lastDate = dateValue;
      lastTime = milliseconds ? ms : ms / 1000;
    }
    const priceValue = price[k];
    const priceNumber = numberOf(priceValue);
    if (!Number.isFinite(priceNumber)) throw cellError(fn, where(k, "price"), "be a finite number", priceValue);
    const customerValue = customerId[k];
    const customerText = idText(customerValue);
    if (customerText === undefined) throw cellError(fn, where(k, "customerId"), "be a string, a number or missing", customerValue);
    const countryValue = country === undefined ? undefined : country[k];
    const countryText = freeText(countryValue);
    if (countryText === undefined) throw cellError(fn, where(k, "country"), "be a string or missing", countryValue);
    builder.add(invoiceText, stockText, descriptionText, quantityNumber, lastTime, priceNumber, accountId(customerText), countryText);
  }
  return builder.finish();
}

/**
 * Cleans Online Retail rows given as columns (what a Parquet or Arrow reader returns), with the same rules,
 * cell reading and result as {@link parseOnlineRetail}. Numbers may be numbers, bigints or numeric text;
 * dates text or `Date` objects (their UTC fields taken as the wall clock). O(rows + kept lines · log).
 *
 * @param columns - equal-length columns (see {@link OnlineRetailColumns}); `description` and `country` optional
 * @param options - the cleaning rules and the time unit (see {@link ParseOnlineRetailOptions})
 * @returns the cleaned lines, products, accounts and report
 * @throws {@link core!NextbestError} `E_SHAPE` when the columns differ in length; `E_BAD_INPUT` for a bad option,
 *   a missing column, or a bad cell (naming it, as in `columns.price[3] must be a finite number, got null`)
 * @example
 * ```ts
 * import { cleanOnlineRetail } from "nextbest/datasets";
 * const data = cleanOnlineRetail({
 *   invoice: ["489434", "C489449", "489436"],
 *   stockCode: ["85048", "22087", "21755"],
 *   quantity: [12n, -12n, 4n],
 *   invoiceDate: ["2009-12-01 07:45:00", "2009-12-01 10:33:00", "2009-12-01 09:06:00"],
 *   price: [6.95, 2.95, 5.45],
 *   customerId: [13085n, 16321n, null],
 * });
 * data.report.dropped; // => { missingAccount: 1, cancellation: 1, adjustment: 0, nonPositiveQuantity: 0, nonPositivePrice: 0, nonProductCode: 0, duplicate: 0 }
 * Array.from(data.lines.quantities); // => [12]
 * cleanOnlineRetail({ invoice: ["1"], stockCode: ["2"], quantity: [1], invoiceDate: ["2010-02-30 10:00"], price: [1], customerId: [3] });
 * // throws NextbestError E_BAD_INPUT: "cleanOnlineRetail: columns.invoiceDate[0] must be a date YYYY-MM-DD HH:MM[:SS] or M/D/YYYY H:MM, or a Date, got \"2010-02-30 10:00\""
 * ```
 * @category datasets
 */
export function cleanOnlineRetail(columns: OnlineRetailColumns, options: ParseOnlineRetailOptions = {}): OnlineRetailData {
  return cleanOnlineRetailColumnsFor("cleanOnlineRetail", columns, options, (row, field) => `columns.${field}[${row}]`);
}

// ---------------------------------------------------------------------------------------------------------------
// Interactions

/**
 * What an account × product interaction counts: `"invoices"` (distinct invoices with the product), `"quantity"`
 * (units), `"spend"` (Quantity × Price) or `"lines"` (invoice lines).
 *
 * @category datasets
 */
export type OnlineRetailValue = "invoices" | "quantity" | "spend" | "lines";

/** Options of {@link onlineRetailInteractions}. @category datasets */
export interface OnlineRetailInteractionsOptions extends Omit<CreateInteractionsOptions, "duplicates"> {
  /** What a stored account × product value counts. @defaultValue "invoices" */
  value?: OnlineRetailValue;
  /** Keep only lines at or after this time (in the lines' `timeUnit`). @defaultValue -Infinity */
  from?: number;
  /** Keep only lines strictly before this time (in the lines' `timeUnit`). @defaultValue Infinity */
  before?: number;
}

const VALUES: readonly OnlineRetailValue[] = ["invoices", "quantity", "spend", "lines"];

function checkLines(fn: string, lines: unknown): asserts lines is OnlineRetailLines {
  if (typeof lines !== "object" || lines === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: lines must be the lines of parseOnlineRetail, got ${describeValue(lines)}`);
  }
  const record = lines as Record<string, unknown>;
  if (typeof record.lines === "object" && record.lines !== null && typeof record.report === "object") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: lines must be the lines of parseOnlineRetail's result (pass data.lines), got the whole result`);
  }
  const n = Array.isArray(record.accounts) ? record.accounts.length : -1;
  for (const name of ["accounts", "products", "invoices", "quantities", "unitPrices", "timestamps"] as const) {
    const column = record[name];
    const numeric = name === "quantities" || name === "unitPrices" || name === "timestamps";
    if (numeric ? !(column instanceof Float64Array) : !Array.isArray(column)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: lines.${name} must be ${numeric ? "a Float64Array" : "an array"}, got ${describeValue(column)}`);
    }
    const length = (column as ArrayLike<unknown>).length;
    if (length !== n) throw new NextbestError("E_SHAPE", `${fn}: lines.${name} must have the length of lines.accounts (${n}), got length ${length}`);
  }
}

/**
 * The cleaned lines as account × product `Interactions`, built from events: one event per invoice × product, at the
 * invoice date (its earliest line's), whose value sums those lines (1 per invoice for `"invoices"`).
 * Each stored pair merges its events by sum, and `events` keeps them, so temporal splits of the result cut
 * purchases, not merged pairs; filter a time window here with `from`/`before` to build one side of a cut directly.
 * Accounts are users and stock codes items, in first-seen order. O(lines + accounts + products).
 *
 * @param lines - `parseOnlineRetail(...).lines` (or of `cleanOnlineRetail`, `readOnlineRetail`)
 * @param options - `value` (default `"invoices"`), the window `[from, before)`, and the `createInteractions`
 *   options but `duplicates` (preset `users`/`items` indexes, `unknownIds`)
 * @returns the interactions, with timestamps in the lines' unit
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for lines that are not Online Retail lines, a bad `value`, a
 *   window that is not a pair of numbers with from < before, or a `duplicates` option; `E_SHAPE` for columns of
 *   different lengths; `E_EMPTY` when no line falls in the window; `E_UNKNOWN_ID` for an id outside a preset index
 *   under `unknownIds: "error"` (naming the line)
 * @example
 * ```ts
 * import { onlineRetailInteractions, parseOnlineRetail } from "nextbest/datasets";
 * import { interactionValue } from "nextbest/data";
 * const { lines } = parseOnlineRetail(
 *   "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n" +
 *   "489434,85048,GLASS BALL,12,2009-12-01 07:45:00,6.95,13085,United Kingdom\n" +
 *   "489434,85048,GLASS BALL,6,2009-12-01 07:45:00,6.95,13085,United Kingdom\n" +
 *   "489520,85048,GLASS BALL,2,2009-12-02 11:41:00,6.5,13085,United Kingdom\n",
 * );
 * interactionValue(onlineRetailInteractions(lines), "13085", "85048"); // => 2
 * interactionValue(onlineRetailInteractions(lines, { value: "quantity" }), "13085", "85048"); // => 20
 * interactionValue(onlineRetailInteractions(lines, { value: "lines" }), "13085", "85048"); // => 3
 * const december2 = Date.UTC(2009, 11, 2) / 1000;
 * interactionValue(onlineRetailInteractions(lines, { value: "spend", from: december2 }), "13085", "85048"); // => 13
 * ```
 * @category datasets
 */
export function onlineRetailInteractions(lines: OnlineRetailLines, options: OnlineRetailInteractionsOptions = {}): Interactions {
  const fn = "onlineRetailInteractions";
  checkLines(fn, lines);
  checkOptions(fn, options);
  if ("duplicates" in options) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.duplicates must be omitted (an account × product pair always sums its invoice events), got ${describeValue((options as { duplicates?: unknown }).duplicates)}`,
    );
  }
  const { value = "invoices", from = Number.NEGATIVE_INFINITY, before = Number.POSITIVE_INFINITY, ...createOptions } = options;
  if (!VALUES.includes(value)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.value must be one of ${VALUES.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(value)}`);
  }
  for (const [name, bound] of [
    ["from", from],
    ["before", before],
  ] as const) {
    if (typeof bound !== "number" || Number.isNaN(bound)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be a number, got ${describeValue(bound)}`);
  }
  if (!(from < before)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.from must be less than options.before (${before}), got ${from}`);
  resolveCreateOptions(fn, createOptions);
  const strictUsers = createOptions.unknownIds === "error" ? createOptions.users : undefined;
  const strictItems = createOptions.unknownIds === "error" ? createOptions.items : undefined;

  const { accounts, products, invoices, quantities, unitPrices, timestamps } = lines;
  const n = accounts.length;
  // Dense indexes of the ids, then one event per (account, invoice) visit × product, found by numeric keys (no
  // string concatenation per line).
  const accountIndex = new Map<string, number>();
  const invoiceIndex = new Map<string, number>();
  const productIndex = new Map<string, number>();
  const accountIds: string[] = [];
  const productIds: string[] = [];
  const accountOf = new Int32Array(n);
  const invoiceOf = new Int32Array(n);
  const productOf = new Int32Array(n);
  const inWindow = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const time = timestamps[k]!;
    if (Number.isNaN(time)) throw new NextbestError("E_NON_FINITE", `${fn}: lines.timestamps[${k}] must be a number, got NaN`);
    if (!(time >= from && time < before)) continue;
    if (!Number.isFinite(quantities[k]!)) throw new NextbestError("E_NON_FINITE", `${fn}: lines.quantities[${k}] must be finite, got ${describeValue(quantities[k])}`);
    if (!Number.isFinite(unitPrices[k]!)) throw new NextbestError("E_NON_FINITE", `${fn}: lines.unitPrices[${k}] must be finite, got ${describeValue(unitPrices[k])}`);
    const account = accounts[k]!;
    let a = accountIndex.get(account);
    if (a === undefined) {
      if (strictUsers !== undefined && !strictUsers.lookup.has(account)) throw unknownIdError(fn, `lines.accounts[${k}]`, account, "user");
      a = accountIds.length;
      accountIndex.set(account, a);
      accountIds.push(account);
    }
    const product = products[k]!;
    let p = productIndex.get(product);
    if (p === undefined) {
      if (strictItems !== undefined && !strictItems.lookup.has(product)) throw unknownIdError(fn, `lines.products[${k}]`, product, "item");
      p = productIds.length;
      productIndex.set(product, p);
      productIds.push(product);
    }
    const invoice = invoices[k]!;
    let i = invoiceIndex.get(invoice);
    if (i === undefined) {
      i = invoiceIndex.size;
      invoiceIndex.set(invoice, i);
    }
    accountOf[k] = a;
    invoiceOf[k] = i;
    productOf[k] = p;
    inWindow[k] = 1;
  }
  const invoiceCount = invoiceIndex.size;
  const productCount = productIds.length;
  const visitOf = new Map<number, number>();
  const eventOf = new Map<number, number>();
  const users: string[] = [];
  const items: string[] = [];
  const values = new Float64Array(n);
  const times = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    if (inWindow[k] === 0) continue;
    const visitKey = accountOf[k]! * invoiceCount + invoiceOf[k]!;
    let visit = visitOf.get(visitKey);
    if (visit === undefined) {
      visit = visitOf.size;
      visitOf.set(visitKey, visit);
    }
    const eventKey = visit * productCount + productOf[k]!;
    const time = timestamps[k]!;
    let e = eventOf.get(eventKey);
    if (e === undefined) {
      e = users.length;
      eventOf.set(eventKey, e);
      users.push(accountIds[accountOf[k]!]!);
      items.push(productIds[productOf[k]!]!);
      values[e] = value === "invoices" ? 1 : 0;
      times[e] = time;
    } else if (time < times[e]!) times[e] = time;
    if (value === "quantity") values[e] = values[e]! + quantities[k]!;
    else if (value === "spend") values[e] = values[e]! + quantities[k]! * unitPrices[k]!;
    else if (value === "lines") values[e] = values[e]! + 1;
  }
  if (users.length === 0) {
    throw new NextbestError("E_EMPTY", `${fn}: lines must hold at least one line in [${from}, ${before}), got none of ${n}`);
  }
  const m = users.length;
  return createInteractionsFromColumns({ users, items, values: values.subarray(0, m), timestamps: times.subarray(0, m) }, { timeUnit: lines.timeUnit, ...createOptions, duplicates: "sum" });
}
