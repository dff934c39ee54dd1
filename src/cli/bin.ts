#!/usr/bin/env node
/// <reference types="node" />
// The `nextbest` executable (package.json "bin"): runs the command line on process.argv and sets the exit code.
// No top-level await, so the file also builds as CommonJS.
import { runCli } from "./main.ts";

void runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: process.stderr.isTTY === true,
}).then((code) => {
  process.exitCode = code;
});
