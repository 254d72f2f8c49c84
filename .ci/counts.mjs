// The closing line of .ci/run, from vitest's JSON report: "N passed, N failed, N skipped".
// A suite that fails to load has no tests; it counts as one failure so it cannot hide.
// An unreadable report is one failure.
import { readFileSync } from "node:fs";

try {
  const r = JSON.parse(readFileSync(process.argv[2], "utf8"));
  const broken = (r.testResults || []).filter(
    (t) => t.status === "failed" && (t.assertionResults || []).length === 0,
  ).length;
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + broken} failed, ${skipped} skipped`);
} catch {
  console.log("0 passed, 1 failed, 0 skipped");
}
