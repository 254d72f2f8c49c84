import { beforeAll, describe, expect, it } from "vitest";
import { platform, redis, secretRef, service, url } from "../compiler/index.ts";
import type { CompileResult } from "../compiler/compile.ts";
import { compilePlatforms, objectIn, objectsOf } from "./helpers/memory.ts";
import type { Parsed } from "./helpers/parsed.ts";
import { exporterOf, exportersOf } from "../compiler/blocks/exporters.ts";
import type { ResolvedTarget } from "../compiler/model/target.ts";

// Redis in three shapes: replicated with the default persistence (failover in the primary region), AOF only, and a
// single RDB-only instance. A meshed platform, so the policies and the mesh both carry the new paths.
const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const probes = { liveness: { path: "/health" }, readiness: { path: "/ready" } };
const kv = platform({
  name: "kv",
  namespace: "kv",
  namePrefix: "kv-",
  config: { CACHE_URL: url("cache", "redis") },
  components: {
    cache: redis({ replicas: 3, storage: "2Gi", password: secretRef("kv-cache", "password"), resources }),
    log: redis({ replicas: 2, storage: "1Gi", persistence: "aof", resources }),
    scratch: redis({
      replicas: 1,
      storage: "1Gi",
      persistence: "rdb",
      resources,
      waive: { "min-replicas": "scratch" },
    }),
    api: service({
      image: "docker.io/kv/api:1.0.0",
      ports: { http: 8080 },
      replicas: 2,
      resources,
      probes,
      dependsOn: ["cache", "log", "scratch"],
    }),
  },
  mesh: { mtls: "STRICT" },
});

const PRIMARY = "kv/production/us-west-2";
const SECONDARY = "kv/production/us-east-1";
let result: CompileResult;
beforeAll(async () => {
  result = await compilePlatforms([kv]);
});
const get = (target: string, kind: string, name: string): Parsed => objectIn(result, target, kind, name);
const names = (target: string, kind: string): string[] => objectsOf(result, target, kind).map((o) => o.metadata.name);
const script = (o: Parsed, container = 0): string => o.spec.template.spec.containers[container].command[2];
/** The redis-server arguments of a member: its args, or the words of its start script's `set --` line. */
const serverArgs = (o: Parsed): string[] => {
  const c = o.spec.template.spec.containers[0];
  if (c.args) return c.args;
  const line: string = script(o)
    .split("\n")
    .find((l: string) => l.startsWith("set -- "))!;
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(2);
};
const restricted = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

describe("failover in the primary region: Sentinel, with HAProxy in front", () => {
  it("three sentinels (quorum 2) watch the members by their stable hosts", () => {
    const sentinels = get(PRIMARY, "StatefulSet", "kv-cache-sentinel");
    expect(sentinels.spec.replicas).toBe(3);
    expect(sentinels.spec.podManagementPolicy).toBe("Parallel");
    expect(sentinels.spec.template.spec.containers[0].image).toBe("docker.io/library/redis:7.4.1");
    const s = script(sentinels);
    expect(s).toContain("sentinel resolve-hostnames yes");
    expect(s).toContain("sentinel announce-hostnames yes");
    expect(s).toContain("sentinel announce-ip $self");
    expect(s).toContain("sentinel monitor kv-cache $master 6379 2");
    expect(s).toContain('sentinel auth-pass kv-cache "$REDIS_PASSWORD"');
    expect(s).toContain("exec redis-sentinel /data/sentinel.conf");
    // Until a sentinel knows the primary, pod 0 of the primary pod set is it.
    expect(s).toContain("master=kv-cache-primary-0.kv-cache-primary-headless.kv.svc.cluster.local");
    expect(get(PRIMARY, "Service", "kv-cache-sentinel-headless").spec).toMatchObject({
      clusterIP: "None",
      ports: [{ name: "sentinel", port: 26379 }],
    });
    expect(get(PRIMARY, "PodDisruptionBudget", "kv-cache-sentinel").spec).toMatchObject({ maxUnavailable: 1 });
    expect(sentinels.spec.template.spec.containers[0].securityContext).toEqual(restricted);
  });

  it("each member asks the sentinels who the primary is, announces its host, and starts as its replica or as it", () => {
    for (const set of ["kv-cache-primary", "kv-cache-replica"]) {
      const member = get(PRIMARY, "StatefulSet", set);
      const s = script(member);
      expect(s).toContain(`self="$(hostname).${set}-headless.kv.svc.cluster.local"`);
      expect(s).toContain("sentinel get-master-addr-by-name kv-cache");
      expect(s).toContain('set -- "$@" --replicaof "$master" 6379');
      expect(serverArgs(member)).toContain("--replica-announce-ip");
      // A member's password: requirepass for clients, masterauth towards whichever member is the primary.
      expect(s).toContain('--requirepass "$REDIS_PASSWORD" --masterauth "$REDIS_PASSWORD"');
    }
    expect(get(PRIMARY, "StatefulSet", "kv-cache-replica").spec.replicas).toBe(2);
  });

  it("HAProxy serves the client Service and forwards to the member that answers role:master", () => {
    expect(get(PRIMARY, "Service", "kv-cache").spec.selector).toEqual({
      "app.kubernetes.io/name": "kv-cache",
      "app.kubernetes.io/part-of": "kv",
      "app.kubernetes.io/component": "haproxy",
    });
    // The apps keep their plain URL.
    expect(get(PRIMARY, "ConfigMap", "kv-config").data.CACHE_URL).toBe("redis://kv-cache:6379");
    const cfg: string = get(PRIMARY, "ConfigMap", "kv-cache-haproxy").data["haproxy.cfg"];
    expect(cfg).toContain('tcp-check send "AUTH ${REDIS_PASSWORD}\\r\\n"');
    expect(cfg).toContain('tcp-check send "INFO replication\\r\\n"');
    expect(cfg).toContain("tcp-check expect string role:master");
    expect(cfg).toContain("on-marked-down shutdown-sessions");
    const servers = cfg.split("\n").filter((l) => l.trim().startsWith("server "));
    expect(servers.map((l) => l.trim())).toEqual([
      "server member-0 kv-cache-primary-0.kv-cache-primary-headless.kv.svc.cluster.local:6379",
      "server member-1 kv-cache-replica-0.kv-cache-replica-headless.kv.svc.cluster.local:6379",
      "server member-2 kv-cache-replica-1.kv-cache-replica-headless.kv.svc.cluster.local:6379",
      "server member-0 kv-cache-primary-0.kv-cache-primary-headless.kv.svc.cluster.local:6380",
      "server member-1 kv-cache-replica-0.kv-cache-replica-headless.kv.svc.cluster.local:6380",
      "server member-2 kv-cache-replica-1.kv-cache-replica-headless.kv.svc.cluster.local:6380",
    ]);
    // The TLS frontend passes other regions' TLS through to the primary, checked in plain text on 6379.
    const tlsBackend = cfg.slice(cfg.indexOf("backend redis-tls"));
    expect(tlsBackend).toContain("tcp-check connect port 6379");
    const haproxy = get(PRIMARY, "Deployment", "kv-cache-haproxy");
    expect(haproxy.spec.replicas).toBe(2);
    const c = haproxy.spec.template.spec.containers[0];
    expect(c.image).toMatch(/^docker\.io\/library\/haproxy:\d+\.\d+\.\d+$/);
    expect(c.securityContext).toEqual(restricted);
    expect(haproxy.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 99 });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "health" });
    expect(c.ports.map((p: Parsed) => p.containerPort)).toEqual([6379, 6380, 8404]);
    expect(haproxy.spec.template.metadata.annotations["manifold.dev/config-hash"]).toMatch(/^[0-9a-f]{16}$/);
    expect(get(PRIMARY, "PodDisruptionBudget", "kv-cache-haproxy").spec).toMatchObject({ maxUnavailable: 1 });
    // The other regions reach the current primary through HAProxy.
    expect(get(PRIMARY, "Service", "kv-cache-cross-region").spec.selector).toEqual(
      get(PRIMARY, "Service", "kv-cache").spec.selector,
    );
  });

  it("the policies open Sentinel's port and the TLS port among the store's pods, in both layers", () => {
    const policy = get(PRIMARY, "NetworkPolicy", "kv-cache").spec;
    const self = (r: Parsed) =>
      JSON.stringify(r.from ?? r.to) ===
      JSON.stringify([
        { podSelector: { matchLabels: { "app.kubernetes.io/name": "kv-cache", "app.kubernetes.io/part-of": "kv" } } },
      ]);
    for (const side of [policy.ingress, policy.egress])
      expect(
        side
          .find(self)
          .ports.map((p: Parsed) => p.port)
          .sort(),
      ).toEqual([26379, 6379, 6380]);
    const authz = get(PRIMARY, "AuthorizationPolicy", "kv-cache").spec.rules;
    expect(authz).toContainEqual({
      from: [{ source: { principals: ["cluster.local/ns/kv/sa/kv-cache"] } }],
      to: [{ operation: { ports: ["6379", "26379", "6380"] } }],
    });
    // The mesh encrypts only ports a Service declares: the members' headless Services declare the TLS port.
    expect(get(PRIMARY, "Service", "kv-cache-replica-headless").spec.ports.map((p: Parsed) => p.port)).toEqual([
      6379, 6380,
    ]);
  });

  it("no failover where it cannot help: the other regions' replicas, a single instance", () => {
    expect(names(SECONDARY, "StatefulSet").filter((n) => n.startsWith("kv-cache"))).toEqual(["kv-cache-replica"]);
    expect(names(SECONDARY, "Deployment")).not.toContain("kv-cache-haproxy");
    expect(names(PRIMARY, "StatefulSet")).not.toContain("kv-scratch-sentinel");
    expect(get(PRIMARY, "Service", "kv-scratch").spec.selector["app.kubernetes.io/component"]).toBe("primary");
  });

  it("the reachability rule finds every path allowed", () => {
    const errors = result.findings.filter((f) => f.rule === "reachability" && f.severity === "error");
    expect(errors).toEqual([]);
    const redisWarnings = result.findings.filter(
      (f) => f.rule === "reachability" && /sentinel|haproxy/.test(f.message) && !f.message.includes("whole ConfigMap"),
    );
    expect(redisWarnings).toEqual([]);
  });
});

describe("persistence from the description", () => {
  const persistence = (o: Parsed) => {
    const a = serverArgs(o);
    const at = (flag: string) => (a.includes(flag) ? a[a.indexOf(flag) + 1] : undefined);
    return { appendonly: at("--appendonly"), appendfsync: at("--appendfsync"), save: at("--save") };
  };
  it("aof+rdb by default, aof or rdb when the description says so", () => {
    expect(persistence(get(PRIMARY, "StatefulSet", "kv-cache-primary"))).toEqual({
      appendonly: "yes",
      appendfsync: "everysec",
      save: "3600 1 300 100 60 10000",
    });
    // An empty `save` turns RDB snapshots off.
    expect(persistence(get(PRIMARY, "StatefulSet", "kv-log-primary"))).toEqual({
      appendonly: "yes",
      appendfsync: "everysec",
      save: "",
    });
    expect(persistence(get(SECONDARY, "StatefulSet", "kv-log-replica"))).toMatchObject({ save: "" });
    expect(persistence(get(PRIMARY, "StatefulSet", "kv-scratch-primary"))).toEqual({
      appendonly: "no",
      appendfsync: undefined,
      save: "3600 1 300 100 60 10000",
    });
  });

  it("refuses a persistence on another engine", async () => {
    const { qdrant } = await import("../compiler/index.ts");
    const bad = platform({
      name: "bad",
      namespace: "bad",
      components: { v: qdrant({ replicas: 1, storage: "1Gi", persistence: "aof", resources }) },
    });
    await expect(compilePlatforms([bad])).rejects.toThrow(/persistence applies to redis only, not qdrant/);
  });
});

describe("restore in one command", () => {
  it("a suspended CronJob downloads the latest snapshot and copies it into the current primary", () => {
    const cron = get(PRIMARY, "CronJob", "kv-cache-restore");
    expect(cron.spec.suspend).toBe(true);
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.initContainers[0].name).toBe("download");
    expect(pod.initContainers[0].command[2]).toContain("sort | tail -n 1");
    const restore = pod.containers[0];
    expect(restore.image).toBe("docker.io/library/redis:7.4.1");
    const s: string = restore.command[2];
    // A private server loads the snapshot; MIGRATE copies every key of every database, TTLs included, through the
    // client Service (HAProxy, so whichever member is the primary).
    expect(s).toContain("--dir /backup --dbfilename dump.rdb --appendonly no");
    expect(s).toContain("--bind 127.0.0.1");
    expect(s).toContain('migrate kv-cache.kv.svc 6379 "" "$0" 60000 COPY REPLACE AUTH "$REDIS_PASSWORD" KEYS "$@"');
    expect(s).toContain("info keyspace");
    expect(restore.env).toEqual([
      { name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: "kv-cache", key: "password" } } },
    ]);
    // It holds the data set in memory: the store's own resources.
    expect(restore.resources).toEqual(resources);
    expect(restore.securityContext).toEqual(restricted);
    // Only where the store is writable: the other regions' replicas follow the primary region.
    expect(names(SECONDARY, "CronJob")).toEqual(["kv-cache-backup", "kv-log-backup", "kv-scratch-backup"]);
    // Without a password, no AUTH.
    const plain: string = get(PRIMARY, "CronJob", "kv-log-restore").spec.jobTemplate.spec.template.spec.containers[0]
      .command[2];
    expect(plain).toContain("COPY REPLACE KEYS");
    expect(plain).not.toContain("AUTH");
  });

  it("the quota leaves room for the restore's memory, the sentinels, HAProxy's surge and the exporters", () => {
    const hard = get(PRIMARY, "ResourceQuota", "kv").spec.hard;
    const pods = (kind: string) => objectsOf(result, PRIMARY, kind).reduce((n, o) => n + (o.spec.replicas ?? 0), 0);
    // Members 3 + 2 + 1, sentinels 3 + 3, HAProxy 2 + 2, the api 2; plus one surge, and each store's two Jobs.
    expect(pods("StatefulSet") + pods("Deployment")).toBe(18);
    expect(Number(hard.pods)).toBeGreaterThanOrEqual(18 + 1 + 6);
  });
});

describe("redis_exporter on every member", () => {
  it("a restricted sidecar that reads the password from the store's Secret", () => {
    for (const [target, set] of [
      [PRIMARY, "kv-cache-primary"],
      [PRIMARY, "kv-cache-replica"],
      [SECONDARY, "kv-cache-replica"],
    ]) {
      const pod = get(target, "StatefulSet", set).spec.template;
      expect(pod.metadata.labels["manifold.dev/exporter"]).toBe("true");
      const exporter = pod.spec.containers.find((c: Parsed) => c.name === "redis-exporter");
      expect(exporter.image).toMatch(/^docker\.io\/oliver006\/redis_exporter:v\d+\.\d+\.\d+$/);
      expect(exporter.securityContext).toEqual(restricted);
      expect(exporter.env).toContainEqual({
        name: "REDIS_PASSWORD",
        valueFrom: { secretKeyRef: { name: "kv-cache", key: "password" } },
      });
      expect(exporter.env).toContainEqual({ name: "REDIS_ADDR", value: "redis://localhost:6379" });
      expect(exporter.ports).toEqual([{ name: "metrics", containerPort: 9121, protocol: "TCP" }]);
    }
    // The other regions' replicas are never the primary region's Sentinels' to promote.
    const remote = serverArgs(get(SECONDARY, "StatefulSet", "kv-cache-replica"));
    expect(remote.slice(remote.indexOf("--replica-priority"), remote.indexOf("--replica-priority") + 4)).toEqual([
      "--replica-priority",
      "0",
      "--replica-announced",
      "no",
    ]);
    // Sentinels and HAProxy carry no exporter.
    expect(get(PRIMARY, "StatefulSet", "kv-cache-sentinel").spec.template.metadata.labels).not.toHaveProperty(
      "manifold.dev/exporter",
    );
  });

  it("a PodMonitor on the members, scraped by the cluster's Prometheus from outside the STRICT mesh", () => {
    // No Prometheus of its own: the cluster's scrapes in plain text, so no Service with Istio's certificates.
    expect(objectsOf(result, PRIMARY, "ServiceMonitor").map((m) => m.metadata.name)).not.toContain("kv-cache-metrics");
    const monitor = get(PRIMARY, "PodMonitor", "kv-cache");
    expect(monitor.spec.selector.matchLabels).toMatchObject({
      "app.kubernetes.io/name": "kv-cache",
      "manifold.dev/exporter": "true",
    });
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: "metrics", path: "/metrics", interval: "30s" }]);
    // The scraper may reach the exporter, in both layers: the mesh leaves the port PERMISSIVE, for callers without a
    // mesh identity; the NetworkPolicy admits only the monitoring namespace.
    const ingress = get(PRIMARY, "NetworkPolicy", "kv-cache").spec.ingress;
    expect(ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
      ports: [{ protocol: "TCP", port: 9121 }],
    });
    const rules = get(PRIMARY, "AuthorizationPolicy", "kv-cache").spec.rules;
    expect(rules).toContainEqual({
      from: [{ source: { notPrincipals: ["*"] } }],
      to: [{ operation: { ports: ["9121"] } }],
    });
    expect(get(PRIMARY, "PeerAuthentication", "kv-cache").spec.portLevelMtls["9121"]).toEqual({ mode: "PERMISSIVE" });
  });

  it("the exporter registry lists redis_exporter's metrics where a Redis store runs, and only there", () => {
    const target = (components: Record<string, unknown>) => ({ components }) as unknown as ResolvedTarget;
    const withRedis = exportersOf(target({ cache: redis({ replicas: 2, storage: "1Gi", resources }) }));
    for (const metric of [
      "redis_up",
      "redis_connected_slaves",
      "redis_master_link_up",
      "redis_master_last_io_seconds_ago",
      "redis_memory_used_bytes",
      "redis_memory_max_bytes",
      "redis_rdb_last_save_timestamp_seconds",
    ])
      expect(exporterOf(withRedis, metric)?.name, metric).toBe("redis-exporter");
    const without = exportersOf(target({ api: kv.components.api }));
    expect(exporterOf(without, "redis_up")).toBeUndefined();
  });
});
