/**
 * A hydrated add-on: the vendored chart package is checked against its pinned digest and version, rendered with
 * `helm template` (CRDs included), and its objects take waves like any rendered folder: CRDs and Namespaces first,
 * then the chart's built-in objects, then its custom resources (which skip the dry run while their CRD is new).
 * Every object names the chart and version it came from (`manifold.dev/chart`), which is what a diff flags.
 */
import { createHash } from "../hash.ts";
import { execFileSync } from "../exec.ts";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { ManifoldError } from "../errors.ts";
import type { KubeObject } from "../model/object.ts";
import { isKnownKind } from "../sync/apply-order.ts";
import {
  CHART_ANNOTATION,
  SKIP_DRY_RUN_OPTION,
  SYNC_OPTIONS_ANNOTATION,
  WAVE_ANNOTATION,
} from "../sync/annotations.ts";
import { findHelm, helmTemplate, noHelmMessage } from "./helm.ts";
import { groupKindOf } from "./objects.ts";
import type { ResolvedAddon } from "./resolve.ts";

/** Waves inside a hydrated folder: definitions, the chart's objects, then its custom resources. */
export const HYDRATED_WAVES = { definitions: 0, objects: 1, customResources: 2 } as const;

function fail(addon: ResolvedAddon, field: string, message: string, target: string): never {
  throw new ManifoldError(message, { file: addon.file, field, target });
}

function chartVersion(helm: string, chart: string): string {
  const out = execFileSync(helm, ["show", "chart", chart], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return /^version:\s*"?([^"\s]+)"?\s*$/m.exec(out)?.[1] ?? "";
}

function withAnnotations(o: KubeObject, extra: Record<string, string>): KubeObject {
  return { ...o, metadata: { ...o.metadata, annotations: { ...(o.metadata.annotations ?? {}), ...extra } } };
}

/** A kind the API server serves: not defined by the chart; the core group, a group without a dot, or `*.k8s.io`. */
function isBuiltIn(o: KubeObject, defined: Set<string>): boolean {
  const gk = groupKindOf(o);
  if (defined.has(gk)) return false;
  const group = gk.slice(0, gk.lastIndexOf("/"));
  return isKnownKind(o.kind) || !group.includes(".") || group.endsWith(".k8s.io");
}

/** The chart's objects on one cluster, with waves and the chart annotation, in the order Helm printed them. */
export function hydrate(
  addon: ResolvedAddon,
  opts: { root: string; cluster: string; kubeVersion?: string },
): KubeObject[] {
  const chart = addon.description.chart!;
  const vendored = chart.vendored!;
  const path = join(opts.root, vendored.path);
  if (!existsSync(path))
    fail(addon, "chart.vendored.path", `the vendored chart ${vendored.path} does not exist`, opts.cluster);
  const digest = `sha256:${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
  if (digest !== vendored.digest)
    fail(
      addon,
      "chart.vendored.digest",
      `${vendored.path} has digest ${digest}, not the pinned ${vendored.digest}`,
      opts.cluster,
    );
  const helm = findHelm(opts.root);
  if (!helm) fail(addon, "delivery", noHelmMessage(), opts.cluster);
  const version = chartVersion(helm, path);
  if (version !== chart.version)
    fail(
      addon,
      "chart.version",
      `${vendored.path} is chart version ${version}, not the pinned ${chart.version}`,
      opts.cluster,
    );
  let text: string;
  try {
    text = helmTemplate({
      helm,
      release: addon.name,
      namespace: addon.description.namespace!,
      chart: path,
      values: addon.values,
      kubeVersion: opts.kubeVersion,
      scratch: join(opts.root, ".manifold-cache", "helm-work"),
    });
  } catch (e) {
    fail(addon, "values", `helm template failed: ${(e as Error).message}`, opts.cluster);
  }
  const objects = parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === "object" && typeof o.kind === "string");
  const defined = new Set(
    objects
      .filter((o) => o.kind === "CustomResourceDefinition")
      .map((o) => {
        const spec = o.spec as { group?: string; names?: { kind?: string } } | undefined;
        return `${spec?.group ?? ""}/${spec?.names?.kind ?? ""}`;
      }),
  );
  const label = `${chart.chart}-${chart.version}`;
  return objects.map((o) => {
    const base = { [CHART_ANNOTATION]: label };
    if (o.kind === "CustomResourceDefinition" || o.kind === "Namespace")
      return withAnnotations(o, { ...base, [WAVE_ANNOTATION]: String(HYDRATED_WAVES.definitions) });
    if (isBuiltIn(o, defined))
      return withAnnotations(o, { ...base, [WAVE_ANNOTATION]: String(HYDRATED_WAVES.objects) });
    const skip: Record<string, string> = defined.has(groupKindOf(o))
      ? { [SYNC_OPTIONS_ANNOTATION]: SKIP_DRY_RUN_OPTION }
      : {};
    return withAnnotations(o, { ...base, ...skip, [WAVE_ANNOTATION]: String(HYDRATED_WAVES.customResources) });
  });
}
