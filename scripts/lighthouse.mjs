// Lighthouse on a list of pages, one after the other, in one Chromium (mobile settings, Lighthouse's defaults).
//
//   CHROME_PATH=/usr/bin/chromium node scripts/lighthouse.mjs http://127.0.0.1:5000/he/ http://...
//
// Prints one JSON line per page: {"url", "scores": {"performance": 0-100, ...}, "failed": [audits below 1]}.
// The browser tests (tests/browser/test_lighthouse.py) start the site and run this.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  for (const url of process.argv.slice(2)) {
    const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES });
    const lhr = result.lhr;
    const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)]));
    const failed = [];
    for (const category of CATEGORIES) {
      for (const ref of lhr.categories[category].auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) failed.push(`${category}:${ref.id}:${audit.score}`);
      }
    }
    const error = lhr.runtimeError ? lhr.runtimeError.message : null;
    console.log(JSON.stringify({ url, scores, failed, error }));
  }
} finally {
  await chrome.kill();
}
