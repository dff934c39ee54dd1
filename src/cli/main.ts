/// <reference types="node" />
/**
 * The `nextbest` command line: `recommend`, `evaluate` and `report` over CSV files. Node only; not part of any package subpath
 * (the `bin` entry runs it).
 *
 * @module cli
 */
import { NextbestError } from "../core/errors.ts";
import { UsageError, closestName, commandHelp, parseOptions, type CommandSpec } from "./args.ts";
import { EVALUATE, runEvaluate } from "./evaluate.ts";
import { packageVersion } from "./output.ts";
import { RECOMMEND, runRecommend } from "./recommend.ts";
import { REPORT, runReport } from "./report.ts";
import type { CliIo } from "./shared.ts";

export type { CliIo } from "./shared.ts";

const COMMANDS: readonly { spec: CommandSpec; run: typeof runRecommend }[] = [
  { spec: RECOMMEND, run: runRecommend },
  { spec: EVALUATE, run: runEvaluate },
  { spec: REPORT, run: runReport },
];

function programHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2;
  return [
    "nextbest: next-best-product recommendations and model comparisons from CSV files",
    "",
    "Usage:",
    "  nextbest <command> [options]",
    "  nextbest <command> --help",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    "",
    "Options:",
    "  --help, -h     print this help",
    "  --version, -v  print the version",
    "",
    "Exit codes: 0 success, 1 internal error, 2 bad input or usage (one line on stderr naming the file, line and column).",
    "",
    "Examples:",
    "  $ nextbest recommend --interactions purchases.csv --k 5",
    "  $ nextbest evaluate --interactions purchases.csv --models popularity,item-knn,als",
    "  $ nextbest report --interactions purchases.csv --items products.csv --out report.html",
    "",
  ].join("\n");
}

// Error messages are printed on one line: any line break inside becomes a space.
const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, " ").trim();

/**
 * Runs the `nextbest` command line with the given arguments and returns the exit code; never calls `process.exit`.
 * Results go to `io.stdout` (or `--output FILE`); progress (when `io.isTTY` or `--progress`), warnings and errors go to
 * `io.stderr`.
 *
 * Commands: `recommend` fits a model (popularity, random, item-knn, als, bpr, content, hybrid) on an interactions CSV,
 * optionally with product and account tables, and writes each account's top-k products as CSV or JSON (`--explain`
 * adds each hybrid component's part of the score); `evaluate` compares models on a random, temporal or
 * leave-last-out split with `compareModels`. `nextbest <command> --help` lists every option with its default.
 *
 * Exit codes: 0 on success (and for `--help`, `--version`); 2 for bad input (one line on stderr, prefixed `nextbest: `,
 * naming the file, line and column where the readers know them) and for usage mistakes (one line with the hint
 * `see nextbest <command> --help`); 1 for an internal error.
 *
 * @param argv - the arguments after the program name (`process.argv.slice(2)`)
 * @param io - where to write results (`stdout`) and progress and errors (`stderr`); `isTTY` turns progress on
 * @returns a promise of the exit code: 0, 1 or 2
 * @example
 * ```sh
 * npx nextbest recommend --interactions purchases.csv --model popularity --k 2
 * # user,rank,item,score
 * npx nextbest recommend --k 0; echo $?
 * # nextbest: --k must be an integer >= 1, got 0; see nextbest recommend --help
 * # 2
 * ```
 * @category cli
 */
export async function runCli(
  argv: readonly string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void; isTTY?: boolean },
): Promise<number> {
  const first = argv[0];
  if (first === undefined) {
    io.stderr(programHelp());
    return 2;
  }
  if (first === "--help" || first === "-h") {
    io.stdout(programHelp());
    return 0;
  }
  if (first === "--version" || first === "-v") {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const helpFor = first === "help" ? argv[1] : undefined;
  if (first === "help" && helpFor === undefined) {
    io.stdout(programHelp());
    return 0;
  }
  const name = helpFor ?? first;
  const command = COMMANDS.find((c) => c.spec.name === name);
  try {
    if (command === undefined) {
      const what = name.startsWith("-") ? `unknown option ${name}` : `unknown command ${JSON.stringify(name)}`;
      const suggestion = name.startsWith("-") ? undefined : closestName(name, COMMANDS.map((c) => c.spec.name));
      throw new UsageError(`${what}${suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`} (commands: ${COMMANDS.map((c) => c.spec.name).join(", ")})`, undefined);
    }
    if (helpFor !== undefined) {
      io.stdout(commandHelp(command.spec));
      return 0;
    }
    const options = parseOptions(command.spec, argv.slice(1));
    if (options.get("help") === true) {
      io.stdout(commandHelp(command.spec));
      return 0;
    }
    return await command.run(options, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const hint = error.command === undefined ? "see nextbest --help" : `see nextbest ${error.command} --help`;
      io.stderr(`nextbest: ${oneLine(error.message)}; ${hint}\n`);
      return 2;
    }
    if (error instanceof NextbestError) {
      io.stderr(`nextbest: ${oneLine(error.message)}\n`);
      return 2;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`nextbest: internal error (please report it): ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
    if (process.env["NEXTBEST_DEBUG"] !== undefined) io.stderr(`${message}\n`);
    return 1;
  }
}
