// docs/cli.md runs as written: every ```csv <name> block is written to a scratch folder, and every `$ nextbest ...`
// line of a ```console block is run there with runCli; its stdout and stderr together must be the lines that follow.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./fixtures.ts";

const page = readFileSync(path.resolve(import.meta.dirname, "../../docs/cli.md"), "utf8");
const blocks = [...page.matchAll(/^```(\S+)(?: (\S+))?\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, name: m[2], body: m[3]! }));

interface Session {
  readonly command: string;
  readonly expected: string;
}

const sessions: Session[] = blocks
  .filter((block) => block.lang === "console")
  .flatMap((block) => {
    const out: Session[] = [];
    for (const line of block.body.split("\n")) {
      if (line.startsWith("$ ")) out.push({ command: line.slice(2), expected: "" });
      else if (out.length > 0 && line !== "") out[out.length - 1] = { ...out[out.length - 1]!, expected: `${out[out.length - 1]!.expected}${line}\n` };
    }
    return out;
  });

const scratch = mkdtempSync(path.join(tmpdir(), "nextbest-cli-docs-"));
const cwd = process.cwd();
beforeAll(() => {
  for (const block of blocks) if (block.lang === "csv" && block.name !== undefined) writeFileSync(path.join(scratch, block.name), block.body);
  process.chdir(scratch);
});
afterAll(() => {
  process.chdir(cwd);
  rmSync(scratch, { recursive: true, force: true });
});

describe("docs/cli.md console blocks give the output they show", () => {
  it("has files and commands to run", () => {
    expect(blocks.filter((block) => block.lang === "csv").map((block) => block.name)).toEqual(["purchases.csv", "products.csv", "accounts.csv", "bad.csv", "deals.csv"]);
    expect(sessions.length).toBeGreaterThanOrEqual(7);
  });

  for (const session of sessions) {
    it(session.command, async () => {
      const [program, ...argv] = session.command.split(/\s+/);
      expect(program).toBe("nextbest");
      const run = await cli(argv);
      expect(run.stdout + run.stderr).toBe(session.expected);
    });
  }
});
