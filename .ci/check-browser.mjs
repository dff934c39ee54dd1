// Browser smoke test, run by `npm run check:browser` after `npm run build`: the ESM build bundled for the browser
// (esbuild, platform browser) is served on localhost and loaded in headless Chromium (Debian's chromium, driven by
// playwright-core); the page computes recommendations and an explanation, and this script checks them.
import { build } from "esbuild";
import { createServer } from "node:http";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "..");
const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));
if (executablePath === undefined) {
  console.error("FAIL check:browser: no Chromium at /usr/bin/chromium (apt-get install chromium)");
  process.exit(1);
}
if (!existsSync(join(root, "dist", "index.js"))) {
  console.error("FAIL check:browser: dist/index.js is missing (run npm run build first)");
  process.exit(1);
}

// One script per entry, bundled for the browser.
async function bundle(entry) {
  const result = await build({ entryPoints: [join(root, ".ci", entry)], bundle: true, format: "esm", platform: "browser", write: false, minify: true, logLevel: "silent" });
  return result.outputFiles[0].text;
}
const script = await bundle("browser-page.ts");
const workerScript = await bundle("browser-worker.ts");
const page = `<!doctype html><meta charset="utf-8"><title>nextbest</title><body>loading</body><script type="module" src="/page.js"></script>`;
// Cross-origin isolation (COOP + COEP), so that the page's worker may share memory with the workers it starts.
const isolation = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };
const server = createServer((request, response) => {
  if (request.url === "/page.js" || request.url === "/worker.js") {
    response.writeHead(200, { "content-type": "text/javascript", ...isolation });
    response.end(request.url === "/page.js" ? script : workerScript);
  } else {
    response.writeHead(200, { "content-type": "text/html", ...isolation });
    response.end(page);
  }
});
await new Promise((done) => server.listen(0, "127.0.0.1", done));
const { port } = server.address();

let failed = false;
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
try {
  const tab = await browser.newPage();
  const errors = [];
  tab.on("pageerror", (error) => errors.push(String(error)));
  await tab.goto(`http://127.0.0.1:${port}/`);
  await tab.waitForFunction(() => window.__nextbest !== undefined, undefined, { timeout: 30_000 });
  const result = await tab.evaluate(() => window.__nextbest);
  const text = await tab.textContent("body");
  console.log(`page bundle: ${(script.length / 1024).toFixed(1)} kB minified`);
  console.log(`browser: ${result.userAgent ?? "?"}`);
  console.log(`page says: ${text}`);
  if (result.error !== undefined || errors.length > 0) {
    failed = true;
    console.error(`FAIL the page threw: ${result.error ?? errors.join("\n")}`);
  } else {
    // globex bought crm and support: analytics (bought with crm by acme and initech) comes first.
    if (JSON.stringify(result.items) !== JSON.stringify(["analytics"])) {
      failed = true;
      console.error(`FAIL recommendations for globex: expected ["analytics"], got ${JSON.stringify(result.items)}`);
    }
    if (Math.abs(result.parts - result.score) > 1e-12) {
      failed = true;
      console.error(`FAIL the explanation's parts sum to ${result.parts}, the score is ${result.score}`);
    }
    console.log(`WebAssembly SIMD kernels: ${result.simd ? "loaded" : "missing"}; ALS factors differ from the JavaScript kernels' by at most ${result.alsDifference}`);
    if (result.simd !== true || !(result.alsDifference <= 1e-4)) {
      failed = true;
      console.error(`FAIL the WebAssembly kernels in the browser: simd ${result.simd}, ALS difference ${result.alsDifference}`);
    }
    const worker = result.worker ?? {};
    console.log(`in a Web Worker of the isolated page: ${worker.before} thread(s) before prepareThreads, ${worker.threads} after; ALS on 2 threads ${worker.same ? "gives" : "does not give"} the 1-thread factors (${worker.twoMs?.toFixed(0)} ms)`);
    if (worker.error !== undefined || worker.isolated !== true || worker.before !== 1 || worker.prepared !== 2 || worker.threads !== 2 || worker.same !== true || !(worker.twoMs < 4000)) {
      failed = true;
      console.error(`FAIL worker threads in the browser: ${JSON.stringify(worker)}`);
    }
    const interop = result.interop ?? {};
    console.log(`nextbest/interop: a Spark ALSModel directory's bytes ${interop.sparkSame ? "give back" : "do not give back"} the ALS factors; a BigQuery ML weights row scores ${interop.bigQueryScore}`);
    if (interop.sparkSame !== true || interop.bigQueryScore !== 7.5) {
      failed = true;
      console.error(`FAIL nextbest/interop in the browser: ${JSON.stringify(interop)}`);
    }
    if (JSON.stringify(result.contributions) !== JSON.stringify(["cf", "popularity"])) {
      failed = true;
      console.error(`FAIL contributions ${JSON.stringify(result.contributions)}`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
if (failed) process.exit(1);
console.log("check:browser: recommendations and an explanation computed in headless Chromium");

// The account report the demo wrote: rendered at several widths and in print, labels measured (.ci/check-report.mjs).
const { execFileSync } = await import("node:child_process");
try {
  execFileSync(process.execPath, [join(root, ".ci", "check-report.mjs")], { stdio: "inherit" });
} catch {
  process.exit(1);
}
