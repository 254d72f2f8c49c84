import { afterAll, describe, expect, it } from "vitest";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { platform, service } from "../compiler/index.ts";
import { checkProject } from "../compiler/load.ts";
import { type ProjectSources } from "../compiler/model/project.ts";
import type { ArgoCdDescription, EnvironmentDescription, RegionDescription } from "../compiler/describe/types.ts";
import { compileLoaded, type CompileResult } from "../compiler/compile.ts";
import { TargetCache, UnreadableCacheError } from "../compiler/cache/store.ts";
import { LazyFiles } from "../compiler/cache/lazy-files.ts";
import { readLayers } from "../compiler/cache/layers.ts";
import { compilerKey } from "../compiler/cache/key.ts";
import { cachedSourceKey, sourceKey } from "../bin/source-key.mjs";
import { repoProject } from "./helpers/memory.ts";
import { cleanProjects, edit, makeProject, REPO, runCli } from "./helpers/project.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  cleanProjects();
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "manifold-cache-"));
  dirs.push(d);
  return d;
}

const small = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const demo = (image = "docker.io/demo/api:1.0.0") =>
  platform({
    name: "demo",
    namespace: "demo",
    components: { api: service({ image, ports: { http: 8080 }, replicas: 2, resources: small }) },
  });

/** The repo's fleet plus `demo`, with the environments and regions changed by `tweak`. */
type Tweak = (s: ProjectSources) => void;

async function sources(options: { image?: string; tweak?: Tweak } = {}): Promise<ProjectSources> {
  const repo = structuredClone(await repoProject());
  repo.platforms.push({ file: "platforms/demo.ts", value: demo(options.image) });
  options.tweak?.(repo);
  return repo;
}

function run(s: ProjectSources, cache?: TargetCache): CompileResult {
  return compileLoaded(checkProject(s), { cache });
}

const rebuilt = (r: CompileResult) => r.targets.map((t) => t.target.id).sort();

/** A minimal compiler at `repo` (compiler/a.ts and package.json), to take its source key; returns a.ts's path. */
function compilerAt(repo: string): string {
  mkdirSync(join(repo, "compiler"), { recursive: true });
  const file = join(repo, "compiler/a.ts");
  writeFileSync(file, "export const a = 1;\n");
  writeFileSync(join(repo, "package.json"), '{"version":"1.0.0"}');
  return file;
}

/**
 * Waits until files written now are older than the two seconds within which the source-key memo is not written (a
 * file's change time, which nothing can set back, counts as well as its modification time).
 */
function settled(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2100));
}

describe("the incremental-compile cache", () => {
  it("reuses every unchanged target, with byte-identical files and the same findings", async () => {
    const cache = new TargetCache(tempDir(), "test-compiler");
    const fresh = run(await sources());
    const first = run(await sources(), cache);
    expect(first.reused).toEqual([]);
    const second = run(await sources(), cache);
    expect(second.targets).toEqual([]);
    expect(second.reused.map((t) => t.target.id).sort()).toEqual(rebuilt(fresh));
    expect(second.reused.reduce((n, t) => n + t.objects.length, 0)).toBe(
      fresh.targets.reduce((n, t) => n + t.objects.length, 0),
    );
    expect([...second.files.entries()].sort()).toEqual([...fresh.files.entries()].sort());
    expect(second.findings).toEqual(fresh.findings);
  });

  it("stores each target's objects as JSON.stringify writes them (the validation's texts reused)", async () => {
    const dir = tempDir();
    const cache = new TargetCache(dir, "test-compiler");
    const first = run(await sources(), cache);
    expect(first.targets.length).toBeGreaterThan(0);
    for (const t of first.targets) {
      const key = cache.keyOf(t.target);
      expect(readFileSync(join(dir, "objects", `${key}.json`), "utf8"), t.target.id).toBe(JSON.stringify(t.objects));
    }
  });

  it.each([
    ["a description", { image: "docker.io/demo/api:1.0.1" }, (id: string) => id.startsWith("demo/")],
    [
      "an environment",
      {
        tweak: ((s: ProjectSources) =>
          void ((
            s.environments.find((e) => e.file === "environments/staging.ts")!.value as EnvironmentDescription
          ).overrides!.config = {
            STAGING_MARKER: "1",
          })) as Tweak,
      },
      (id: string) => id.split("/")[1] === "staging",
    ],
    [
      "a region",
      {
        tweak: ((s: ProjectSources) =>
          void ((
            s.regions.find((r) => r.file === "regions/us-east-1.ts")!.value as RegionDescription
          ).overrides!.config!.REGION = "us-east-1b")) as Tweak,
      },
      (id: string) => id.split("/")[2] === "us-east-1",
    ],
  ] as const)("changing %s rebuilds exactly the targets it affects", async (_what, change, affected) => {
    const cache = new TargetCache(tempDir(), "test-compiler");
    const before = run(await sources(), cache);
    const after = run(await sources(change), cache);
    const expected = rebuilt(before).filter(affected);
    expect(expected.length).toBeGreaterThan(0);
    expect(rebuilt(after)).toEqual(expected);
    // and the output is what a compile without the cache gives
    expect([...after.files.entries()].sort()).toEqual([...run(await sources(change)).files.entries()].sort());
  });

  it("a new compiler version rebuilds every target", async () => {
    const dir = tempDir();
    const first = run(await sources(), new TargetCache(dir, "compiler-a"));
    const second = run(await sources(), new TargetCache(dir, "compiler-b"));
    expect(second.reused).toEqual([]);
    expect(rebuilt(second)).toEqual(rebuilt(first));
  });

  it("the compiler key follows the compiler's sources, its version and its dependencies", () => {
    const repo = tempDir();
    mkdirSync(join(repo, "compiler/emit"), { recursive: true });
    writeFileSync(join(repo, "compiler/emit/files.ts"), "export const a = 1;\n");
    writeFileSync(join(repo, "package.json"), '{"version":"1.0.0"}');
    writeFileSync(join(repo, "package-lock.json"), '{"packages":{}}');
    const keys = new Set([sourceKey(repo)]);
    writeFileSync(join(repo, "compiler/emit/files.ts"), "export const a = 2;\n");
    keys.add(sourceKey(repo));
    writeFileSync(join(repo, "package.json"), '{"version":"1.0.1"}');
    keys.add(sourceKey(repo));
    writeFileSync(join(repo, "package-lock.json"), '{"packages":{"node_modules/yaml":{}}}');
    keys.add(sourceKey(repo));
    expect(keys.size).toBe(4);
    expect(compilerKey()).toBe(
      `${JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version}+${sourceKey(REPO)}`,
    );
  });

  it("the remembered compiler key is the key of the sources, and follows an edit", async () => {
    const repo = tempDir();
    const file = compilerAt(repo);
    await settled();
    const memo = join(repo, "dist/source-stats.json");
    const first = cachedSourceKey(repo, memo);
    expect(first).toBe(sourceKey(repo));
    expect(existsSync(memo)).toBe(true);
    expect(cachedSourceKey(repo, memo)).toBe(first);
    // the same size, a new time: the memo no longer answers
    writeFileSync(file, "export const a = 2;\n");
    expect(cachedSourceKey(repo, memo)).toBe(sourceKey(repo));
    expect(sourceKey(repo)).not.toBe(first);
  });

  it("the remembered compiler key follows an edit that keeps the size and puts the modification time back", async () => {
    const repo = tempDir();
    const file = compilerAt(repo);
    const past = new Date(Date.now() - 60_000);
    utimesSync(file, past, past);
    await settled();
    const memo = join(repo, "dist/source-stats.json");
    const first = cachedSourceKey(repo, memo);
    expect(existsSync(memo)).toBe(true);
    writeFileSync(file, "export const a = 2;\n");
    utimesSync(file, past, past);
    expect(cachedSourceKey(repo, memo)).toBe(sourceKey(repo));
    expect(sourceKey(repo)).not.toBe(first);
  });

  it("the compiler key follows what is installed, with or without a change to the lock file", () => {
    const repo = tempDir();
    compilerAt(repo);
    writeFileSync(join(repo, "package-lock.json"), '{"packages":{}}');
    const keys = new Set([sourceKey(repo)]);
    // npm rewrites its hidden lock file at each install
    mkdirSync(join(repo, "node_modules"));
    writeFileSync(join(repo, "node_modules/.package-lock.json"), '{"packages":{"node_modules/yaml":{"version":"1"}}}');
    keys.add(sourceKey(repo));
    writeFileSync(join(repo, "node_modules/.package-lock.json"), '{"packages":{"node_modules/yaml":{"version":"2"}}}');
    keys.add(sourceKey(repo));
    expect(keys.size).toBe(3);
    // installed as a package, the compiler's dependencies are in the node_modules it sits in
    const project = tempDir();
    const installed = join(project, "node_modules/manifold");
    compilerAt(installed);
    const before = sourceKey(installed);
    writeFileSync(join(project, "node_modules/.package-lock.json"), '{"packages":{}}');
    expect(sourceKey(installed)).not.toBe(before);
  });

  it("ignores a corrupt or tampered entry and rebuilds that target", async () => {
    const dir = tempDir();
    const cache = new TargetCache(dir, "test-compiler");
    run(await sources(), cache);
    const entries = readdirSync(join(dir, "targets")).sort();
    writeFileSync(join(dir, "targets", entries[0]), "{ not json");
    // a file's content edited in the contents file, its length kept (the entry holds the file's digest)
    const contents = join(dir, "contents", entries[1].replace(/\.json$/, ".txt"));
    const text = readFileSync(contents, "utf8");
    const at = text.indexOf("\n") + 1;
    writeFileSync(contents, text.slice(0, at) + (text[at] === "#" ? "%" : "#") + text.slice(at + 1));
    const again = run(await sources(), cache);
    expect(again.targets).toHaveLength(2);
    expect([...again.files.entries()].sort()).toEqual([...run(await sources()).files.entries()].sort());
  });
});

describe("the fleet layers' cache", () => {
  it("takes the cluster and Argo CD layers from the cache when nothing changed, the same as rendering them", async () => {
    const dir = tempDir();
    const cache = new TargetCache(dir, "test-compiler");
    const fresh = run(await sources());
    run(await sources(), cache);
    const again = run(await sources(), cache);
    expect(again.timings.argocd).toBeUndefined();
    expect(again.timings.cluster).toBeUndefined();
    expect([...again.files.entries()].sort()).toEqual([...fresh.files.entries()].sort());
    expect(again.findings).toEqual(fresh.findings);
    expect(again.argocd?.plan).toEqual(fresh.argocd?.plan);
    expect(again.objectCount).toBe(fresh.objectCount);
    // the cached targets' objects are read only when asked for, and are the built ones
    expect(again.reused.flatMap((t) => t.objects)).toEqual(fresh.targets.flatMap((t) => t.objects));
  });

  it("renders the layers again when the Argo CD description changes", async () => {
    const dir = tempDir();
    const cache = new TargetCache(dir, "test-compiler");
    run(await sources(), cache);
    const tweak: Tweak = (s) => void (s.argocd![0].value as ArgoCdDescription).roles.readOnly.push("sre-auditors");
    const after = run(await sources({ tweak }), cache);
    expect(after.timings.argocd).toBeDefined();
    expect(after.targets).toEqual([]);
    expect([...after.files.entries()].sort()).toEqual([...run(await sources({ tweak })).files.entries()].sort());
  });

  it("rebuilds a target whose objects file is corrupt when the layers need its objects", async () => {
    const dir = tempDir();
    const cache = new TargetCache(dir, "test-compiler");
    run(await sources(), cache);
    rmSync(join(dir, "layers.json"));
    const name = readdirSync(join(dir, "objects")).sort()[0];
    writeFileSync(join(dir, "objects", name), "[]");
    const again = run(await sources(), cache);
    expect(again.targets).toHaveLength(1);
    expect([...again.files.entries()].sort()).toEqual([...run(await sources()).files.entries()].sort());
  });

  it("a filtered compile renders no layers, so it reads no cached objects: a damaged objects file rebuilds nothing", async () => {
    const dir = tempDir();
    const cache = new TargetCache(dir, "test-compiler");
    run(await sources(), cache);
    for (const name of readdirSync(join(dir, "objects"))) writeFileSync(join(dir, "objects", name), "[]");
    const filter = { platform: "demo" };
    const again = compileLoaded(checkProject(await sources()), { cache, filter });
    expect(again.targets).toEqual([]);
    expect(again.reused.length).toBeGreaterThan(0);
    const fresh = compileLoaded(checkProject(await sources()), { filter });
    expect([...again.files.entries()].sort()).toEqual([...fresh.files.entries()].sort());
    expect(again.findings).toEqual(fresh.findings);
    // asked for, the damaged objects are an error, not a wrong answer
    expect(() => again.reused[0].objects).toThrow(UnreadableCacheError);
  });
});

describe("manifold compile with the cache", () => {
  it("leaves unchanged targets' files untouched and never serves a stale target", () => {
    const root = makeProject();
    expect(runCli(root, ["compile"]).status).toBe(0);
    const file = (p: string) => join(root, "rendered", p);
    const devFile = "dev/us-west-2/ossa/deployment-ossa-gateway.yaml";
    const prodHpa = "production/us-west-2/ossa/horizontalpodautoscaler-ossa-discovery.yaml";
    const devTime = statSync(file(devFile)).mtimeMs;
    const unchanged = runCli(root, ["compile", "--check"]);
    expect(unchanged.status, unchanged.stderr).toBe(0);
    expect(unchanged.stderr).toMatch(/24 targets \(24 unchanged, from the cache\)/);

    edit(root, "platforms/ossa.ts", 'agentService("discovery", 5, 30,', 'agentService("discovery", 6, 30,');
    const check = runCli(root, ["compile", "--check"]);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(`changed  rendered/${prodHpa}`);
    const run2 = runCli(root, ["compile"]);
    expect(run2.status, run2.stderr).toBe(0);
    expect(readFileSync(file(prodHpa), "utf8")).toContain("minReplicas: 6");
    // dev has no autoscaling, so the edit leaves its files as they were: not rewritten
    expect(statSync(file(devFile)).mtimeMs).toBe(devTime);
    expect(readdirSync(join(root, "rendered/production/us-west-2/ossa")).filter((f) => f.includes(".tmp-"))).toEqual(
      [],
    );

    // the output equals a compile without the cache
    const copy = makeProject();
    cpSync(join(root, "platforms"), join(copy, "platforms"), { recursive: true });
    cpSync(join(root, "rendered"), join(copy, "rendered"), { recursive: true });
    const fresh = runCli(copy, ["compile", "--check", "--no-cache"]);
    expect(fresh.status, fresh.stdout).toBe(0);
  });
});

describe("reading cached file contents late", () => {
  it("a lazy map reads each content once, only when asked for, and keeps its order", () => {
    const reads: string[] = [];
    const files = new LazyFiles();
    files.set("a.yaml", "a");
    files.setLazy("b.yaml", () => (reads.push("b"), "b"));
    files.setLazy("c.yaml", () => (reads.push("c"), "c"));
    expect([...files.keys()]).toEqual(["a.yaml", "b.yaml", "c.yaml"]);
    expect(files.has("c.yaml") && files.size === 3).toBe(true);
    expect(reads).toEqual([]);
    expect(files.get("c.yaml")).toBe("c");
    expect([...files]).toEqual([
      ["a.yaml", "a"],
      ["b.yaml", "b"],
      ["c.yaml", "c"],
    ]);
    expect(new Map(files).get("b.yaml")).toBe("b");
    expect(reads).toEqual(["c", "b"]);
    files.setLazy("d.yaml", () => "late");
    files.set("d.yaml", "now");
    expect(files.get("d.yaml")).toBe("now");
  });

  it("keeps any contents exactly, and a truncated or padded contents file is no entry", () => {
    const dir = tempDir();
    const cache = new TargetCache(dir, "test-compiler");
    const files: [string, string][] = [
      ["dev/r/p/a.yaml", ""],
      ["dev/r/p/b.yaml", '\n[1,2]\n"quoted": "\\u00e9 é 🚀"\n'],
      ["dev/r/p/README.md", "# p\r\n\u2028end"],
    ];
    cache.put("k", { id: "p/dev/r", objects: [], waves: { bands: {}, components: {} }, findings: [], files });
    expect(cache.get("k")?.files).toEqual(files);
    const path = join(dir, "contents", "k.txt");
    const text = readFileSync(path, "utf8");
    for (const bad of [text.slice(0, -1), `${text}x`, text.replace("\n", " ")]) {
      writeFileSync(path, bad);
      expect(cache.get("k"), JSON.stringify(bad.slice(0, 20))).toBeUndefined();
    }
  });

  it("makes its folders at the first entry, and again when they were removed after it", () => {
    const dir = tempDir();
    const cache = new TargetCache(dir, "test-compiler");
    const entry = (n: number) => ({
      id: "p/dev/r",
      objects: [],
      waves: { bands: {}, components: {} },
      findings: [],
      files: [["dev/r/p/a.yaml", `a: ${n}\n`]] as [string, string][],
    });
    cache.put("k1", entry(1));
    expect(cache.get("k1")?.files).toEqual(entry(1).files);
    rmSync(dir, { recursive: true, force: true });
    cache.put("k2", entry(2));
    expect(cache.get("k2")?.files).toEqual(entry(2).files);
    // in a folder git ignores whole
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toBe("*\n");
  });

  it("an entry read lazily knows its paths, and a bad contents file read late is an UnreadableCacheError", () => {
    const dir = tempDir();
    const cache = new TargetCache(dir, "test-compiler");
    const files: [string, string][] = [
      ["dev/r/p/a.yaml", "a: 1\n"],
      ["dev/r/p/README.md", "# p\n"],
    ];
    cache.put("k", { id: "p/dev/r", objects: [], waves: { bands: {}, components: {} }, findings: [], files });
    const hit = cache.get("k", "lazy", "lazy")!;
    expect(hit.paths).toEqual(files.map(([p]) => p));
    expect(hit.files).toEqual(files);
    writeFileSync(join(dir, "contents", "k.txt"), "[5,4]\na: 2\n# p\n");
    const late = cache.get("k", "lazy", "lazy")!;
    expect(late.paths).toEqual(files.map(([p]) => p));
    expect(() => late.files).toThrow(UnreadableCacheError);
    expect(cache.get("k")).toBeUndefined();
  });

  it("the CLI compiles again when a cached file it must compare is unreadable, rebuilding that target", () => {
    const root = makeProject();
    expect(runCli(root, ["compile"]).status).toBe(0);
    const cacheDir = join(root, ".manifold-cache");
    const entry = readdirSync(join(cacheDir, "targets")).find((f) =>
      readFileSync(join(cacheDir, "targets", f), "utf8").includes('"id":"ossa/dev/us-west-2"'),
    )!;
    writeFileSync(join(cacheDir, "contents", entry.replace(/\.json$/, ".txt")), "[3]\nbad");
    const readme = join(root, "rendered/dev/us-west-2/ossa/README.md");
    const text = readFileSync(readme, "utf8");
    writeFileSync(readme, text + "edited by hand\n");
    const check = runCli(root, ["compile", "--check"]);
    expect(check.status).toBe(1);
    expect(check.stdout.trim()).toBe("changed  rendered/dev/us-west-2/ossa/README.md");
    writeFileSync(join(cacheDir, "contents", entry.replace(/\.json$/, ".txt")), "[3]\nbad");
    const again = runCli(root, ["compile"]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/24 targets \(23 unchanged, from the cache\)/);
    expect(readFileSync(readme, "utf8")).toBe(text);
  });
});

describe("reading the cached fleet layers late", () => {
  it("gives files and findings at once and the rest when asked for; a bad rest is an error late, a miss at once", async () => {
    const dir = tempDir();
    const cache = new TargetCache(dir, "test-compiler");
    const fresh = run(await sources(), cache);
    const key = fresh.filesKey!;
    const lazy = readLayers(dir, key, true)!;
    expect(lazy.argocd?.files).toEqual(fresh.argocd?.files);
    expect(lazy.argocd?.findings).toEqual(fresh.argocd?.findings);
    expect(lazy.argocd?.plan).toEqual(fresh.argocd?.plan);
    expect(readLayers(dir, key)?.argocd?.applications).toEqual(fresh.argocd?.applications);
    writeFileSync(join(dir, "layers-rest.json"), "{}");
    const late = readLayers(dir, key, true)!;
    expect(late.argocd?.files).toEqual(fresh.argocd?.files);
    expect(() => late.argocd?.plan).toThrow(UnreadableCacheError);
    expect(readLayers(dir, key)).toBeUndefined();
  });
});
