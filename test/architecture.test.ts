/**
 * The import graph of `compiler/` flows one way: the CLI and the library entry point on top, then the commands,
 * then the phases in pipeline order, then Argo CD's sync vocabulary, the graph and object helpers, the model,
 * the description language and the plain utilities at the bottom. No import cycles, and no phase imports a
 * later phase.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const COMPILER = join(ROOT, "compiler");

/** Layers from the bottom up; a module may import its own layer or a lower one. Paths are relative to compiler/. */
export const LAYERS: { name: string; modules: string[] }[] = [
  {
    name: "lib",
    modules: [
      "errors.ts",
      "json.ts",
      "model-json.ts",
      "quantity.ts",
      "yaml.ts",
      "version.ts",
      "precompiled.ts",
      "description-bundle.ts",
      "native-descriptions.ts",
      "git.ts",
      "scratch.ts",
      "stack.ts",
      "suggest.ts",
      "zip.ts",
      "exec.ts",
      "work-queue.ts",
      "name-order.ts",
      "remember.ts",
      "hash.ts",
      "clock.ts",
      "stdio.ts",
      "worker-stdio.ts",
      "ci-environment.ts",
      "check/",
    ],
  },
  { name: "language", modules: ["describe/", "stores/"] },
  { name: "model", modules: ["model/"] },
  { name: "kernel", modules: ["graph/", "kube/"] },
  { name: "sync", modules: ["sync/"] },
  // The phases, in pipeline order: each may import earlier phases, never a later one.
  { name: "phase:load", modules: ["load.ts"] },
  { name: "phase:resolve", modules: ["resolve.ts", "filter-hint.ts"] },
  { name: "phase:blocks", modules: ["blocks/"] },
  { name: "phase:order", modules: ["order.ts"] },
  { name: "phase:patch", modules: ["patch.ts"] },
  { name: "phase:validate", modules: ["validate/"] },
  { name: "phase:emit", modules: ["emit/"] },
  { name: "phase:cluster", modules: ["cluster/"] },
  { name: "phase:argocd", modules: ["argocd/"] },
  {
    name: "commands",
    modules: [
      "cache/",
      "reuse.ts",
      "shared-batch.ts",
      "rendered.ts",
      "compile-targets.ts",
      "compile.ts",
      "parallel.ts",
      "parallel-worker.ts",
      "plan.ts",
      "diff/",
      "publish/",
      "explain/",
      "scaffold/",
    ],
  },
  { name: "cli", modules: ["cli.ts"] },
  { name: "api", modules: ["language.ts", "index.ts"] },
  // Generated documentation: reads the language through the public entry point, so it follows types that move.
  { name: "docs", modules: ["reference/"] },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith(".ts") ? [relative(COMPILER, path)] : [];
  });
}

/** The relative imports of a module (static, re-exports and dynamic), as paths relative to compiler/. */
export function importsOf(file: string, source: string): string[] {
  const specs = [
    ...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*["'](\.[^"']+)["']/g),
    ...source.matchAll(/\bimport\(\s*["'](\.[^"']+)["']\s*\)/g),
  ].map((m) => m[1]);
  return [...new Set(specs.map((s) => normalize(join(dirname(file), s))))];
}

/** The layer index of a module; -1 for anything outside compiler/. */
export function layerOf(module: string): number {
  return LAYERS.findIndex((l) => l.modules.some((m) => (m.endsWith("/") ? module.startsWith(m) : module === m)));
}

/** Every strongly connected component with more than one module (Tarjan), each as a path. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** Imports that go up the layers: `from -> to (layer -> layer)`. */
export function upwardImports(graph: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const a = layerOf(from);
      const b = layerOf(to);
      if (b < 0 || a < 0) continue;
      if (b > a) out.push(`${from} -> ${to} (${LAYERS[a].name} -> ${LAYERS[b].name})`);
    }
  }
  return out.sort();
}

const graph = new Map(
  sourceFiles(COMPILER).map((f) => [f, importsOf(f, readFileSync(join(COMPILER, f), "utf8"))] as const),
);

describe("the import graph of compiler/", () => {
  it("places every module in a layer", () => {
    expect([...graph.keys()].filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("never imports upwards: no phase imports a later phase, the model imports no phase", () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it("imports only modules that exist", () => {
    const missing = [...graph].flatMap(([from, targets]) =>
      targets.filter((t) => !t.startsWith("..") && !graph.has(t)).map((t) => `${from} -> ${t}`),
    );
    expect(missing).toEqual([]);
  });
});

/**
 * The modules a module loads when it is loaded: its static value imports (not `import type`, not dynamic `import()`),
 * transitively, as paths relative to compiler/.
 */
export function staticClosure(start: string, source: (file: string) => string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const specs = [
      ...source(file).matchAll(/(?:^|\n)\s*(import|export)\b(?!\s+type\b)[^;]*?\bfrom\s*["'](\.[^"']+)["']/g),
    ];
    for (const m of specs) visit(normalize(join(dirname(file), m[2])));
  };
  visit(start);
  return seen;
}

const readCompiler = (f: string) => readFileSync(join(COMPILER, f), "utf8");

/** Every module the CLI and the language entry point load when they are loaded (their static closures). */
function startPathModules(): string[] {
  return [...new Set(["cli.ts", "language.ts"].flatMap((entry) => [...staticClosure(entry, readCompiler)]))];
}

/** The static value imports, on the start path, of the packages `name` matches whole: "<module> -> <package>". */
function startPathImports(name: RegExp): string[] {
  const statement = new RegExp(
    `(?:^|\\n)\\s*(?:import|export)\\b(?!\\s+type\\b)[^;]*?\\bfrom\\s*["'](${name.source})["']`,
    "g",
  );
  return startPathModules().flatMap((f) => [...readCompiler(f).matchAll(statement)].map((m) => `${f} -> ${m[1]}`));
}

/** What a compile the cache holds whole must never load: the build, validate, render and layer code. */
const HEAVY = [
  "compile.ts",
  "blocks/index.ts",
  "validate/index.ts",
  "argocd/index.ts",
  "cluster/index.ts",
  "order.ts",
  "patch.ts",
];

describe("the CLI's nothing-changed path", () => {
  it("loads none of the build, validate, render or layer code until something must be built", () => {
    const read = (f: string) => readFileSync(join(COMPILER, f), "utf8");
    for (const entry of ["cli.ts", "language.ts"])
      expect(
        [...staticClosure(entry, read)].filter((f) => HEAVY.includes(f)),
        entry,
      ).toEqual([]);
  });

  it("loads no kubernetes-models package: their validation runtime loads ajv's formats and their parsers", () => {
    expect(startPathImports(/(?:@kubernetes-models\/|kubernetes-models)[^"']*/)).toEqual([]);
  });

  it("uses none of Node's slow built-ins: node:crypto and node:worker_threads loaded when first used, node:util through require, no performance API, no stdout or stderr stream", () => {
    // node:crypto costs ~16 ms to load, node:worker_threads ~10 ms, and node:util's ES-module facade loads the latter
    expect(startPathImports(/(?:node:)?(?:crypto|worker_threads|util)/)).toEqual([]);
    // the performance API loads perf_hooks at its first use: the timings use compiler/clock.ts
    expect(startPathModules().filter((f) => /\bperformance\.now\(/.test(readCompiler(f)))).toEqual([]);
    // the first use of process.stdout or process.stderr builds its stream: the CLI writes through compiler/stdio.ts
    // (which uses the streams on Windows only)
    const streams = startPathModules().filter((f) => f !== "stdio.ts");
    expect(streams.filter((f) => /\bprocess\.std(?:out|err)\b/.test(readCompiler(f)))).toEqual([]);
  });

  it("the closure follows static imports and re-exports, not type-only or dynamic ones", () => {
    const files: Record<string, string> = {
      "a.ts": 'import { b } from "./b.ts";\nimport type { C } from "./c.ts";\nconst d = await import("./d.ts");\n',
      "b.ts": 'export { e } from "./e.ts";\n',
      "c.ts": "",
      "d.ts": "",
      "e.ts": "",
    };
    expect([...staticClosure("a.ts", (f) => files[f])].sort()).toEqual(["a.ts", "b.ts", "e.ts"]);
  });
});

describe("the checks themselves", () => {
  it("find a cycle and name every module on it", () => {
    const g = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(cycles(g)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("find a phase importing a later phase, and the model importing a phase", () => {
    const g = new Map([
      ["load.ts", ["order.ts"]],
      ["model/target.ts", ["resolve.ts"]],
      ["order.ts", ["load.ts", "model/target.ts"]],
    ]);
    expect(upwardImports(g)).toEqual([
      "load.ts -> order.ts (phase:load -> phase:order)",
      "model/target.ts -> resolve.ts (model -> phase:resolve)",
    ]);
  });

  it("read static, type-only, re-exported, multi-line and dynamic imports", () => {
    const src =
      'import { a } from "./x.ts";\nimport type {\n  B,\n} from "../model/object.ts";\nexport { c } from "./y.ts";\nconst d = await import("./z.ts");\n';
    expect(importsOf("blocks/service.ts", src).sort()).toEqual([
      "blocks/x.ts",
      "blocks/y.ts",
      "blocks/z.ts",
      "model/object.ts",
    ]);
  });
});
