// The closing line of .ci/run, summed over vitest's JSON reports (one per Node version):
// "N passed, N failed, N skipped". A suite that fails to load has no tests; it counts as one failure so it
// cannot hide. A missing or unreadable report is one failure.
import { readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  try {
    const r = JSON.parse(readFileSync(file, "utf8"));
    const broken = (r.testResults || []).filter(
      (t) => t.status === "failed" && (t.assertionResults || []).length === 0,
    ).length;
    passed += r.numPassedTests;
    failed += r.numFailedTests + broken;
    skipped += (r.numPendingTests || 0) + (r.numTodoTests || 0);
  } catch {
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
