import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "./helpers/project.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs one suite under vitest with `env`, and returns its exit code and .ci/run's closing line for it. */
function runSuite(file: string, env: Record<string, string>): { status: number; counts: string } {
  const dir = mkdtempSync(join(tmpdir(), "manifold-ci-"));
  dirs.push(dir);
  const report = join(dir, "report.json");
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "CI"));
  const r = spawnSync(
    process.execPath,
    [join(REPO, "node_modules/vitest/vitest.mjs"), "run", file, "--reporter=json", `--outputFile.json=${report}`],
    { cwd: REPO, encoding: "utf8", env: { ...clean, ...env } },
  );
  const counts = spawnSync(process.execPath, [join(REPO, ".ci/counts.mjs"), report], { encoding: "utf8" });
  return { status: r.status ?? -1, counts: counts.stdout.trim() };
}

describe("schema suites and the CI line", () => {
  it("no test reads an absolute path: the reference schemas are found relative to the repository", () => {
    const absolute = readdirSync(join(REPO, "test"))
      .filter((f) => f.endsWith(".ts"))
      .filter((f) => /["'`]\/work\//.test(readFileSync(join(REPO, "test", f), "utf8")));
    expect(absolute).toEqual([]);
  });

  it("without the schemas, a schema suite is skipped locally and counted as skipped", () => {
    const r = runSuite("test/crd-schemas.test.ts", { MANIFOLD_CRD_SCHEMAS: "/nonexistent/crd-schemas" });
    expect(r.status).toBe(0);
    expect(r.counts).toMatch(/^0 passed, 0 failed, [1-9]\d* skipped$/);
  });

  it("sums the reports of several runs (one per Node version)", () => {
    const dir = mkdtempSync(join(tmpdir(), "manifold-counts-"));
    dirs.push(dir);
    const a = join(dir, "a.json");
    const b = join(dir, "b.json");
    writeFileSync(a, JSON.stringify({ numPassedTests: 3, numFailedTests: 1, numPendingTests: 2, testResults: [] }));
    writeFileSync(b, JSON.stringify({ numPassedTests: 4, numFailedTests: 0, numTodoTests: 1, testResults: [] }));
    const out = spawnSync(process.execPath, [join(REPO, ".ci/counts.mjs"), a, b, join(dir, "missing.json")], {
      encoding: "utf8",
    });
    expect(out.stdout.trim()).toBe("7 passed, 2 failed, 3 skipped");
  });

  it("without the schemas, in CI (CI=true) a schema suite fails", () => {
    const r = runSuite("test/crd-schemas.test.ts", { MANIFOLD_CRD_SCHEMAS: "/nonexistent/crd-schemas", CI: "true" });
    expect(r.status).toBe(1);
    expect(r.counts).toBe("0 passed, 1 failed, 0 skipped");
  });

  it(".ci/run runs the tests with CI=true and closes with the counts line", () => {
    const script = readFileSync(join(REPO, ".ci/run"), "utf8");
    expect(script).toMatch(/^\s*CI=true PATH="\$1:\$PATH" node node_modules\/vitest\/vitest\.mjs run /m);
    expect(script).toContain('node .ci/counts.mjs "$report24" "$report26"');
  });
});
