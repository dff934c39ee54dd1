import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { interactionCount, itemCount, userCount } from "../../src/data/index.ts";
import { crmWonInteractions, WHOLESALE_CATEGORIES, wholesaleInteractions } from "../../src/datasets/index.ts";
import { readCrmSalesOpportunities, readWholesaleCustomers } from "../../src/node/index.ts";

const crmDir = path.resolve(import.meta.dirname, "../../../shared/data/crm-sales-opportunities");
const wholesaleDir = path.resolve(import.meta.dirname, "../../../shared/data/uci-wholesale-customers");
if (!existsSync(crmDir)) console.warn(`skipping the CRM Sales Opportunities tests: ${crmDir} is absent`);
if (!existsSync(wholesaleDir)) console.warn(`skipping the UCI Wholesale customers tests: ${wholesaleDir} is absent`);

describe.skipIf(!existsSync(crmDir))("readCrmSalesOpportunities on the real files", () => {
  it("reads the counts of PROVENANCE.md", async () => {
    const crm = await readCrmSalesOpportunities(crmDir);
    expect(crm.accounts).toHaveLength(85);
    expect(crm.products).toHaveLength(7);
    expect(crm.opportunities).toHaveLength(8800);
    const stages = new Map<string, number>();
    for (const o of crm.opportunities) stages.set(o.dealStage, (stages.get(o.dealStage) ?? 0) + 1);
    expect(Object.fromEntries(stages)).toEqual({ Won: 4238, Lost: 2473, Engaging: 1589, Prospecting: 500 });
    expect(crm.opportunities.filter((o) => o.account === null)).toHaveLength(1425);
    expect(crm.accounts.filter((a) => a.sector === "technolgy")).toHaveLength(12);
    // Won deals sum to 10,005,534 (PROVENANCE.md).
    const wonSum = crm.opportunities.reduce((sum, o) => sum + (o.dealStage === "Won" ? o.closeValue! : 0), 0);
    expect(wonSum).toBe(10_005_534);
    // With canonical names every pipeline product joins products.csv.
    const products = new Set(crm.products.map((p) => p.product));
    expect(crm.opportunities.every((o) => products.has(o.product))).toBe(true);
    const accounts = new Set(crm.accounts.map((a) => a.account));
    expect(crm.opportunities.every((o) => o.account === null || accounts.has(o.account))).toBe(true);
    const closes = crm.opportunities.flatMap((o) => (o.closeDate === null ? [] : [o.closeDate]));
    expect(closes).toHaveLength(6711);
    expect(Math.min(...closes)).toBe(Date.UTC(2017, 2, 1));
    expect(Math.max(...closes)).toBe(Date.UTC(2017, 11, 31));

    const won = crmWonInteractions(crm.opportunities, { value: "closeValue" });
    expect(userCount(won)).toBe(85);
    expect(itemCount(won)).toBe(7);
    let total = 0;
    for (let k = 0; k < won.byUser.values.length; k++) total += won.byUser.values[k]!;
    expect(total).toBe(10_005_534);
    expect(interactionCount(won)).toBeLessThanOrEqual(85 * 7);
  });

  it("rejects a missing folder naming the path", async () => {
    await expect(readCrmSalesOpportunities(path.join(crmDir, "nope"))).rejects.toThrow(/readCrmSalesOpportunities: path must name a readable file, got ".*accounts.csv" \(ENOENT\)/);
  });
});

describe.skipIf(!existsSync(wholesaleDir))("readWholesaleCustomers on the real file", () => {
  it("reads the 440 clients with the channel, region counts and means of PROVENANCE.md", async () => {
    const clients = await readWholesaleCustomers(wholesaleDir);
    expect(clients).toHaveLength(440);
    expect(await readWholesaleCustomers(path.join(wholesaleDir, "wholesale_customers_data.csv"))).toEqual(clients);
    expect(clients.filter((c) => c.channel === "horeca")).toHaveLength(298);
    expect(clients.filter((c) => c.region === "lisbon")).toHaveLength(77);
    expect(clients.filter((c) => c.region === "oporto")).toHaveLength(47);
    const mean = (key: (typeof WHOLESALE_CATEGORIES)[number]): number => clients.reduce((s, c) => s + c.spend[key], 0) / clients.length;
    expect(mean("fresh")).toBeCloseTo(12000.3, 1);
    expect(mean("milk")).toBeCloseTo(5796.27, 1);
    expect(mean("delicatessen")).toBeCloseTo(1524.87, 1);
    const data = wholesaleInteractions(clients);
    expect(userCount(data)).toBe(440);
    expect(itemCount(data)).toBe(6);
  });
});
