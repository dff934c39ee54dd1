/**
 * Waterfall data of an explanation (bars from the base value to the output, largest first, small ones folded), and
 * an SVG renderer that returns the chart as a string.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkOptionsObject, integerOption } from "./internal.ts";
import { playerNames, type Explanation } from "./types.ts";

/**
 * Options of {@link waterfallData}.
 *
 * @category explain
 */
export interface WaterfallOptions {
  /** The most bars; with more players, the smallest are folded into one "N other features" bar. At least 2. @defaultValue 10 */
  maxBars?: number;
  /** Fold every player whose |value| is below this share of Σ |values| (in [0, 1)). @defaultValue 0 */
  minShare?: number;
  /** Display labels by player name (players not in the map keep their name). @defaultValue none */
  labels?: ReadonlyMap<string, string>;
  /**
   * The raw value of each feature to show beside its label, when the model's inputs are transformed (log scale,
   * standardised). @defaultValue explanation.data
   */
  rawData?: ArrayLike<number>;
}

/**
 * One bar of a waterfall.
 *
 * @category explain
 */
export interface WaterfallBar {
  /** The label shown: the player's label, or `"N other features"` for the folded bar. */
  readonly label: string;
  /** The attribution (the sum of the folded values for the folded bar). */
  readonly value: number;
  /** The running total before this bar. */
  readonly start: number;
  /** The running total after it (`start + value`). */
  readonly end: number;
  /** The names of the players in the bar (one, or every folded player). */
  readonly players: readonly string[];
  /** The raw feature value shown beside the label (a single-feature player), else `null`. */
  readonly data: number | null;
  /** Whether this is the folded "other features" bar. */
  readonly folded: boolean;
}

/**
 * A waterfall: bars in display order (largest |value| first, the folded bar last); the running total starts at
 * `baseValue` with the last bar and ends at `output` with the first.
 *
 * @category explain
 */
export interface WaterfallData {
  /** The explanation's base value. */
  readonly baseValue: number;
  /** The explanation's output. */
  readonly output: number;
  /** The explanation's link. */
  readonly link: Explanation["link"];
  /** The bars, largest first. */
  readonly bars: readonly WaterfallBar[];
  /** How many players the folded bar holds (0 when nothing was folded). */
  readonly otherCount: number;
}

function checkExplanation(fn: string, explanation: unknown): asserts explanation is Explanation {
  const e = explanation as Partial<Explanation> | null;
  if (typeof e !== "object" || e === null || e.kind !== "explanation" || !Array.isArray(e.values) || !Array.isArray(e.featureNames)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: explanation must be an Explanation (kind "explanation"), got ${describeValue(explanation)}`);
  }
}

/**
 * The waterfall of an explanation (as shap's waterfall plot): one bar per player sorted by |value|, largest first;
 * beyond `maxBars` (or below `minShare` of the total magnitude) the smallest are folded into one "N other features"
 * bar. The running total goes from the base value (below the last bar) to the output (after the first), so the bars
 * add up exactly as the explanation does.
 *
 * Complexity: O(P log P) for P players.
 *
 * @param explanation - an explanation
 * @param options - the bar limit, share threshold and labels
 * @returns the {@link WaterfallData}
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a non-explanation or a malformed option
 * @example
 * ```ts
 * import { explainLinear, waterfallData } from "nextbest/explain";
 * const why = explainLinear({ coefficients: [1, 1, 1, 1] }, [5, -3, 0.5, 0.25], { means: [0, 0, 0, 0], featureNames: ["a", "b", "c", "d"] });
 * const chart = waterfallData(why, { maxBars: 3 });
 * chart.bars.map((bar) => [bar.label, bar.value, bar.start, bar.end]);
 * // => [["a", 5, -2.25, 2.75], ["b", -3, 0.75, -2.25], ["2 other features", 0.75, 0, 0.75]]
 * ```
 * @category explain
 */
export function waterfallData(explanation: Explanation, options: WaterfallOptions = {}): WaterfallData {
  const fn = "waterfallData";
  checkExplanation(fn, explanation);
  checkOptionsObject(fn, options);
  const maxBars = integerOption(fn, "maxBars", options.maxBars, 10, 2, 10000);
  const minShare = options.minShare ?? 0;
  if (typeof minShare !== "number" || !(minShare >= 0 && minShare < 1)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.minShare must be a number in [0, 1), got ${describeValue(minShare)}`);
  }
  const labels = options.labels;
  if (labels !== undefined && !(labels instanceof Map)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.labels must be a Map from player name to label, got ${describeValue(labels)}`);
  let data: ArrayLike<number> = explanation.data;
  if (options.rawData !== undefined) {
    const raw = options.rawData as unknown;
    if (typeof raw !== "object" || raw === null || typeof (raw as ArrayLike<number>).length !== "number") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.rawData must be an array or a typed array, got ${describeValue(raw)}`);
    }
    if (options.rawData.length !== explanation.featureNames.length) {
      throw new NextbestError("E_SHAPE", `${fn}: options.rawData must have length ${explanation.featureNames.length} (one per feature), got length ${options.rawData.length}`);
    }
    data = options.rawData;
  }
  const names = playerNames(explanation);
  const values = explanation.values;
  let magnitude = 0;
  for (const v of values) magnitude += Math.abs(v);
  const order = names.map((_, k) => k).sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!) || a - b);
  let shown = order.filter((k) => Math.abs(values[k]!) >= minShare * magnitude && (minShare === 0 || values[k] !== 0));
  if (order.length > maxBars || shown.length < order.length) {
    shown = shown.slice(0, Math.min(shown.length, maxBars - 1));
  }
  const folded = order.slice(shown.length);
  if (folded.length === 1) {
    shown.push(folded[0]!);
    folded.length = 0;
  }
  const dataOf = (k: number): number | null => {
    if (explanation.groups === null) return data[k] ?? null;
    const features = explanation.groups[k]!.features;
    return features.length === 1 ? (data[features[0]!] ?? null) : null;
  };
  const raw = shown.map((k) => ({ label: labels?.get(names[k]!) ?? names[k]!, value: values[k]!, players: [names[k]!], data: dataOf(k), folded: false }));
  if (folded.length > 0) {
    let sum = 0;
    for (const k of folded) sum += values[k]!;
    raw.push({ label: `${folded.length} other features`, value: sum, players: folded.map((k) => names[k]!), data: null, folded: true });
  }
  const bars: WaterfallBar[] = new Array(raw.length);
  let running = explanation.baseValue;
  for (let b = raw.length - 1; b >= 0; b--) {
    const bar = raw[b]!;
    const start = running;
    running = b === 0 ? explanation.output : running + bar.value;
    bars[b] = Object.freeze({ ...bar, players: Object.freeze(bar.players), start, end: running });
  }
  return Object.freeze({
    baseValue: explanation.baseValue,
    output: explanation.output,
    link: explanation.link,
    bars: Object.freeze(bars),
    otherCount: folded.length,
  });
}

/**
 * Options of {@link renderWaterfallSvg}.
 *
 * @category explain
 */
export interface WaterfallSvgOptions extends WaterfallOptions {
  /** The chart's width in pixels (at least 320). @defaultValue 640 */
  width?: number;
  /** A title drawn above the chart. @defaultValue none */
  title?: string;
  /** The BCP 47 locale of the numbers. @defaultValue "en-US" */
  locale?: string;
  /** Significant digits of the numbers shown. @defaultValue 3 */
  digits?: number;
  /** The colour of bars that raise the output. @defaultValue "#ff0051" (shap's red) */
  positiveColor?: string;
  /** The colour of bars that lower it. @defaultValue "#008bfb" (shap's blue) */
  negativeColor?: string;
  /**
   * The axis of a log-odds explanation: `"log-odds"` as computed, or `"probability"`, where each bar runs from the
   * probability of the running total before it to the one after it, in percentage points (the bars still add up
   * exactly, from P at the base value to P at the output; a bar's length then depends on where in the order it
   * comes). Ignored for explanations on the identity scale.
   * @defaultValue "log-odds"
   */
  scale?: "log-odds" | "probability";
  /** A line under the chart saying what the colours mean, e.g. "green raises the chance, red lowers it". @defaultValue none */
  legend?: string;
}

/**
 * The width in pixels a text takes at a font size, estimated per character class for common sans-serif faces (wide
 * capitals and digits, narrow punctuation), deliberately on the generous side so that labels laid out with it fit
 * (the report's browser check measures the real boxes). For laying out SVG without a DOM.
 *
 * Complexity: O(text length).
 *
 * @param text - the text
 * @param fontSize - the font size in pixels
 * @returns the estimated width in pixels
 * @example
 * ```ts
 * import { estimateTextWidth } from "nextbest/explain";
 * Math.round(estimateTextWidth("Spend", 10) * 10) / 10; // => 30.8
 * estimateTextWidth("Spend", 20) === 2 * estimateTextWidth("Spend", 10); // => true
 * ```
 * @category explain
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const character of text) {
    if (/[mwMW@%]/.test(character)) em += 0.9;
    else if (/[A-Z0-9#$€£&+=?~<>]/.test(character)) em += 0.68;
    else if (/[ijlI.,:;'!|()[\]{} ]/.test(character)) em += 0.32;
    else if (/[a-z]/.test(character)) em += 0.6;
    else em += 0.75;
  }
  return em * fontSize;
}

/**
 * `text` cut to fit `width` pixels at `fontSize` by {@link estimateTextWidth}, ending in "…" when cut.
 *
 * Complexity: O(text length²) in the worst case (labels are short).
 *
 * @param text - the text
 * @param width - the room in pixels
 * @param fontSize - the font size in pixels
 * @returns the text, or its longest prefix that fits followed by "…"
 * @example
 * ```ts
 * import { fitText } from "nextbest/explain";
 * fitText("Spend", 100, 12); // => "Spend"
 * fitText("Spend in the last 180 days", 60, 12); // => "Spend i…"
 * ```
 * @category explain
 */
export function fitText(text: string, width: number, fontSize: number): string {
  if (estimateTextWidth(text, fontSize) <= width) return text;
  const characters = [...text];
  while (characters.length > 0 && estimateTextWidth(`${characters.join("")}\u2026`, fontSize) > width) characters.pop();
  return `${characters.join("").trimEnd()}\u2026`;
}

/** Escapes text for SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"));
}

const COLOR = /^#[0-9a-fA-F]{3,8}$|^[a-zA-Z]{3,20}$/;

/**
 * Renders an explanation as a waterfall chart in SVG (as shap's waterfall plot: one horizontal bar per player from
 * the running total before it to the one after, largest at the top, from E[f(X)] at the bottom to f(x) at the top),
 * returned as a string — no DOM needed, so it works in Node, Deno, workers and server-rendered pages. Text is
 * XML-escaped; numbers are formatted with `Intl.NumberFormat` in the given locale. Deterministic.
 *
 * Complexity: O(P log P) for P players.
 *
 * @param explanation - an explanation
 * @param options - waterfall options plus size, title, locale, digits, colours
 * @returns an `<svg>` element as a string
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a non-explanation or a malformed option
 * @example
 * ```ts
 * import { explainLinear, renderWaterfallSvg } from "nextbest/explain";
 * const why = explainLinear({ coefficients: [2, -1] }, [3, 4], { means: [1, 1], featureNames: ["seats", "R&D tickets"] });
 * const svg = renderWaterfallSvg(why, { title: "Why acme" });
 * svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'); // => true
 * svg.includes("R&amp;D tickets"); // => true
 * (svg.match(/<rect /g) ?? []).length; // => 2
 * ```
 * @category explain
 */
export function renderWaterfallSvg(explanation: Explanation, options: WaterfallSvgOptions = {}): string {
  const fn = "renderWaterfallSvg";
  checkExplanation(fn, explanation);
  checkOptionsObject(fn, options);
  const width = integerOption(fn, "width", options.width, 640, 320, 10000);
  const digits = integerOption(fn, "digits", options.digits, 3, 1, 12);
  const locale = options.locale ?? "en-US";
  let format: { format(value: number): string };
  try {
    const plain = new Intl.NumberFormat(locale, { maximumSignificantDigits: digits });
    const scientific = new Intl.NumberFormat(locale, { maximumSignificantDigits: digits, notation: "scientific" });
    // Tiny and huge magnitudes in scientific notation: "1.2E-7", never 300 zeros across the chart.
    format = { format: (value: number) => (value !== 0 && (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e9) ? scientific : plain).format(value) };
  } catch {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.locale must be a BCP 47 locale, got ${describeValue(locale)}`);
  }
  const positive = options.positiveColor ?? "#ff0051";
  const negative = options.negativeColor ?? "#008bfb";
  for (const [name, color] of [["positiveColor", positive], ["negativeColor", negative]] as const) {
    if (typeof color !== "string" || !COLOR.test(color)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be a #hex or named colour, got ${describeValue(color)}`);
  }
  const title = options.title;
  if (title !== undefined && typeof title !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: options.title must be a string, got ${describeValue(title)}`);
  const scale = options.scale ?? "log-odds";
  if (scale !== "log-odds" && scale !== "probability") throw new NextbestError("E_BAD_INPUT", `${fn}: options.scale must be "log-odds" or "probability", got ${describeValue(scale)}`);
  const legend = options.legend;
  if (legend !== undefined && typeof legend !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: options.legend must be a string, got ${describeValue(legend)}`);
  const raw = waterfallData(explanation, options);
  // On the probability scale every bar runs between the probabilities of the running totals around it (points).
  const probability = scale === "probability" && raw.link === "logit";
  const sigmoid = (v: number): number => 100 / (1 + Math.exp(-v));
  const chart = probability
    ? {
        ...raw,
        baseValue: sigmoid(raw.baseValue),
        output: sigmoid(raw.output),
        bars: raw.bars.map((bar) => ({ ...bar, start: sigmoid(bar.start), end: sigmoid(bar.end), value: sigmoid(bar.end) - sigmoid(bar.start) })),
      }
    : raw;
  const unit = probability ? "%" : "";
  const signed = (v: number): string => (v > 0 ? "+" : v < 0 ? "\u2212" : "") + format.format(Math.abs(v)) + (probability ? " pts" : "");
  const fontSize = 12;
  const rowHeight = 28;
  const top = title === undefined ? 34 : 60;
  const bottomAxis = top + chart.bars.length * rowHeight + 6;
  const height = bottomAxis + 40 + (legend === undefined ? 0 : 18);
  // Value labels sit inside a bar when they fit, else beside it; leave room on both sides of the bars for them, and
  // give the feature labels what is left of a third of the width (cut with "…" beyond it).
  const valueTexts = chart.bars.map((bar) => signed(bar.value));
  const room = Math.max(0, ...valueTexts.map((text) => estimateTextWidth(text, fontSize))) + 8;
  const labelWidth = Math.max(40, Math.min(Math.round(width * 0.34), width - 20 - 2 * room - 60));
  const plotLeft = labelWidth + 8;
  const plotRight = width - 12;
  let low = Math.min(chart.baseValue, chart.output);
  let high = Math.max(chart.baseValue, chart.output);
  for (const bar of chart.bars) {
    low = Math.min(low, bar.start, bar.end);
    high = Math.max(high, bar.start, bar.end);
  }
  if (high - low < 1e-12 * Math.max(1, Math.abs(high))) {
    low -= 0.5;
    high += 0.5;
  }
  const barLeft = plotLeft + room;
  const barRight = Math.max(barLeft + 40, plotRight - room);
  const at = (v: number): number => barLeft + ((v - low) / (high - low)) * (barRight - barLeft);
  const n = (v: number): string => (Math.round(v * 100) / 100).toString();
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="${fontSize}" role="img">`,
  );
  const fx = `${probability ? "P" : "f(x)"} = ${format.format(chart.output)}${unit}`;
  const base = `${probability ? "average P" : "E[f(X)]"} = ${format.format(chart.baseValue)}${unit}`;
  parts.push(`<title>${escapeXml(`${title === undefined ? "" : `${title}: `}${base}, ${fx}`)}</title>`);
  if (title !== undefined) parts.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(fitText(title, width - 16, 15))}</text>`);
  // A label centred on x stays inside the drawing: shifted (and cut) to fit.
  const centred = (x: number, text: string, y: number, attributes: string): string => {
    const fitted = fitText(text, width - 8, fontSize);
    const half = estimateTextWidth(fitted, fontSize) / 2;
    const cx = Math.min(width - 4 - half, Math.max(4 + half, x));
    return `<text x="${n(cx)}" y="${y}" text-anchor="middle" ${attributes}>${escapeXml(fitted)}</text>`;
  };
  parts.push(`<line x1="${n(at(chart.output))}" y1="${top - 8}" x2="${n(at(chart.output))}" y2="${bottomAxis}" stroke="#999" stroke-dasharray="3 3"/>`);
  parts.push(centred(at(chart.output), fx, top - 12, 'fill="#333"'));
  chart.bars.forEach((bar, b) => {
    const y = top + b * rowHeight;
    const x0 = at(Math.min(bar.start, bar.end));
    const x1 = at(Math.max(bar.start, bar.end));
    const color = bar.value >= 0 ? positive : negative;
    const label = bar.data === null || Number.isNaN(bar.data) ? bar.label : `${format.format(bar.data)} = ${bar.label}`;
    const shown = fitText(label, labelWidth - 8, fontSize);
    const full = shown === label ? "" : `<title>${escapeXml(label)}</title>`;
    parts.push(`<text x="${labelWidth}" y="${y + rowHeight / 2 + 4}" text-anchor="end" fill="#333">${full}${escapeXml(shown)}</text>`);
    parts.push(`<rect x="${n(x0)}" y="${y + 4}" width="${n(Math.max(1, x1 - x0))}" height="${rowHeight - 8}" fill="${color}"/>`);
    const text = valueTexts[b]!;
    const textWidth = estimateTextWidth(text, fontSize);
    const inside = x1 - x0 > textWidth + 8;
    const textX = inside ? (x0 + x1) / 2 : bar.value >= 0 ? x1 + 4 : x0 - 4;
    const anchor = inside ? "middle" : bar.value >= 0 ? "start" : "end";
    parts.push(`<text x="${n(textX)}" y="${y + rowHeight / 2 + 4}" text-anchor="${anchor}" fill="${inside ? "#fff" : "#333"}">${escapeXml(text)}</text>`);
    if (b + 1 < chart.bars.length) {
      parts.push(`<line x1="${n(at(bar.start))}" y1="${y + rowHeight - 4}" x2="${n(at(bar.start))}" y2="${y + rowHeight + 4}" stroke="#bbb"/>`);
    }
  });
  parts.push(`<line x1="${n(barLeft)}" y1="${bottomAxis}" x2="${n(barRight)}" y2="${bottomAxis}" stroke="#666"/>`);
  parts.push(`<line x1="${n(at(chart.baseValue))}" y1="${bottomAxis}" x2="${n(at(chart.baseValue))}" y2="${bottomAxis + 6}" stroke="#666"/>`);
  parts.push(centred(at(chart.baseValue), base, bottomAxis + 20, 'fill="#333"'));
  const axisNote = probability ? "probability, percentage points" : chart.link === "logit" ? "log-odds" : "";
  if (axisNote !== "") parts.push(`<text x="${n(barRight)}" y="${bottomAxis + 34}" text-anchor="end" fill="#555" font-size="10">${axisNote}</text>`);
  if (legend !== undefined) parts.push(`<text x="8" y="${bottomAxis + 34 + 16}" fill="#333" font-size="11">${escapeXml(fitText(legend, width - 16, 11))}</text>`);
  parts.push("</svg>");
  return parts.join("\n");
}
