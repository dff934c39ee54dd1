// The Web Worker of `npm run check:browser`: inside a worker of a cross-origin-isolated page, prepareThreads starts
// nested Web Workers for nextbest's threads. It fits implicit ALS on one thread and on two (enough interactions for the
// threaded path) and posts the threads available before and after, and whether both fits gave the same factors.
import { availableThreads, createInteractions, fitImplicitAls, prepareThreads } from "../dist/index.js";

declare const self: { postMessage(value: unknown): void; crossOriginIsolated?: boolean };

try {
  const before = availableThreads();
  // nested Web Workers start only while this worker is free: start them first
  const prepared = await prepareThreads(2);
  const rows: { user: string; item: string }[] = [];
  // 60,000 interactions (the threaded path starts at 50,000): user u buys items u·7 + j·13 mod 900
  for (let u = 0; u < 2_000; u++) for (let j = 0; j < 30; j++) rows.push({ user: `u${u}`, item: `i${(u * 7 + j * 13) % 900}` });
  const purchases = createInteractions(rows);
  const one = fitImplicitAls(purchases, { factors: 8, iterations: 2, threads: 1 });
  const started = performance.now();
  const two = fitImplicitAls(purchases, { factors: 8, iterations: 2, threads: 2 });
  const twoMs = performance.now() - started;
  let same = one.userFactors.length === two.userFactors.length && one.itemFactors.length === two.itemFactors.length;
  for (let q = 0; same && q < one.userFactors.length; q++) same = Object.is(one.userFactors[q], two.userFactors[q]);
  for (let q = 0; same && q < one.itemFactors.length; q++) same = Object.is(one.itemFactors[q], two.itemFactors[q]);
  self.postMessage({ isolated: self.crossOriginIsolated === true, before, prepared, threads: availableThreads(), same, twoMs });
} catch (error) {
  self.postMessage({ error: String(error) });
}
