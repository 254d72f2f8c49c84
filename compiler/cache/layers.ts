/**
 * The fleet layers' cache: the cluster layer and the Argo CD layer of the last whole-fleet compile, in
 * `.manifold-cache/layers.json`. Both layers are pure functions of the loaded descriptions and of every target's
 * output, and a target's output is a pure function of its key; so the layers' key is a hash of the compiler, the
 * loaded project and every target key in order. A project with a hydrated add-on is never cached here: its
 * layer also reads the vendored chart and runs helm. An entry is trusted only when it parses, is in this format
 * and names the key asked for; it is written aside and renamed into place, and a cache that cannot be written is
 * no error.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ArgoCdLayer } from "../argocd/index.ts";
import type { ClusterLayer } from "../cluster/index.ts";
import type { Project } from "../model/project.ts";
import { ignoredWorkDir } from "../scratch.ts";

const FORMAT = 1;
const FILE = "layers.json";

/** What a whole-fleet compile adds to the targets: either layer is absent when the project has none. */
export interface CachedLayers {
  cluster?: ClusterLayer;
  argocd?: ArgoCdLayer;
}

interface Entry {
  format: number;
  key: string;
  layers: Stored;
}

/** The layers as JSON: their `files` maps (the only non-JSON values in them) as lists of entries. */
interface Stored {
  cluster?: Omit<ClusterLayer, "files"> & { files: [string, string][] };
  argocd?: Omit<ArgoCdLayer, "files"> & { files: [string, string][] };
}

function toStored(layers: CachedLayers): Stored {
  const { cluster, argocd } = layers;
  return {
    ...(cluster ? { cluster: { ...cluster, files: [...cluster.files] } } : {}),
    ...(argocd ? { argocd: { ...argocd, files: [...argocd.files] } } : {}),
  };
}

function fromStored(stored: Stored): CachedLayers | undefined {
  const { cluster, argocd } = stored;
  if ((cluster && !Array.isArray(cluster.files)) || (argocd && !Array.isArray(argocd.files))) return undefined;
  return {
    ...(cluster ? { cluster: { ...cluster, files: new Map(cluster.files) } } : {}),
    ...(argocd ? { argocd: { ...argocd, files: new Map(argocd.files) } } : {}),
  };
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

/** The cached layers under `key` in the cache folder `dir` (`<root>/.manifold-cache`), or undefined. */
export function readLayers(dir: string, key: string): CachedLayers | undefined {
  try {
    const entry = JSON.parse(readFileSync(join(dir, FILE), "utf8")) as Entry;
    if (entry?.format !== FORMAT || entry.key !== key || typeof entry.layers !== "object" || !entry.layers)
      return undefined;
    return fromStored(entry.layers);
  } catch {
    return undefined;
  }
}

/** Stores the layers of `key` (replacing the previous entry): an optimisation only, so failures are ignored. */
export function writeLayers(dir: string, key: string, layers: CachedLayers): void {
  const entry: Entry = { format: FORMAT, key, layers: toStored(layers) };
  try {
    ignoredWorkDir(dir);
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${FILE}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, join(dir, FILE));
  } catch {
    // read-only or full disk: the next compile renders the layers again
  }
}
