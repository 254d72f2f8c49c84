// The CLI writes its output straight to the file descriptors (compiler/stdio.ts): whole through a pipe however long,
// and quietly stopped when the reader goes away.
import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, REPO, cleanProjects, cliEnv, makeProject, runCli } from "./helpers/project.ts";

afterAll(cleanProjects);

const PLAN = ["plan", "ossa", "production", "us-west-2", "--format", "json"];

describe("the CLI's output", () => {
  it("comes whole through a pipe, longer than a pipe holds", () => {
    const r = runCli(REPO, PLAN);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(128 * 1024);
    expect(r.stdout.endsWith("\n")).toBe(true);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it("stops quietly, with no error, when the reader closes the pipe early (manifold … | head)", async () => {
    const child = spawn(process.execPath, [CLI, ...PLAN], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += String(d)));
    child.stdout.destroy(); // gone before the first write
    const code = await new Promise<number | null>((done) => child.on("close", (c) => done(c)));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});

describe("output written through Node's streams (a description's console.log)", () => {
  it("is flushed whole before the CLI exits, even into a pipe nobody reads for a while", async () => {
    const root = makeProject({ rendered: true });
    const big = "x".repeat(1 << 20);
    const file = join(root, "platforms/ossa.ts");
    writeFileSync(file, `console.log("x".repeat(${1 << 20}));\n${readFileSync(file, "utf8")}`);
    const child = spawn(process.execPath, [CLI, "compile"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: cliEnv(),
    });
    child.stdout.pause(); // the pipe fills, and the rest of the description's write waits in the CLI's stream
    let stderr = "";
    const reported = new Promise<void>((done) =>
      child.stderr.on("data", (d) => {
        stderr += String(d);
        if (stderr.includes("compiled 24 targets")) done();
      }),
    );
    await reported;
    await new Promise((r) => setTimeout(r, 500)); // a CLI that exits without flushing is gone by now
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += String(d)));
    child.stdout.resume();
    const code = await new Promise<number | null>((done) => child.on("close", (c) => done(c)));
    expect(code).toBe(0);
    expect(stdout).toContain(big);
  }, 60_000);
});
