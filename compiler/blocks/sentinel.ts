/**
 * Automatic failover of a Redis store in its primary region, on the official images only:
 * - `<name>-sentinel`: three Redis Sentinels (quorum 2) that watch the members by their stable hosts
 *   (`resolve-hostnames`/`announce-hostnames`), promote a replica when the primary is down, and repoint the others;
 * - `<name>-haproxy`: two HAProxies that serve the client Service `<name>` (so clients keep their plain
 *   `redis://<name>:6379` URL) and forward to whichever member answers `role:master` to a `tcp-check` of
 *   `INFO replication`; where other regions follow the store, also the TLS port (6380) of that member, checked on 6379,
 *   which is what the `<name>-cross-region` LoadBalancer now reaches.
 * Both run under the store's ServiceAccount and labels, so the store's NetworkPolicy and mesh policy (members talk to
 * each other: Sentinel's port and the TLS port included, see `failoverPorts`) cover them.
 */
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { createHash } from "../hash.ts";
import type { StoreComponent } from "../describe/types.ts";
import type { RenderedObject } from "../model/object.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { fromSecret } from "../stores/engine.ts";
import { engineOf } from "../stores/index.ts";
import { SENTINEL_PORT } from "../stores/redis.ts";
import { QUORUM, SENTINELS, failoverContext, hasFailover, haproxyName, memberHosts, sentinelName } from "./failover.ts";
import { crossRegionTls } from "./exposure.ts";
import { objectName, selectorLabels, standardLabels } from "./naming.ts";
import { make, plain } from "./objects.ts";
import { podTemplate } from "./pod.ts";
import { disruptionBudget, headlessService } from "./service.ts";

/** The official HAProxy image (it runs as its `haproxy` user, 99). */
export const HAPROXY_IMAGE = "docker.io/library/haproxy:3.0.5";
const HAPROXY_USER = 99;
/** HAProxy's health endpoint: ready only while some member answers as the primary. */
const HAPROXY_HEALTH_PORT = 8404;
const HAPROXY_CONFIG_DIR = "/usr/local/etc/haproxy";

/** How long the sentinels wait before they call the primary down, and how long a failover may take. */
export const DOWN_AFTER_MS = 5000;
export const FAILOVER_TIMEOUT_MS = 60000;

const SENTINEL_RESOURCES = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } };
const HAPROXY_RESOURCES = { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

/** HAProxy's replicas; a rolling update surges one more (the Deployment's maxSurge). */
const HAPROXY_REPLICAS = 2;

/** The workloads failover adds to a store here (sentinels, HAProxy): replicas, per-pod resources, rolling surge. */
export function failoverWorkloads(
  target: ResolvedTarget,
  c: StoreComponent,
): { replicas: number; resources: typeof SENTINEL_RESOURCES; surge: number }[] {
  if (!hasFailover(target, c)) return [];
  return [
    { replicas: SENTINELS, resources: SENTINEL_RESOURCES, surge: 0 },
    { replicas: HAPROXY_REPLICAS, resources: HAPROXY_RESOURCES, surge: 1 },
  ];
}

/** The selector of the HAProxy pods: what the client Service and the cross-region LoadBalancer select. */
export function haproxySelector(target: ResolvedTarget, name: string): Record<string, string> {
  return { ...selectorLabels(target, name), "app.kubernetes.io/component": "haproxy" };
}

/** The password variable of a store's pods, from its Secret. */
function passwordEnv(c: StoreComponent) {
  return c.password ? [fromSecret("REDIS_PASSWORD", c.password.name, c.password.key)] : [];
}

/**
 * The sentinel's start script: find the current primary (from the other sentinels, else from the members, else pod 0
 * of the primary pod set), write a fresh configuration that monitors it, and run Sentinel on it.
 */
export function sentinelScript(target: ResolvedTarget, name: string, c: StoreComponent): string {
  const f = failoverContext(target, name, c, sentinelName(name));
  const lines = [
    "set -eu",
    ...(c.password ? ['export REDISCLI_AUTH="$REDIS_PASSWORD"'] : []),
    `self="$(hostname).${f.hostSuffix}"`,
    'master=""',
    `for s in ${f.sentinels.join(" ")}; do`,
    '  [ "$s" = "$self" ] && continue',
    `  answer="$(timeout 5 redis-cli -h "$s" -p ${SENTINEL_PORT} --raw sentinel get-master-addr-by-name ${f.master} 2>/dev/null | head -n 1 || true)"`,
    '  case "$answer" in *.svc.cluster.local) master="$answer"; break ;; esac',
    "done",
    'if [ -z "$master" ]; then',
    `  for m in ${f.members.join(" ")}; do`,
    '    if timeout 5 redis-cli -h "$m" -p 6379 --raw role 2>/dev/null | head -n 1 | grep -qx master; then master="$m"; break; fi',
    "  done",
    "fi",
    `[ -n "$master" ] || master=${f.initialPrimary}`,
    "cat > /data/sentinel.conf <<EOF",
    `port ${SENTINEL_PORT}`,
    "dir /data",
    "sentinel resolve-hostnames yes",
    "sentinel announce-hostnames yes",
    "sentinel announce-ip $self",
    `sentinel announce-port ${SENTINEL_PORT}`,
    `sentinel monitor ${f.master} $master 6379 ${QUORUM}`,
    `sentinel down-after-milliseconds ${f.master} ${DOWN_AFTER_MS}`,
    `sentinel failover-timeout ${f.master} ${FAILOVER_TIMEOUT_MS}`,
    `sentinel parallel-syncs ${f.master} 1`,
    ...(c.password
      ? [
          'requirepass "$REDIS_PASSWORD"',
          'sentinel sentinel-pass "$REDIS_PASSWORD"',
          `sentinel auth-pass ${f.master} "$REDIS_PASSWORD"`,
        ]
      : []),
    "EOF",
    'echo "monitoring $master"',
    "exec redis-sentinel /data/sentinel.conf",
  ];
  return lines.join("\n");
}

/** HAProxy's configuration: one TCP frontend per port, to the member that answers `role:master`. */
export function haproxyConfig(target: ResolvedTarget, name: string, c: StoreComponent): string {
  const members = memberHosts(target, name, c);
  const tls = crossRegionTls(target, c)?.tls.port;
  const check = (port: number) => [
    "  mode tcp",
    "  balance first",
    "  option tcp-check",
    `  tcp-check connect port ${port}`,
    ...(c.password ? ['  tcp-check send "AUTH ${REDIS_PASSWORD}\\r\\n"', "  tcp-check expect string +OK"] : []),
    '  tcp-check send "PING\\r\\n"',
    "  tcp-check expect string +PONG",
    '  tcp-check send "INFO replication\\r\\n"',
    "  tcp-check expect string role:master",
    '  tcp-check send "QUIT\\r\\n"',
    "  tcp-check expect string +OK",
    // Resolved at run time (a member's address changes when its pod moves); a member that stops being the primary has
    // its sessions closed, so clients reconnect to the new one.
    "  default-server check inter 1s fall 2 rise 2 resolvers cluster init-addr last,libc,none on-marked-down shutdown-sessions",
  ];
  const backend = (id: string, port: number) => [
    `backend ${id}`,
    ...check(6379),
    ...members.map((m, i) => `  server member-${i} ${m}:${port}`),
  ];
  return [
    "global",
    "  log stdout format raw local0 info",
    "  maxconn 4096",
    "",
    "defaults",
    "  log global",
    "  option tcplog",
    "  timeout connect 5s",
    // Redis clients hold connections open (pub/sub, blocking pops): close only idle ones after an hour.
    "  timeout client 1h",
    "  timeout server 1h",
    "  timeout check 3s",
    "",
    "resolvers cluster",
    "  parse-resolv-conf",
    "  hold valid 5s",
    "  hold obsolete 10s",
    "",
    "frontend health",
    "  mode http",
    `  bind :${HAPROXY_HEALTH_PORT}`,
    "  monitor-uri /healthz",
    "  acl primary_up nbsrv(redis) gt 0",
    "  monitor fail if !primary_up",
    "",
    "frontend redis",
    "  mode tcp",
    "  bind :6379",
    "  default_backend redis",
    "",
    ...backend("redis", 6379),
    ...(tls
      ? [
          "",
          "frontend redis-tls",
          "  mode tcp",
          `  bind :${tls.number}`,
          "  default_backend redis-tls",
          "",
          // TLS passes through to the member, which holds the store's cross-region certificate.
          ...backend("redis-tls", tls.number),
        ]
      : []),
    "",
  ].join("\n");
}

/** The sentinels' and HAProxy's objects of one store, or nothing without failover. */
export function buildSentinel(target: ResolvedTarget, key: string, c: StoreComponent): RenderedObject[] {
  if (!hasFailover(target, c)) return [];
  const name = objectName(target, key);
  const item = (object: unknown, band: RenderedObject["band"]): RenderedObject => ({
    object: plain(object),
    component: key,
    band,
  });
  const out = [...sentinelObjects(target, name, c).map((o) => item(o, "workload"))];
  out.push(...haproxyObjects(target, name, c).map((o) => item(o, "workload")));
  if (target.policy.disruptionBudgets && c.disruption !== false) {
    for (const [set, role] of [
      [sentinelName(name), "sentinel"],
      [haproxyName(name), "haproxy"],
    ]) {
      const labels = standardLabels(target, name, role);
      const budget = disruptionBudget(target, set, labels, { maxUnavailable: 1 });
      budget.spec!.selector = { matchLabels: { ...selectorLabels(target, name), "app.kubernetes.io/component": role } };
      out.push(item(budget, "scaling"));
    }
  }
  return out;
}

function sentinelObjects(target: ResolvedTarget, name: string, c: StoreComponent): unknown[] {
  const set = sentinelName(name);
  const headless = `${set}-headless`;
  const labels = standardLabels(target, name, "sentinel", c);
  const selector = { ...selectorLabels(target, name), "app.kubernetes.io/component": "sentinel" };
  const probe = { tcpSocket: { port: "sentinel" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 };
  return [
    headlessService(target, headless, labels, selector, [
      { name: "sentinel", port: SENTINEL_PORT, targetPort: "sentinel", protocol: "TCP" },
    ]),
    make(StatefulSet, {
      metadata: { name: set, namespace: target.namespace, labels },
      spec: {
        serviceName: headless,
        replicas: SENTINELS,
        // The sentinels find each other through the ones already up; none waits for another to be Ready.
        podManagementPolicy: "Parallel",
        updateStrategy: { type: "RollingUpdate" },
        selector: { matchLabels: selector },
        template: podTemplate({
          name,
          labels,
          serviceAccountName: name,
          automountToken: false,
          runAsUser: engineOf(c).runAsUser,
          // Sentinel rewrites its configuration file as it learns; the script writes a fresh one on each start.
          writablePaths: ["/data", "/tmp"],
          spread: selector,
          container: {
            name: "sentinel",
            image: c.image,
            command: ["/bin/sh", "-c", sentinelScript(target, name, c)],
            ports: [{ name: "sentinel", containerPort: SENTINEL_PORT, protocol: "TCP" }],
            env: passwordEnv(c),
            resources: SENTINEL_RESOURCES,
            readinessProbe: probe,
            livenessProbe: { ...probe, initialDelaySeconds: 30 },
          },
        }),
      },
    }),
  ];
}

function haproxyObjects(target: ResolvedTarget, name: string, c: StoreComponent): unknown[] {
  const deployment = haproxyName(name);
  const labels = standardLabels(target, name, "haproxy");
  const selector = haproxySelector(target, name);
  const config = haproxyConfig(target, name, c);
  const tls = crossRegionTls(target, c)?.tls.port;
  const template = podTemplate({
    name,
    labels,
    serviceAccountName: name,
    automountToken: false,
    runAsUser: HAPROXY_USER,
    writablePaths: ["/tmp"],
    extraVolumes: [{ name: "config", configMap: { name: deployment } }],
    extraMounts: [{ name: "config", mountPath: HAPROXY_CONFIG_DIR, readOnly: true }],
    spread: selector,
    container: {
      name: "haproxy",
      image: HAPROXY_IMAGE,
      command: ["haproxy", "-db", "-f", `${HAPROXY_CONFIG_DIR}/haproxy.cfg`],
      ports: [
        { name: "redis", containerPort: 6379, protocol: "TCP" as const },
        ...(tls ? [{ name: tls.name, containerPort: tls.number, protocol: "TCP" as const }] : []),
        { name: "health", containerPort: HAPROXY_HEALTH_PORT, protocol: "TCP" as const },
      ],
      env: passwordEnv(c),
      resources: HAPROXY_RESOURCES,
      // Ready while a primary is up; alive while HAProxy answers at all (a restart finds no primary either).
      readinessProbe: { httpGet: { path: "/healthz", port: "health" }, periodSeconds: 5, failureThreshold: 2 },
      livenessProbe: { tcpSocket: { port: "health" }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
    },
  });
  // A new configuration rolls the pods (HAProxy reads it only at start).
  template.metadata = {
    ...template.metadata,
    annotations: { "manifold.dev/config-hash": createHash("sha256").update(config).digest("hex").slice(0, 16) },
  };
  return [
    make(ConfigMap, {
      metadata: { name: deployment, namespace: target.namespace, labels },
      data: { "haproxy.cfg": config },
    }),
    make(Deployment, {
      metadata: { name: deployment, namespace: target.namespace, labels },
      spec: {
        replicas: HAPROXY_REPLICAS,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template,
      },
    }),
  ];
}
