// The CLI writes its output straight to the file descriptors (compiler/stdio.ts): whole through a pipe however long,
// and quietly stopped when the reader goes away.
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { CLI, REPO, runCli } from "./helpers/project.ts";

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
