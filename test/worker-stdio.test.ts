// A helper thread owns its output (compiler/worker-stdio.ts): what it writes reaches the process's descriptors whole,
// and starting it builds none of the main thread's stdout and stderr streams.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { helperOptions } from "../compiler/parallel.ts";
import { REPO } from "./helpers/project.ts";

const href = (file: string) => pathToFileURL(join(REPO, "compiler", file)).href;

/**
 * Runs a process whose main thread starts the real helper module (bundling first, so it waits for a request) with
 * `options`, once the helper wrote 1 MB to stdout, bytes to stderr and a latin1 string to stdout; its main thread
 * reports on stderr how often the Worker's constructor used its own stdout and stderr streams (a first use builds
 * one).
 */
function runHelper(options: object) {
  const probe = [
    `const { parentPort } = await import("node:worker_threads");`,
    `import(${JSON.stringify(href("parallel-worker.ts"))}).then(() => {`,
    `  console.log("x".repeat(1 << 20));`,
    `  process.stderr.write(Buffer.from("bytes on stderr\\n"));`,
    `  process.stdout.write("caf\\u00e9\\n", "latin1");`,
    `  parentPort.postMessage("written");`,
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
    `worker.once("message", () => { writeSync(2, "streams used: " + inConstructor + "\\n"); process.exit(0); });`,
  ].join("\n");
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", main], {
    cwd: REPO,
    maxBuffer: 1 << 24,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString("latin1") };
}

describe.skipIf(process.platform === "win32")("a helper thread's own output", () => {
  it("reaches stdout and stderr whole, in the bytes written, with no stream of the main thread built", () => {
    const r = runHelper(helperOptions(undefined, true));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("streams used: 0");
    expect(r.stderr).toContain("bytes on stderr\n");
    const out = r.stdout.toString("latin1");
    expect(out).toBe(`${"x".repeat(1 << 20)}\ncafé\n`);
    expect(r.stdout.at(-2)).toBe(0xe9); // é in latin1, one byte
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
});
