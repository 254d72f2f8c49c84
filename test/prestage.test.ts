/**
 * compiler/emit/prestage.ts: a first write of rendered/ takes the files each thread wrote as it built its targets. The
 * tree is the same bytes as a write staged at the end; rendered/ appears only by the journal's one rename; anything
 * the emit phase cannot vouch for (a folder committed unlisted, a listed file the compile does not have or has with
 * other text) sends it to a fresh stage; a prestage left by a killed process is removed by the next run.
 */
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closePrestage, openPrestage, prestageTarget } from "../compiler/emit/prestage.ts";
import { recoverTree } from "../compiler/emit/journal.ts";
import { diffTree, readTree, writeTree } from "../compiler/emit/write.ts";
import { emit } from "../compiler/rendered.ts";
import { compileTargets, finishCompile, type Offload, type RemoteTarget } from "../compiler/compile.ts";
import { startCompile } from "../compiler/reuse.ts";
import { take } from "../compiler/work-queue.ts";
import { CLI, REPO, cleanProjects, cliEnv, edit, makeProject, runCli } from "./helpers/project.ts";

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  cleanProjects();
});

/** A project folder with no rendered/ yet; its tree's path. */
function emptyProject(): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), "manifold-prestage-"));
  made.push(root);
  return { root, dir: join(root, "rendered") };
}

/** The prestages in a project's work folder. */
function prestages(root: string): string[] {
  const work = join(root, ".manifold-cache/emit-rendered");
  return existsSync(work) ? readdirSync(work).filter((n) => n.startsWith("prestage-")) : [];
}

/** Writes `files` as emit does (diffTree, then writeTree) with `prestage`, and returns the tree written. */
function writeWith(dir: string, files: Map<string, string>, prestage: string | undefined): Map<string, string> {
  writeTree(dir, files, diffTree(dir, files, undefined), prestage);
  return readTree(dir);
}

const FILES = new Map([
  ["dev/us-west-2/a/README.md", "a\n"],
  ["dev/us-west-2/a/deployment-a.yaml", "kind: Deployment\n"],
  ["dev/us-west-2/a/sub/deep.yaml", "deep: true\n"],
  ["dev/us-west-2/b/README.md", "b\n"],
  ["argocd/applicationset-a.yaml", "kind: ApplicationSet\n"], // a fleet layer's: never prestaged
]);
const of = (folder: string) => [...FILES].filter(([p]) => p.startsWith(`${folder}/`));

describe("a prestage", () => {
  it("opens only for a first write of the tree", () => {
    const { dir } = emptyProject();
    const prestage = openPrestage(dir);
    expect(prestage).toBeDefined();
    expect(readdirSync(prestage!).sort()).toEqual(["lists", "owner.json", "parts"]);
    mkdirSync(dir);
    expect(openPrestage(dir)).toBeUndefined();
  });

  it("becomes the stage: the tree is the compile's files byte for byte, and nothing is left behind", () => {
    const { root, dir } = emptyProject();
    const prestage = openPrestage(dir)!;
    expect(prestageTarget(prestage, "dev/us-west-2/a", of("dev/us-west-2/a"))).toBe(true);
    expect(prestageTarget(prestage, "dev/us-west-2/b", of("dev/us-west-2/b"))).toBe(true);
    expect(existsSync(dir)).toBe(false); // nothing reaches rendered/ before the journal
    const staged = statSync(join(prestage, "tree/dev/us-west-2/a/sub/deep.yaml")).ino;
    expect(writeWith(dir, FILES, prestage)).toEqual(new Map([...FILES].sort(([a], [b]) => (a < b ? -1 : 1))));
    // taken as the stage: the very file the thread wrote is in rendered/
    expect(statSync(join(dir, "dev/us-west-2/a/sub/deep.yaml")).ino).toBe(staged);
    expect(existsSync(join(prestage, "tree"))).toBe(false);
    closePrestage(prestage);
    expect(prestages(root)).toEqual([]);
    for (const left of ["staging", "journal.json"])
      expect(existsSync(join(root, ".manifold-cache/emit-rendered", left))).toBe(false);
  });

  it("commits a folder once: a second writer, a file outside the folder and a name written twice commit nothing", () => {
    const { dir } = emptyProject();
    const prestage = openPrestage(dir)!;
    expect(prestageTarget(prestage, "dev/us-west-2/a", of("dev/us-west-2/a"))).toBe(true);
    const other = of("dev/us-west-2/a").map(([p]) => [p, "other\n"] as [string, string]);
    expect(prestageTarget(prestage, "dev/us-west-2/a", other)).toBe(false);
    expect(readFileSync(join(prestage, "tree/dev/us-west-2/a/README.md"), "utf8")).toBe("a\n");
    const outside: [string, string][] = [...of("dev/us-west-2/b"), ["dev/us-west-2/c/x.yaml", "x\n"]];
    expect(prestageTarget(prestage, "dev/us-west-2/b", outside)).toBe(false);
    const twice: [string, string][] = [
      ["staging/eu-west-1/c/README.md", "c\n"],
      ["staging/eu-west-1/c/README.md", "c again\n"],
    ];
    expect(prestageTarget(prestage, "staging/eu-west-1/c", twice)).toBe(false);
    expect(existsSync(join(prestage, "tree/staging"))).toBe(false); // no empty folder for the tree
    expect(readdirSync(join(prestage, "parts"))).toEqual([]);
    expect(readdirSync(join(prestage, "lists"))).toHaveLength(1);
  });

  it.each([
    [
      "a listed file the compile does not have",
      (prestage: string) => prestageTarget(prestage, "dev/us-west-2/b", [["dev/us-west-2/b/gone.yaml", "gone\n"]]),
    ],
    [
      "a file the compile has with other text (another producer of the same path, after the target rendered it)",
      (prestage: string) => prestageTarget(prestage, "dev/us-west-2/b", [["dev/us-west-2/b/README.md", "b, older\n"]]),
    ],
    [
      "a list cut short (a disk that filled up)",
      (prestage: string) => {
        prestageTarget(prestage, "dev/us-west-2/b", of("dev/us-west-2/b"));
        const lists = join(prestage, "lists");
        for (const name of readdirSync(lists)) writeFileSync(join(lists, name), '{"folder":"dev/us-');
      },
    ],
    [
      "a folder committed but not listed (a thread stopped in between)",
      (prestage: string) => {
        prestageTarget(prestage, "dev/us-west-2/b", of("dev/us-west-2/b"));
        const lists = join(prestage, "lists");
        for (const name of readdirSync(lists)) {
          const { folder } = JSON.parse(readFileSync(join(lists, name), "utf8")) as { folder: string };
          if (folder === "dev/us-west-2/b") unlinkSync(join(lists, name));
        }
      },
    ],
  ])("is set aside for a fresh stage when it holds %s", (_name, spoil) => {
    const { dir } = emptyProject();
    const prestage = openPrestage(dir)!;
    prestageTarget(prestage, "dev/us-west-2/a", of("dev/us-west-2/a"));
    spoil(prestage);
    expect(writeWith(dir, FILES, prestage)).toEqual(readTree(writeTreeAlone(FILES)));
  });

  it.each([
    ["the next run that recovers the tree", (dir: string) => void recoverTree(dir)],
    ["the next run that opens one", (dir: string) => void openPrestage(dir)],
  ])("abandoned (its process gone, or old and unowned) is removed by %s; a live one is kept", (_name, next) => {
    const { root, dir } = emptyProject();
    const work = join(root, ".manifold-cache/emit-rendered");
    const NO_PID = 4_194_305; // above Linux's highest pid and macOS's
    const made = (name: string, owner?: { pid: number; host: string }, ageMs = 0) => {
      mkdirSync(join(work, name, "tree"), { recursive: true });
      if (owner) writeFileSync(join(work, name, "owner.json"), JSON.stringify(owner));
      if (ageMs) utimesSync(join(work, name), new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
    };
    made("prestage-gone-1", { pid: NO_PID, host: hostname() });
    made("prestage-running-1", { pid: process.ppid, host: hostname() });
    made("prestage-elsewhere-1", { pid: NO_PID, host: `not-${hostname()}` });
    made("prestage-elsewhere-old", { pid: NO_PID, host: `not-${hostname()}` }, 2 * 86_400_000);
    made("prestage-opening-1");
    made("prestage-unowned-old", undefined, 2 * 86_400_000);
    next(dir);
    const others = prestages(root).filter((n) => !n.startsWith(`prestage-${process.pid}-`)); // the one just opened
    expect(others.sort()).toEqual(["prestage-elsewhere-1", "prestage-opening-1", "prestage-running-1"]);
  });
});

/** `files` written to a new tree without a prestage; the tree's folder. */
function writeTreeAlone(files: Map<string, string>): string {
  const { dir } = emptyProject();
  writeWith(dir, files, undefined);
  return dir;
}

/** An offload that builds its share here, as the helper would, prestaging each target; `fail` rejects its run after. */
const prestaging =
  (count: number, fail = false): Offload =>
  (targets, _keys, queue, prestage) => {
    const out: RemoteTarget[] = [];
    for (let n = 0, i = take(queue, true); i !== undefined; i = ++n < count ? take(queue, true) : undefined) {
      const built = compileTargets([targets[i]], { prestage });
      for (const t of built.targets)
        out.push({
          id: t.target.id,
          objects: t.objects,
          waves: t.waves,
          files: [...built.files],
          findings: built.findings,
        });
    }
    return { run: fail ? Promise.reject(new Error("gone")) : Promise.resolve(out) };
  };

describe("a first compile with a prestage", () => {
  it("writes the committed tree byte for byte, whichever thread built a target, and after its helper failed", async () => {
    const expected = readTree(join(REPO, "rendered"));
    for (const offload of [prestaging(5), prestaging(5, true)]) {
      const root = makeProject();
      const dir = join(root, "rendered");
      const prestage = openPrestage(dir)!;
      const started = await startCompile({ root, offload, prestage });
      const result = await finishCompile(started);
      // every target is committed, once, by whichever thread finished it first
      const lists = readdirSync(join(prestage, "lists"));
      expect(lists.length).toBe(started.p.toBuild.length);
      const readme = "production/us-west-2/ossa/README.md";
      const staged = statSync(join(prestage, "tree", readme)).ino;
      emit(root, result, { prestage });
      expect(statSync(join(dir, readme)).ino).toBe(staged); // the prestage became rendered/
      closePrestage(prestage);
      expect(readTree(dir)).toEqual(expected);
      expect(prestages(root)).toEqual([]);
    }
  }, 120_000);

  it("through the CLI: the committed tree, and no prestage left, whether it succeeds or fails", () => {
    const root = makeProject();
    const run = runCli(root, ["compile"]);
    expect(run.status, run.stderr).toBe(0);
    expect(readTree(join(root, "rendered"))).toEqual(readTree(join(REPO, "rendered")));
    expect(prestages(root)).toEqual([]);

    const broken = makeProject();
    edit(broken, "platforms/ossa.ts", 'replicas: 3,\n      storage: "20Gi"', 'replicas: -1,\n      storage: "20Gi"');
    const failed = runCli(broken, ["compile"]);
    expect(failed.status, failed.stderr).toBe(1);
    expect(existsSync(join(broken, "rendered"))).toBe(false);
    expect(prestages(broken)).toEqual([]);
  }, 120_000);

  it("killed at any moment leaves no rendered/ or a whole one, and the next run leaves no prestage", async () => {
    const expected = readTree(join(REPO, "rendered"));
    const root = makeProject();
    expect(runCli(root, ["compile"]).status).toBe(0); // builds dist/ if it must, so that the next run is timed alone
    rmSync(join(root, "rendered"), { recursive: true, force: true });
    rmSync(join(root, ".manifold-cache"), { recursive: true, force: true });
    const started = Date.now();
    expect(runCli(root, ["compile"]).status).toBe(0);
    const full = Date.now() - started;
    for (const share of [0.35, 0.6, 0.85]) {
      rmSync(join(root, "rendered"), { recursive: true, force: true });
      rmSync(join(root, ".manifold-cache"), { recursive: true, force: true });
      await new Promise<void>((done) => {
        const child = spawn(process.execPath, [CLI, "compile"], { cwd: root, stdio: "ignore", env: cliEnv() });
        const timer = setTimeout(() => child.kill("SIGKILL"), Math.round(full * share));
        child.on("close", () => (clearTimeout(timer), done()));
      });
      const dir = join(root, "rendered");
      if (existsSync(dir)) {
        recoverTree(dir); // a committed journal is finished by whoever comes next
        expect(readTree(dir), `kill at ${share} left a partial tree`).toEqual(expected);
      }
      const next = runCli(root, ["compile"]);
      expect(next.status, next.stderr).toBe(0);
      expect(readTree(dir)).toEqual(expected);
      expect(prestages(root)).toEqual([]);
    }
  }, 180_000);
});
