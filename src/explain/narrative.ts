/**
 * Narratives in the style of LinkedIn's CrystalCandle: an explanation's attributions grouped, ranked and split into
 * reasons and risks, each told in plain words from the raw feature values.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { attachDisplay, escapeHtml } from "../internal/jupyter.ts";
import { assertArrayLike } from "../internal/validate.ts";
import { checkOptionsObject, integerOption } from "./internal.ts";
import type { Explanation } from "./types.ts";

/**
 * How a feature's raw value reads: `"count"` (a number, with an optional unit name such as "seats"), `"currency"`
 * (an amount), `"percent"` (a fraction: 0.12 reads "12%"), `"days"`, `"flag"` (0 / non-zero: no / yes),
 * `"category"` (a code indexing `categories`), `"score"` (a rating such as an intent score, "72").
 *
 * @category explain
 */
export type NarrativeUnit = "count" | "currency" | "percent" | "days" | "flag" | "category" | "score";

const UNITS: readonly NarrativeUnit[] = ["count", "currency", "percent", "days", "flag", "category", "score"];

/**
 * What a narrative needs to know about one feature to talk about it.
 *
 * @category explain
 */
export interface FeatureMetadata {
  /** The name a sales rep reads, e.g. `"Seat usage"`. */
  readonly label: string;
  /** The narrative group: features of one group are told as one reason (their attributions summed). @defaultValue the label */
  readonly group?: string;
  /** How the value reads. @defaultValue "count" */
  readonly unit?: NarrativeUnit;
  /** The counted thing after a count, plural, e.g. `"seats"` ("54 seats"; a trailing "s" is dropped for exactly 1: "1 seat"). @defaultValue none */
  readonly unitName?: string;
  /** The ISO 4217 code of a currency feature. @defaultValue "USD" */
  readonly currency?: string;
  /** The time window the value covers, e.g. `"90 days"` (reads "in the last 90 days"). @defaultValue none */
  readonly window?: string;
  /** Whether a high value (or a rise) is good news: decides each item's `assessment`. @defaultValue undefined (neutral) */
  readonly higherIsBetter?: boolean;
  /**
   * The feature holding the same measure for the previous period (a feature of the explanation or a key of
   * `extraData`): the sentence then tells the change, "rose 35% in the last 90 days (40 → 54 seats)". Its own
   * attribution joins this feature's group.
   * @defaultValue none (the sentence tells the level)
   */
  readonly previous?: string;
  /** The names of a category feature's codes (code k reads `categories[k]`). @defaultValue none (the code itself) */
  readonly categories?: readonly string[];
  /**
   * A sentence template replacing the default one. Placeholders: `{label}`, `{value}`, `{previous}`, `{change}`,
   * `{percentChange}`, `{direction}` ("rose", "fell", "was unchanged"), `{window}`, `{percentile}`; `{{` and `}}` for
   * literal braces. Values are inserted as text, never evaluated; an unknown placeholder is an error.
   * @defaultValue the unit's default sentence
   */
  readonly template?: string;
}

/**
 * A score band of the headline: the first band (in the given order) whose `min` the score reaches; the last band
 * catches every lower score.
 *
 * @category explain
 */
export interface ScoreBand {
  /** The lowest score of the band. */
  readonly min: number;
  /** The band's name in the headline, e.g. `"High priority"`. */
  readonly label: string;
}

/**
 * Options of {@link narrateExplanation}.
 *
 * @category explain
 */
export interface NarrativeOptions {
  /** Metadata by feature name; a feature without metadata reads as its name, unit "count". */
  metadata: ReadonlyMap<string, FeatureMetadata>;
  /**
   * The score shown in the headline and banded. @defaultValue the explanation's output; with link "logit", the
   * probability 1 / (1 + e^(−output))
   */
  score?: number;
  /** How the score reads: a number, or a percent (0.82 reads "82%"). @defaultValue "number" */
  scoreFormat?: "number" | "percent";
  /**
   * The bands, highest first.
   * @defaultValue High priority from 0.7, Medium priority from 0.4, Low priority below
   */
  bands?: readonly ScoreBand[];
  /** The most reasons (groups that raise the score). @defaultValue 3 */
  maxReasons?: number;
  /** The most risks (groups that lower it). @defaultValue 2 */
  maxRisks?: number;
  /** Groups whose |attribution| is below this share of the total are left out, in [0, 1). @defaultValue 0.05 */
  minShare?: number;
  /** The BCP 47 locale of the numbers. @defaultValue "en-US" */
  locale?: string;
  /**
   * The raw value of each feature (aligned with the explanation's features), when the model's inputs are transformed
   * (log(1 + spend), standardised, ...): sentences are told from these, not from `explanation.data`.
   * @defaultValue explanation.data
   */
  rawData?: ArrayLike<number>;
  /**
   * Peer rows on the raw scale (aligned with the explanation's features), at least two, for where the value stands:
   * "in the top 5% of peers", "above all peers" (never a share above 100%).
   * @defaultValue none
   */
  peers?: readonly ArrayLike<number>[];
  /** Raw values of features the explanation does not hold (a previous-period value the model does not use). @defaultValue none */
  extraData?: ReadonlyMap<string, number>;
  /**
   * The headline template. Placeholders: `{band}`, `{score}`, `{reason}` (the top reason's sentence that is not
   * counterintuitive, or "no single factor stands out"), `{risk}` (the top risk's, or "no notable risk").
   * @defaultValue "{band} ({score}): {reason}"
   */
  headlineTemplate?: string;
  /**
   * Whether a higher score is good news for the account (P(upsell): yes; P(churn): no). With the metadata's
   * `higherIsBetter` it decides which effect a seller expects from a feature: good news should raise a score that is
   * good news, and lower one that is bad news.
   * @defaultValue true
   */
  higherScoreIsBetter?: boolean;
  /**
   * What to do with a counterintuitive item, one whose effect runs against what its metadata's `higherIsBetter`
   * leads a seller to expect (spend that fell raising P(upsell), long tenure lowering it): `"flag"` keeps it, marked
   * `counterintuitive` and its sentence saying plainly that the model scores it the other way; `"omit"` leaves it out
   * (counted in `omitted`). Either way it never becomes the headline's reason.
   * @defaultValue "flag"
   */
  counterintuitive?: "flag" | "omit";
}

/**
 * One reason or risk of a narrative.
 *
 * @category explain
 */
export interface NarrativeItem {
  /** The narrative group. */
  readonly group: string;
  /** The sentence, told from raw values. */
  readonly text: string;
  /** The group's summed attribution (data for ranking and charts; the sentence never shows it). */
  readonly attribution: number;
  /** |attribution| over the total |attribution| of all groups. */
  readonly share: number;
  /** Whether the group pushes the score up (`"raises"`, a reason) or down (`"lowers"`, a risk). */
  readonly effect: "raises" | "lowers";
  /** Whether the value or its change is good news by the metadata's `higherIsBetter`. */
  readonly assessment: "good" | "bad" | "neutral";
  /**
   * Whether the effect runs against the assessment (good news lowering a score that is good news, bad news raising
   * it, and the reverse for a score that is bad news): the model learned the opposite of what a seller expects.
   */
  readonly counterintuitive: boolean;
  /** The names of the group's features. */
  readonly features: readonly string[];
}

/**
 * A narrative: a headline, the top reasons and risks.
 *
 * @category explain
 */
export interface Narrative {
  /** The headline: score band, score and top reason. */
  readonly headline: string;
  /** The band's label. */
  readonly band: string;
  /** The score banded. */
  readonly score: number;
  /** The groups that raise the score most, largest first. */
  readonly reasons: readonly NarrativeItem[];
  /** The groups that lower it most, largest first. */
  readonly risks: readonly NarrativeItem[];
  /** How many groups were left out (below the share threshold or beyond the top counts). */
  readonly omitted: number;
}

const FEATURE_PLACEHOLDERS: readonly string[] = ["label", "value", "previous", "change", "percentChange", "direction", "window", "percentile"];
const HEADLINE_PLACEHOLDERS: readonly string[] = ["band", "score", "reason", "risk"];

/** Checks a template: balanced braces, known placeholders only. */
function checkTemplate(fn: string, name: string, template: unknown, allowed: readonly string[]): asserts template is string {
  if (typeof template !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a string, got ${describeValue(template)}`);
  const pattern = /\{\{|\}\}|\{([^{}]*)\}|[{}]/g;
  for (const match of template.matchAll(pattern)) {
    const token = match[0];
    if (token === "{{" || token === "}}") continue;
    if (token === "{" || token === "}") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must escape a lone brace as {{ or }}, got ${describeValue(template)}`);
    }
    if (!allowed.includes(match[1]!)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must use only the placeholders ${allowed.map((a) => `{${a}}`).join(", ")}, got {${match[1]}}`);
    }
  }
}

/**
 * Replaces `{name}` placeholders by the text in `values` (a Map, so no property of any object can be reached),
 * `{{` / `}}` by literal braces. The template must have passed {@link checkTemplate}.
 */
export function fillTemplate(template: string, values: ReadonlyMap<string, string>): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (token, name: string | undefined) =>
    token === "{{" ? "{" : token === "}}" ? "}" : (values.get(name!) ?? ""),
  );
}

interface Formatters {
  readonly number: Intl.NumberFormat;
  readonly percent: Intl.NumberFormat;
  readonly wholePercent: Intl.NumberFormat;
  readonly currency: Map<string, Intl.NumberFormat>;
  readonly locale: string;
}

function formatValue(f: Formatters, value: number, md: FeatureMetadata): string {
  const unit = md.unit ?? "count";
  if (Number.isNaN(value)) return "unknown";
  switch (unit) {
    case "currency": {
      const code = md.currency ?? "USD";
      const key = `${code}:${Math.abs(value) >= 100 ? 0 : 2}`;
      let format = f.currency.get(key);
      if (format === undefined) {
        format = new Intl.NumberFormat(f.locale, {
          style: "currency",
          currency: code,
          maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2,
          minimumFractionDigits: 0,
        });
        f.currency.set(key, format);
      }
      return format.format(value);
    }
    case "percent":
      return f.percent.format(value);
    case "days":
      return formatDuration(f, value);
    case "flag":
      return value !== 0 ? "yes" : "no";
    case "category":
      return md.categories?.[value] ?? f.number.format(value);
    default:
      if (md.unitName === undefined) return f.number.format(value);
      return `${f.number.format(value)} ${value === 1 && md.unitName.endsWith("s") ? md.unitName.slice(0, -1) : md.unitName}`;
  }
}

function checkMetadata(fn: string, name: string, md: unknown): asserts md is FeatureMetadata {
  const m = md as Partial<FeatureMetadata> | null;
  const where = `options.metadata.get(${JSON.stringify(name)})`;
  if (typeof m !== "object" || m === null || typeof m.label !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} must be an object with a string label, got ${describeValue(md)}`);
  if (m.unit !== undefined && !UNITS.includes(m.unit)) throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.unit must be one of ${UNITS.map((u) => JSON.stringify(u)).join(", ")}, got ${describeValue(m.unit)}`);
  for (const field of ["group", "unitName", "currency", "window", "previous"] as const) {
    if (m[field] !== undefined && typeof m[field] !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.${field} must be a string, got ${describeValue(m[field])}`);
  }
  if (m.currency !== undefined) {
    try {
      new Intl.NumberFormat("en-US", { style: "currency", currency: m.currency });
    } catch {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.currency must be an ISO 4217 currency code such as "USD", got ${describeValue(m.currency)}`);
    }
  }
  if (m.higherIsBetter !== undefined && typeof m.higherIsBetter !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.higherIsBetter must be a boolean, got ${describeValue(m.higherIsBetter)}`);
  if (m.categories !== undefined && (!Array.isArray(m.categories) || m.categories.some((c) => typeof c !== "string"))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${where}.categories must be an array of strings, got ${describeValue(m.categories)}`);
  }
  if (m.template !== undefined) checkTemplate(fn, `${where}.template`, m.template, FEATURE_PLACEHOLDERS);
}

interface Group {
  readonly key: string;
  readonly features: number[];
  attribution: number;
}

/**
 * Tells an explanation as a narrative a sales rep can read, in the manner of LinkedIn's CrystalCandle (Yang et al.,
 * "Intellige: a user-facing model explainer for narrative explanations", 2021): attributions are summed into
 * narrative groups (the metadata's `group`, a feature's previous-period pair joining it; or the explanation's own
 * groups), groups below `minShare` of the total are dropped, the ones that raise the score become reasons (top
 * `maxReasons`) and the ones that lower it risks (top `maxRisks`), and each is told in a sentence built from the raw
 * values — level, change, percent change, peer percentile — never from attribution numbers: "Seat usage rose 35% in
 * the last 90 days (40 → 54 seats)". Whether a change is good news comes from the metadata (`assessment`); whether it
 * raises the score comes from the attribution's sign (`effect`). The headline gives the score band, the score and
 * the top reason. Numbers are formatted with `Intl.NumberFormat` in the given locale; templates substitute
 * placeholders only. Deterministic: ties keep feature order.
 *
 * Complexity: O(features · log features + peers · features).
 *
 * @param explanation - an explanation (any method)
 * @param options - metadata, score and bands, counts, threshold, locale, peers, extra data, headline template
 * @returns the {@link Narrative}
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a non-explanation, malformed metadata or option, an unknown
 *   template placeholder, a `previous` feature found nowhere, or a locale or currency Intl rejects; `E_SHAPE` for a
 *   peer row of the wrong length
 * @example
 * ```ts
 * import { explainLogistic, narrateExplanation } from "nextbest/explain";
 * const why = explainLogistic(
 *   { coefficients: [0.05, 0, -0.8], intercept: 0 },
 *   [54, 40, 3],
 *   { means: [30, 30, 1], featureNames: ["seats", "seatsBefore", "tickets"] },
 * );
 * const story = narrateExplanation(why, {
 *   metadata: new Map([
 *     ["seats", { label: "Seat usage", unitName: "seats", window: "90 days", previous: "seatsBefore", higherIsBetter: true }],
 *     ["seatsBefore", { label: "Seat usage before" }],
 *     ["tickets", { label: "Open support tickets", higherIsBetter: false }],
 *   ]),
 *   peers: [[30, 30, 1], [20, 25, 0], [60, 50, 4]],
 *   scoreFormat: "percent",
 * });
 * story.reasons.map((r) => r.text); // => ["Seat usage rose 35% in the last 90 days (40 → 54 seats)"]
 * story.risks.map((r) => [r.text, r.assessment]); // => [["Open support tickets: 3, higher than 66% of peers", "bad"]]
 * story.headline; // => "Medium priority (57%): Seat usage rose 35% in the last 90 days (40 → 54 seats)"
 * ```
 * @category explain
 */
export function narrateExplanation(explanation: Explanation, options: NarrativeOptions): Narrative {
  const fn = "narrateExplanation";
  const e = explanation as Partial<Explanation> | null;
  if (typeof e !== "object" || e === null || e.kind !== "explanation" || !Array.isArray(e.values) || !Array.isArray(e.featureNames) || !Array.isArray(e.data)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: explanation must be an Explanation (kind "explanation"), got ${describeValue(explanation)}`);
  }
  checkOptionsObject(fn, options);
  const metadata = options.metadata;
  if (!(metadata instanceof Map)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.metadata must be a Map from feature name to metadata, got ${describeValue(metadata)}`);
  for (const [name, md] of metadata) checkMetadata(fn, name, md);
  const maxReasons = integerOption(fn, "maxReasons", options.maxReasons, 3, 0, 1000);
  const maxRisks = integerOption(fn, "maxRisks", options.maxRisks, 2, 0, 1000);
  const minShare = options.minShare ?? 0.05;
  if (typeof minShare !== "number" || !(minShare >= 0 && minShare < 1)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.minShare must be a number in [0, 1), got ${describeValue(minShare)}`);
  const scoreFormat = options.scoreFormat ?? "number";
  if (scoreFormat !== "number" && scoreFormat !== "percent") throw new NextbestError("E_BAD_INPUT", `${fn}: options.scoreFormat must be "number" or "percent", got ${describeValue(scoreFormat)}`);
  const higherScoreIsBetter = options.higherScoreIsBetter ?? true;
  if (typeof higherScoreIsBetter !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.higherScoreIsBetter must be a boolean, got ${describeValue(higherScoreIsBetter)}`);
  const counterintuitive = options.counterintuitive ?? "flag";
  if (counterintuitive !== "flag" && counterintuitive !== "omit") throw new NextbestError("E_BAD_INPUT", `${fn}: options.counterintuitive must be "flag" or "omit", got ${describeValue(counterintuitive)}`);
  const headlineTemplate = options.headlineTemplate ?? "{band} ({score}): {reason}";
  checkTemplate(fn, "options.headlineTemplate", headlineTemplate, HEADLINE_PLACEHOLDERS);
  const bands = options.bands ?? [
    { min: 0.7, label: "High priority" },
    { min: 0.4, label: "Medium priority" },
    { min: Number.NEGATIVE_INFINITY, label: "Low priority" },
  ];
  if (!Array.isArray(bands) || bands.length === 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.bands must be a non-empty array of { min, label }, got ${describeValue(bands)}`);
  bands.forEach((band: unknown, k) => {
    const b = band as Partial<ScoreBand> | null;
    if (typeof b !== "object" || b === null || typeof b.min !== "number" || Number.isNaN(b.min) || typeof b.label !== "string") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.bands[${k}] must be an object { min: number, label: string }, got ${describeValue(band)}`);
    }
  });
  const extraData = options.extraData;
  if (extraData !== undefined && !(extraData instanceof Map)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.extraData must be a Map from feature name to value, got ${describeValue(extraData)}`);
  const locale = options.locale ?? "en-US";
  let formatters: Formatters;
  try {
    formatters = {
      number: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }),
      percent: new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }),
      wholePercent: new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }),
      currency: new Map(),
      locale,
    };
  } catch {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.locale must be a BCP 47 locale, got ${describeValue(locale)}`);
  }
  const names = explanation.featureNames;
  const d = names.length;
  const indexOf = new Map(names.map((name, j) => [name, j] as const));
  const peers = options.peers;
  if (peers !== undefined) {
    if (!Array.isArray(peers)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.peers must be an array of rows, got ${describeValue(peers)}`);
    peers.forEach((row: unknown, r) => {
      assertArrayLike(fn, `options.peers[${r}]`, row);
      if (row.length !== d) throw new NextbestError("E_SHAPE", `${fn}: options.peers[${r}] must have length ${d} (one per feature), got length ${row.length}`);
    });
  }
  let data: ArrayLike<number> = explanation.data;
  if (options.rawData !== undefined) {
    assertArrayLike(fn, "options.rawData", options.rawData);
    if (options.rawData.length !== d) throw new NextbestError("E_SHAPE", `${fn}: options.rawData must have length ${d} (one per feature), got length ${options.rawData.length}`);
    data = options.rawData;
  }
  const mdOf = (j: number): FeatureMetadata => metadata.get(names[j]!) ?? { label: names[j]! };
  const rawOf = (name: string, owner: string): number => {
    const j = indexOf.get(name);
    if (j !== undefined) return data[j]!;
    const extra = extraData?.get(name);
    if (typeof extra === "number") return extra;
    throw new NextbestError("E_BAD_INPUT", `${fn}: the previous feature of ${JSON.stringify(owner)} must be a feature of the explanation or a key of options.extraData, got ${JSON.stringify(name)}`);
  };
  // the previous-period pair of a feature joins that feature's group
  const pairedWith = new Map<number, number>();
  for (let j = 0; j < d; j++) {
    const previous = metadata.get(names[j]!)?.previous;
    if (previous !== undefined) {
      const k = indexOf.get(previous);
      if (k !== undefined && k !== j) pairedWith.set(k, j);
    }
  }
  // narrative groups in order of first appearance
  const groups = new Map<string, Group>();
  const addTo = (key: string, features: readonly number[], attribution: number): void => {
    let group = groups.get(key);
    if (group === undefined) {
      group = { key, features: [], attribution: 0 };
      groups.set(key, group);
    }
    group.features.push(...features);
    group.attribution += attribution;
  };
  if (explanation.groups === null) {
    for (let j = 0; j < d; j++) {
      const owner = pairedWith.get(j) ?? j;
      const md = mdOf(owner);
      addTo(md.group ?? md.label, [j], explanation.values[j]!);
    }
  } else {
    explanation.groups.forEach((g, k) => addTo(g.name, g.features, explanation.values[k]!));
  }
  let total = 0;
  for (const g of groups.values()) total += Math.abs(g.attribution);
  const ordered = [...groups.values()];
  const kept = ordered.filter((g) => g.attribution !== 0 && Math.abs(g.attribution) >= minShare * total);
  const byMagnitude = (a: Group, b: Group): number => Math.abs(b.attribution) - Math.abs(a.attribution);
  const up = kept.filter((g) => g.attribution > 0).sort(byMagnitude);
  const down = kept.filter((g) => g.attribution < 0).sort(byMagnitude);
  const contribution = (j: number): number => (explanation.groups === null ? Math.abs(explanation.values[j]!) : 0);
  const tell = (g: Group): NarrativeItem => {
    // the lead feature: not a previous-period pair, largest |attribution| (first on ties)
    let lead = -1;
    for (const j of g.features) {
      if (pairedWith.has(j) && g.features.includes(pairedWith.get(j)!)) continue;
      if (lead < 0 || contribution(j) > contribution(lead)) lead = j;
    }
    if (lead < 0) lead = g.features[0]!;
    const { text, assessment } = sentence(lead);
    const effect = g.attribution > 0 ? "raises" : "lowers";
    // Good news should raise a score that is good news (and lower one that is bad news); the reverse is counterintuitive.
    const expected = assessment === "neutral" ? null : (assessment === "good") === higherScoreIsBetter ? "raises" : "lowers";
    const against = expected !== null && expected !== effect;
    return Object.freeze({
      group: g.key,
      text: against ? `${text} (unusually, the model learned that this ${effect} the score)` : text,
      attribution: g.attribution,
      share: total > 0 ? Math.abs(g.attribution) / total : 0,
      effect,
      assessment,
      counterintuitive: against,
      features: Object.freeze(g.features.map((j) => names[j]!)),
    });
  };
  const sentence = (j: number): { text: string; assessment: NarrativeItem["assessment"] } => {
    const md = mdOf(j);
    const unit = md.unit ?? "count";
    const value = data[j]!;
    const f = formatters;
    const placeholders = new Map<string, string>([
      ["label", md.label],
      ["value", formatValue(f, value, md)],
      ["window", md.window ?? ""],
      ["previous", ""],
      ["change", ""],
      ["percentChange", ""],
      ["direction", ""],
      ["percentile", ""],
    ]);
    const good = md.higherIsBetter;
    const judge = (upward: boolean | null): NarrativeItem["assessment"] =>
      good === undefined || upward === null ? "neutral" : upward === good ? "good" : "bad";
    let assessment: NarrativeItem["assessment"] = "neutral";
    let text: string;
    const windowPhrase = md.window === undefined ? "" : ` in the last ${md.window}`;
    if (md.previous !== undefined && unit !== "flag" && unit !== "category") {
      const previous = rawOf(md.previous, names[j]!);
      const change = value - previous;
      const direction = change > 0 ? "rose" : change < 0 ? "fell" : "was unchanged";
      placeholders.set("previous", formatValue(f, previous, md));
      placeholders.set("change", (change > 0 ? "+" : change < 0 ? "\u2212" : "") + formatValue(f, Math.abs(change), md));
      placeholders.set("direction", direction);
      const relative = previous !== 0 ? Math.abs(change / previous) : Number.NaN;
      if (!Number.isNaN(relative)) placeholders.set("percentChange", f.wholePercent.format(relative));
      assessment = judge(change > 0 ? true : change < 0 ? false : null);
      if (change === 0) text = `${md.label} was unchanged at ${placeholders.get("value")}${windowPhrase}`;
      else if (unit === "percent" || Number.isNaN(relative)) {
        text = `${md.label} ${direction} from ${placeholders.get("previous")} to ${placeholders.get("value")}${windowPhrase}`;
      } else {
        text = `${md.label} ${direction} ${placeholders.get("percentChange")}${windowPhrase} (${formatNumberOnly(f, previous, md)} \u2192 ${placeholders.get("value")})`;
      }
    } else if (unit === "flag") {
      text = `${md.label}: ${placeholders.get("value")}`;
      assessment = judge(value !== 0);
    } else if (unit === "category") {
      text = `${md.label}: ${placeholders.get("value")}`;
    } else {
      let percentilePhrase = "";
      if (peers !== undefined && peers.length >= 2) {
        let below = 0;
        let equal = 0;
        for (const row of peers) {
          const v = row[j]!;
          if (v < value) below++;
          else if (v === value) equal++;
        }
        const percentile = (below + equal / 2) / peers.length;
        placeholders.set("percentile", f.wholePercent.format(percentile));
        percentilePhrase = `, ${peerPhrase(peers.length, below, equal, percentile)}`;
        assessment = judge(percentile > 0.5 ? true : percentile < 0.5 ? false : null);
      }
      const windowLevel = md.window === undefined ? "" : ` over the last ${md.window}`;
      // "Label: value" reads right for singular and plural labels ("Open support tickets: 3 tickets").
      text = `${md.label}: ${placeholders.get("value")}${windowLevel}${percentilePhrase}`;
    }
    if (md.template !== undefined) text = fillTemplate(md.template, placeholders);
    return { text, assessment };
  };
  const keep = (item: NarrativeItem): boolean => counterintuitive === "flag" || !item.counterintuitive;
  const reasons = up.map(tell).filter(keep).slice(0, maxReasons);
  const risks = down.map(tell).filter(keep).slice(0, maxRisks);
  let score = options.score;
  if (score === undefined) score = explanation.link === "logit" ? 1 / (1 + Math.exp(-explanation.output!)) : explanation.output!;
  if (typeof score !== "number" || !Number.isFinite(score)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.score must be a finite number, got ${describeValue(score)}`);
  const band = (bands.find((b) => score >= b.min) ?? bands[bands.length - 1]!).label;
  const scoreText =
    scoreFormat === "percent" ? formatters.wholePercent.format(score) : new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(score);
  const headline = fillTemplate(
    headlineTemplate,
    new Map([
      ["band", band],
      ["score", scoreText],
      ["reason", reasons.find((item) => !item.counterintuitive)?.text ?? "no single factor stands out"],
      ["risk", risks.find((item) => !item.counterintuitive)?.text ?? "no notable risk"],
    ]),
  );
  const narrative: Narrative = {
    headline,
    band,
    score,
    reasons: Object.freeze(reasons),
    risks: Object.freeze(risks),
    omitted: ordered.length - reasons.length - risks.length,
  };
  // Notebooks (Deno's Jupyter kernel) show the headline, reasons and risks as HTML.
  attachDisplay(narrative, () => {
    const list = (title: string, items: readonly NarrativeItem[]) =>
      items.length === 0 ? "" : `<p>${title}</p><ul>${items.map((item) => `<li>${escapeHtml(item.text)}</li>`).join("")}</ul>`;
    return { "text/html": `<p><strong>${escapeHtml(headline)}</strong></p>${list("Reasons", reasons)}${list("Risks", risks)}` };
  });
  return Object.freeze(narrative);
}

/**
 * Where a value stands among `peers` rows (which may include the account itself), never past 100%: the highest (no
 * peer above, no tie) is "above all peers" and the lowest "below all peers"; within the top or bottom tenth "in the
 * top k%" / "in the bottom k%" with k = ⌈100 · (rank from that end) / peers⌉; otherwise "higher than x% of peers" /
 * "lower than x% of peers" with x the share strictly below (above), rounded down.
 */
function peerPhrase(count: number, below: number, equal: number, percentile: number): string {
  const above = count - below - equal;
  if (above === 0 && equal <= 1) return "above all peers";
  if (below === 0 && equal <= 1) return "below all peers";
  if (percentile >= 0.5) {
    const top = Math.max(1, Math.ceil((100 * (above + 1)) / count));
    return top <= 10 ? `in the top ${top}% of peers` : `higher than ${Math.floor((100 * below) / count)}% of peers`;
  }
  const bottom = Math.max(1, Math.ceil((100 * (below + 1)) / count));
  return bottom <= 10 ? `in the bottom ${bottom}% of peers` : `lower than ${Math.floor((100 * above) / count)}% of peers`;
}

/**
 * A duration given in days, in days below a year and in years from one year on, one decimal at most:
 * 3 → "3 days", 200 → "200 days", 1038.1 → "2.8 years".
 */
export function formatDuration(f: { readonly number: Intl.NumberFormat }, days: number): string {
  if (Math.abs(days) < 365.25) return `${f.number.format(days)} ${f.number.format(days) === f.number.format(1) ? "day" : "days"}`;
  const years = f.number.format(days / 365.25);
  return `${years} ${years === f.number.format(1) ? "year" : "years"}`;
}

/** The number of a value without its unit name (for "40 → 54 seats"). */
function formatNumberOnly(f: Formatters, value: number, md: FeatureMetadata): string {
  return md.unitName === undefined || (md.unit ?? "count") !== "count" ? formatValue(f, value, md) : f.number.format(value);
}
