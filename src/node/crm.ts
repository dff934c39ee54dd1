/// <reference types="node" />
/**
 * Node-only reader for the CRM Sales Opportunities folder.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { NextbestError, describeValue } from "../core/errors.ts";
import { settleInOrder } from "./read.ts";
import {
  parseCrmAccountsFor,
  parseCrmPipelineFor,
  parseCrmProductsFor,
  type CrmAccount,
  type CrmOpportunity,
  type CrmProduct,
  type ParseCrmPipelineOptions,
} from "../datasets/crm.ts";

/** The three tables of the CRM Sales Opportunities set. @category node */
export interface CrmSalesOpportunities {
  /** `accounts.csv`. */
  readonly accounts: CrmAccount[];
  /** `products.csv`. */
  readonly products: CrmProduct[];
  /** `sales_pipeline.csv`. */
  readonly opportunities: CrmOpportunity[];
}

/** Options of {@link readCrmSalesOpportunities}: those of `parseCrmPipeline`. @category node */
export interface ReadCrmSalesOpportunitiesOptions extends ParseCrmPipelineOptions {}

/** Reads a UTF-8 file; file-system errors become NextbestError naming the path. @internal */
export async function readTextFile(fn: string, path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: path must name a readable file, got ${JSON.stringify(path)}${typeof code === "string" ? ` (${code})` : ""}`,
    );
  }
}

/** Rethrows a parser error with the file named. @internal */
export function withFile<T>(path: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof NextbestError) throw new NextbestError(error.code, `${error.message} (in ${JSON.stringify(path)})`);
    throw error;
  }
}

/**
 * Reads the Maven Analytics "CRM Sales Opportunities" folder: `accounts.csv` (85 accounts), `products.csv`
 * (7 products) and `sales_pipeline.csv` (8,800 opportunities), through the `nextbest/datasets` parsers.
 *
 * @param directory - the folder holding the three files
 * @param options - `canonicalProductNames` (default true: the pipeline's `GTXPro` is read as `GTX Pro`)
 * @returns a promise of the three tables
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when a file cannot be read (naming the path) or a field is bad
 *   (naming the line, column and file); the other codes as the parsers (the promise rejects)
 * @example
 * ```ts
 * import { readCrmSalesOpportunities } from "nextbest/node";
 * import { crmWonInteractions } from "nextbest/datasets";
 * import { userCount } from "nextbest/data";
 * const crm = await readCrmSalesOpportunities("../shared/data/crm-sales-opportunities");
 * crm.opportunities.length; // => 8800
 * userCount(crmWonInteractions(crm.opportunities)); // => 85
 * ```
 * @category node
 */
export async function readCrmSalesOpportunities(
  directory: string,
  options: ReadCrmSalesOpportunitiesOptions = {},
): Promise<CrmSalesOpportunities> {
  const fn = "readCrmSalesOpportunities";
  if (typeof directory !== "string" || directory === "") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: directory must be a non-empty string, got ${describeValue(directory)}`);
  }
  const [accountsPath, productsPath, pipelinePath] = ["accounts.csv", "products.csv", "sales_pipeline.csv"].map((name) => join(directory, name)) as [
    string,
    string,
    string,
  ];
  // Read in parallel; a failure is reported in file order, whichever read fails first in time.
  const [accountsText, productsText, pipelineText] = await settleInOrder<[string, string, string]>([
    readTextFile(fn, accountsPath),
    readTextFile(fn, productsPath),
    readTextFile(fn, pipelinePath),
  ]);
  return {
    accounts: withFile(accountsPath, () => parseCrmAccountsFor(fn, accountsText)),
    products: withFile(productsPath, () => parseCrmProductsFor(fn, productsText)),
    opportunities: withFile(pipelinePath, () => parseCrmPipelineFor(fn, pipelineText, options)),
  };
}
