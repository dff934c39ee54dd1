// Segmentation on the real UCI Wholesale customers data (Cardoso 2013, doi:10.24432/C5030X; 440 clients of a
// Portuguese distributor: 298 Horeca, 142 Retail). The clusters use only the six log annual spends; the channel is
// held out and used only to describe the segments, so naming the Horeca/Retail split is a real finding.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeRows, fitFeatureEncoder, type FieldSpec } from "../../src/content/index.ts";
import { WHOLESALE_CATEGORIES } from "../../src/datasets/index.ts";
import { readWholesaleCustomers } from "../../src/node/index.ts";
import { kMeansElbow, segmentRows, silhouette, type ProfileField } from "../../src/segments/index.ts";

const directory = join(import.meta.dirname, "..", "..", "..", "shared", "data", "uci-wholesale-customers");

describe.skipIf(!existsSync(directory))(
  "segments on UCI Wholesale customers (skipped: ../shared/data/uci-wholesale-customers is absent)",
  () => {
    const schema: FieldSpec[] = WHOLESALE_CATEGORIES.map((field) => ({ field, kind: "numeric", transform: "log1p" }));
    const profile: ProfileField[] = [
      { field: "channel", kind: "categorical" },
      { field: "region", kind: "categorical" },
      ...WHOLESALE_CATEGORIES.map((field): ProfileField => ({ field, kind: "numeric", scale: "log", high: `heavy buyers of ${field}`, low: `light buyers of ${field}` })),
    ];
    const load = async () => (await readWholesaleCustomers(directory)).map((c) => ({ channel: c.channel, region: c.region, ...c.spend }));

    it("the elbow table picks k = 2 by silhouette, with inertia falling in k", async () => {
      const rows = await load();
      const features = encodeRows(fitFeatureEncoder(rows, schema, { normalize: false }), rows);
      const table = kMeansElbow(features, { minK: 2, maxK: 6, seed: 1 });
      expect(table.bestSilhouetteK).toBe(2);
      expect(table.rows[0]!.silhouette).toBeGreaterThan(0.25);
      for (let i = 1; i < table.rows.length; i++) expect(table.rows[i]!.inertia).toBeLessThan(table.rows[i - 1]!.inertia);
      // The sampled silhouette estimates the exact one.
      const model = segmentRows(rows, { schema, k: 2, seed: 1 }).model;
      const sampled = silhouette(features, model.labels, { sampleSize: 200, seed: 2 }).mean;
      expect(Math.abs(sampled - table.rows[0]!.silhouette)).toBeLessThan(0.05);
    });

    it("two spend segments are the Horeca and the Retail channels, named in plain words", async () => {
      const rows = await load();
      const segmentation = segmentRows(rows, { schema, profile, k: 2, seed: 1 });
      const [first, second] = segmentation.profiles;
      const channelOf = (p: typeof first) => p!.highlights.find((h) => h.field === "channel");
      expect(channelOf(first)!.category).toBe("horeca");
      expect(channelOf(second)!.category).toBe("retail");
      expect(first!.summary).toContain("mostly horeca");
      expect(second!.summary).toContain("mostly retail");
      expect(second!.summary).toMatch(/heavy buyers of (grocery|detergentsPaper|milk)/);
      // Agreement of segments with the held-out channel.
      let agree = 0;
      rows.forEach((row, i) => {
        if ((segmentation.model.labels[i] === 0) === (row.channel === "horeca")) agree++;
      });
      expect(agree / rows.length).toBeGreaterThan(0.85);
    });
  },
);
