// A vitest reporter for CI logs (.ci/run adds it beside the default one): silent while tests move, it names every test
// file and test that has been running for more than STALL_SECONDS (then again every REPEAT_SECONDS), so that a run
// that hangs says where. (The default reporter prints a file only when it ends; a
// test that blocks its thread never ends, and the news that it started may not leave its process; so when
// NEXTBEST_CURRENT_TESTS names a folder, .ci/current-test.mjs writes there the test each test process is running, and
// this reporter prints those files too.)
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const STALL_SECONDS = 120;
const REPEAT_SECONDS = 600;
const CHECK_EVERY_MS = 60_000;

export default class StallReporter {
  /** What has started and not ended yet: a test file or a test, by id, with its name, start time and last report. */
  running = new Map();
  timer = undefined;
  root = process.cwd();

  onInit(vitest) {
    this.root = vitest.config.root;
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  onTestModuleStart(testModule) {
    this.running.set(testModule.id, { name: relative(this.root, testModule.moduleId), started: Date.now() });
  }

  onTestModuleEnd(testModule) {
    this.running.delete(testModule.id);
  }

  onTestCaseReady(testCase) {
    this.running.set(testCase.id, { name: `${relative(this.root, testCase.module.moduleId)} > ${testCase.fullName}`, started: Date.now() });
  }

  onTestCaseResult(testCase) {
    this.running.delete(testCase.id);
  }

  onTestRunEnd() {
    clearInterval(this.timer);
  }

  check() {
    const now = Date.now();
    let stalled = false;
    for (const entry of this.running.values()) {
      const seconds = Math.round((now - entry.started) / 1000);
      if (seconds < STALL_SECONDS || (entry.reported !== undefined && now - entry.reported < REPEAT_SECONDS * 1000)) continue;
      entry.reported = now;
      stalled = true;
      console.log(`::: still running after ${seconds} s: ${entry.name}`);
    }
    const folder = process.env.NEXTBEST_CURRENT_TESTS;
    if (!stalled || !folder || !existsSync(folder)) return;
    for (const name of readdirSync(folder)) {
      const file = join(folder, name);
      if (!alive(Number.parseInt(name, 10))) continue; // a test process that has ended
      const seconds = Math.round((now - statSync(file).mtimeMs) / 1000);
      if (seconds >= STALL_SECONDS) console.log(`:::   test process ${name.replace(/\.txt$/, "")} started its current test ${seconds} s ago: ${readFileSync(file, "utf8")}`);
    }
  }
}

/** Whether process `pid` still runs. */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
