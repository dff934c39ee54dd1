/**
 * What the commands share: the I/O the caller gives `runCli`, progress reporting, and the input options common to
 * `recommend` and `evaluate`.
 *
 * @module
 */
import type { DuplicatePolicy } from "../data/interactions.ts";
import type { Interactions } from "../data/types.ts";
import type { ProgressCallback } from "../core/progress.ts";
import type { InvalidRow } from "../data/interactions-csv.ts";
import {
  UsageError,
  choiceOption,
  flagOption,
  integerOption,
  listOption,
  stringListOption,
  stringOption,
  type OptionSpec,
  type ParsedOptions,
} from "./args.ts";
import { DEFAULT_HYBRID_WEIGHTS, HYBRID_COMPONENTS, MODEL_KINDS, type ModelContext, type ModelKind } from "./models.ts";
import { formatCount } from "./output.ts";
import { delimiterFromName, readFeatureTable, readInteractions, type FeatureTable } from "./tables.ts";

/**
 * Where `runCli` writes: results to `stdout`, progress and errors to `stderr`.
 *
 * @category cli
 */
export interface CliIo {
  /** Receives result text (tables, CSV, JSON) unless `--output` names a file. */
  readonly stdout: (s: string) => void;
  /** Receives progress lines (when `isTTY` or `--progress`), warnings and the one-line error. */
  readonly stderr: (s: string) => void;
  /** Whether stderr is a terminal: progress is shown by default only then. @defaultValue false */
  readonly isTTY?: boolean;
}

/** Progress lines on stderr, shown when enabled; timings are wall-clock seconds since the command started. @internal */
export interface Progress {
  /** Writes `nextbest: <message>` when progress is on. */
  (message: string): void;
  /**
   * An `onProgress` callback for one fit or evaluation: on a terminal a bar redrawn in place with the step, the loss
   * or metric and an ETA; with `--progress` off a terminal one plain line per quarter of the steps; nothing when
   * progress is off.
   */
  steps(label: string): ProgressCallback;
}

/** Makes the progress reporter for a command run. @internal */
export function makeProgress(io: CliIo, options: ParsedOptions): Progress {
  const on = flagOption(options, "progress") || io.isTTY === true;
  const started = performance.now();
  const line = (message: string): void => {
    if (!on) return;
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    io.stderr(`nextbest: [${seconds} s] ${message}\n`);
  };
  const steps = (label: string): ProgressCallback => {
    const begun = performance.now();
    let lastQuarter = 0;
    return (event) => {
      if (!on) return;
      const done = event.total > 0 ? event.step / event.total : 1;
      const elapsed = (performance.now() - begun) / 1000;
      const eta = done > 0 && done < 1 ? ` ETA ${formatSeconds((elapsed / done) * (1 - done))}` : "";
      const value = event.loss !== undefined ? `, loss ${event.loss.toPrecision(4)}` : event.metric !== undefined ? `, ${event.metricName ?? "metric"} ${event.metric.toFixed(4)}` : "";
      const what = `${event.phase} ${formatCount(event.step)}/${formatCount(event.total)}${value}`;
      if (io.isTTY === true) {
        const width = 20;
        const filled = Math.round(done * width);
        io.stderr(`\rnextbest: ${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${what}${eta}\u001b[K${done >= 1 ? "\n" : ""}`);
        return;
      }
      const quarter = Math.floor(done * 4);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        line(`${label}: ${what}`);
      }
    };
  };
  return Object.assign(line, { steps });
}

/** "3 s", "2 min 5 s". */
function formatSeconds(seconds: number): string {
  return seconds < 60 ? `${Math.ceil(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** The options that read the interactions file, shared by both commands. @internal */
export const INPUT_OPTIONS: readonly OptionSpec[] = [
  { name: "delimiter", value: "D", defaultValue: "auto", description: "field delimiter of every input file: auto, comma, tab, semicolon, pipe or one character" },
  { name: "no-header", description: "the interactions file has no header line (columns are then 0-based positions)" },
  { name: "user-column", value: "NAME", defaultValue: "user", description: "the user (account) id column" },
  { name: "item-column", value: "NAME", defaultValue: "item", description: "the item (product) id column" },
  { name: "value-column", value: "NAME", defaultValue: "value, when present", description: "the value column (quantity, spend, rating); none for no value" },
  { name: "timestamp-column", value: "NAME", defaultValue: "timestamp, when present", description: "the timestamp column (numbers or ISO 8601 dates); none for none" },
  { name: "duplicates", value: "POLICY", defaultValue: "sum", description: "repeated (user, item) rows: sum, last, max or error" },
  { name: "encoding", value: "NAME", defaultValue: "utf-8", description: "text encoding of the interactions file: utf-8 (strict: an invalid byte is an error) or latin1" },
  { name: "where", value: "COLUMN=VALUE", repeatable: true, description: "keep only rows whose column holds the value (repeatable: all must hold; VALUE may list a|b)" },
  { name: "skip-invalid", description: "leave out malformed rows (missing id, bad number or date) and report their count and the first reasons on stderr" },
  { name: "date-format", value: "PATTERN", description: "timestamps as local dates, e.g. MM/dd/yyyy or dd.MM.yyyy HH:mm (default: numbers and ISO 8601)" },
  { name: "decimal-comma", description: "values use a decimal comma (12,5 or 1.234,5); use with a ; or tab delimiter" },
];

/** The options that describe the hybrid and its tables, shared by both commands. @internal */
export const MODEL_OPTIONS: readonly OptionSpec[] = [
  { name: "items", value: "FILE", description: "product table CSV: an id column and feature columns (enables content and hybrid)" },
  { name: "accounts", value: "FILE", description: "account table CSV: an id column and firmographic columns (cold start for content and hybrid)" },
  { name: "item-id-column", value: "NAME", defaultValue: "id, else the item column", description: "the id column of --items" },
  { name: "account-id-column", value: "NAME", defaultValue: "id, else the user column", description: "the id column of --accounts" },
  { name: "categorical", value: "COLS", description: "comma-separated table columns to treat as categories even when numeric" },
  { name: "weights", value: "W", defaultValue: "cf=0.5,content=0.4,popularity=0.1", description: "hybrid weights of item-kNN (cf), content and popularity; 0 leaves one out" },
  { name: "learn-weights", description: "learn the hybrid weights on a validation split (latest 20% by time, else a seeded 20%)" },
  { name: "seed", value: "N", defaultValue: "42", description: "seed of every random choice (ALS, BPR, random, splits)" },
];

/** The common trailing options. @internal */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { name: "progress", description: "print progress on stderr even when it is not a terminal" },
  { name: "help", description: "print this help" },
];

/** Reads `--model`-style names from a list option. @internal */
export function modelKind(command: string, option: string, name: string): ModelKind {
  if (!(MODEL_KINDS as readonly string[]).includes(name)) {
    throw new UsageError(`${option} must be one of ${MODEL_KINDS.join(", ")}, got ${JSON.stringify(name)}`, command);
  }
  return name as ModelKind;
}

/** The delimiter option, resolved. @internal */
export function delimiterOption(options: ParsedOptions, command: string): string {
  const text = stringOption(options, "delimiter") ?? "auto";
  const delimiter = delimiterFromName(text);
  if (delimiter === undefined) {
    throw new UsageError(`--delimiter must be auto, comma, tab, semicolon, pipe or one character, got ${JSON.stringify(text)}`, command);
  }
  return delimiter;
}

/** Reads the interactions file named by `--interactions` with the input options. @internal */
export async function readInteractionsOption(options: ParsedOptions, command: string, path: string, io?: CliIo): Promise<Interactions> {
  const where: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const condition of stringListOption(options, "where")) {
    const eq = condition.indexOf("=");
    if (eq <= 0) throw new UsageError(`--where must be COLUMN=VALUE, got ${JSON.stringify(condition)}`, command);
    const column = condition.slice(0, eq);
    where[column] = [...(where[column] ?? []), ...condition.slice(eq + 1).split("|")];
  }
  const skipped: InvalidRow[] = [];
  const skipInvalid = flagOption(options, "skip-invalid");
  const data = await readInteractions(path, {
    ...(Object.keys(where).length === 0 ? {} : { where }),
    ...(skipInvalid ? { invalidRows: "skip" as const, onInvalidRow: (row: InvalidRow) => skipped.push(row) } : {}),
    ...(stringOption(options, "date-format") === undefined ? {} : { dateFormat: stringOption(options, "date-format")! }),
    ...(flagOption(options, "decimal-comma") ? { decimalSeparator: "," as const } : {}),
    delimiter: delimiterOption(options, command),
    header: !flagOption(options, "no-header"),
    userColumn: stringOption(options, "user-column"),
    itemColumn: stringOption(options, "item-column"),
    valueColumn: stringOption(options, "value-column"),
    timestampColumn: stringOption(options, "timestamp-column"),
    duplicates: choiceOption<DuplicatePolicy>(options, command, "duplicates", "sum", ["sum", "last", "max", "error"]),
    encoding: choiceOption<"utf-8" | "latin1">(options, command, "encoding", "utf-8", ["utf-8", "latin1"]),
  });
  if (skipped.length > 0 && io !== undefined) {
    const shown = skipped.slice(0, 3).map((row) => `\n  ${row.message}`).join("");
    io.stderr(`nextbest: skipped ${formatCount(skipped.length)} invalid row${skipped.length === 1 ? "" : "s"} of ${path} (--skip-invalid); the first:${shown}\n`);
  }
  return data;
}

/** Reads `--items` and `--accounts` when given. @internal */
export async function readTablesOption(
  options: ParsedOptions,
  command: string,
): Promise<{ items: FeatureTable | undefined; accounts: FeatureTable | undefined }> {
  const delimiter = delimiterOption(options, command);
  const categorical = new Set(listOption(stringOption(options, "categorical") ?? ""));
  const itemsPath = stringOption(options, "items");
  const accountsPath = stringOption(options, "accounts");
  const items =
    itemsPath === undefined
      ? undefined
      : await readFeatureTable(itemsPath, {
          option: "items",
          delimiter,
          idColumn: stringOption(options, "item-id-column"),
          fallbackIdColumn: stringOption(options, "item-column") ?? "item",
          categorical,
        });
  const accounts =
    accountsPath === undefined
      ? undefined
      : await readFeatureTable(accountsPath, {
          option: "accounts",
          delimiter,
          idColumn: stringOption(options, "account-id-column"),
          fallbackIdColumn: stringOption(options, "user-column") ?? "user",
          categorical,
        });
  return { items, accounts };
}

/** Parses `--weights cf=0.5,content=0.4`: names not given weigh 0. @internal */
export function weightsOption(options: ParsedOptions, command: string): ReadonlyMap<string, number> {
  const text = stringOption(options, "weights");
  if (text === undefined) return DEFAULT_HYBRID_WEIGHTS;
  const weights = new Map<string, number>(HYBRID_COMPONENTS.map((name) => [name, 0]));
  const parts = listOption(text);
  for (const part of parts) {
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq).trim();
    const value = eq < 0 ? Number.NaN : Number(part.slice(eq + 1));
    if (!weights.has(name) || !(value >= 0) || !Number.isFinite(value) || part.slice(eq + 1).trim() === "") {
      throw new UsageError(
        `--weights must be name=weight pairs with names ${HYBRID_COMPONENTS.join(", ")} and weights >= 0, got ${JSON.stringify(part)}`,
        command,
      );
    }
    weights.set(name, value);
  }
  if ([...weights.values()].every((w) => w === 0)) {
    throw new UsageError(`--weights must give at least one component a weight > 0, got ${JSON.stringify(text)}`, command);
  }
  return weights;
}

/** The model context from the parsed options and tables. @internal */
export function modelContext(
  options: ParsedOptions,
  command: string,
  tables: { items: FeatureTable | undefined; accounts: FeatureTable | undefined },
  progress: Progress,
  io: CliIo,
): ModelContext {
  const warned = new Set<string>();
  return {
    seed: integerOption(options, command, "seed", 42, -2147483648, 2147483647),
    items: tables.items,
    accounts: tables.accounts,
    weights: weightsOption(options, command),
    learnWeights: flagOption(options, "learn-weights"),
    progress,
    warn: (message: string): void => {
      if (warned.has(message)) return;
      warned.add(message);
      io.stderr(`nextbest: warning: ${message}\n`);
    },
  };
}

/** "1,234 interactions (56 users, 78 items)". @internal */
export function describeInteractions(data: Interactions): string {
  return `${formatCount(data.byUser.values.length)} interactions (${formatCount(data.users.ids.length)} users, ${formatCount(data.items.ids.length)} items)`;
}
