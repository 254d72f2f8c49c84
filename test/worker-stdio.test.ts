// A helper thread owns its output (compiler/worker-stdio.ts): what it writes reaches the process's descriptors whole,
// and starting it builds none of the main thread's stdout and stderr streams.
import { describe, expect, it } from "vitest";
import { spawnSync, type StdioOptions } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { helperOptions } from "../compiler/parallel.ts";
import { REPO } from "./helpers/project.ts";

const href = (file: string) => pathToFileURL(join(REPO, "compiler", file)).href;

/** What the probe writes once the helper module is loaded: 1 MB, bytes on stderr, latin1, then a corked mix. */
const WRITES = [
  `console.log("x".repeat(1 << 20));`,
  `process.stderr.write(Buffer.from("bytes on stderr\\n"));`,
  `process.stdout.write("caf\\u00e9\\n", "latin1");`,
  `process.stdout.cork();`,
  `process.stdout.write("utf8 \\u00e9\\n");`,
  `process.stdout.write(Buffer.from([0xff, 0x0a]));`,
  `process.stdout.write("\\u00e9\\n", "latin1");`,
  `process.stdout.uncork();`,
];

/** The bytes WRITES puts on stdout. */
const EXPECTED = Buffer.concat([
  Buffer.from(`${"x".repeat(1 << 20)}\n`),
  Buffer.from("caf\u00e9\n", "latin1"),
  Buffer.from("utf8 \u00e9\n"),
  Buffer.from([0xff, 0x0a]),
  Buffer.from("\u00e9\n", "latin1"),
]);

/**
 * Runs a process whose main thread starts the real helper module (bundling first, so it waits for a request) with
 * `options`; once loaded, the helper runs `writes` and reports how much its stdout still holds. The main thread
 * reports on stderr how often the Worker's constructor used its own stdout and stderr streams (a first use builds
 * one) and what the helper reported.
 */
function runHelper(options: object, writes = WRITES, stdio: StdioOptions = "pipe") {
  const probe = [
    `const { parentPort } = await import("node:worker_threads");`,
    `import(${JSON.stringify(href("parallel-worker.ts"))}).then(() => {`,
    ...writes.map((w) => `  ${w}`),
    `  setImmediate(() => parentPort.postMessage("held " + process.stdout.writableLength));`,
    `});`,
  ].join("\n");
  const main = [
    `import { Worker } from "node:worker_threads";`,
    `import { writeSync } from "node:fs";`,
    `let built = 0;`,
    `for (const name of ["stdout", "stderr"]) {`,
    `  const own = Object.getOwnPropertyDescriptor(process, name);`,
    `  Object.defineProperty(process, name, { configurable: true, get() { built++; return own.get.call(process); } });`,
    `}`,
    `built = 0;`,
    `const worker = new Worker(${JSON.stringify(probe)}, { eval: true, ...${JSON.stringify(options)} });`,
    `const inConstructor = built;`,
    `worker.once("message", (m) => { writeSync(2, "streams used: " + inConstructor + ", " + m + "\\n"); process.exit(0); });`,
  ].join("\n");
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", main], {
    cwd: REPO,
    maxBuffer: 1 << 24,
    stdio,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr?.toString("latin1") ?? "" };
}

describe.skipIf(process.platform === "win32")("a helper thread's own output", () => {
  it("reaches stdout and stderr whole, in the bytes written (corked or not), with no stream of the main thread built", () => {
    const r = runHelper(helperOptions(undefined, true));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("streams used: 0, held 0");
    expect(r.stderr).toContain("bytes on stderr\n");
    expect(r.stdout.equals(EXPECTED)).toBe(true);
  }, 60_000);

  it("is what the options ask for: the Worker's default pipes it through the main thread, building its streams", () => {
    const { workerData } = helperOptions(undefined, true);
    expect(helperOptions(undefined, true)).toMatchObject({
      stdout: true,
      stderr: true,
      workerData: { ownStdio: true },
    });
    const r = runHelper({ workerData: { ...workerData, ownStdio: false } });
    expect(r.stderr).toMatch(/streams used: [1-9]/);
  }, 60_000);

  it("keeps writing after a write fails (a full disk): nothing stays held in the stream", () => {
    const full = openSync("/dev/full", "w");
    try {
      const r = runHelper(
        helperOptions(undefined, true),
        [`console.log("one");`, `console.log("two");`],
        ["ignore", full, "pipe"],
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain("streams used: 0, held 0");
    } finally {
      closeSync(full);
    }
  }, 60_000);

  it("is set up by the helper's module before its other modules and its own code run", () => {
    const source = readFileSync(join(REPO, "compiler", "parallel-worker.ts"), "utf8");
    expect(/^import\s[^\n]*$/m.exec(source)?.[0]).toBe('import "./worker-stdio.ts";');
  });
});
