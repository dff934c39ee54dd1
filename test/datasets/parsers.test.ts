import { describe, expect, it } from "vitest";
import { interactionCount, interactionValue, interactionsToRows } from "../../src/data/index.ts";
import {
  crmWonInteractions,
  parseCrmAccounts,
  parseCrmPipeline,
  parseCrmProducts,
  parseWholesaleCustomers,
  wholesaleInteractions,
} from "../../src/datasets/index.ts";
import { expectError } from "../helpers.ts";

const ACCOUNTS = [
  "account,sector,year_established,revenue,employees,office_location,subsidiary_of",
  "Acme Corporation,technolgy,1996,1100.04,2822,United States,",
  "Betatech,medical,1986,647.18,1185,Kenya,Acme Corporation",
].join("\r\n");
const PIPELINE_HEADER = "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value";
const PIPELINE = [
  PIPELINE_HEADER,
  "O1,Ann,GTXPro,Acme Corporation,Won,2016-10-20,2017-03-01,4514",
  "O2,Ann,MG Special,Betatech,Lost,2016-10-25,2017-03-07,0",
  "O3,Bob,GTX Basic,,Engaging,2017-01-02,,",
  "O4,Bob,GTX Basic,,Prospecting,,,",
  "O5,Bob,GTXPro,Acme Corporation,Won,2017-02-01,2017-05-01,4600",
  "O6,Cy,GTX Basic,Betatech,Won,2017-02-01,2017-04-01,550",
].join("\r\n");

describe("parseCrmAccounts", () => {
  it("reads typed records from CRLF text, blank parents as null", () => {
    expect(parseCrmAccounts(ACCOUNTS)).toEqual([
      { account: "Acme Corporation", sector: "technolgy", yearEstablished: 1996, revenue: 1100.04, employees: 2822, officeLocation: "United States", subsidiaryOf: null },
      { account: "Betatech", sector: "medical", yearEstablished: 1986, revenue: 647.18, employees: 1185, officeLocation: "Kenya", subsidiaryOf: "Acme Corporation" },
    ]);
  });

  it("accepts the columns in any order", () => {
    const text = "subsidiary_of,employees,office_location,revenue,year_established,sector,account\n,10,Peru,1.5,2001,retail,X";
    expect(parseCrmAccounts(text)[0]).toMatchObject({ account: "X", employees: 10, revenue: 1.5 });
  });

  it("names the line and column of a bad field", () => {
    expectError(() => parseCrmAccounts(ACCOUNTS.replace("2822", "many")), "E_BAD_INPUT", 'parseCrmAccounts: line 2, column "employees" must be a finite number, got "many"');
    expectError(() => parseCrmAccounts(ACCOUNTS.replace("Betatech", "")), "E_BAD_INPUT", 'line 3, column "account" must be non-empty');
    expectError(() => parseCrmAccounts(ACCOUNTS.replace("Betatech", "Acme Corporation")), "E_DUPLICATE", "also on line 2");
    expectError(() => parseCrmAccounts(""), "E_EMPTY", "parseCrmAccounts: text must start with a header line");
    expectError(() => parseCrmAccounts(42 as never), "E_BAD_INPUT", "text must be a string, got 42");
  });
});

describe("parseCrmProducts", () => {
  it("reads typed records", () => {
    expect(parseCrmProducts("product,series,sales_price\r\nGTX Pro,GTX,4821\r\nMG Special,MG,55\r\n")).toEqual([
      { product: "GTX Pro", series: "GTX", salesPrice: 4821 },
      { product: "MG Special", series: "MG", salesPrice: 55 },
    ]);
  });
  it("rejects a missing column and a duplicate", () => {
    expectError(() => parseCrmProducts("product,sales_price\nA,1"), "E_BAD_INPUT", 'the header must have a column "series"');
    expectError(() => parseCrmProducts("product,series,sales_price\nA,X,1\nA,X,2"), "E_DUPLICATE", 'line 3, column "product" must be unique');
  });
});

describe("parseCrmPipeline", () => {
  it("reads stages, UTC dates, blanks as null and canonical product names", () => {
    const deals = parseCrmPipeline(PIPELINE);
    expect(deals).toHaveLength(6);
    expect(deals[0]).toEqual({
      opportunityId: "O1",
      salesAgent: "Ann",
      product: "GTX Pro",
      account: "Acme Corporation",
      dealStage: "Won",
      engageDate: Date.UTC(2016, 9, 20),
      closeDate: Date.UTC(2017, 2, 1),
      closeValue: 4514,
    });
    expect(deals[2]).toMatchObject({ account: null, dealStage: "Engaging", closeDate: null, closeValue: null });
    expect(deals[3]).toMatchObject({ engageDate: null });
    expect(parseCrmPipeline(PIPELINE, { canonicalProductNames: false })[0]!.product).toBe("GTXPro");
  });

  it("rejects bad stages, dates, duplicates and options", () => {
    expectError(() => parseCrmPipeline(PIPELINE.replace("Lost", "lost")), "E_BAD_INPUT", 'line 3, column "deal_stage" must be one of');
    expectError(() => parseCrmPipeline(PIPELINE.replace("2017-03-07", "07-03-2017")), "E_BAD_INPUT", 'parseCrmPipeline: line 3, column "close_date" must be a date YYYY-MM-DD, got "07-03-2017"');
    expectError(() => parseCrmPipeline(PIPELINE.replace("2017-03-07", "2017-02-30")), "E_BAD_INPUT", "2017-02-30");
    expectError(() => parseCrmPipeline(PIPELINE.replace("O2,", "O1,")), "E_DUPLICATE", 'column "opportunity_id" must be unique, got "O1" (also on line 2)');
    expectError(() => parseCrmPipeline(PIPELINE, { canonicalProductNames: "yes" as never }), "E_BAD_INPUT", "options.canonicalProductNames must be a boolean");
    expectError(() => parseCrmPipeline(PIPELINE, null as never), "E_BAD_INPUT", "options must be an object");
  });
});

describe("crmWonInteractions", () => {
  it("keeps won deals only, summing repeats and keeping the latest close date", () => {
    const deals = parseCrmPipeline(PIPELINE);
    const won = crmWonInteractions(deals, { value: "closeValue" });
    // Won: O1 + O5 (Acme × GTX Pro: 4514 + 4600, latest 2017-05-01), O6 (Betatech × GTX Basic: 550).
    expect(interactionCount(won)).toBe(2);
    expect(interactionValue(won, "Acme Corporation", "GTX Pro")).toBe(9114);
    expect(interactionValue(won, "Betatech", "GTX Basic")).toBe(550);
    const rows = interactionsToRows(won);
    expect(rows.find((r) => r.user === "Acme Corporation")!.timestamp).toBe(Date.UTC(2017, 4, 1));
    expect(interactionValue(crmWonInteractions(deals), "Acme Corporation", "GTX Pro")).toBe(2);
  });
  it("rejects no won deals and a bad value option", () => {
    expectError(() => crmWonInteractions([]), "E_EMPTY", "crmWonInteractions: opportunities must hold at least one won deal");
    expectError(() => crmWonInteractions(parseCrmPipeline(PIPELINE), { value: "amount" as never }), "E_BAD_INPUT", 'options.value must be "count" or "closeValue"');
  });
});

describe("parseWholesaleCustomers", () => {
  const TEXT = "Channel,Region,Fresh,Milk,Grocery,Frozen,Detergents_Paper,Delicassen\r\n2,3,12669,9656,7561,214,2674,1338\r\n1,1,0,5,10,0,1,2\r\n";
  it("maps codes to names and reads the six spends", () => {
    expect(parseWholesaleCustomers(TEXT)).toEqual([
      { client: 1, channel: "retail", region: "other", spend: { fresh: 12669, milk: 9656, grocery: 7561, frozen: 214, detergentsPaper: 2674, delicatessen: 1338 } },
      { client: 2, channel: "horeca", region: "lisbon", spend: { fresh: 0, milk: 5, grocery: 10, frozen: 0, detergentsPaper: 1, delicatessen: 2 } },
    ]);
  });
  it("rejects bad codes and spends", () => {
    expectError(() => parseWholesaleCustomers(TEXT.replace("1,1,0", "1,4,0")), "E_BAD_INPUT", 'line 3, column "Region" must be 1 (lisbon), 2 (oporto) or 3 (other), got "4"');
    expectError(() => parseWholesaleCustomers(TEXT.replace("1,1,0", "1,1,-3")), "E_BAD_INPUT", 'line 3, column "Fresh" must be >= 0, got "-3"');
    expectError(() => parseWholesaleCustomers(TEXT.replace("Delicassen", "Deli")), "E_BAD_INPUT", 'must have a column "Delicassen"');
  });
  it("wholesaleInteractions leaves zero spends out", () => {
    const data = wholesaleInteractions(parseWholesaleCustomers(TEXT));
    expect(interactionCount(data)).toBe(6 + 4);
    expect(interactionValue(data, 2, "grocery")).toBe(10);
    expect(interactionValue(data, 2, "fresh")).toBeUndefined();
    expectError(() => wholesaleInteractions([]), "E_EMPTY", "wholesaleInteractions: customers must have at least one positive spend");
  });
});
