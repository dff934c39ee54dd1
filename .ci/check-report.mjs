// The account report in a real browser (issue 14, §4), run by `npm run check:browser` after `npm run demo`:
// demo-output/report.html rendered by headless Chromium at 1280 px, at 480 px and in print media; screenshots go to
// demo-output/report-1280.png, report-480.png and report-print.png. Fails when any text label of a chart leaves its
// SVG, when two labels of a chart overlap, or when the page does not open with the call list.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "..");
const report = join(root, "demo-output", "report.html");
const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));
if (executablePath === undefined) {
  console.error("FAIL check-report: no Chromium at /usr/bin/chromium (apt-get install chromium)");
  process.exit(1);
}
if (!existsSync(report)) {
  console.error(`FAIL check-report: ${report} is missing (run npm run demo first)`);
  process.exit(1);
}

// In the page: every <text> of every chart, its box against its SVG's and against the other texts of the same SVG.
function measure() {
  const problems = [];
  let labels = 0;
  const charts = [...document.querySelectorAll("svg")];
  charts.forEach((svg, c) => {
    const frame = svg.getBoundingClientRect();
    const boxes = [...svg.querySelectorAll("text")].map((text) => ({ text: text.textContent, box: text.getBoundingClientRect() }));
    labels += boxes.length;
    for (const { text, box } of boxes) {
      if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5 || box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5) {
        problems.push(`chart ${c + 1}: "${text}" leaves its SVG (${Math.round(box.left - frame.left)}..${Math.round(box.right - frame.left)} of ${Math.round(frame.width)} px)`);
      }
    }
    for (let a = 0; a < boxes.length; a++) {
      for (let b = a + 1; b < boxes.length; b++) {
        const p = boxes[a].box;
        const q = boxes[b].box;
        const overlapX = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const overlapY = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (overlapX > 0.5 && overlapY > 0.5) problems.push(`chart ${c + 1}: "${boxes[a].text}" overlaps "${boxes[b].text}"`);
      }
    }
  });
  const headings = [...document.querySelectorAll("h2")].map((h) => h.textContent);
  return { problems, labels, charts: charts.length, firstHeading: headings[0] ?? null, rows: document.querySelectorAll("#call-list + table tbody tr").length };
}

let failed = false;
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
try {
  for (const [name, width, media] of [["1280", 1280, "screen"], ["480", 480, "screen"], ["print", 1000, "print"]]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.emulateMedia({ media });
    await page.goto(pathToFileURL(report).href);
    const result = await page.evaluate(measure);
    const shot = join(root, "demo-output", `report-${name}.png`);
    await page.screenshot({ path: shot, fullPage: name !== "print" });
    // The first screen at 1280 px, the README's picture (docs/images/report.png is a committed copy of it).
    if (name === "1280") await page.screenshot({ path: join(root, "demo-output", "report-first-screen.png") });
    console.log(`report at ${name}: ${result.rows} call-list rows, ${result.charts} charts, ${result.labels} labels checked; screenshot ${shot}`);
    if (result.firstHeading !== "Call list") {
      failed = true;
      console.error(`FAIL report at ${name}: the first section is ${JSON.stringify(result.firstHeading)}, not the call list`);
    }
    if (result.rows === 0) {
      failed = true;
      console.error(`FAIL report at ${name}: the call list is empty`);
    }
    for (const problem of result.problems.slice(0, 20)) {
      failed = true;
      console.error(`FAIL report at ${name}: ${problem}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
if (failed) process.exit(1);
console.log("check-report: the report opens with the call list; no chart label leaves its SVG or overlaps another");
