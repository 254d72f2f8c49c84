/**
 * `npm run bench`: Manifold against its peers on the same objects.
 *
 * For each synthetic fleet size (bench/fleet.ts) and for the seed fleet
 * (this repo's descriptions), every tool runs as a whole process, several
 * times, in the same run so the ratios hold on a noisy machine:
 * - manifold: `node --max-opt=1 --no-lazy bin/manifold.js compile`, exactly what `npm run compile` runs (its Node
 *   options read from package.json)
 *   from a clean tree (no rendered/, no target or layers cache), phases from
 *   `--timings`; plus, for the seed fleet, the unchanged re-compile and
 *   `compile --check` a user runs every day, the same through `npm run
 *   compile`, and `compile --check` as CI runs it on a fresh clone, with
 *   CI=true as CI services set it (rendered/ committed, no .manifold-cache/;
 *   once with dist/ restored from the CI cache, once with nothing at all, so
 *   the bundle is built too); every other run without CI
 * - cdk8s: `App.synth()` of the same objects, one Chart per target
 * - kustomize: `kubectl kustomize`, one build per target overlay
 * - floor: the `yaml` library's stringify of the same objects to files
 * Medians are reported: wall ms, objects per second, peak RSS; then how time
 * grows with objects, as a log-log table. Between runs the previous output
 * is moved aside (deleted once every run is over), the file system flushed,
 * the volume let return to its usual pace of creating files (bench/file-creation.ts)
 * and, where Linux reports I/O pressure, the disk let go quiet, all untimed; each line
 * also gives the median CPU time (user + system), the share of the run
 * during which some task was stalled on I/O (bench/io-pressure.ts) and the
 * microseconds per file of the file-creation probe before the run.
 * bench/results.json keeps the latest run and, under `changes`, the
 * before/after of each speed change.
 *
 * Options: --sizes 1k,10k,100k (default 1k,10k)  --runs N (default 5)
 *          --peers-at LIST (sizes whose peers run; default 1k,10k,seed)  --no-kustomize
 *          --quick-create-us N (the most a probe's file may take for creation to count as quick; default 40)
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO, SIZES, writeFleet } from "./fleet.ts";
import { ioPressureAverage10, ioStallMicros, stallShare, waitForQuietDisk } from "./io-pressure.ts";
import {
  type CreationWait,
  creationMicros,
  creationWaiter,
  deleteMarkedAt,
  markDelete,
  waitAfterDelete,
} from "./file-creation.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1k,10k" },
    runs: { type: "string", default: "5" },
    "peers-at": { type: "string", default: "1k,10k,seed" },
    "no-kustomize": { type: "boolean", default: false },
    "quick-create-us": { type: "string", default: "40" },
  },
});
const RUNS = Number(values.runs);
/** The most a probe's file may take to create, in microseconds, for the volume to count as creating files quickly. */
const QUICK_CREATE_MICROS = Number(values["quick-create-us"]);
const PEERS_AT = new Set(values["peers-at"]!.split(","));
const WORK = join(tmpdir(), "manifold-bench");
const CLI = join(REPO, "bin/manifold.js");

/**
 * The command line `npm run compile` runs, without npm: Node with the options package.json's `compile` script gives
 * it (`node <options> bin/manifold.js compile`), then the CLI. The bench runs exactly that.
 */
function manifoldCommand(): string[] {
  const script = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts.compile;
  const m = /^node((?:\s+--?[\w-]+(?:=\S+)?)*)\s+bin\/manifold\.js\s+compile$/.exec(script);
  if (!m) throw new Error(`package.json's compile script is not "node [options] bin/manifold.js compile": ${script}`);
  return [...m[1].trim().split(/\s+/).filter(Boolean), CLI];
}
const MANIFOLD = manifoldCommand();
const TSX = ["--import", "tsx"];

interface Sample {
  ms: number;
  /** CPU time (user + system) of the whole process, when GNU time reported it. */
  cpuMs?: number;
  rssMb: number;
  stderr: string;
  /** The share of the run during which some task was stalled on I/O (undefined where Linux does not say). */
  ioStall?: number;
  /** The wait for quick file creation just before the run (bench/file-creation.ts). */
  creation?: CreationWait;
}

/**
 * Where discard() moves things: one folder on the bench's work folder's file system and one on the repo's (for its
 * dist/), since a rename cannot cross file systems; each holds a folder of this bench's own, so names never meet
 * those an interrupted bench left behind.
 */
const TRASH_ROOTS = [join(WORK, "trash"), join(REPO, "node_modules", ".cache", "manifold-bench-trash")];
const trashOfThisRun = new Map<string, string>();
let trashed = 0;

/**
 * Moves a previous run's output (or an old fleet, the seed's copy, a cache, dist/) out of the way with one rename,
 * untimed, instead of deleting it: on this machine's disk (ext4 without a journal, mounted with online discard)
 * writing 120k small files took 3 s on a settled disk but 17 s to 108 s right after deleting 120k others (the kernel
 * passes over recently freed inodes one by one, bench/file-creation.ts), so a run measured the cleanup before it.
 * What is moved aside is deleted only once every run is over (emptyTrash), so no timed run follows a delete of the
 * bench's.
 */
function discard(path: string): void {
  if (!existsSync(path)) return;
  renameSync(path, join(ownTrash(TRASH_ROOTS[path.startsWith(`${WORK}/`) ? 0 : 1]), String(trashed++)));
}

/** This bench's own folder under a trash root, made at first use. */
function ownTrash(root: string): string {
  let own = trashOfThisRun.get(root);
  if (!own) {
    mkdirSync(root, { recursive: true });
    own = mkdtempSync(join(root, "run-"));
    trashOfThisRun.set(root, own);
  }
  return own;
}

let probes = 0;
/** One file-creation probe on the bench's work folder's volume, in a new folder of the trash (deleted at the end). */
function probeCreation(): number {
  return creationMicros(join(ownTrash(TRASH_ROOTS[0]), `create-probe-${probes++}`));
}

/** Where the bench records when its delete of what it moved aside ended, for the next bench to wait out. */
const DELETE_MARKER = join(WORK, "last-delete");

/**
 * Deletes what discard() moved aside (and what an interrupted bench left there), after the last timed run, and
 * records when that delete ended (DELETE_MARKER).
 */
function emptyTrash(): void {
  for (const root of TRASH_ROOTS) rmSync(root, { recursive: true, force: true });
  markDelete(DELETE_MARKER);
}

/** Time spent waiting for a quiet disk, and how many of those waits ran out with the disk still busy. */
const quietWaits = { ms: 0, busy: 0 };
/** How many waits for quick file creation ran out with it still slow. */
let slowCreations = 0;

/** The most the whole bench waits for a quiet disk: on a disk that never goes quiet, it goes on without waiting. */
const QUIET_BUDGET_MS = 300_000;
/**
 * The wait for quick file creation before each timed run (bench/file-creation.ts): a probe every 5 s while a file
 * takes more than --quick-create-us, at most six minutes the first time and 90 s after that, ten minutes in all.
 */
const quickFiles = creationWaiter({ probe: probeCreation, limitMicros: QUICK_CREATE_MICROS });
let creationBudgetSaid = false;

/**
 * Flushes the page cache to disk and waits until the volume creates files at its usual pace (quickFiles; a recent
 * delete of many files makes every creation slow for a minute or more, with no I/O pressure to show for it). Then it
 * flushes again (the probes' files) and waits (at most a minute, and five minutes over the whole bench) until the disk
 * is quiet, all untimed: a run does not pay for writing back the previous run's files, nor for the blocks a delete
 * freed, which this machine's volume (ext4 with online discard) goes on discarding for seconds after the delete
 * returns. A wait that runs out, and the end of either budget, is said on stderr. Returns what the wait for quick
 * file creation found.
 */
function settle(): CreationWait {
  spawnSync("sync", [], { stdio: "ignore" });
  const creation = quickFiles();
  if (creation.waitedMs > 0 || !creation.quick)
    process.stderr.write(
      `  (waited ${(creation.waitedMs / 1000).toFixed(0)} s for quick file creation: ` +
        `${creation.firstMicros.toFixed(1)} us per file at first, ${creation.micros.toFixed(1)} at last` +
        `${creation.quick ? "" : `, over ${QUICK_CREATE_MICROS}; going on`})\n`,
    );
  if (!creation.quick) slowCreations++;
  if (creation.outOfBudget && !creationBudgetSaid) {
    creationBudgetSaid = true;
    process.stderr.write("  (the waits for quick file creation used their budget; waiting no more for it)\n");
  }
  spawnSync("sync", [], { stdio: "ignore" });
  const budget = QUIET_BUDGET_MS - quietWaits.ms;
  if (budget <= 0) return creation;
  const { waitedMs, quiet } = waitForQuietDisk({ timeoutMs: Math.min(60_000, budget) });
  quietWaits.ms += waitedMs;
  if (quiet !== false) return creation;
  quietWaits.busy++;
  process.stderr.write(
    `  (the disk was still busy after ${(waitedMs / 1000).toFixed(0)} s of waiting; going on` +
      `${quietWaits.ms >= QUIET_BUDGET_MS ? ", and waiting no more in this bench" : ""})\n`,
  );
  return creation;
}

/**
 * The environment of every run: the bench's own without `CI`, so that the rows measure a developer's machine even when
 * the bench itself runs in a CI job; the CI rows set it (CI_ENV), as CI services do.
 */
const LOCAL_ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "CI"));
/** The environment of the rows that stand for a CI job: `CI=true`, which the CLI reads (compiler/ci-environment.ts). */
const CI_ENV: NodeJS.ProcessEnv = { ...LOCAL_ENV, CI: "true" };

/** Runs a command as a whole process under GNU time (in `env`), for its wall time and peak RSS. */
function run(cmd: string, args: string[], cwd = REPO, env = LOCAL_ENV): Sample {
  const stalledBefore = ioStallMicros();
  const start = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "__RSS_KB=%M __CPU_S=%U+%S", cmd, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env,
  });
  const ms = performance.now() - start;
  const ioStall = stallShare(stalledBefore, ioStallMicros(), ms);
  const rss = /__RSS_KB=(\d+)/.exec(r.stderr ?? "");
  const cpu = /__CPU_S=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? "");
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  return {
    ms,
    rssMb: rss ? Number(rss[1]) / 1024 : NaN,
    ...(cpu ? { cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000 } : {}),
    stderr: r.stderr,
    ...(ioStall === undefined ? {} : { ioStall }),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Measure {
  tool: string;
  fleet: string;
  objects: number;
  runs: number;
  medianMs: number;
  minMs: number;
  /** Median CPU time (user + system) of the process. */
  cpuMs?: number;
  objectsPerSecond: number;
  peakRssMb: number;
  /** Median share of a run, in percent, during which some task was stalled on I/O. */
  ioStallPct?: number;
  /** Median microseconds per file of the file-creation probe just before each run (after any wait). */
  createMicros: number;
  /** Seconds the waits for quick file creation before this row's runs took, in all. */
  createWaitS: number;
  phases?: Record<string, number>;
}

/**
 * Runs `once` RUNS times, each after `prepare` and settle() (a flush of the file system and the waits for quick file
 * creation and a quiet disk), all untimed, and takes medians.
 */
function measure(
  tool: string,
  fleet: string,
  objects: number,
  prepare: () => void,
  once: () => Sample,
  runs = RUNS,
): Measure {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    prepare();
    const creation = settle();
    samples.push({ ...once(), creation });
  }
  const phases: Record<string, number[]> = {};
  for (const s of samples) {
    const line = /timings: (\{.*\})/.exec(s.stderr);
    if (!line) continue;
    for (const [k, v] of Object.entries(JSON.parse(line[1]) as Record<string, number>)) (phases[k] ??= []).push(v);
  }
  const ms = median(samples.map((s) => s.ms));
  const m: Measure = {
    tool,
    fleet,
    objects,
    runs,
    medianMs: Math.round(ms),
    minMs: Math.round(Math.min(...samples.map((s) => s.ms))),
    ...(samples.every((s) => s.cpuMs !== undefined) ? { cpuMs: Math.round(median(samples.map((s) => s.cpuMs!))) } : {}),
    objectsPerSecond: Math.round((objects / ms) * 1000),
    peakRssMb: Math.round(median(samples.map((s) => s.rssMb))),
    ...(samples.every((s) => s.ioStall !== undefined)
      ? { ioStallPct: Math.round(median(samples.map((s) => s.ioStall!)) * 100) }
      : {}),
    createMicros: Math.round(median(samples.map((s) => s.creation!.micros))),
    createWaitS: Math.round(samples.reduce((sum, s) => sum + s.creation!.waitedMs, 0) / 1000),
  };
  if (Object.keys(phases).length)
    m.phases = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(median(v))]));
  process.stderr.write(
    `  ${tool.padEnd(26)} ${String(m.medianMs).padStart(7)} ms  ${m.cpuMs === undefined ? "" : `cpu ${String(m.cpuMs).padStart(7)} ms  `}${String(m.peakRssMb).padStart(5)} MB${m.ioStallPct === undefined ? "" : `  io stall ${String(m.ioStallPct).padStart(2)}%`}  create ${String(m.createMicros).padStart(3)} us${m.createWaitS ? ` (waited ${m.createWaitS} s)` : ""}${m.phases ? "  " + JSON.stringify(m.phases) : ""}\n`,
  );
  return m;
}

function countObjects(stderr: string): number {
  const m = /(\d+) targets, (\d+) objects/.exec(stderr);
  return m ? Number(m[2]) : NaN;
}

/** The peers, on the objects Manifold compiled for `root`. */
function peers(fleet: string, root: string, objects: number, kustomize: boolean): Measure[] {
  const dir = join(WORK, `peers-${fleet}`);
  discard(dir);
  mkdirSync(dir, { recursive: true });
  const json = join(dir, "objects.json");
  run(process.execPath, [...TSX, join(REPO, "bench/export.ts"), root, json]);
  const out = join(dir, "out");
  const clean = () => discard(out);
  const results: Measure[] = [];
  results.push(
    measure("cdk8s synth", fleet, objects, clean, () =>
      run(process.execPath, [join(REPO, "bench/peers/cdk8s.mjs"), json, out]),
    ),
  );
  results.push(
    measure("yaml stringify (floor)", fleet, objects, clean, () =>
      run(process.execPath, [join(REPO, "bench/peers/yaml-floor.mjs"), json, out]),
    ),
  );
  if (kustomize) {
    const tree = join(dir, "kustomize");
    run(process.execPath, [join(REPO, "bench/peers/kustomize-tree.mjs"), json, tree]);
    const folders: string[] = JSON.parse(readFileSync(join(tree, "targets.json"), "utf8"));
    results.push(
      measure(
        "kubectl kustomize",
        fleet,
        objects,
        clean,
        () => {
          let ms = 0;
          let rss = 0;
          const stalledBefore = ioStallMicros();
          const start = performance.now();
          for (const f of folders) {
            mkdirSync(join(out, f), { recursive: true });
            const s = run("kubectl", ["kustomize", join(tree, "overlays", f), "-o", join(out, f, "all.yaml")]);
            ms += s.ms;
            rss = Math.max(rss, s.rssMb);
          }
          const ioStall = stallShare(stalledBefore, ioStallMicros(), performance.now() - start);
          return { ms, rssMb: rss, stderr: "", ...(ioStall === undefined ? {} : { ioStall }) };
        },
        Math.min(RUNS, 3),
      ),
    );
  }
  return results;
}

/** A copy of this repo's descriptions, as a user's checkout compiles them. */
function seedProject(): string {
  const root = join(WORK, "seed");
  discard(root);
  mkdirSync(root, { recursive: true });
  for (const d of ["platforms", "environments", "regions", "argocd", "addons"])
    if (existsSync(join(REPO, d))) cpSync(join(REPO, d), join(root, d), { recursive: true });
  writeFileSync(join(root, "package.json"), readFileSync(join(REPO, "package.json")));
  symlinkSync(join(REPO, "compiler"), join(root, "compiler"));
  symlinkSync(join(REPO, "bin"), join(root, "bin"));
  symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"));
  return root;
}

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    return line ? line.split(":")[1].trim() : (cpus()[0]?.model ?? "unknown");
  } catch {
    return cpus()[0]?.model ?? "unknown";
  }
}

mkdirSync(WORK, { recursive: true });
const previousDelete = deleteMarkedAt(DELETE_MARKER);
const machine = {
  nproc: cpus().length,
  cpu: cpuModel(),
  node: process.version,
  loadBefore: loadavg().map((x) => Math.round(x * 100) / 100),
  ioPressureBefore: ioPressureAverage10(),
  /** Microseconds per file of a file-creation probe as the bench found the volume, before any wait. */
  createMicrosBefore: Math.round(probeCreation()),
  /** How long before this bench the previous bench's delete ended (DELETE_MARKER), in seconds, where one is known. */
  previousDeleteAgoS: previousDelete === undefined ? undefined : Math.round((Date.now() - previousDelete) / 1000),
};
process.stderr.write(
  `bench: ${machine.nproc} cores, ${machine.cpu}, Node ${machine.node}, load ${machine.loadBefore.join(" ")}` +
    `${machine.ioPressureBefore === undefined ? "" : `, I/O pressure ${machine.ioPressureBefore}%`}` +
    `, file creation ${machine.createMicrosBefore} us per file; ${RUNS} runs each\n`,
);
const results: Measure[] = [];
const deleteWaitMs = waitAfterDelete(DELETE_MARKER);
if (deleteWaitMs > 0)
  process.stderr.write(
    `  (waited ${(deleteWaitMs / 1000).toFixed(0)} s: the previous bench's delete ended ` +
      `${machine.previousDeleteAgoS} s before this one started, and creating files stays slow for up to six minutes ` +
      "after a delete)\n",
  );
settle();

// Make sure the precompiled CLI (if any) is built before timing starts.
run(process.execPath, [...MANIFOLD, "--version"]);

const seed = seedProject();
process.stderr.write(`seed fleet (${seed})\n`);
/** Removes the target cache of `root` (targets, objects, fleet layers, run record), not the description bundles. */
function removeTargetCache(root: string): void {
  for (const part of ["targets", "objects", "layers.json", "run.json"]) discard(join(root, ".manifold-cache", part));
}
const cleanSeed = () => {
  discard(join(seed, "rendered"));
  removeTargetCache(seed);
};
const first = run(process.execPath, [...MANIFOLD, "compile"], seed);
const seedObjects = countObjects(first.stderr);
results.push(
  measure("manifold compile", "seed", seedObjects, cleanSeed, () =>
    run(process.execPath, [...MANIFOLD, "compile", "--timings"], seed),
  ),
);
run(process.execPath, [...MANIFOLD, "compile"], seed);
results.push(
  measure(
    "manifold compile (unchanged)",
    "seed",
    seedObjects,
    () => {},
    () => run(process.execPath, [...MANIFOLD, "compile", "--timings"], seed),
  ),
);
results.push(
  measure(
    "manifold compile --check",
    "seed",
    seedObjects,
    () => {},
    () => run(process.execPath, [...MANIFOLD, "compile", "--check", "--timings"], seed),
  ),
);
results.push(
  measure(
    "npm run compile (unchanged)",
    "seed",
    seedObjects,
    () => {},
    () => run("npm", ["run", "--silent", "compile", "--", "--timings"], seed),
  ),
);
// CI on a fresh clone: rendered/ is committed, there is no .manifold-cache/ (descriptions not bundled either).
results.push(
  measure(
    "CI: compile --check, fresh clone",
    "seed",
    seedObjects,
    () => discard(join(seed, ".manifold-cache")),
    () => run(process.execPath, [...MANIFOLD, "compile", "--check", "--timings"], seed, CI_ENV),
  ),
);
// ... and with no dist/ either (a CI cache that does not keep it): the first command builds the bundle.
results.push(
  measure(
    "CI: same, no dist/ (bundle built)",
    "seed",
    seedObjects,
    () => {
      discard(join(seed, ".manifold-cache"));
      discard(join(REPO, "dist"));
    },
    () => run(process.execPath, [...MANIFOLD, "compile", "--check", "--timings"], seed, CI_ENV),
    Math.min(RUNS, 3),
  ),
);
if (PEERS_AT.has("seed")) results.push(...peers("seed", seed, seedObjects, !values["no-kustomize"]));

for (const label of values.sizes!.split(",")) {
  const size = SIZES.find((s) => s.label === label);
  if (!size) throw new Error(`unknown size ${label}; known: ${SIZES.map((s) => s.label).join(", ")}`);
  const root = join(WORK, `fleet-${label}`);
  discard(root);
  writeFleet(root, size);
  process.stderr.write(
    `fleet ${label}: ${size.platforms} platforms x ${size.environments} environments x ${size.regions} regions, ${size.services} services + 2 stores each\n`,
  );
  const warm = run(process.execPath, [...MANIFOLD, "compile"], root);
  const objects = countObjects(warm.stderr);
  const clean = () => {
    discard(join(root, "rendered"));
    removeTargetCache(root);
  };
  results.push(
    measure(
      "manifold compile",
      label,
      objects,
      clean,
      () => run(process.execPath, [...MANIFOLD, "compile", "--timings"], root),
      label === "100k" ? Math.min(RUNS, 3) : RUNS,
    ),
  );
  if (PEERS_AT.has(label)) results.push(...peers(label, root, objects, !values["no-kustomize"]));
}

// The table, with each tool's time as a multiple of Manifold's cold compile of the same fleet.
const rows: string[][] = [["fleet", "objects", "tool", "median ms", "objects/s", "peak RSS MB", "x manifold"]];
for (const m of results) {
  const base = results.find((r) => r.fleet === m.fleet && r.tool === "manifold compile");
  rows.push([
    m.fleet,
    String(m.objects),
    m.tool,
    String(m.medianMs),
    String(m.objectsPerSecond),
    String(m.peakRssMb),
    base ? (m.medianMs / base.medianMs).toFixed(2) : "",
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r: string[]) =>
  "| " + r.map((c, i) => (i >= 3 || i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ") + " |";
const table = [
  line(rows[0]),
  "|" + widths.map((w, i) => (i >= 3 || i === 1 ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|") + "|",
  ...rows.slice(1).map(line),
].join("\n");
process.stdout.write(table + "\n\nphases (median ms, from --timings):\n");
for (const m of results.filter((r) => r.phases))
  process.stdout.write(`  ${m.fleet} ${m.tool}: ${JSON.stringify(m.phases)}\n`);

// Scaling: how time grows with objects, on log-log axes. The slope between two sizes is
// log(time ratio) / log(objects ratio): 1 is linear, below 1 better than linear.
// Synthetic fleets only: the seed fleet mixes other kinds of objects.
const manifold = results
  .filter((r) => r.tool === "manifold compile" && r.fleet !== "seed")
  .sort((a, b) => a.objects - b.objects);
const scaling = manifold.map((m, i) => {
  const prev = manifold[i - 1];
  const slope = prev ? Math.log(m.medianMs / prev.medianMs) / Math.log(m.objects / prev.objects) : undefined;
  return { fleet: m.fleet, objects: m.objects, ms: m.medianMs, slope };
});
process.stdout.write(
  "\nscaling of manifold compile (cold), log-log: slope 1 = linear, below 1 = better than linear\n" +
    "| fleet | objects | log10 objects | median ms | log10 ms | ms per 1k objects | slope from previous |\n" +
    "|-------|--------:|--------------:|----------:|---------:|------------------:|--------------------:|\n",
);
for (const r of scaling)
  process.stdout.write(
    `| ${r.fleet.padEnd(5)} | ${String(r.objects).padStart(7)} | ${Math.log10(r.objects).toFixed(2).padStart(13)} | ` +
      `${String(r.ms).padStart(9)} | ${Math.log10(r.ms).toFixed(2).padStart(8)} | ` +
      `${((r.ms / r.objects) * 1000).toFixed(0).padStart(17)} | ${(r.slope === undefined ? "" : r.slope.toFixed(2)).padStart(19)} |\n`,
  );
// Against the issue's goals, from this run's medians.
const row = (fleet: string, tool: string) => results.find((r) => r.fleet === fleet && r.tool === tool);
const goals: [string, Measure | undefined, number, (m: Measure) => boolean][] = [
  [
    "seed cold vs cdk8s (ratio < 1)",
    row("seed", "manifold compile"),
    NaN,
    (m) => m.medianMs < (row("seed", "cdk8s synth")?.medianMs ?? NaN),
  ],
  ["nothing changed <= 300 ms", row("seed", "manifold compile (unchanged)"), 300, (m) => m.medianMs <= 300],
  ["CI fresh clone --check <= 1 s", row("seed", "CI: compile --check, fresh clone"), 1000, (m) => m.medianMs <= 1000],
  ["10k objects <= 2.5 s", row("10k", "manifold compile"), 2500, (m) => m.medianMs <= 2500],
  ["100k objects <= 20 s", row("100k", "manifold compile"), 20000, (m) => m.medianMs <= 20000],
  ["100k peak RSS <= 1 GB", row("100k", "manifold compile"), 1024, (m) => m.peakRssMb <= 1024],
];
process.stdout.write("\ngoals:\n");
for (const [goal, m, , met] of goals)
  process.stdout.write(
    `  ${goal.padEnd(32)} ${m ? `${met(m) ? "met   " : "missed"} (${m.medianMs} ms, ${m.peakRssMb} MB)` : "not measured in this run"}\n`,
  );
const cdk8s = row("seed", "cdk8s synth");
const cold = row("seed", "manifold compile");
if (cdk8s && cold)
  process.stdout.write(`  seed cold / cdk8s = ${(cold.medianMs / cdk8s.medianMs).toFixed(2)} (aim 0.5)\n`);

// The before/after of each speed change is kept from run to run.
let changes: unknown[] = [];
try {
  changes =
    (JSON.parse(readFileSync(join(REPO, "bench/results.json"), "utf8")) as { changes?: unknown[] }).changes ?? [];
} catch {
  // no earlier results
}
const report = {
  date: new Date().toISOString(),
  machine: {
    ...machine,
    loadAfter: loadavg().map((x) => Math.round(x * 100) / 100),
    ioPressureAfter: ioPressureAverage10(),
    quietDiskWaitMs: Math.round(quietWaits.ms),
    quietDiskWaitsRunOut: quietWaits.busy,
    /** A file-creation probe after the last timed run, before the bench's own delete. */
    createMicrosAfter: Math.round(probeCreation()),
    deleteWaitMs,
    quickCreationWaitMs: quickFiles.waitedMs(),
    quickCreationWaitsRunOut: slowCreations,
  },
  runs: RUNS,
  results,
  scaling,
  changes,
};
writeFileSync(join(REPO, "bench/results.json.tmp"), JSON.stringify(report, null, 2) + "\n");
rmSync(join(REPO, "bench/results.json"), { force: true });
cpSync(join(REPO, "bench/results.json.tmp"), join(REPO, "bench/results.json"));
rmSync(join(REPO, "bench/results.json.tmp"), { force: true });
process.stderr.write(
  `wrote bench/results.json (load after: ${report.machine.loadAfter.join(" ")}` +
    (report.machine.ioPressureAfter === undefined
      ? ""
      : `; I/O pressure after: ${report.machine.ioPressureAfter}%; waited ${(quietWaits.ms / 1000).toFixed(1)} s ` +
        `in all for a quiet disk${quietWaits.busy ? `, ${quietWaits.busy} wait(s) ran out with it busy` : ""}`) +
    `; file creation after the last run: ${report.machine.createMicrosAfter} us per file; waited ` +
    `${(deleteWaitMs / 1000).toFixed(0)} s for the previous bench's delete and ` +
    `${(quickFiles.waitedMs() / 1000).toFixed(1)} s in all for quick file creation` +
    `${slowCreations ? `, ${slowCreations} wait(s) ran out with it slow` : ""})\n`,
);
// Only now, with every run over, are the runs' outputs deleted (discard).
process.stderr.write(
  `deleting what the runs moved aside (${trashed} files and folders and ${probes} file-creation probes); ` +
    "on this volume, creating files stays slow for up to six minutes after that (bench/file-creation.ts), " +
    "which the next bench waits out\n",
);
emptyTrash();
