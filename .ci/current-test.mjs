// A vitest setup file for CI (vitest.config.mjs loads it when NEXTBEST_CURRENT_TESTS names a folder): before each
// test, this test process writes the test's name to its own file there, synchronously, so that the stall reporter can
// name a test that blocks its thread (news of a test's start otherwise leaves the process only once the thread is free).
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeEach } from "vitest";

const folder = process.env.NEXTBEST_CURRENT_TESTS;
if (folder) {
  // resolved now: some tests change the working directory
  const file = join(resolve(folder), `${process.pid}.txt`);
  mkdirSync(resolve(folder), { recursive: true });
  beforeEach((context) => {
    try {
      writeFileSync(file, `${context.task.file.name} > ${context.task.fullTestName ?? context.task.name}`);
    } catch {
      // a diagnostic: never the reason a test fails
    }
  });
}
