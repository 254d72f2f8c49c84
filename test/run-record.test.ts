/**
 * The run record (compiler/cache/run-record.ts): an unchanged whole-fleet compile takes its result from it, with the
 * same report and the same rendered/ as a full compile; any change to the descriptions, the compiler or rendered/
 * goes the full way.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ownersOf, readRunRecord, recordedFiles, runKey, writeRunRecord } from "../compiler/cache/run-record.ts";
import { UnreadableCacheError } from "../compiler/cache/store.ts";
import type { Project } from "../compiler/model/project.ts";
import { cleanProjects, edit, makeProject, runCli } from "./helpers/project.ts";

afterAll(cleanProjects);

/** The phases a `--timings` run reports. */
function phases(stderr: string): string[] {
  const line = stderr.split("\n").find((l) => l.startsWith("timings: "));
  if (!line) throw new Error(`no timings in:\n${stderr}`);
  return Object.keys(JSON.parse(line.slice("timings: ".length)) as object);
}

/** What a compile reports of the project (findings, counts), without its timings. */
function report(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((l) => !/^(timings|rules): /.test(l))
    .map((l) => l.replace(/ in \d+ ms;/, " in N ms;").replace(/, \d+ ms$/, ", N ms"));
}

const HPA = "production/us-west-2/ossa/horizontalpodautoscaler-ossa-discovery.yaml";

describe("manifold compile with the run record", () => {
  it("takes an unchanged compile from the record: same report, rendered/ confirmed by its stamps", () => {
    const root = makeProject();
    const first = runCli(root, ["compile"]);
    expect(first.status, first.stderr).toBe(0);
    expect(existsSync(join(root, ".manifold-cache/run.json"))).toBe(true);

    const again = runCli(root, ["compile", "--timings"]);
    expect(again.status, again.stderr).toBe(0);
    expect(phases(again.stderr)).toContain("record");
    expect(phases(again.stderr)).not.toContain("resolve");
    expect(again.stderr).toMatch(
      /compiled 24 targets \(24 unchanged, from the cache\), \d+ objects in \d+ ms; rendered\/ unchanged/,
    );

    // the same report as a compile that does not use the record
    unlinkSync(join(root, ".manifold-cache/run.json"));
    const full = runCli(root, ["compile", "--timings"]);
    expect(phases(full.stderr)).toContain("resolve");
    expect(report(again.stderr)).toEqual(report(full.stderr));

    const check = runCli(root, ["compile", "--check", "--timings"]);
    expect(check.status, check.stderr).toBe(0);
    expect(phases(check.stderr)).toContain("record");
    expect(check.stderr).toMatch(/rendered\/ is up to date: 24 targets \(24 unchanged, from the cache\)/);
  });

  it("goes the full way after a description edit; repairs a hand edit or a deletion from the cache's contents", () => {
    const root = makeProject();
    expect(runCli(root, ["compile"]).status).toBe(0);
    const file = join(root, "rendered", HPA);

    edit(root, "platforms/ossa.ts", 'agentService("discovery", 5, 30,', 'agentService("discovery", 6, 30,');
    const edited = runCli(root, ["compile", "--timings"]);
    expect(edited.status, edited.stderr).toBe(0);
    expect(phases(edited.stderr)).toContain("resolve");
    expect(readFileSync(file, "utf8")).toContain("minReplicas: 6");
    // the files just written are compared by content (their stamps are new), which the cache gives
    expect(phases(runCli(root, ["compile", "--timings"]).stderr)).not.toContain("resolve");

    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace("minReplicas: 6", "minReplicas: 1"));
    const check = runCli(root, ["compile", "--check", "--timings"]);
    expect(check.status).toBe(1);
    expect(check.stdout.trim()).toBe(`changed  rendered/${HPA}`);
    expect(phases(check.stderr)).not.toContain("resolve");
    const repaired = runCli(root, ["compile", "--timings"]);
    expect(repaired.status, repaired.stderr).toBe(0);
    expect(phases(repaired.stderr)).not.toContain("resolve");
    expect(readFileSync(file, "utf8")).toBe(text);

    unlinkSync(file);
    const restored = runCli(root, ["compile", "--timings"]);
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stderr).toContain("rendered/: 1 added, 0 changed, 0 removed");
    expect(phases(restored.stderr)).not.toContain("resolve");
    expect(readFileSync(file, "utf8")).toBe(text);

    // every cached content gone bad: the full way, which rebuilds the targets
    const contents = join(root, ".manifold-cache/contents");
    for (const f of readdirSync(contents)) writeFileSync(join(contents, f), "[0]\n");
    writeFileSync(file, "edited by hand\n");
    const rebuilt = runCli(root, ["compile", "--timings"]);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(phases(rebuilt.stderr)).toContain("resolve");
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("a filtered compile and a compile without the cache neither read nor write it", () => {
    const root = makeProject();
    expect(runCli(root, ["compile", "--platform", "ossa"]).status).toBe(0);
    expect(runCli(root, ["compile", "--no-cache"]).status).toBe(0);
    expect(existsSync(join(root, ".manifold-cache/run.json"))).toBe(false);
    expect(runCli(root, ["compile"]).status).toBe(0);
    const filtered = runCli(root, ["compile", "--platform", "ossa", "--timings"]);
    expect(filtered.status, filtered.stderr).toBe(0);
    expect(phases(filtered.stderr)).not.toContain("record");
  });
});

describe("the run record file", () => {
  const project = (name: string) =>
    ({ root: "/p", platforms: [{ file: `platforms/${name}.ts`, value: {} }] }) as unknown as Project;
  const record = {
    key: runKey("compiler-1", project("a")),
    filesKey: "files-1",
    targets: 2,
    objects: 5,
    findings: [],
    paths: ["dev/r/a/README.md", "dev/r/a/service-a.yaml", "argocd/app.yaml"],
    ...ownersOf(["dev/r/a/README.md", "dev/r/a/service-a.yaml", "argocd/app.yaml"], new Map([["dev/r/a", "key-a"]])),
  };

  it("is keyed by the compiler and the loaded project", () => {
    expect(runKey("compiler-1", project("a"))).toBe(record.key);
    expect(runKey("compiler-2", project("a"))).not.toBe(record.key);
    expect(runKey("compiler-1", project("b"))).not.toBe(record.key);
  });

  it("is read back only under its key, in its format, whole", () => {
    const dir = mkdtempSync(join(tmpdir(), "manifold-run-record-"));
    try {
      writeRunRecord(dir, record);
      expect(readRunRecord(dir, record.key)).toEqual({ format: 3, ...record });
      expect(readRunRecord(dir, runKey("compiler-2", project("a")))).toBeUndefined();
      for (const bad of [
        "",
        "{",
        JSON.stringify({ ...record, format: 99 }),
        JSON.stringify({ ...record, paths: [1, 2, 3] }),
        JSON.stringify({ ...record, owner: [0, 5, 1] }),
        JSON.stringify({ ...record, owner: [0] }),
      ]) {
        writeFileSync(join(dir, "run.json"), bad);
        expect(readRunRecord(dir, record.key)).toBeUndefined();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names each path's owner: its target's cache entry, or the fleet layers", () => {
    expect(record.owners).toEqual(["key-a", ""]);
    expect(record.owner).toEqual([0, 0, 1]);
  });

  it("gives every path, each content read once per owner when asked for; one its owner lacks is an error", () => {
    const reads: string[] = [];
    const files = recordedFiles({ format: 3, ...record }, (owner) => {
      reads.push(owner);
      return owner === "key-a" ? [["dev/r/a/README.md", "# a\n"]] : undefined;
    });
    expect([...files.keys()]).toEqual(record.paths);
    expect(reads).toEqual([]);
    expect(files.get("dev/r/a/README.md")).toBe("# a\n");
    expect(() => files.get("dev/r/a/service-a.yaml")).toThrow(UnreadableCacheError);
    expect(() => files.get("argocd/app.yaml")).toThrow(UnreadableCacheError);
    expect(reads).toEqual(["key-a", ""]);
  });
});
