/**
 * The hook Jobs of a target (see compiler/sync/hooks.ts): each gets its own
 * ServiceAccount and a Job annotated with its Argo CD phase, a delete
 * policy, a retry limit and a deadline.
 */
import { Job } from "kubernetes-models/batch/v1/Job";
import type { ResolvedTarget } from "../model/target.ts";
import { HOOK_ANNOTATION, HOOK_DELETE_POLICY_ANNOTATION } from "../sync/annotations.ts";
import { deletePolicy } from "../sync/hooks.ts";
import { configMapName, objectName, standardLabels } from "./naming.ts";
import { make, plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { canonicalResources, envVars, podTemplate } from "./pod.ts";
import { serviceAccount } from "./service.ts";
import { trustMounts } from "./trust.ts";

/** Builds every hook of a target. */
export function buildHooks(target: ResolvedTarget): RenderedObject[] {
  const out: RenderedObject[] = [];
  const hasConfig = Object.keys(target.config).length > 0;
  for (const key of Object.keys(target.hooks).sort()) {
    const hook = target.hooks[key];
    const name = objectName(target, key);
    const labels = {
      ...standardLabels(target, name, "hook"),
      "app.kubernetes.io/version": hook.image
        .split(":")
        .pop()!
        .replace(/[^-A-Za-z0-9_.]/g, "-")
        .slice(0, 63),
    };
    out.push({ object: plain(serviceAccount(target, name, labels, false)), component: key, band: "foundation" });
    const readsConfig = hasConfig && hook.phase === "Sync";
    const trust = trustMounts(target, [hook.env, readsConfig ? target.config : undefined]);
    const template = podTemplate({
      name,
      labels,
      serviceAccountName: name,
      automountToken: false,
      runAsUser: 65532,
      writablePaths: ["/tmp"],
      ...(trust.volumes.length ? { extraVolumes: trust.volumes, extraMounts: trust.mounts } : {}),
      container: {
        name: key,
        image: hook.image,
        command: hook.command,
        args: hook.args,
        env: Object.keys(hook.env).length ? envVars(target, hook.env) : undefined,
        envFrom: readsConfig ? [{ configMapRef: { name: configMapName(target) } }] : undefined,
        resources: canonicalResources(hook.resources),
      },
    });
    template.spec!.restartPolicy = "Never";
    // An Istio sidecar would keep the Job's pod running after its container exits, so hooks stay out of the mesh.
    if (target.mesh) template.metadata = { ...template.metadata, annotations: { "sidecar.istio.io/inject": "false" } };
    const job = make(Job, {
      metadata: {
        name,
        namespace: target.namespace,
        labels,
        annotations: {
          [HOOK_ANNOTATION]: hook.phase,
          [HOOK_DELETE_POLICY_ANNOTATION]: deletePolicy(hook),
        },
      },
      spec: { backoffLimit: hook.backoffLimit, activeDeadlineSeconds: hook.deadlineSeconds, template },
    });
    out.push({ object: plain(job), component: key, band: "hook" });
  }
  return out;
}
