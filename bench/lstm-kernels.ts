// The lstm-fit-seconds-helpdesk rows of bench/sequence.ts alone, without the rest of the suite (its accuracy runs
// take much longer): seconds to fit the default LSTM on Helpdesk's training part with each kernel, interleaved.
// Run: npx tsx bench/lstm-kernels.ts [runs]
import { lstmFitSeconds } from "./sequence.ts";
import { hasHelpdesk, helpdeskFile, readHelpdesk } from "../test/sequence/protocols.ts";

if (!hasHelpdesk) {
  console.log(`skipped: ${helpdeskFile} not found`);
} else {
  const runs = Number(process.argv[2] ?? 5);
  const { webassembly, javascript } = lstmFitSeconds(readHelpdesk(), runs);
  console.log(`lstm-fit-seconds-helpdesk-webassembly ${webassembly.toFixed(2)} s`);
  console.log(`lstm-fit-seconds-helpdesk-javascript  ${javascript.toFixed(2)} s`);
  console.log(`speed-up ${(javascript / webassembly).toFixed(2)}x (median of ${runs} interleaved fits each)`);
}
