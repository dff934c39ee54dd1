/// <reference types="node" />
/**
 * Writing results: CSV cells, the `--output` file or stdout, and the package version for `--version`.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { NextbestError } from "../core/errors.ts";

/** One CSV cell (RFC 4180): quoted when it holds a comma, a quote, a line break or leading/trailing space. @internal */
export function csvCell(value: string | number): string {
  const text = typeof value === "number" ? numberText(value) : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A number as output prints it: the shortest round-trip form, `NaN` kept as written. @internal */
export function numberText(value: number): string {
  return Object.is(value, -0) ? "0" : String(value);
}

/** Lines of CSV from a header and rows, each line ending in `\n`. @internal */
export function csvText(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  let out = `${header.map(csvCell).join(",")}\n`;
  for (const row of rows) out += `${row.map(csvCell).join(",")}\n`;
  return out;
}

/**
 * Writes the result to `--output FILE`, or to stdout when no file is given.
 *
 * @throws NextbestError `E_BAD_INPUT` naming the path when the file cannot be written
 * @internal
 */
export async function writeResult(text: string, output: string | undefined, stdout: (s: string) => void): Promise<void> {
  if (output === undefined) {
    stdout(text);
    return;
  }
  try {
    await writeFile(output, text, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new NextbestError(
      "E_BAD_INPUT",
      `--output: path must name a writable file, got ${JSON.stringify(output)}${typeof code === "string" ? ` (${code})` : ""}`,
    );
  }
}

// The directories to start the package.json search from: this module's own, then the running script's.
function startDirectories(): string[] {
  const out: string[] = [];
  try {
    const url = import.meta.url;
    if (typeof url === "string" && url.startsWith("file:")) out.push(dirname(fileURLToPath(url)));
  } catch {
    // import.meta is unavailable in a CommonJS build: fall through to the script path.
  }
  const script = process.argv[1];
  if (typeof script === "string" && script !== "") out.push(dirname(resolve(script)));
  return out;
}

/**
 * The version of the installed nextbest package: the `version` of the nearest `package.json` named `nextbest` found by
 * walking up from this module (`src/cli` in the repository, `dist/cli` in the package), then from the running script.
 *
 * @returns the version, or `"unknown"` when no such package.json is found
 * @internal
 */
export function packageVersion(): string {
  for (const start of startDirectories()) {
    let directory = start;
    for (;;) {
      const candidate = join(directory, "package.json");
      if (existsSync(candidate)) {
        try {
          const json = JSON.parse(readFileSync(candidate, "utf8")) as { name?: unknown; version?: unknown };
          if (json.name === "nextbest" && typeof json.version === "string") return json.version;
        } catch {
          // An unreadable or malformed package.json on the way up is not ours: keep walking.
        }
      }
      const parent = dirname(directory);
      if (parent === directory) break;
      directory = parent;
    }
  }
  return "unknown";
}


/** A count as the CLI prints every number a person reads: with thousands separators (`80,000`). */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}
