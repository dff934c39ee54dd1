/**
 * Command-line options: declarations (which also write the help text) and a small strict parser.
 *
 * @module
 */

/** One option of a command: `--name VALUE` when `value` is set, else a flag. @internal */
export interface OptionSpec {
  /** The long name without dashes, e.g. `"interactions"`. */
  readonly name: string;
  /** The value placeholder in the help, e.g. `"FILE"`; absent for a flag. */
  readonly value?: string;
  /** The default as the help prints it; absent when there is none. */
  readonly defaultValue?: string;
  /** One line saying what the option does. */
  readonly description: string;
  /** Whether the option may be given several times (its values are kept in order). */
  readonly repeatable?: boolean;
}

/** A command's declaration: what the help prints and what the parser accepts. @internal */
export interface CommandSpec {
  /** The command name, e.g. `"recommend"`. */
  readonly name: string;
  /** One line saying what the command does. */
  readonly summary: string;
  /** The usage line after `nextbest `. */
  readonly usage: string;
  /** The options, in help order. */
  readonly options: readonly OptionSpec[];
  /** Example command lines (after `$ `), each with a comment line before it. */
  readonly examples: readonly (readonly [comment: string, line: string])[];
  /** Paragraphs printed after the options. */
  readonly notes?: readonly string[];
}

/**
 * A mistake on the command line (unknown command or option, missing or malformed value): printed as one line with a
 * hint to the command's help, exit code 2.
 *
 * @internal
 */
export class UsageError extends Error {
  /** The command whose help the hint names (`undefined`: the program's help). */
  readonly command: string | undefined;

  /**
   * @param message - what is wrong, e.g. `unknown option --foo`
   * @param command - the command whose help to point at
   */
  constructor(message: string, command: string | undefined) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** Parsed options: name → value (a string, `true` for a flag given, every value of a repeatable option). @internal */
export type ParsedOptions = ReadonlyMap<string, string | true | readonly string[]>;

/** The closest name to a mistyped one (at most 2 edits, or a prefix), for "did you mean". @internal */
export function closestName(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of names) {
    const distance = candidate.startsWith(name) && name.length >= 3 ? 1 : editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance of two short strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Parses `--name value`, `--name=value` and `--flag` against a command's declaration; `-h` is `--help`. A repeated
 * option keeps its last value, unless it is declared repeatable (then every value, in order). Positional arguments
 * are not accepted; an unknown option names the closest known one ("did you mean --model?").
 *
 * @param command - the command's declaration
 * @param argv - the arguments after the command name
 * @returns the options given
 * @throws UsageError for an unknown option, a missing value, a value given to a flag, or a positional argument
 * @internal
 */
export function parseOptions(command: CommandSpec, argv: readonly string[]): Map<string, string | true | readonly string[]> {
  const byName = new Map(command.options.map((option) => [option.name, option] as const));
  const out = new Map<string, string | true | readonly string[]>();
  for (let a = 0; a < argv.length; a++) {
    const arg = argv[a]!;
    if (arg === "-h") {
      out.set("help", true);
      continue;
    }
    if (!arg.startsWith("--") || arg === "--") {
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)} (options start with --)`, command.name);
    }
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const spec = byName.get(name);
    if (spec === undefined) {
      const suggestion = closestName(name, command.options.map((option) => option.name));
      throw new UsageError(`unknown option --${name} for ${command.name}${suggestion === undefined ? "" : ` (did you mean --${suggestion}?)`}`, command.name);
    }
    if (spec.value === undefined) {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value, got ${JSON.stringify(arg.slice(eq + 1))}`, command.name);
      out.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[a + 1];
      // A following option is not a value ("--k --explain"); a negative number is ("--seed -3").
      if (value !== undefined && value.startsWith("--")) value = undefined;
      else a++;
    }
    if (value === undefined) throw new UsageError(`option --${name} needs a value (${spec.value})`, command.name);
    if (spec.repeatable === true) out.set(name, [...((out.get(name) as readonly string[] | undefined) ?? []), value]);
    else out.set(name, value);
  }
  return out;
}

/** The string value of an option, or undefined when not given. @internal */
export function stringOption(options: ParsedOptions, name: string): string | undefined {
  const value = options.get(name);
  return typeof value === "string" ? value : undefined;
}

/** Every value of a repeatable option, in the order given (empty when not given). @internal */
export function stringListOption(options: ParsedOptions, name: string): readonly string[] {
  const value = options.get(name);
  return Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
}

/** Whether a flag was given. @internal */
export function flagOption(options: ParsedOptions, name: string): boolean {
  return options.get(name) === true;
}

/**
 * An integer option within [min, max], or the default when not given.
 *
 * @throws UsageError naming the option and the value
 * @internal
 */
export function integerOption(
  options: ParsedOptions,
  command: string,
  name: string,
  fallback: number,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  const text = stringOption(options, name);
  if (text === undefined) return fallback;
  const value = /^-?[0-9]+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new UsageError(`--${name} must be an integer ${range}, got ${JSON.stringify(text)}`, command);
  }
  return value;
}

/**
 * A number option strictly between `low` and `high`, or the default when not given.
 *
 * @throws UsageError naming the option and the value
 * @internal
 */
export function fractionOption(options: ParsedOptions, command: string, name: string, fallback: number, low: number, high: number): number {
  const text = stringOption(options, name);
  if (text === undefined) return fallback;
  const value = text.trim() === "" ? Number.NaN : Number(text);
  if (!(value > low && value < high)) {
    throw new UsageError(`--${name} must be a number in (${low}, ${high}), got ${JSON.stringify(text)}`, command);
  }
  return value;
}

/**
 * One of a fixed set of words, or the default when not given.
 *
 * @throws UsageError listing the choices
 * @internal
 */
export function choiceOption<T extends string>(options: ParsedOptions, command: string, name: string, fallback: T, choices: readonly T[]): T {
  const text = stringOption(options, name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(text)}`, command);
  }
  return text as T;
}

/** Splits a comma-separated list, trimming entries and dropping empty ones. @internal */
export function listOption(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/** The help text of a command, generated from its declaration. @internal */
export function commandHelp(command: CommandSpec): string {
  const lines = [`nextbest ${command.name}: ${command.summary}`, "", "Usage:", `  nextbest ${command.usage}`, "", "Options:"];
  const labels = command.options.map((option) => `--${option.name}${option.value === undefined ? "" : ` ${option.value}`}`);
  const width = Math.max(...labels.map((label) => label.length)) + 2;
  command.options.forEach((option, j) => {
    const suffix = option.defaultValue === undefined ? "" : ` (default: ${option.defaultValue})`;
    lines.push(`  ${labels[j]!.padEnd(width)}${option.description}${suffix}`);
  });
  for (const note of command.notes ?? []) lines.push("", note);
  lines.push("", "Examples:");
  for (const [comment, line] of command.examples) lines.push(`  # ${comment}`, `  $ ${line}`);
  return `${lines.join("\n")}\n`;
}
