/**
 * Process event logs (one row per event: case, activity, timestamp) for next-activity prediction: a reader of
 * three-column event-log CSV files (the layout of Tax et al. 2017), the two train/test protocols, and the step
 * encoding of cases into LSTM examples with the time features of Tax et al. and fitted scales.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { badModel, readModelEnvelope } from "../internal/serialize.ts";
import type { SequenceExample } from "./lstm.ts";
import { createCsvTokenizer, resolveDelimiter } from "../data/csv.ts";
import { assertOneOf } from "../internal/validate.ts";
import { compileDateFormat, parseIsoTimestamp, type DateParser } from "../data/dates.ts";
import { checkArray, checkOptions, checkStage, MS_PER_DAY, numberOption } from "./internal.ts";

/** One case of an event log: its activities and their times, in event order. @category sequence */
export interface EventLogCase {
  /** The case id, any string. */
  readonly id: string;
  /** The activity (stage) of each event. */
  readonly activities: readonly string[];
  /** The time of each event in epoch milliseconds (UTC wall clock of the log), non-decreasing. */
  readonly times: readonly number[];
}

/** Options of {@link parseEventLogCsv}: the columns every event log has, and how the file is written. @category sequence */
export interface ParseEventLogCsvOptions {
  /** Header of the case id column. @defaultValue "CaseID" */
  caseColumn?: string;
  /** Header of the activity (stage) column. @defaultValue "ActivityID" */
  activityColumn?: string;
  /** Header of the timestamp column. @defaultValue "CompleteTimestamp" */
  timeColumn?: string;
  /**
   * The field delimiter: one character other than `"`, CR and LF, or `"auto"` to take the most frequent of comma, tab,
   * semicolon and pipe in the header line (outside quotes).
   * @defaultValue "auto"
   */
  delimiter?: string;
  /**
   * The layout of the timestamps when they are not ISO 8601: a pattern such as `"yyyy/MM/dd HH:mm:ss.SSS"` or
   * `"dd.MM.yyyy HH:mm"` (tokens `yyyy`, `MM`/`M`, `dd`/`d`, `HH`/`H`, `mm`, `ss`, `SSS`; other characters literal),
   * read as UTC.
   * @defaultValue none: ISO 8601 (`2024-03-01 09:30:00`, `2024-03-01T09:30:00.250Z`, `2024-03-01T09:30+02:00`, `2024-03-01`)
   */
  dateFormat?: string;
  /**
   * The order of each case's events: `"file"` keeps the file's order and rejects an event earlier than the one
   * before it in its case (a file that should be in time order but is not); `"time"` sorts each case's events by time
   * (stable: events at the same time keep the file's order), for files written in another order.
   * @defaultValue "file"
   */
  eventOrder?: "file" | "time";
}

/**
 * Parses a delimited event log with one row per event and (at least) three columns: case id, activity and
 * completion time, named by `options` (defaults: the layout of Tax et al. 2017's logs, `CaseID,ActivityID,
 * CompleteTimestamp`, which the shared Helpdesk and BPI Challenge 2013 files use). Fields follow RFC 4180 (a quoted
 * field may hold the delimiter, quotes doubled, line breaks); the delimiter is detected from the header unless given.
 * Timestamps are ISO 8601 unless `options.dateFormat` gives their layout. A timestamp without an offset is read as
 * UTC, so the weekday and time of day the encoder derives are the log's wall clock; one with an offset (`Z`,
 * `+02:00`) is converted to UTC, so gaps between events are exact and weekday and time of day are then UTC's. Other
 * columns are ignored, blank lines skipped, cells trimmed. Cases keep the order of their first row in the file (the
 * order Tax et al.'s protocol splits by). Pure: pass the file's text.
 *
 * Complexity: O(characters) time and memory, plus O(n log n) per case of n events with `eventOrder: "time"`.
 *
 * @param text - the CSV text
 * @param options - the column names, the delimiter, the timestamp layout, the event order
 * @returns the cases in file order
 * @throws {@link core!NextbestError} `E_BAD_INPUT` naming the line of a malformed row, header, quote or timestamp,
 *   or (with `eventOrder: "file"`) an event earlier than the one before it in its case, or a bad option; `E_EMPTY`
 *   when there are no rows
 * @example
 * ```ts
 * import { parseEventLogCsv } from "nextbest/sequence";
 * const text = "ticket;step;at;owner\nT1;\"open; triage\";2024-01-02 09:00;ann\nT1;close;2024-01-02T17:30:00+01:00;bob\n";
 * const log = parseEventLogCsv(text, { caseColumn: "ticket", activityColumn: "step", timeColumn: "at" });
 * log.map((c) => [c.id, c.activities]); // => [["T1", ["open; triage", "close"]]]
 * (log[0]!.times[1]! - log[0]!.times[0]!) / 3600000; // => 7.5
 * const disco = "case,activity,time\nA,b,2024/01/02 10:00:00.000\nA,a,2024/01/02 09:00:00.000\n";
 * parseEventLogCsv(disco, { caseColumn: "case", activityColumn: "activity", timeColumn: "time", dateFormat: "yyyy/MM/dd HH:mm:ss.SSS", eventOrder: "time" })[0]!.activities; // => ["a", "b"]
 * ```
 * @category sequence
 */
export function parseEventLogCsv(text: string, options: ParseEventLogCsvOptions = {}): EventLogCase[] {
  return parseEventLog("parseEventLogCsv", text, options);
}

/**
 * Parses the Helpdesk event log of Tax, Verenich, La Rosa & Dumas 2017 ("Predictive business process monitoring
 * with LSTM neural networks", CAiSE; Mendeley Data DOI 10.17632/39bp3vv62t.1): the older name of
 * {@link parseEventLogCsv} with its default options (columns `CaseID,ActivityID,CompleteTimestamp`), kept as an alias
 * (its errors name `parseHelpdeskCsv`).
 *
 * Complexity: O(characters) time and memory.
 *
 * @param text - the CSV text
 * @returns the cases in file order
 * @throws {@link core!NextbestError} as {@link parseEventLogCsv}
 * @example
 * ```ts
 * import { parseHelpdeskCsv } from "nextbest/sequence";
 * const log = parseHelpdeskCsv("CaseID,ActivityID,CompleteTimestamp\n2,1,2012-04-03 16:55:38\n2,8,2012-04-03 16:55:53\n3,1,2010-10-29 18:14:06\n");
 * log.map((c) => [c.id, c.activities]); // => [["2", ["1", "8"]], ["3", ["1"]]]
 * log[0]!.times[1]! - log[0]!.times[0]!; // => 15000
 * parseHelpdeskCsv("CaseID,ActivityID,CompleteTimestamp\n2,1,yesterday\n");
 * // throws NextbestError E_BAD_INPUT: "parseHelpdeskCsv: line 2 CompleteTimestamp must be an ISO 8601 date-time (2024-03-01 09:30:00, 2024-03-01T09:30:00.250+02:00) or match options.dateFormat, got \"yesterday\""
 * ```
 * @category sequence
 */
export function parseHelpdeskCsv(text: string): EventLogCase[] {
  return parseEventLog("parseHelpdeskCsv", text, {});
}

/** {@link parseEventLogCsv} with its options checked and resolved; `fn` is the public function errors name. */
function parseEventLog(fn: string, text: string, options: ParseEventLogCsvOptions): EventLogCase[] {
  checkOptions(fn, options);
  const name = (field: "caseColumn" | "activityColumn" | "timeColumn", fallback: string): string => {
    const value = options[field];
    if (value === undefined) return fallback;
    if (typeof value !== "string" || value.trim() === "") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.${field} must be a non-empty string, got ${describeValue(value)}`);
    }
    return value.trim();
  };
  const eventOrder = options.eventOrder ?? "file";
  assertOneOf(fn, "options.eventOrder", eventOrder, ["file", "time"] as const);
  const delimiter = resolveDelimiter(fn, "options.delimiter", options.delimiter);
  const dateParser = options.dateFormat === undefined ? undefined : compileDateFormat(fn, "options.dateFormat", options.dateFormat);
  return parseCsv(fn, text, name("caseColumn", "CaseID"), name("activityColumn", "ActivityID"), name("timeColumn", "CompleteTimestamp"), {
    delimiter,
    dateParser,
    dateFormat: options.dateFormat,
    sortByTime: eventOrder === "time",
  });
}

interface CsvReading {
  readonly delimiter: string;
  readonly dateParser: DateParser | undefined;
  readonly dateFormat: string | undefined;
  readonly sortByTime: boolean;
}

function parseCsv(fn: string, text: string, caseName: string, activityName: string, timeName: string, reading: CsvReading): EventLogCase[] {
  if (typeof text !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: text must be a string, got ${describeValue(text)}`);
  const tokenizer = createCsvTokenizer(fn, reading.delimiter);
  const records = tokenizer.push(text);
  for (const record of tokenizer.end()) records.push(record);
  const header = (records[0]?.fields ?? []).map((h) => h.trim());
  const caseColumn = header.indexOf(caseName);
  const activityColumn = header.indexOf(activityName);
  const timeColumn = header.indexOf(timeName);
  if (caseColumn < 0 || activityColumn < 0 || timeColumn < 0) {
    const shown = records[0] === undefined ? "" : records[0].fields.join(tokenizer.delimiter ?? ",");
    throw new NextbestError("E_BAD_INPUT", `${fn}: line 1 must be a header with ${caseName}, ${activityName} and ${timeName}, got ${describeValue(shown)}`);
  }
  const parseTime = reading.dateParser ?? parseIsoTimestamp;
  const timeRule =
    reading.dateFormat === undefined
      ? "an ISO 8601 date-time (2024-03-01 09:30:00, 2024-03-01T09:30:00.250+02:00) or match options.dateFormat"
      : `a date in options.dateFormat ${describeValue(reading.dateFormat)}`;
  const byId = new Map<string, { activities: string[]; times: number[]; sorted: boolean }>();
  for (let r = 1; r < records.length; r++) {
    const { fields, line } = records[r]!;
    if (fields.length === 1 && fields[0]!.trim() === "") continue;
    if (fields.length !== header.length) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: line ${line} must have ${header.length} fields, got ${fields.length}`);
    }
    const id = fields[caseColumn]!.trim();
    const activity = fields[activityColumn]!.trim();
    const stamp = fields[timeColumn]!.trim();
    if (id === "") throw new NextbestError("E_BAD_INPUT", `${fn}: line ${line} ${caseName} must not be empty, got ""`);
    if (activity === "") throw new NextbestError("E_BAD_INPUT", `${fn}: line ${line} ${activityName} must not be empty, got ""`);
    const time = parseTime(stamp);
    if (!Number.isFinite(time)) throw new NextbestError("E_BAD_INPUT", `${fn}: line ${line} ${timeName} must be ${timeRule}, got ${describeValue(stamp)}`);
    let entry = byId.get(id);
    if (entry === undefined) {
      entry = { activities: [], times: [], sorted: true };
      byId.set(id, entry);
    }
    const previous = entry.times[entry.times.length - 1];
    if (previous !== undefined && time < previous) {
      if (!reading.sortByTime) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}: line ${line} ${timeName} must not be earlier than the previous event of case ${describeValue(id)}, got ${describeValue(stamp)} (pass eventOrder: "time" to sort each case's events by time)`,
        );
      }
      entry.sorted = false;
    }
    entry.activities.push(activity);
    entry.times.push(time);
  }
  if (byId.size === 0) throw new NextbestError("E_EMPTY", `${fn}: text must hold at least one event row, got none`);
  return Array.from(byId, ([id, entry]) => {
    if (entry.sorted) return { id, activities: entry.activities, times: entry.times };
    const order = entry.times.map((_, k) => k).sort((a, b) => entry.times[a]! - entry.times[b]! || a - b);
    return { id, activities: order.map((k) => entry.activities[k]!), times: order.map((k) => entry.times[k]!) };
  });
}

/** The two train/test protocols of {@link splitEventLog}. @category sequence */
export type EventLogProtocol = "chronological" | "file-order";

/** Options of {@link splitEventLog}. @category sequence */
export interface SplitEventLogOptions {
  /**
   * `"chronological"`: cases sorted by the time of their first event (ties keep file order); `"file-order"`: cases as
   * they come (the split Tax et al. 2017 scored).
   * @defaultValue "chronological"
   */
  protocol?: EventLogProtocol;
  /** Fraction of the cases for training, the first ones in protocol order. @defaultValue 2/3 */
  trainFraction?: number;
}

/** A train/test split of cases. @category sequence */
export interface EventLogSplit {
  /** The first `round(trainFraction · cases)` cases in protocol order. */
  readonly train: EventLogCase[];
  /** The rest. */
  readonly test: EventLogCase[];
}

/**
 * Splits cases into train and test by protocol: the first 2/3 train, the last 1/3 test, in the order of the cases'
 * first events (`"chronological"`) or in file order (`"file-order"`). No case is cut.
 *
 * Complexity: O(cases log cases).
 *
 * @param cases - the cases, e.g. from {@link parseEventLogCsv}
 * @param options - protocol and train fraction
 * @returns the split; the input is not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad option or a case without events
 * @example
 * ```ts
 * import { splitEventLog } from "nextbest/sequence";
 * const cases = [
 *   { id: "late", activities: ["a"], times: [300] },
 *   { id: "early", activities: ["a"], times: [100] },
 *   { id: "mid", activities: ["a"], times: [200] },
 * ];
 * splitEventLog(cases).test.map((c) => c.id); // => ["late"]
 * splitEventLog(cases, { protocol: "file-order" }).test.map((c) => c.id); // => ["mid"]
 * ```
 * @category sequence
 */
export function splitEventLog(cases: readonly EventLogCase[], options: SplitEventLogOptions = {}): EventLogSplit {
  const fn = "splitEventLog";
  checkArray(fn, "cases", cases);
  checkOptions(fn, options);
  const protocol = options.protocol ?? "chronological";
  if (protocol !== "chronological" && protocol !== "file-order") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.protocol must be one of "chronological", "file-order", got ${describeValue(protocol)}`);
  }
  const trainFraction = numberOption(fn, "trainFraction", options.trainFraction, 2 / 3, 0, 1);
  for (let n = 0; n < cases.length; n++) {
    const times = cases[n]?.times;
    if (!Array.isArray(times) || times.length === 0 || typeof times[0] !== "number") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: cases[${n}].times must be a non-empty array of numbers, got ${describeValue(times)}`);
    }
  }
  const ordered = cases.slice();
  if (protocol === "chronological") {
    const position = new Map(cases.map((c, i) => [c, i] as const));
    ordered.sort((a, b) => a.times[0]! - b.times[0]! || position.get(a)! - position.get(b)!);
  }
  const cut = Math.round(trainFraction * ordered.length);
  return { train: ordered.slice(0, cut), test: ordered.slice(cut) };
}

/** Options of {@link fitEventLogEncoder}. @category sequence */
export interface EventLogEncoderOptions {
  /** A stage appended as the target after a case's last event, or null for no end target. @defaultValue null */
  endMarker?: string | null;
  /**
   * Add the drift feature `caseStart` (where the case's start falls in the training period, 0 to 1): for logs whose
   * process changed during the training period (Helpdesk changed in mid-2011), it lets the model read later cases as
   * the latest regime. Off by default: it is a property of one log's history, not an input every log has, and on a
   * log without such a change it only adds a spurious trend.
   * @defaultValue false
   */
  caseStart?: boolean;
}

/**
 * Scales fitted on training cases for the time features of {@link encodeEventLogCases}.
 *
 * @category sequence
 */
export interface EventLogEncoder {
  /** Discriminant. */
  readonly kind: "event-log-encoder";
  /** Format version, 1. */
  readonly version: 1;
  /** Activities seen in training, in first-seen order, then the end marker when there is one. */
  readonly stages: readonly string[];
  /** The end-of-case target, or null. */
  readonly endMarker: string | null;
  /** Whether the drift feature `caseStart` (feature 5) is encoded; see {@link EventLogEncoderOptions.caseStart}. */
  readonly caseStart: boolean;
  /** Mean days between consecutive events in training (the divisor of feature 0). */
  readonly meanGapDays: number;
  /** Mean days from case start to an event in training (the divisor of feature 1). */
  readonly meanAgeDays: number;
  /** Earliest case start in training, epoch milliseconds (the origin of the `caseStart` feature). */
  readonly firstCaseStart: number;
  /** Days from the earliest to the latest case start in training (the divisor of `caseStart`; 1 when equal). */
  readonly caseStartSpanDays: number;
  /** Names of the features, in order (five, six with `caseStart`). */
  readonly featureNames: readonly string[];
}

const EVENT_LOG_FEATURES_WITH_CASE_START = Object.freeze([
  "log1p(daysSincePrevious / meanGapDays)",
  "log1p(daysSinceCaseStart / meanAgeDays)",
  "timeOfDay (fraction of the day)",
  "dayOfWeek / 7 (Monday 0)",
  "log1p(position) / log(16)",
  "caseStart: (case start - firstCaseStart) / caseStartSpanDays (0 to 1 over training)",
]);
const EVENT_LOG_FEATURES = Object.freeze(EVENT_LOG_FEATURES_WITH_CASE_START.slice(0, 5));

function checkCases(fn: string, cases: readonly EventLogCase[]): void {
  checkArray(fn, "cases", cases);
  for (let n = 0; n < cases.length; n++) {
    const c = cases[n];
    if (typeof c !== "object" || c === null) throw new NextbestError("E_BAD_INPUT", `${fn}: cases[${n}] must be a case object, got ${describeValue(c)}`);
    checkArray(fn, `cases[${n}].activities`, c.activities);
    checkArray(fn, `cases[${n}].times`, c.times);
    if (c.activities.length === 0) throw new NextbestError("E_EMPTY", `${fn}: cases[${n}].activities must hold at least one event, got length 0`);
    if (c.times.length !== c.activities.length) {
      throw new NextbestError("E_SHAPE", `${fn}: cases[${n}].times must have one entry per activity (${c.activities.length}), got length ${c.times.length}`);
    }
    for (let t = 0; t < c.activities.length; t++) {
      checkStage(fn, `cases[${n}].activities[${t}]`, c.activities[t]);
      const time = c.times[t];
      if (typeof time !== "number" || !Number.isFinite(time)) {
        throw new NextbestError(typeof time === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: cases[${n}].times[${t}] must be a finite number, got ${describeValue(time)}`);
      }
      if (t > 0 && time < c.times[t - 1]!) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: cases[${n}].times[${t}] must be >= cases[${n}].times[${t - 1}], got ${time}`);
      }
    }
  }
}

/**
 * Fits the scales of the event-log time features on training cases: the mean gap between consecutive events and
 * the mean case age at an event, in days (the normalization Tax et al. 2017 used), the span of case start times,
 * and the activity list.
 *
 * Complexity: O(events).
 *
 * @param cases - training cases
 * @param options - the end marker
 * @returns a new frozen {@link EventLogEncoder}
 * @throws {@link core!NextbestError} `E_EMPTY` when there are no cases, `E_BAD_INPUT`/`E_SHAPE`/`E_NON_FINITE` for
 *   malformed cases, `E_DUPLICATE` when the end marker is also an activity
 * @example
 * ```ts
 * import { fitEventLogEncoder } from "nextbest/sequence";
 * const encoder = fitEventLogEncoder([{ id: "1", activities: ["a", "b"], times: [0, 2 * 86400000] }], { endMarker: "end" });
 * [encoder.stages, encoder.meanGapDays, encoder.meanAgeDays]; // => [["a", "b", "end"], 2, 1]
 * ```
 * @category sequence
 */
export function fitEventLogEncoder(cases: readonly EventLogCase[], options: EventLogEncoderOptions = {}): EventLogEncoder {
  const fn = "fitEventLogEncoder";
  checkCases(fn, cases);
  if (cases.length === 0) throw new NextbestError("E_EMPTY", `${fn}: cases must hold at least one case, got length 0`);
  checkOptions(fn, options);
  const endMarker = options.endMarker ?? null;
  if (endMarker !== null) checkStage(fn, "options.endMarker", endMarker);
  const caseStart = options.caseStart ?? false;
  if (typeof caseStart !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.caseStart must be a boolean, got ${describeValue(caseStart)}`);
  const stages = new Set<string>();
  let gapSum = 0;
  let gaps = 0;
  let ageSum = 0;
  let events = 0;
  let firstStart = Number.POSITIVE_INFINITY;
  let lastStart = Number.NEGATIVE_INFINITY;
  for (const c of cases) {
    firstStart = Math.min(firstStart, c.times[0]!);
    lastStart = Math.max(lastStart, c.times[0]!);
    for (let t = 0; t < c.activities.length; t++) {
      stages.add(c.activities[t]!);
      ageSum += (c.times[t]! - c.times[0]!) / MS_PER_DAY;
      events++;
      if (t > 0) {
        gapSum += (c.times[t]! - c.times[t - 1]!) / MS_PER_DAY;
        gaps++;
      }
    }
  }
  if (endMarker !== null) {
    if (stages.has(endMarker)) throw new NextbestError("E_DUPLICATE", `${fn}: options.endMarker must not be an activity of the log, got ${describeValue(endMarker)}`);
    stages.add(endMarker);
  }
  const positive = (value: number): number => (value > 0 && Number.isFinite(value) ? value : 1);
  return Object.freeze({
    kind: "event-log-encoder",
    version: 1,
    stages: Object.freeze(Array.from(stages)),
    endMarker,
    caseStart,
    meanGapDays: positive(gaps > 0 ? gapSum / gaps : 1),
    meanAgeDays: positive(ageSum / events),
    firstCaseStart: firstStart,
    caseStartSpanDays: positive((lastStart - firstStart) / MS_PER_DAY),
    featureNames: caseStart ? EVENT_LOG_FEATURES_WITH_CASE_START : EVENT_LOG_FEATURES,
  });
}

/**
 * Encodes cases into LSTM training examples. Step t of a case has its activity as stage and five features every log
 * has: log1p of the days since the previous event and since the case started (each over its training mean), time of
 * day, day of week (UTC wall clock of the log), log1p(position)/log 16 (Tax et al. 2017's time features plus
 * position); with the encoder's `caseStart` on, a sixth: where the case's start falls in the training period (0 at
 * the first training case, 1 at the last, clamped to [0, 1], so later cases read as the latest regime; a drift
 * feature for logs whose process changed, such as Helpdesk in mid-2011). Targets: the
 * next activity (after the last event, the end marker when the encoder has one, else none), days to the next event
 * (none after the last event), and no outcome.
 *
 * Complexity: O(events).
 *
 * @param encoder - from {@link fitEventLogEncoder}
 * @param cases - the cases to encode
 * @returns one {@link SequenceExample} per case, in order
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed encoder, `E_BAD_INPUT`/`E_SHAPE`/`E_NON_FINITE`
 *   for malformed cases
 * @example
 * ```ts
 * import { encodeEventLogCases, fitEventLogEncoder } from "nextbest/sequence";
 * const cases = [{ id: "1", activities: ["a", "b"], times: [Date.UTC(2024, 0, 1, 12), Date.UTC(2024, 0, 3, 12)] }];
 * const [example] = encodeEventLogCases(fitEventLogEncoder(cases, { endMarker: "end" }), cases);
 * [example!.nextStages, example!.daysToNext]; // => [["b", "end"], [2, null]]
 * Array.from(example!.features![1]!); // => [Math.log1p(1), Math.log1p(2), 0.5, 2 / 7, Math.log1p(2) / Math.log(16)]
 * encodeEventLogCases(fitEventLogEncoder(cases, { caseStart: true }), cases)[0]!.features![1]!.length; // => 6
 * ```
 * @category sequence
 */
export function encodeEventLogCases(encoder: EventLogEncoder, cases: readonly EventLogCase[]): SequenceExample[] {
  const fn = "encodeEventLogCases";
  if (typeof encoder !== "object" || encoder === null || encoder.kind !== "event-log-encoder") {
    throw new NextbestError("E_BAD_MODEL", `${fn}: encoder must be an "event-log-encoder", got ${describeValue(encoder)}`);
  }
  checkCases(fn, cases);
  const out: SequenceExample[] = new Array(cases.length);
  const logPositionScale = 1 / Math.log(16);
  for (let n = 0; n < cases.length; n++) {
    const c = cases[n]!;
    const L = c.activities.length;
    const features: Float64Array[] = new Array(L);
    const nextStages: (string | null)[] = new Array(L);
    const daysToNext: (number | null)[] = new Array(L);
    const startPosition = Math.min(1, Math.max(0, (c.times[0]! - encoder.firstCaseStart) / MS_PER_DAY / encoder.caseStartSpanDays));
    for (let t = 0; t < L; t++) {
      const time = c.times[t]!;
      const row = new Float64Array(encoder.caseStart ? 6 : 5);
      row[0] = Math.log1p((t > 0 ? (time - c.times[t - 1]!) / MS_PER_DAY : 0) / encoder.meanGapDays);
      row[1] = Math.log1p((time - c.times[0]!) / MS_PER_DAY / encoder.meanAgeDays);
      const dayMs = ((time % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
      row[2] = dayMs / MS_PER_DAY;
      row[3] = ((Math.floor((time - dayMs) / MS_PER_DAY) + 3) % 7 + 7) % 7 / 7; // 1970-01-01 was a Thursday (3)
      row[4] = Math.log1p(t + 1) * logPositionScale;
      if (encoder.caseStart) row[5] = startPosition;
      features[t] = row;
      nextStages[t] = t + 1 < L ? c.activities[t + 1]! : encoder.endMarker;
      daysToNext[t] = t + 1 < L ? (c.times[t + 1]! - time) / MS_PER_DAY : null;
    }
    out[n] = { stages: c.activities.slice(), features, nextStages, daysToNext };
  }
  return out;
}

/**
 * Rebuilds an event-log encoder from JSON (the encoder is plain data; `JSON.stringify` writes it as is).
 *
 * Complexity: O(stages).
 *
 * @param json - a parsed encoder
 * @returns a new frozen {@link EventLogEncoder}
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { eventLogEncoderFromJSON, fitEventLogEncoder } from "nextbest/sequence";
 * const encoder = fitEventLogEncoder([{ id: "1", activities: ["a", "b"], times: [0, 86400000] }]);
 * eventLogEncoderFromJSON(JSON.parse(JSON.stringify(encoder))).meanGapDays; // => 1
 * ```
 * @category sequence
 */
export function eventLogEncoderFromJSON(json: unknown): EventLogEncoder {
  const fn = "eventLogEncoderFromJSON";
  const record = readModelEnvelope(fn, json, "event-log-encoder", [1]);
  const stages = record["stages"];
  if (!Array.isArray(stages) || stages.some((s) => typeof s !== "string")) badModel(fn, "json.stages", "be an array of strings", stages);
  const endMarker = record["endMarker"];
  // Encoders written before the option existed always encoded caseStart.
  const caseStart = record["caseStart"] ?? true;
  if (typeof caseStart !== "boolean") badModel(fn, "json.caseStart", "be a boolean", caseStart);
  if (!(endMarker === null || (typeof endMarker === "string" && stages.includes(endMarker)))) badModel(fn, "json.endMarker", "be null or one of json.stages", endMarker);
  const positive = (field: string): number => {
    const value = record[field];
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) badModel(fn, `json.${field}`, "be a finite number > 0", value);
    return value;
  };
  const finite = (field: string): number => {
    const value = record[field];
    if (typeof value !== "number" || !Number.isFinite(value)) badModel(fn, `json.${field}`, "be a finite number", value);
    return value;
  };
  return Object.freeze({
    kind: "event-log-encoder",
    version: 1,
    stages: Object.freeze((stages as string[]).slice()),
    endMarker: endMarker as string | null,
    caseStart,
    meanGapDays: positive("meanGapDays"),
    meanAgeDays: positive("meanAgeDays"),
    firstCaseStart: finite("firstCaseStart"),
    caseStartSpanDays: positive("caseStartSpanDays"),
    featureNames: caseStart ? EVENT_LOG_FEATURES_WITH_CASE_START : EVENT_LOG_FEATURES,
  });
}
