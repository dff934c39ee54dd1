import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";
import { EVALUATE } from "../../src/cli/evaluate.ts";
import { RECOMMEND } from "../../src/cli/recommend.ts";
import { B2B_PRODUCTS, TINY_PURCHASES, b2bPurchases, cli, scratchFolder, writeFixture } from "./fixtures.ts";

const scratch = scratchFolder();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const tiny = writeFixture(scratch, "tiny.csv", TINY_PURCHASES);
const purchases = writeFixture(scratch, "purchases.csv", b2bPurchases());
const products = writeFixture(scratch, "products.csv", B2B_PRODUCTS);

/** An error run: exit code 2 and exactly one line on stderr, nothing on stdout. */
function expectOneLineError(run: { code: number; stdout: string; stderr: string }, code = 2): string {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe("");
  expect(run.stderr.endsWith("\n")).toBe(true);
  expect(run.stderr.slice(0, -1)).not.toContain("\n");
  expect(run.stderr.startsWith("nextbest: ")).toBe(true);
  return run.stderr.trimEnd();
}

describe("nextbest --help and --version", () => {
  it("--version prints the version of package.json", async () => {
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")) as { version: string };
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
    expect((await cli(["-v"])).stdout).toBe(`${pkg.version}\n`);
  });

  it("--help lists the commands; no arguments prints it on stderr with exit code 2", async () => {
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}recommend {2,}fit a recommender/m);
    expect(help.stdout).toMatch(/^ {2}evaluate {2,}compare models/m);
    expect(help.stdout).toContain("Examples:");
    const none = await cli([]);
    expect(none).toEqual({ code: 2, stdout: "", stderr: help.stdout });
  });

  for (const spec of [RECOMMEND, EVALUATE]) {
    it(`${spec.name} --help shows the usage, every option with its default, and examples`, async () => {
      const run = await cli([spec.name, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("");
      expect(run.stdout).toContain(`Usage:\n  nextbest ${spec.name} --interactions FILE`);
      for (const option of spec.options) {
        const line = run.stdout.split("\n").find((l) => l.startsWith(`  --${option.name}${option.value === undefined ? " " : ` ${option.value} `}`));
        expect(line, option.name).toBeDefined();
        if (option.defaultValue !== undefined) expect(line).toContain(`(default: ${option.defaultValue})`);
      }
      expect(run.stdout).toMatch(/Examples:\n {2}# .+\n {2}\$ nextbest /);
      // The same text from -h and from `nextbest help <command>`.
      expect((await cli([spec.name, "-h"])).stdout).toBe(run.stdout);
      expect((await cli(["help", spec.name])).stdout).toBe(run.stdout);
    });
  }

  it("the documented defaults are the ones used", async () => {
    const recommend = await cli(["recommend", "--help"]);
    expect(recommend.stdout).toMatch(/--k N +products per account \(default: 10\)/);
    expect(recommend.stdout).toMatch(/--seed N .*\(default: 42\)/);
    const evaluate = await cli(["evaluate", "--help"]);
    expect(evaluate.stdout).toMatch(/--models NAMES .*\(default: popularity,item-knn,als\)/);
    expect(evaluate.stdout).toMatch(/--metrics NAMES .*\(default: ndcg@10,precision@10,recall@10,auc\)/);
    // Without --k the lists hold 10 items at most: the tiny catalog has 3, so d (saw y) gets x and z.
    expect((await cli(["recommend", "--interactions", tiny, "--model", "popularity", "--users", "d"])).stdout).toBe("user,rank,item,score\nd,1,x,3\nd,2,z,1\n");
  });
});

describe("nextbest errors: one line on stderr, exit code 2", () => {
  it("a missing file names the path", async () => {
    const missing = path.join(scratch, "nope.csv");
    const message = expectOneLineError(await cli(["recommend", "--interactions", missing]));
    expect(message).toBe(`nextbest: readInteractionsFile: path must name a readable file, got ${JSON.stringify(missing)} (ENOENT)`);
    const table = expectOneLineError(await cli(["recommend", "--interactions", tiny, "--model", "content", "--items", missing]));
    expect(table).toBe(`nextbest: --items: path must name a readable file, got ${JSON.stringify(missing)} (ENOENT)`);
  });

  it("a bad value names the file, line 3 and the column", async () => {
    const bad = writeFixture(scratch, "bad.csv", "user,item,value\na,x,1\nb,y,abc\n");
    const message = expectOneLineError(await cli(["evaluate", "--interactions", bad]));
    expect(message).toBe(`nextbest: readInteractionsFile: line 3 of ${JSON.stringify(bad)}, column "value" must be a number, got "abc"`);
  });

  it("a Latin-1 file is an error naming the byte and line; --encoding latin1 keeps its accounts apart", async () => {
    const file = path.join(scratch, "latin1.csv");
    writeFileSync(file, Buffer.from("user,item\ncaf\xe9,crm\ncaf\xe8,crm\ncaf\xe0,erp\n", "latin1"));
    expect(expectOneLineError(await cli(["recommend", "--interactions", file, "--model", "popularity"]))).toBe(
      `nextbest: readInteractionsFile: ${JSON.stringify(file)} must be UTF-8 text, got the invalid byte 0xe9 at byte 13 (line 2); if the file is Latin-1 (ISO-8859-1), pass encoding: "latin1"`,
    );
    const run = await cli(["recommend", "--interactions", file, "--model", "popularity", "--encoding", "latin1"]);
    expect(run.code).toBe(0);
    expect(new Set(run.stdout.trim().split("\n").slice(1).map((line) => line.split(",")[0]))).toEqual(new Set(["café", "cafè", "cafà"]));
  });

  it("a mistyped command or option names the closest one", async () => {
    expect(expectOneLineError(await cli(["recomend"]))).toMatch(/^nextbest: unknown command "recomend" \(did you mean recommend\?\)/);
    expect(expectOneLineError(await cli(["evaluate", "--interactions", tiny, "--metric", "ndcg@10"]))).toMatch(/\(did you mean --metrics\?\)/);
  });

  it("a malformed product table names the file and line", async () => {
    const ragged = writeFixture(scratch, "ragged.csv", "id,family\nx,crm\ny\n");
    expect(expectOneLineError(await cli(["recommend", "--interactions", tiny, "--model", "content", "--items", ragged]))).toBe(
      `nextbest: --items: line 3 of ${JSON.stringify(ragged)} must have 2 fields like the header, got 1`,
    );
    const repeated = writeFixture(scratch, "repeated.csv", "id,family\nx,crm\ny,erp\nx,hr\n");
    expect(expectOneLineError(await cli(["recommend", "--interactions", tiny, "--model", "content", "--items", repeated]))).toBe(
      `nextbest: --items: line 4 of ${JSON.stringify(repeated)}, column "id" must hold unique ids, got "x" again (first at line 2)`,
    );
    const noId = writeFixture(scratch, "no-id.csv", "sku,family\nx,crm\n");
    expect(expectOneLineError(await cli(["recommend", "--interactions", tiny, "--model", "content", "--items", noId]))).toBe(
      `nextbest: --items: line 1 of ${JSON.stringify(noId)} must have an id column "item", got columns "sku", "family"`,
    );
  });

  it("a quoting error inside a line break stays one line", async () => {
    const quoted = writeFixture(scratch, "quoted.csv", 'user,item\na,"x\ny\n');
    const message = expectOneLineError(await cli(["recommend", "--interactions", quoted]));
    expect(message).toContain(`line 2 of ${JSON.stringify(quoted)}, a quoted field must be closed`);
  });

  it("an unknown option, command or model gives one line and the help hint", async () => {
    expect(expectOneLineError(await cli(["recommend", "--interactions", tiny, "--frobnicate"]))).toBe(
      "nextbest: unknown option --frobnicate for recommend; see nextbest recommend --help",
    );
    expect(expectOneLineError(await cli(["recommend", "--interactions", tiny, "--model", "deep-learning"]))).toBe(
      'nextbest: --model must be one of popularity, random, item-knn, als, bpr, content, hybrid, got "deep-learning"; see nextbest recommend --help',
    );
    expect(expectOneLineError(await cli(["evaluate", "--interactions", tiny, "--models", "popularity,svd"]))).toBe(
      'nextbest: --models must be one of popularity, random, item-knn, als, bpr, content, hybrid, got "svd"; see nextbest evaluate --help',
    );
    expect(expectOneLineError(await cli(["train", "--interactions", tiny]))).toBe(
      'nextbest: unknown command "train" (commands: recommend, evaluate, report); see nextbest --help',
    );
    expect(expectOneLineError(await cli(["--verbose"]))).toBe("nextbest: unknown option --verbose (commands: recommend, evaluate, report); see nextbest --help");
  });

  it("malformed option values name the option and the value", async () => {
    const cases: [string[], string][] = [
      [["recommend", "--interactions", tiny, "--k", "0"], 'nextbest: --k must be an integer >= 1, got "0"; see nextbest recommend --help'],
      [["recommend", "--interactions", tiny, "--k"], "nextbest: option --k needs a value (N); see nextbest recommend --help"],
      [["recommend", "--interactions", tiny, "--k", "--explain"], "nextbest: option --k needs a value (N); see nextbest recommend --help"],
      [["recommend", "--interactions", tiny, "--format", "xml"], 'nextbest: --format must be one of csv, json, got "xml"; see nextbest recommend --help'],
      [["recommend", "--interactions", tiny, "--explain=yes"], 'nextbest: option --explain takes no value, got "yes"; see nextbest recommend --help'],
      [["recommend", tiny], `nextbest: unexpected argument ${JSON.stringify(tiny)} (options start with --); see nextbest recommend --help`],
      [["recommend"], "nextbest: recommend needs --interactions FILE (or --model-in FILE); see nextbest recommend --help"],
      [["recommend", "--interactions", tiny, "--users", "a", "--all"], "nextbest: give either --users or --all, not both; see nextbest recommend --help"],
      [["recommend", "--interactions", tiny, "--model", "hybrid"], "nextbest: --model hybrid needs a product table: add --items FILE (an id column and feature columns); see nextbest recommend --help"],
      [["recommend", "--interactions", tiny, "--model", "als", "--items", products], "nextbest: --items is used by --model content and hybrid, got --model als; see nextbest recommend --help"],
      [["recommend", "--interactions", tiny, "--items", products, "--weights", "cf=1,deep=2"], 'nextbest: --weights must be name=weight pairs with names cf, content, popularity and weights >= 0, got "deep=2"; see nextbest recommend --help'],
      [["recommend", "--interactions", tiny, "--delimiter", "::"], 'nextbest: --delimiter must be auto, comma, tab, semicolon, pipe or one character, got "::"; see nextbest recommend --help'],
      [["evaluate", "--interactions", tiny, "--split", "k-fold"], 'nextbest: --split must be one of random, temporal, leave-last-out, got "k-fold"; see nextbest evaluate --help'],
      [["evaluate", "--interactions", tiny, "--test-fraction", "1.5"], 'nextbest: --test-fraction must be a number in (0, 1), got "1.5"; see nextbest evaluate --help'],
      [["evaluate", "--interactions", tiny, "--metrics", "ndcg"], 'nextbest: --metrics entries must be <metric>@<k> (precision, recall, f1, hitRate, ndcg, map, mrr, coverage, novelty, popularity), auc, rmse, mae or mse, got "ndcg"; see nextbest evaluate --help'],
      [["evaluate", "--interactions", tiny, "--seed", "1.5"], 'nextbest: --seed must be an integer in [-2147483648, 2147483647], got "1.5"; see nextbest evaluate --help'],
    ];
    for (const [argv, expected] of cases) expect(expectOneLineError(await cli(argv)), argv.join(" ")).toBe(expected);
  });

  it("a temporal split of a file without timestamps is bad input", async () => {
    const message = expectOneLineError(await cli(["evaluate", "--interactions", tiny, "--split", "temporal"]));
    expect(message).toMatch(/^nextbest: splitTemporal: .*timestamps/);
  });

  it("--model-in rejects a file that is not JSON or not a model, naming the file or the field", async () => {
    expect(expectOneLineError(await cli(["recommend", "--model-in", tiny]))).toMatch(
      new RegExp(`^nextbest: --model-in: ${JSON.stringify(tiny).replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")} must hold JSON, got a parse error: `),
    );
    const other = writeFixture(scratch, "other.json", '{"kind":"tfidf","version":1}');
    expect(expectOneLineError(await cli(["recommend", "--model-in", other]))).toBe(
      'nextbest: --model-in: json.kind must be one of "popularity", "random", "item-item-implicit", "implicit-als", "bpr", "content", "hybrid", got "tfidf"',
    );
    const broken = writeFixture(scratch, "broken.json", '{"kind":"popularity","version":1,"measure":"distinct-users"}');
    expect(expectOneLineError(await cli(["recommend", "--model-in", broken]))).toMatch(/^nextbest: popularityFromJSON: json\.users /);
  });

  it("an internal error exits with code 1 and one line", async () => {
    let stderr = "";
    const code = await runCli(["recommend", "--interactions", tiny, "--model", "popularity"], {
      stdout: () => {
        throw new TypeError("stdout closed");
      },
      stderr: (s) => {
        stderr += s;
      },
    });
    expect(code).toBe(1);
    expect(stderr).toBe("nextbest: internal error (please report it): stdout closed\n");
  });
});

describe("nextbest reading a CRM export: --where, --skip-invalid, --date-format, --decimal-comma", () => {
  // Deals: an open one without an account (line 4), a lost one, a won one with a broken amount (line 6).
  const deals = writeFixture(
    scratch,
    "deals.csv",
    [
      "deal;account;product;stage;amount;closed",
      "1;acme;crm;Won;1.200,50;03/01/2017",
      "2;acme;erp;Won;300;03/15/2017",
      "3;;erp;Open;0;",
      "4;globex;crm;Lost;800;04/02/2017",
      "5;globex;erp;Won;zwölf;04/20/2017",
      "6;initech;crm;Won;500;05/02/2017",
      "7;initech;hr;Won;250;05/09/2017",
      "",
    ].join("\n"),
  );
  const common = ["--interactions", deals, "--user-column", "account", "--item-column", "product", "--value-column", "amount", "--timestamp-column", "closed"];

  it("without the options the first bad line stops the run, naming it", async () => {
    expect(expectOneLineError(await cli(["recommend", ...common]))).toMatch(/line 2 of .*column "amount" must be a number, got "1\.200,50"/);
  });

  it("with them, won deals only, the broken row reported on stderr, dates and decimal commas read", async () => {
    const run = await cli(["recommend", ...common, "--where", "stage=Won", "--skip-invalid", "--date-format", "MM/dd/yyyy", "--decimal-comma", "--model", "popularity", "--k", "2"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("nextbest: skipped 1 invalid row of");
    expect(run.stderr).toContain('line 6 of');
    expect(run.stderr).toContain('column "amount" must be a number with a decimal comma (12,5 or 1.234,5), got "zwölf"');
    const users = new Set(run.stdout.trim().split("\n").slice(1).map((line) => line.split(",")[0]));
    expect(users).toEqual(new Set(["acme", "initech"]));
  });

  it("--where takes alternatives with | and names a missing column", async () => {
    const run = await cli(["recommend", ...common, "--where", "stage=Won|Lost", "--skip-invalid", "--date-format", "MM/dd/yyyy", "--decimal-comma", "--model", "popularity"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("globex");
    expect(expectOneLineError(await cli(["recommend", ...common, "--where", "phase=Won"]))).toMatch(/must have the column "phase" of options\.where/);
    expect(expectOneLineError(await cli(["recommend", ...common, "--where", "Won"]))).toMatch(/--where must be COLUMN=VALUE, got "Won"/);
  });
});

describe("nextbest warns instead of staying silent", () => {
  it("an account id no data knows, and accounts that own every product", async () => {
    const run = await cli(["recommend", "--interactions", tiny, "--model", "popularity", "--users", "Hooli,a"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('nextbest: warning: 1 of the 2 --users is not in the interactions: "Hooli"; it gets the cold-start fallback (popularity)');
  });

  it("an evaluation whose k covers the whole catalogue, and a model below popularity", async () => {
    const run = await cli(["evaluate", "--interactions", purchases, "--models", "popularity,random", "--metrics", "ndcg@10,recall@1000", "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/nextbest: warning: (ndcg@10, )?recall@1000 cuts? lists at or beyond the whole catalogue \([0-9,]+ products\)/);
    const rows = (JSON.parse(run.stdout) as { rows: { model: string; values: Record<string, number> }[] }).rows;
    const [popularity, random] = ["popularity", "random"].map((name) => rows.find((row) => row.model === name)!.values["ndcg@10"]!);
    expect(run.stderr.includes("nextbest: warning: random scores below popularity on ndcg@10")).toBe(random! < popularity!);
  });
});

describe("nextbest shows progress while it fits", () => {
  it("plain lines per quarter with --progress off a terminal, a bar with an ETA on a terminal", async () => {
    const plain = await cli(["recommend", "--interactions", purchases, "--model", "als", "--k", "1", "--progress"]);
    expect(plain.code, plain.stderr).toBe(0);
    const lines = plain.stderr.split("\n").filter((line) => line.includes("fitting als: iteration"));
    expect(lines.map((line) => line.replace(/^nextbest: \[[0-9.]+ s\] /, ""))).toEqual(["fitting als: iteration 4/15", "fitting als: iteration 8/15", "fitting als: iteration 12/15", "fitting als: iteration 15/15"]);
    expect(plain.stderr).not.toContain("\r");
    const bar = await cli(["recommend", "--interactions", purchases, "--model", "als", "--k", "1"], { isTTY: true });
    expect(bar.stderr).toMatch(/\rnextbest: fitting als \[#+\.*\] iteration 1\/15 ETA [0-9]+ s/);
    expect(bar.stderr).toMatch(/\rnextbest: fitting als \[#{20}\] iteration 15\/15\u001b\[K\n/);
    const quiet = await cli(["recommend", "--interactions", purchases, "--model", "als", "--k", "1"]);
    expect(quiet.stderr).toBe("");
  });
});
