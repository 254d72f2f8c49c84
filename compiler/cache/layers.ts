/**
 * The fleet layers' cache: the cluster layer and the Argo CD layer of the last whole-fleet compile, in
 * `.manifold-cache/layers.json`. Both layers are pure functions of the loaded descriptions and of every target's
 * output, and a target's output is a pure function of its key; so the layers' key is a hash of the compiler, the
 * loaded project and every target key in order. A project with a hydrated add-on is never cached here: its
 * layer also reads the vendored chart and runs helm. An entry is trusted only when it parses, is in this format
 * and names the key asked for; it is written aside and renamed into place, and a cache that cannot be written is
 * no error. What a compile needs of the layers (their files and findings) is in `layers.json`; the rest (the
 * clusters' plans, the Argo CD objects, applications and plan) is in `layers-rest.json`, checked against the digest
 * `layers.json` carries, and read lazily on request: only when first asked for, and then a bad one throws an
 * UnreadableCacheError.
 */
import { createHash } from "../hash.ts";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ArgoCdLayer } from "../argocd/index.ts";
import type { ClusterLayer } from "../cluster/index.ts";
import type { Project } from "../model/project.ts";
import { ignoredWorkDir, writeAside } from "../scratch.ts";
import { UnreadableCacheError } from "./store.ts";

const FORMAT = 2;
const FILE = "layers.json";
const REST = "layers-rest.json";

/** What a whole-fleet compile adds to the targets: either layer is absent when the project has none. */
export interface CachedLayers {
  cluster?: ClusterLayer;
  argocd?: ArgoCdLayer;
}

interface Entry {
  format: number;
  key: string;
  /** Each layer's files and findings. */
  layers: Stored;
  /** The digest of the rest file's text, and the fields of each layer it holds. */
  rest: { digest: string; cluster: string[]; argocd: string[] };
}

/** The layers' files (as lists of entries) and findings: what a compile needs of them. */
interface Stored {
  cluster?: { files: [string, string][]; findings: ClusterLayer["findings"] };
  argocd?: { files: [string, string][]; findings: ArgoCdLayer["findings"] };
}

/** Every other field of each layer. */
interface Rest {
  cluster?: Record<string, unknown>;
  argocd?: Record<string, unknown>;
}

const LAYERS = ["cluster", "argocd"] as const;

function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A layer split into what a compile needs (files as entries, findings) and the rest. */
function split(layer: ClusterLayer | ArgoCdLayer | undefined): [Stored["cluster"], Record<string, unknown>] {
  if (!layer) return [undefined, {}];
  const { files, findings, ...rest } = layer;
  return [{ files: [...files], findings }, rest];
}

/**
 * The key of the layers of a whole-fleet compile: the compiler, the loaded project and the key of every target in
 * resolve order. Undefined when the layers read more than that (a hydrated add-on), so they are never cached.
 */
export function layersKey(compiler: string, project: Project, targetKeys: string[]): string | undefined {
  if (project.addons?.some((a) => a.value.delivery === "hydrated")) return undefined;
  return createHash("sha256")
    .update(compiler)
    .update("\0")
    .update(JSON.stringify(project))
    .update("\0")
    .update(targetKeys.join("\n"))
    .digest("hex");
}

/**
 * The cached layers under `key` in the cache folder `dir` (`<root>/.manifold-cache`), or undefined. With `lazy`, the
 * rest of each layer is read only when one of its fields is first asked for (and a bad rest file then throws an
 * UnreadableCacheError); otherwise it is read now, and a bad one means no cached layers.
 */
export function readLayers(dir: string, key: string, lazy = false): CachedLayers | undefined {
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(join(dir, FILE), "utf8")) as Entry;
  } catch {
    return undefined;
  }
  if (entry?.format !== FORMAT || entry.key !== key || typeof entry.layers !== "object" || !entry.layers)
    return undefined;
  const { rest } = entry;
  if (typeof rest?.digest !== "string" || !Array.isArray(rest.cluster) || !Array.isArray(rest.argocd)) return undefined;
  for (const name of LAYERS) {
    const layer = entry.layers[name];
    if (layer && (!Array.isArray(layer.files) || !Array.isArray(layer.findings))) return undefined;
  }
  let memo: Rest | undefined;
  const readRest = (): Rest | undefined => {
    try {
      const text = readFileSync(join(dir, REST), "utf8");
      return sha(text) === rest.digest ? (JSON.parse(text) as Rest) : undefined;
    } catch {
      return undefined;
    }
  };
  if (!lazy && !(memo = readRest())) return undefined;
  const load = (): Rest => {
    memo ??= readRest();
    if (!memo) throw new UnreadableCacheError("the cached fleet layers are unreadable: compile again with --no-cache");
    return memo;
  };
  const out: Record<string, Record<string, unknown>> = {};
  for (const name of LAYERS) {
    const stored = entry.layers[name];
    if (!stored) continue;
    const layer: Record<string, unknown> = { files: new Map(stored.files), findings: stored.findings };
    for (const field of rest[name])
      Object.defineProperty(layer, field, { get: () => load()[name]?.[field], enumerable: true });
    out[name] = layer;
  }
  return out as CachedLayers;
}

/** Stores the layers of `key` (replacing the previous entry): an optimisation only, so failures are ignored. */
export function writeLayers(dir: string, key: string, layers: CachedLayers): void {
  const [cluster, clusterRest] = split(layers.cluster);
  const [argocd, argocdRest] = split(layers.argocd);
  const restText = JSON.stringify({ cluster: clusterRest, argocd: argocdRest } satisfies Rest);
  const entry: Entry = {
    format: FORMAT,
    key,
    layers: { ...(cluster ? { cluster } : {}), ...(argocd ? { argocd } : {}) },
    rest: {
      digest: sha(restText),
      cluster: layers.cluster ? Object.keys(clusterRest) : [],
      argocd: layers.argocd ? Object.keys(argocdRest) : [],
    },
  };
  try {
    ignoredWorkDir(dir);
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of [
      [REST, restText],
      [FILE, JSON.stringify(entry)],
    ]) {
      writeAside(join(dir, file), text);
    }
  } catch {
    // read-only or full disk: the next compile renders the layers again
  }
}
