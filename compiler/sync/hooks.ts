/**
 * The Jobs Argo CD runs around a sync, derived from a platform description:
 *
 * - `migrate`: schema migrations, a Sync-phase hook in its own wave, after
 *   the databases it names and before every component that uses them. It
 *   runs wherever one of them is writable: in the primary region for
 *   replicated engines (the replicas elsewhere receive the new schema through
 *   replication), and in every region for a stand-alone server per region. (A
 *   PreSync hook would run before anything of the Application exists, so on
 *   an empty cluster it would find no database, no Secret and no
 *   ServiceAccount, and the first sync would fail.)
 * - `smoke-test`: a PostSync hook that calls every exposed service's health
 *   endpoint once all resources are Healthy.
 * - `notify-failure`: a SyncFail hook that posts to the platform's webhook.
 */
import type { Component, PlatformDescription, Resources } from "../describe/types.ts";
import type { HookSpec } from "../model/hook.ts";
import { writableIn } from "../stores/writable.ts";
import { BEFORE_HOOK_CREATION, HOOK_SUCCEEDED } from "./annotations.ts";

/** The names hooks render under; no component may take one. */
export const HOOK_NAMES = ["migrate", "smoke-test", "notify-failure"] as const;

/** The delete policy of each hook phase: keep a failed run for inspection, replace it on the next sync. */
export function deletePolicy(hook: Pick<HookSpec, "phase">): string {
  return hook.phase === "SyncFail" ? BEFORE_HOOK_CREATION : `${BEFORE_HOOK_CREATION},${HOOK_SUCCEEDED}`;
}

export { CURL_IMAGE } from "../stores/tools.ts";
import { CURL_IMAGE } from "../stores/tools.ts";

const SMALL: Resources = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } };

function healthPath(c: Component): string {
  if (c.type !== "service") return "/";
  const readiness = c.probes?.readiness;
  const liveness = c.probes?.liveness;
  return (readiness ? readiness.path : undefined) ?? (liveness ? liveness.path : undefined) ?? "/health";
}

/**
 * The services reachable from outside: those with `expose`, and those a platform ingress routes to, with the port used.
 */
export function exposedServices(
  platform: Pick<PlatformDescription, "ingresses">,
  components: Record<string, Component>,
): Map<string, string | undefined> {
  const exposed = new Map<string, string | undefined>();
  for (const [key, c] of Object.entries(components))
    if (c.type === "service" && c.expose) exposed.set(key, c.expose.port);
  for (const ingress of Object.values(platform.ingresses ?? {})) {
    for (const rule of ingress.rules)
      for (const path of rule.paths) if (!exposed.has(path.component)) exposed.set(path.component, path.port);
  }
  return exposed;
}

/** The smoke test's URLs: each exposed service's readiness endpoint, in-cluster. */
export function smokeTestUrls(
  exposed: Map<string, string | undefined>,
  components: Record<string, Component>,
  serviceName: (key: string) => string,
): string[] {
  return [...exposed.keys()].sort().flatMap((key) => {
    const c = components[key];
    if (!c || c.type !== "service") return [];
    const portName = exposed.get(key) ?? Object.keys(c.ports)[0];
    return [`http://${serviceName(key)}:${c.ports[portName]}${healthPath(c)}`];
  });
}

/** The hooks a platform gets in one target, keyed by name. */
export function platformHooks(
  platform: PlatformDescription,
  components: Record<string, Component>,
  where: { serviceName: (key: string) => string; context: string; primary: boolean },
): Record<string, HookSpec> {
  const { serviceName, context } = where;
  const hooks: Record<string, HookSpec> = {};
  const m = platform.migrations;
  if (m) {
    hooks.migrate = {
      phase: "Sync",
      image: m.image,
      command: m.command,
      args: m.args,
      env: m.env ?? {},
      dependsOn: m.dependsOn,
      gates: true,
      resources: m.resources ?? SMALL,
      backoffLimit: m.backoffLimit ?? 2,
      deadlineSeconds: m.deadlineSeconds ?? 600,
      externalHttps: false,
      render: m.dependsOn.some((dep) => {
        const c = components[dep];
        return c?.type === "store" && writableIn(c, where.primary);
      }),
    };
  }
  const exposedPorts = exposedServices(platform, components);
  const urls = smokeTestUrls(exposedPorts, components, serviceName);
  if (platform.smokeTest !== false && urls.length) {
    const exposed = [...exposedPorts.keys()].filter((k) => components[k]?.type === "service").sort();
    hooks["smoke-test"] = {
      phase: "PostSync",
      image: platform.smokeTest?.image ?? CURL_IMAGE,
      command: ["/bin/sh", "-c"],
      args: [
        `set -e\nfor url in ${urls.join(" ")}; do\n  echo "GET $url"\n  curl --fail --silent --show-error --max-time 10 --retry 6 --retry-delay 5 --retry-all-errors "$url" > /dev/null\ndone\necho "all ${urls.length} health endpoints answered"\n`,
      ],
      env: {},
      dependsOn: exposed,
      gates: false,
      resources: SMALL,
      backoffLimit: 1,
      deadlineSeconds: platform.smokeTest?.deadlineSeconds ?? 300,
      externalHttps: false,
      render: true,
    };
  }
  if (platform.notify) {
    const text = JSON.stringify({ text: `Argo CD sync failed: ${context}` });
    hooks["notify-failure"] = {
      phase: "SyncFail",
      image: platform.notify.image ?? CURL_IMAGE,
      command: ["/bin/sh", "-c"],
      args: [
        `curl --fail --silent --show-error --max-time 10 --retry 3 -X POST -H 'Content-Type: application/json' --data '${text}' "$WEBHOOK_URL"\n`,
      ],
      env: { WEBHOOK_URL: platform.notify.webhook },
      dependsOn: [],
      gates: false,
      resources: SMALL,
      backoffLimit: 1,
      deadlineSeconds: 120,
      externalHttps: true,
      render: true,
    };
  }
  return hooks;
}
