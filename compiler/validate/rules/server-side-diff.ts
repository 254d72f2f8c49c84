import type { Rule } from "../context.ts";
import type { KubeObject } from "../../model/object.ts";
import { list, obj, str } from "../../kube/loose.ts";
import {
  COMPARE_OPTIONS_ANNOTATION,
  SERVER_SIDE_APPLY_OPTION,
  SERVER_SIDE_DIFF_OPTION,
} from "../../sync/annotations.ts";

/** The key of `argocd-cmd-params-cm` that turns server-side diff on for every Application (Argo CD 2.10 or later). */
export const SERVER_SIDE_DIFF_PARAM = "controller.diff.server.side";

/** True when the objects set server-side diff for every Application in `argocd-cmd-params-cm`. */
function globallyOn(objects: KubeObject[]): boolean {
  return objects.some(
    (o) =>
      o.kind === "ConfigMap" &&
      o.metadata.name === "argocd-cmd-params-cm" &&
      str(obj(o.data)[SERVER_SIDE_DIFF_PARAM]) === "true",
  );
}

/** The Application (or ApplicationSet template) spec and annotations of an object, with the pointer of its spec. */
function applicationOf(o: KubeObject): { spec: Record<string, unknown>; annotations: unknown; at: string } | undefined {
  if (o.kind === "Application") return { spec: obj(o.spec), annotations: o.metadata.annotations, at: "" };
  if (o.kind !== "ApplicationSet") return undefined;
  const template = obj(obj(o.spec).template);
  return { spec: obj(template.spec), annotations: obj(template.metadata).annotations, at: "/spec/template" };
}

/**
 * Server-side apply never goes without server-side diff: with a client-side diff Argo CD compares git with a live
 * object the API server has defaulted, so StatefulSets and defaulted custom resources stay OutOfSync forever, and a
 * RollingSync step, which waits for Synced and Healthy, never completes.
 */
export const serverSideDiffRule: Rule = {
  name: "server-side-diff",
  description: "Applications that sync with server-side apply also diff server-side",
  check(ctx, report) {
    const global = globallyOn(ctx.objects.map((o) => o.object));
    for (const o of ctx.objects) {
      const app = applicationOf(o.object);
      if (!app) continue;
      const options = list(obj(app.spec.syncPolicy).syncOptions);
      if (!options.includes(SERVER_SIDE_APPLY_OPTION)) continue;
      const compare = (str(obj(app.annotations)[COMPARE_OPTIONS_ANNOTATION]) ?? "").split(",").map((s) => s.trim());
      if (compare.includes(SERVER_SIDE_DIFF_OPTION)) continue;
      if (global && !compare.includes("ServerSideDiff=false")) continue;
      report(o, {
        pointer: `${app.at}/metadata/annotations`,
        message:
          "syncs with ServerSideApply=true but diffs client-side: defaulted fields keep StatefulSets and custom resources OutOfSync, and RollingSync waits for Synced",
        fix: `annotate it ${COMPARE_OPTIONS_ANNOTATION}: ${SERVER_SIDE_DIFF_OPTION} (or set ${SERVER_SIDE_DIFF_PARAM}: "true" in argocd-cmd-params-cm)`,
      });
    }
  },
};
