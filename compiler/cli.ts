/**
 * The thin command line: parse flags, call the library, print. Progress and
 * summaries go to stderr, data to stdout. Exit codes: 0 ok, 1 invalid
 * description / failed check / diff found, 2 usage error.
 */
import { writeFileSync } from "node:fs";
import module from "node:module";
import { ManifoldError, errorLines } from "./errors.ts";
import { startCompile, targetCounts, type CompileOptions, type CompileResult } from "./reuse.ts";
import { checkRendered, emit, renderedDir } from "./rendered.ts";
import { closePrestage, openPrestage } from "./emit/prestage.ts";
import { runsInCi } from "./ci-environment.ts";
import { helperThread } from "./parallel.ts";
import { isEmptyDiff } from "./emit/write.ts";
import { formatFinding } from "./validate/finding.ts";
import { findingSummary } from "./validate/summary.ts";
import { isRuleTiming, ruleTimes } from "./validate/rule-timings.ts";
import { COMPILER_VERSION } from "./version.ts";
import { TargetCache, UnreadableCacheError } from "./cache/store.ts";
import { join } from "node:path";
import { strayFiles, strayWarning } from "./check/description-files.ts";
import { KINDS, type Kind } from "./scaffold/new.ts";
import { now } from "./clock.ts";
import { loadHashing } from "./hash.ts";
import { STDERR, STDOUT, writeTo } from "./stdio.ts";

// node:util through require: its ES-module facade reads every export, which loads the worker-thread internals (~10 ms
// at every start).
const { parseArgs } = module.createRequire(import.meta.url)("node:util") as typeof import("node:util");

// Every other module a command needs is imported when that command runs: a compile the cache holds whole never
// loads the build, validate, render or Argo CD code (compile.ts), nor diff, publish or explain.

/** Compiles: what the cache holds comes from it (reuse.ts); compile.ts is loaded only when something must be built. */
async function compile(options: CompileOptions): Promise<CompileResult> {
  const starting = startCompile(options);
  // A helper that bundles the descriptions means nothing is cached: every target will be built, so the build code is
  // loaded while the helper bundles, not after the descriptions load. Only now: startCompile asks for the bundles
  // before its first await, and loading the code first (~150 ms of compiling modules) would hold that request back.
  // (So the build code's modules are evaluated before the descriptions here, after them otherwise: none of them reads
  // anything a description could set when it is evaluated.)
  // Then node:crypto (every target built is hashed), while this thread would wait for the helper's bundles.
  const code = options.offload?.bundle ? import("./compile.ts").then((m) => (loadHashing(), m)) : undefined;
  code?.catch(() => undefined);
  const started = await starting;
  return started.result ?? (await (code ?? import("./compile.ts"))).finishCompile(started);
}

class UsageError extends Error {}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const HELP: Record<string, string> = {
  main: `manifold ${COMPILER_VERSION}: compiles typed platform descriptions into plain Kubernetes YAML for Argo CD.

Usage: manifold <command> [options]

Commands:
  compile    render rendered/ (or check that it is up to date)
  validate   run every check and write nothing
  plan       show the exact order Argo CD applies one target in, or (--apps)
             the Applications each cluster gets, in rollout order
  diff       the rendered difference between two commits, for a PR comment
  publish    commit rendered/ to the rendered-manifests branch, with provenance
  explain    where every value of a rendered object came from (file and line)
  init       make a new project in an empty folder
  new        add a platform, environment or region description

Run 'manifold <command> --help' for a command's options.`,
  compile: `Usage: manifold compile [--check] [--platform P] [--env E] [--region R] [--no-cache] [--allow-removal]
                        [--verbose] [--timings] [--root DIR]

Renders rendered/<env>/<region>/<platform>/ for every target, writing only the
files that changed. Nothing is written if any check fails. A target whose
resolved spec and compiler are unchanged is taken from .manifold-cache/
instead of being rebuilt. One compile writes at a time: a second one waits for
the lock (.manifold-cache/lock, up to MANIFOLD_LOCK_TIMEOUT seconds, default
60) and then names who holds it; a lock left by a dead process is taken over.
A compile killed at any moment leaves rendered/ whole: the next run finishes
or discards its write before reading rendered/.

  --check        write nothing; exit 1 and list the files that differ when rendered/ is stale
  --platform P   only targets of platform P (other folders are left as they are)
  --env E        only targets in environment E
  --region R     only targets in region R
  --no-cache     rebuild every target and bundle every description again (nothing is taken from the cache)
  --allow-removal  allow removing whole target folders (a platform no description renders any more);
                 without it such a compile stops and writes nothing
  --verbose      list every waived finding (by default they are counted in one line)
  --timings      print the milliseconds spent in each phase to stderr, as one JSON line, then each
                 rule's processor time (every target, both threads) on a second line, 'rules: {...}'
  --root DIR     the project folder (default: the current folder)`,
  validate: `Usage: manifold validate [--format text|json] [--root DIR]

Runs every check (descriptions, schemas, unknown fields, names, labels, Argo CD
values, references, policy) and writes nothing. Prints every finding: rule,
severity, target, component, object, JSON pointer, message and a one-line fix.
Exits 1 when an error remains; warnings and waived findings are listed too.

Policy rules take the level each environment sets in policy.rules (off,
warning, error). An object waives a rule with the annotation
waive.manifold.dev/<rule>: <reason>; the reason is shown, and a waiver
without one is itself an error.

  --format F     text (default) or json`,
  plan: `Usage: manifold plan <platform> <env> <region> [--format text|json] [--root DIR]
       manifold plan --apps [--format text|json] [--root DIR]

Prints the exact order Argo CD applies that target in: phase, wave, kind and
name, and whether Argo CD waits for health before the next step.

With --apps (and no arguments): compiles, then expands every ApplicationSet of
rendered/argocd/ offline, for the declared clusters, as the ApplicationSet
controller would (nothing is written), and
prints the Applications each cluster gets, environment by environment, in
rollout order (RollingSync step by step).`,
  publish: `Usage: manifold publish [--branch B] [--remote R] [--push] [--root DIR]

Commits rendered/ of the current commit to branch B (default rendered-manifests)
through git plumbing: your index, HEAD and working tree are never touched. The
branch root is rendered/ byte for byte, plus hydrator.metadata provenance files
(Argo CD Source Hydrator format); the commit carries Source-Commit, Source-Repo
and Manifold-Version trailers. The first publish makes an orphan branch; a
publish that changes nothing makes no commit.

Refuses (exit 1, nothing written) when the working tree is dirty, when the
compile fails or when rendered/ is stale.

  --branch B   the branch (default rendered-manifests)
  --remote R   the remote (default origin); its URL, without credentials, is the Source-Repo
  --push       push to R without force; when R moved meanwhile, fetch and re-apply on top
               (bounded retries); when R already holds a newer source commit, do nothing`,
  explain: `Usage: manifold explain <rendered file> [json pointer] [--format text|json] [--root DIR]
       manifold explain <Kind/name> in <env/region/platform> [json pointer] [--format text|json]

Prints, for each field of the object (or the one the JSON pointer names), the
final value and where it came from: set (the chain of layers that wrote it,
the building block's default first, the last one wins), defaulted (by which
building block), computed (by which block or phase, from which description
values) or patched (which patch). Each step names its file and line.
Traces the target by re-compiling it once per description value: a few seconds.

  --format F     text (default) or json`,
  diff: `Usage: manifold diff --base <ref> [--head <ref>] [--format markdown|text|json]
                     [--exit-code] [--output FILE] [--max-length N] [--explain] [--root DIR]

Renders both sides and compares the objects (parsed YAML, not text). Each ref
is checked out into a temporary git worktree and compiled there with its own
compiler; without --head the working tree's descriptions are compiled.

The report: risk flags first (immutable-field changes, data-losing deletions,
production replica or resource reductions, wave reorderings, Secret reference
changes), a summary per environment, region and platform, then each change as
a YAML diff of what changed; the same change in several regions is one entry.

  --format F     markdown (default, for a PR comment), text or json (with JSON patch operations)
  --explain      after each change, the provenance of its changed fields on the head side
                 (which description file and line set or computed them; see 'manifold explain')
  --exit-code    exit 1 when there are changes, 0 when there are none
  --output FILE  also write the full, untruncated report to FILE
  --max-length N markdown only: the most characters printed (default 65536, GitHub's comment limit);
                 longer reports are cut at an object boundary with a note saying so`,
  init: `Usage: manifold init [--platform P] [--env E] [--region R] [--manifold SPEC] [--no-lock] [--root DIR]

Makes a new project in an empty folder (default: the current one): package.json,
tsconfig.json, one environment (E, default dev), one region (R, default
us-west-2, primary), the Argo CD layer, one example platform (P, default hello),
CI templates for GitHub Actions and GitLab, and a test (npm test). Everything
compiles as generated.

  --manifold SPEC  the package.json dependency on Manifold (default: file:<this checkout>;
                   e.g. a git URL of your Manifold fork, pinned to a tag)
  --no-lock        do not write package-lock.json (it is written with
                   'npm install --package-lock-only', which installs nothing)`,
  new: `Usage: manifold new platform|environment|region <name> [--role primary|secondary|tertiary] [--root DIR]

Adds one description that compiles as generated, and prints what to do next:
  platform     platforms/<name>.ts: one web service that passes every policy rule
  environment  environments/<name>.ts: every region of the project, every rule an error
  region       regions/<name>.ts: clusters from regions/_clusters.ts (--role, default secondary)`,
};

type OptionSpec = Record<string, { type: "string" | "boolean" }>;

function parse<T extends OptionSpec>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: "boolean" as const, short: "h" }, root: { type: "string" as const } },
      allowPositionals,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function formatOption(value: string | undefined, allowed: string[]): string {
  const format = value ?? allowed[0];
  if (!allowed.includes(format)) throw new UsageError(`--format must be one of ${allowed.join(", ")}`);
  return format;
}

async function runCompile(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    check: { type: "boolean" },
    platform: { type: "string" },
    env: { type: "string" },
    region: { type: "string" },
    timings: { type: "boolean" },
    "no-cache": { type: "boolean" },
    "allow-removal": { type: "boolean" },
    verbose: { type: "boolean" },
  } as const);
  if (values.help) return (io.out(HELP.compile), 0);
  const root = values.root ?? process.cwd();
  for (const stray of strayFiles(root)) io.err(strayWarning(stray));
  // now() counts from the start of the process: this is the start-up (runtime, loader, compiler modules).
  const start = now();
  const printTimings = (timings: Record<string, number>) => {
    if (!values.timings) return;
    const phases = Object.entries(timings)
      .filter(([k]) => !isRuleTiming(k))
      .map(([k, v]) => [k, Math.round(v)]);
    const rules = ruleTimes(timings);
    io.err(
      `timings: ${JSON.stringify({ startup: Math.round(start), ...Object.fromEntries(phases), total: Math.round(now()) })}`,
    );
    // each rule's processor time over every target built (both threads), slowest first
    if (rules.length) io.err(`rules: ${JSON.stringify(Object.fromEntries(rules))}`);
  };
  const cache = values["no-cache"] ? undefined : new TargetCache(join(root, ".manifold-cache"));
  // The cached files' contents are read only where rendered/ must be compared or written; a cached file found
  // unreadable that late means compiling again, reading every cached file at once (and rebuilding any bad one).
  // A first write (no rendered/ yet): the targets' files are written as they are built, on both threads, not all
  // at the end (emit/prestage.ts); a check writes nothing.
  const attempt = async (lazyFiles: boolean) => {
    const prestage = values.check ? undefined : openPrestage(renderedDir(root));
    try {
      const result = await compile({
        root,
        filter: { platform: values.platform, environment: values.env, region: values.region },
        cache,
        offload: helperThread(cache),
        lazyFiles,
        freshDescriptions: values["no-cache"],
        prestage,
      });
      const phaseStart = now();
      try {
        // In a CI job, most often a fresh clone compared once, no recorded stamp can match its files and no later run
        // reads the ones recorded now: skip them (a runner that keeps its working tree only loses the saving).
        const stamps = !runsInCi();
        const diff = values.check
          ? checkRendered(root, result, { stamps })
          : emit(root, result, { allowRemoval: values["allow-removal"], stamps, prestage });
        result.timings[values.check ? "check" : "emit"] = now() - phaseStart;
        return { result, diff };
      } catch (e) {
        if (lazyFiles && e instanceof UnreadableCacheError) return undefined;
        for (const line of findingSummary(result.findings, values.verbose)) io.err(line);
        throw e;
      }
    } finally {
      if (prestage) closePrestage(prestage);
    }
  };
  const { result, diff } = (await attempt(!values["no-cache"])) ?? (await attempt(false))!;
  const objects = result.objectCount;
  const counts = targetCounts(result);
  const targets = `${counts.all} targets${counts.unchanged ? ` (${counts.unchanged} unchanged, from the cache)` : ""}`;
  for (const line of findingSummary(result.findings, values.verbose)) io.err(line);
  printTimings(result.timings);
  if (values.check) {
    if (isEmptyDiff(diff)) {
      io.err(`rendered/ is up to date: ${targets}, ${objects} objects, ${Math.round(now() - start)} ms`);
      return 0;
    }
    for (const p of diff.added) io.out(`added    rendered/${p}`);
    for (const p of diff.changed) io.out(`changed  rendered/${p}`);
    for (const p of diff.removed) io.out(`removed  rendered/${p}`);
    io.err(
      `rendered/ is stale: ${diff.added.length + diff.changed.length + diff.removed.length} file(s) differ; run 'npm run compile'`,
    );
    return 1;
  }
  // The whole wall time of the command: loading, compiling and writing files.
  const ms = Math.round(now() - start);
  io.err(
    `compiled ${targets}, ${objects} objects in ${ms} ms; ` +
      (isEmptyDiff(diff)
        ? "rendered/ unchanged"
        : `rendered/: ${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed`),
  );
  return 0;
}

async function runValidate(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { format: { type: "string" } } as const);
  if (values.help) return (io.out(HELP.validate), 0);
  const format = formatOption(values.format, ["text", "json"]);
  const root = values.root ?? process.cwd();
  try {
    const result = await compile({ root, keepErrors: true });
    const { blocking } = await import("./validate/index.ts");
    const errors = blocking(result.findings);
    const waived = result.findings.filter((f) => f.waived).length;
    if (format === "json")
      io.out(
        JSON.stringify({ ok: errors.length === 0, targets: result.targets.length, findings: result.findings }, null, 2),
      );
    else {
      for (const f of result.findings) io.out(formatFinding(f));
      io.err(
        `validated ${result.targets.length} targets: ${errors.length} error(s), ${result.findings.length - errors.length - waived} warning(s), ${waived} waived`,
      );
    }
    return errors.length ? 1 : 0;
  } catch (e) {
    if (!(e instanceof ManifoldError) || format !== "json") throw e;
    const all = [e, ...e.others].map((x) => ({ message: x.message, file: x.file, field: x.field, target: x.target }));
    io.out(JSON.stringify({ ok: false, errors: all }, null, 2));
    return 1;
  }
}

async function runPlan(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: "string" }, apps: { type: "boolean" } } as const, true);
  if (values.help) return (io.out(HELP.plan), 0);
  const format = formatOption(values.format, ["text", "json"]);
  if (values.apps) {
    if (positionals.length) throw new UsageError("plan --apps takes no arguments");
    const result = await compile({ root: values.root ?? process.cwd() });
    if (!result.argocd)
      throw new ManifoldError("plan --apps needs the Argo CD layer, and this project has no argocd/ description", {
        file: "argocd/",
      });
    const { formatAppsPlan } = await import("./argocd/plan.ts");
    io.out(format === "json" ? JSON.stringify(result.argocd.plan, null, 2) : formatAppsPlan(result.argocd.plan));
    return 0;
  }
  if (positionals.length !== 3) throw new UsageError("plan takes exactly three arguments: <platform> <env> <region>");
  const [platform, environment, region] = positionals;
  const result = await compile({ root: values.root ?? process.cwd(), filter: { platform, environment, region } });
  const { planTarget, formatPlan } = await import("./plan.ts");
  const plan = planTarget(result.targets[0]);
  io.out(format === "json" ? JSON.stringify(plan, null, 2) : formatPlan(plan));
  return 0;
}

async function runPublish(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    branch: { type: "string" },
    remote: { type: "string" },
    push: { type: "boolean" },
  } as const);
  if (values.help) return (io.out(HELP.publish), 0);
  const { publish } = await import("./publish/publish.ts");
  const result = await publish({
    root: values.root ?? process.cwd(),
    branch: values.branch,
    remote: values.remote,
    push: values.push,
    log: (l) => io.err(l),
  });
  io.err(result.message);
  if (result.tip) io.out(result.tip);
  return 0;
}

async function runDiff(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    base: { type: "string" },
    head: { type: "string" },
    format: { type: "string" },
    "exit-code": { type: "boolean" },
    output: { type: "string" },
    "max-length": { type: "string" },
    explain: { type: "boolean" },
  } as const);
  if (values.help) return (io.out(HELP.diff), 0);
  if (!values.base) throw new UsageError("diff needs --base <ref>");
  const { diff } = await import("./diff/diff.ts");
  const { renderReport, REPORT_FORMATS } = await import("./diff/report.ts");
  const format = formatOption(values.format, [...REPORT_FORMATS]) as (typeof REPORT_FORMATS)[number];
  const maxLength = values["max-length"] === undefined ? undefined : Number(values["max-length"]);
  if (maxLength !== undefined && !(Number.isInteger(maxLength) && maxLength >= 1000))
    throw new UsageError("--max-length must be a whole number of at least 1000");
  const result = await diff({
    root: values.root ?? process.cwd(),
    base: values.base,
    head: values.head,
    explain: values.explain,
    log: (l) => io.err(l),
  });
  if (values.output) writeFileSync(values.output, renderReport(result, format, { maxLength: Infinity }));
  io.out(renderReport(result, format, { maxLength, fullReport: values.output }).trimEnd());
  io.err(`${result.changes.length} object(s) differ between ${result.base.label} and ${result.head.label}`);
  return values["exit-code"] && result.changes.length > 0 ? 1 : 0;
}

async function runExplain(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: "string" } } as const, true);
  if (values.help) return (io.out(HELP.explain), 0);
  const format = formatOption(values.format, ["text", "json"]);
  const root = values.root ?? process.cwd();
  const { explain, formatExplanation, parseQuery } = await import("./explain/index.ts");
  const named = positionals[1] === "in";
  const count = positionals.length - (named ? 3 : 1);
  if (positionals.length === 0 || count < 0 || count > 1)
    throw new UsageError(
      "explain takes <rendered file> or <Kind/name> in <env/region/platform>, then an optional JSON pointer",
    );
  const query = named
    ? parseQuery(root, positionals[0], positionals[2], positionals[3])
    : parseQuery(root, positionals[0], undefined, positionals[1]);
  const result = await explain(root, query);
  io.out(format === "json" ? JSON.stringify(result, null, 2) : formatExplanation(result));
  return 0;
}

async function runInit(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    platform: { type: "string" },
    env: { type: "string" },
    region: { type: "string" },
    manifold: { type: "string" },
    "no-lock": { type: "boolean" },
  } as const);
  if (values.help) return (io.out(HELP.init), 0);
  const { init } = await import("./scaffold/init.ts");
  const result = init({
    root: values.root ?? process.cwd(),
    platform: values.platform,
    environment: values.env,
    region: values.region,
    manifold: values.manifold,
    lock: !values["no-lock"],
  });
  for (const f of result.files) io.out(`created  ${f}`);
  io.err(`a new Manifold project. Next:\n${result.next.map((l) => `  ${l}`).join("\n")}`);
  return 0;
}

async function runNew(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { role: { type: "string" } } as const, true);
  if (values.help) return (io.out(HELP.new), 0);
  const [kind, name, ...extra] = positionals;
  if (!KINDS.includes(kind as Kind) || !name || extra.length)
    throw new UsageError(`new takes a kind (${KINDS.join(", ")}) and a name, e.g. 'manifold new platform shop'`);
  const role = values.role ?? undefined;
  if (role !== undefined && !["primary", "secondary", "tertiary"].includes(role))
    throw new UsageError("--role must be one of primary, secondary, tertiary");
  const { newDescription } = await import("./scaffold/new.ts");
  const result = newDescription(values.root ?? process.cwd(), kind as Kind, name, {
    role: role as "primary" | "secondary" | "tertiary" | undefined,
  });
  for (const f of result.files) io.out(`created  ${f}`);
  io.err(`Next:\n${result.next.map((l) => `  ${l}`).join("\n")}`);
  return 0;
}

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  compile: runCompile,
  validate: runValidate,
  plan: runPlan,
  diff: runDiff,
  publish: runPublish,
  explain: runExplain,
  init: runInit,
  new: runNew,
};

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(
  argv: string[],
  io: Io = { out: (s) => writeTo(STDOUT, s + "\n"), err: (s) => writeTo(STDERR, s + "\n") },
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === "--help" || command === "-h" || command === "help") {
      io.out(HELP.main);
      return command ? 0 : 2;
    }
    if (command === "--version") return (io.out(COMPILER_VERSION), 0);
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`manifold: ${e.message}\nRun 'manifold --help' for usage.`);
      return 2;
    }
    if (e instanceof ManifoldError) {
      for (const line of errorLines(e)) io.err(`error: ${line}`);
      return 1;
    }
    io.err(`manifold: internal error: ${(e as Error)?.message ?? String(e)}`);
    if (process.env.MANIFOLD_DEBUG) io.err(String((e as Error)?.stack));
    return 1;
  }
}
