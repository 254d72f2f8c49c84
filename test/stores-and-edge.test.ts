/**
 * Building blocks for messaging, data stores and the edge: NATS, the official
 * postgres flavor, init scripts, store load balancers, platform ingresses,
 * internet egress, web frontends, the Pub/Sub emulator, and the config,
 * address and ingress-url references.
 */
import { describe, expect, it } from "vitest";
import {
  address,
  configRef,
  ingressUrl,
  nats,
  platform,
  postgres,
  pubsubEmulator,
  qdrant,
  redis,
  secretRef,
  service,
  webFrontend,
} from "../compiler/index.ts";
import type { Component, EnvValue, IngressDescription, PlatformDescription } from "../compiler/index.ts";
import { ManifoldError } from "../compiler/errors.ts";
import { compilePlatforms, objectsOf } from "./helpers/memory.ts";
import type { Parsed } from "./helpers/parsed.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { WAVE_ANNOTATION } from "../compiler/sync/annotations.ts";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IServicePort } from "kubernetes-models/v1/ServicePort";

const small = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const api = (extra: Partial<Parameters<typeof service>[0]> = {}) =>
  service({ image: "docker.io/demo/api:1.0.0", ports: { http: 8080 }, replicas: 2, resources: small, ...extra });

function demo(components: Record<string, Component>, extra: Partial<PlatformDescription> = {}): PlatformDescription {
  // A platform with a relational database must declare its migrations.
  const relational = Object.keys(components).filter(
    (k) => components[k].type === "store" && (components[k] as { engine: string }).engine === "postgres",
  );
  const migrations = relational.length
    ? { image: "docker.io/demo/migrate:1.0.0", command: ["migrate"], dependsOn: relational }
    : undefined;
  // Production policy asks for two replicas; these tests look at single-replica building blocks.
  const waived = Object.fromEntries(
    Object.entries(components).map(([k, c]) => [
      k,
      c.replicas < 2 ? { ...c, waive: { "min-replicas": "a building-block test runs one replica", ...c.waive } } : c,
    ]),
  ) as Record<string, Component>;
  return platform({ name: "demo", namespace: "demo", components: waived, migrations, ...extra });
}

/** The error a compile fails with, formatted with file, field and target. */
async function failure(p: PlatformDescription): Promise<string> {
  try {
    await compilePlatforms([p]);
  } catch (e) {
    if (e instanceof ManifoldError) return [e, ...e.others].map((x) => x.format()).join("\n");
    throw e;
  }
  throw new Error("compile succeeded");
}

const get = (objects: Parsed[], name: string) => objects.find((o) => o.metadata.name === name);

describe("NATS store", () => {
  it("one replica is a single JetStream server; three form a cluster routed through the headless Service", async () => {
    const result = await compilePlatforms([
      demo(
        { bus: nats({ replicas: 1, storage: "1Gi", resources: small }) },
        { environments: { staging: { components: { bus: { replicas: 3 } } } } },
      ),
    ]);
    const single = objectsOf(result, "demo/dev/us-west-2", "StatefulSet")[0].spec.template.spec.containers[0];
    expect(single.command).toEqual(["nats-server"]);
    expect(single.args).toContain("--jetstream");
    expect(single.args.some((a: string) => a.startsWith("--routes"))).toBe(false);
    const set = get(objectsOf(result, "demo/staging/us-east-1", "StatefulSet"), "bus");
    expect(set.spec.replicas).toBe(3);
    expect(set.spec.template.spec.containers[0].args).toContain(
      "--routes=nats://bus-0.bus-headless.demo.svc:6222,nats://bus-1.bus-headless.demo.svc:6222,nats://bus-2.bus-headless.demo.svc:6222",
    );
    expect(set.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("1Gi");
    expect(
      get(objectsOf(result, "demo/staging/us-east-1", "Service"), "bus").spec.ports.map((p: IServicePort) => p.port),
    ).toEqual([4222, 6222, 8222]);
  });

  it("a password becomes the client token, read from the secret", async () => {
    const result = await compilePlatforms([
      demo({ bus: nats({ replicas: 1, storage: "1Gi", resources: small, password: secretRef("bus", "token") }) }),
    ]);
    const c = objectsOf(result, "demo/dev/us-west-2", "StatefulSet")[0].spec.template.spec.containers[0];
    expect(c.args).toContain("--auth=$(NATS_TOKEN)");
    expect(c.env).toContainEqual({ name: "NATS_TOKEN", valueFrom: { secretKeyRef: { name: "bus", key: "token" } } });
  });
});

describe("postgres flavors", () => {
  it("official: POSTGRES_* variables, PGDATA under the volume, one standalone server in every region, no replication secret", async () => {
    const result = await compilePlatforms([
      demo(
        {
          db: postgres({
            flavor: "official",
            image: "docker.io/supabase/postgres:15.1.0.117",
            replicas: 1,
            storage: "1Gi",
            database: "app",
            user: "app",
            password: secretRef("db", "password"),
            resources: small,
          }),
        },
        {
          environments: { staging: { components: { db: { replicas: 1 } } } },
        },
      ),
    ]);
    for (const id of ["demo/staging/us-west-2", "demo/staging/us-east-1"]) {
      const [set] = objectsOf(result, id, "StatefulSet");
      expect(set.metadata.name).toBe("db");
      const env = Object.fromEntries(
        set.spec.template.spec.containers[0].env.map((e: IEnvVar) => [e.name, e.value ?? e.valueFrom]),
      );
      expect(env).toEqual({
        PGDATA: "/var/lib/postgresql/data",
        POSTGRES_DB: "app",
        POSTGRES_USER: "app",
        POSTGRES_PASSWORD: { secretKeyRef: { name: "db", key: "password" } },
      });
      expect(get(objectsOf(result, id, "Service"), "db").spec.type).toBe("ClusterIP");
      expect(
        get(objectsOf(result, id, "ExternalSecret"), "db").spec.data.map((d: { secretKey: string }) => d.secretKey),
      ).toEqual(["password"]);
    }
  });

  it("official with replicas above 1 is an error naming the component; the default runs on CloudNativePG", async () => {
    expect(
      await failure(demo({ db: postgres({ flavor: "official", replicas: 2, storage: "1Gi", resources: small }) })),
    ).toMatch(/components\.db: flavor "official" runs one standalone server per region/);
    const result = await compilePlatforms([demo({ db: postgres({ replicas: 1, storage: "1Gi", resources: small }) })]);
    expect(objectsOf(result, "demo/dev/us-west-2", "StatefulSet")).toEqual([]);
    const [cluster] = objectsOf(result, "demo/dev/us-west-2", "Cluster");
    expect(cluster.spec).toMatchObject({
      instances: 1,
      imageName: "ghcr.io/cloudnative-pg/postgresql:16.4",
      enablePDB: false,
      bootstrap: { initdb: { database: "app", owner: "app", secret: { name: "db-app" } } },
    });
    const [replica] = objectsOf(result, "demo/staging/us-east-1", "Cluster");
    expect(replica.spec.bootstrap).toEqual({ recovery: { source: "db-us-west-2" } });
    expect(replica.spec.replica).toEqual({ self: "db-us-east-1", primary: "db-us-west-2", source: "db-us-west-2" });
  });

  it("flavor on another engine is an error", async () => {
    expect(
      await failure(demo({ cache: redis({ replicas: 1, storage: "1Gi", resources: small, flavor: "official" }) })),
    ).toMatch(/components\.cache\.flavor: flavor applies to postgres only/);
  });
});

describe("init scripts", () => {
  it("render a ConfigMap that CloudNativePG runs after initdb", async () => {
    const result = await compilePlatforms([
      demo({
        db: postgres({ replicas: 1, storage: "1Gi", resources: small, initScripts: { "01-init.sql": "SELECT 1;" } }),
      }),
    ]);
    const id = "demo/dev/us-west-2";
    expect(get(objectsOf(result, id, "ConfigMap"), "db-init").data).toEqual({ "01-init.sql": "SELECT 1;\n" });
    expect(objectsOf(result, id, "Cluster")[0].spec.bootstrap.initdb.postInitApplicationSQLRefs).toEqual({
      configMapRefs: [{ name: "db-init", key: "01-init.sql" }],
    });
  });

  it("render a ConfigMap mounted at the official image's init directory", async () => {
    const result = await compilePlatforms([
      demo(
        {
          db: postgres({
            flavor: "official",
            replicas: 1,
            storage: "1Gi",
            resources: small,
            initScripts: { "01-init.sql": "SELECT 1;" },
          }),
        },
        { environments: { staging: { components: { db: { replicas: 1 } } } } },
      ),
    ]);
    const id = "demo/dev/us-west-2";
    expect(get(objectsOf(result, id, "ConfigMap"), "db-init").data).toEqual({ "01-init.sql": "SELECT 1;\n" });
    const pod = objectsOf(result, id, "StatefulSet")[0].spec.template.spec;
    expect(pod.containers[0].volumeMounts).toContainEqual({
      name: "init-scripts",
      mountPath: "/docker-entrypoint-initdb.d",
      readOnly: true,
    });
  });

  it("are an error on an engine without an init directory, and file names are checked", async () => {
    expect(
      await failure(
        demo({ cache: redis({ replicas: 1, storage: "1Gi", resources: small, initScripts: { "a.sql": "x" } }) }),
      ),
    ).toMatch(/components\.cache\.initScripts: engine "redis" runs no init scripts/);
    expect(
      await failure(
        demo({ db: postgres({ replicas: 1, storage: "1Gi", resources: small, initScripts: { "a.txt": "x" } }) }),
      ),
    ).toMatch(/initScripts\.a\.txt: must be a script file name/);
  });
});

describe("store load balancers", () => {
  it("internal by default, restricted to its source ranges, and the NetworkPolicy admits the same ranges", async () => {
    const result = await compilePlatforms([
      demo({
        vec: qdrant({ replicas: 1, storage: "1Gi", resources: small, loadBalancer: { sourceRanges: ["10.1.0.0/16"] } }),
      }),
    ]);
    const id = "demo/production/us-west-2";
    const lb = get(objectsOf(result, id, "Service"), "vec-external");
    expect(lb.spec).toMatchObject({
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      loadBalancerSourceRanges: ["10.1.0.0/16"],
      ports: [{ name: "http", port: 6333 }],
    });
    expect(lb.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]).toBe("true");
    expect(get(objectsOf(result, id, "NetworkPolicy"), "vec").spec.ingress).toContainEqual({
      from: [{ ipBlock: { cidr: "10.1.0.0/16" } }],
      ports: [{ protocol: "TCP", port: 6333 }],
    });
    // Argo CD waits for a LoadBalancer's address; it syncs after the workloads so it never holds them up.
    const wave = (o: KubeObject) => Number(o.metadata.annotations?.[WAVE_ANNOTATION]);
    expect(wave(lb)).toBeGreaterThan(wave(get(objectsOf(result, id, "StatefulSet"), "vec")));
  });

  it("an external one has no internal annotations; an unknown port is an error", async () => {
    const result = await compilePlatforms([
      demo({
        vec: qdrant({
          replicas: 1,
          storage: "1Gi",
          resources: small,
          loadBalancer: { internal: false, port: "grpc", sourceRanges: ["203.0.113.0/24"] },
        }),
      }),
    ]);
    const lb = get(objectsOf(result, "demo/dev/us-west-2", "Service"), "vec-external");
    expect(lb.metadata.annotations?.["service.beta.kubernetes.io/aws-load-balancer-internal"]).toBeUndefined();
    expect(lb.spec.ports[0].port).toBe(6334);
    expect(
      await failure(
        demo({
          vec: qdrant({
            replicas: 1,
            storage: "1Gi",
            resources: small,
            loadBalancer: { port: "nope", sourceRanges: ["10.0.0.0/8"] },
          }),
        }),
      ),
    ).toMatch(/loadBalancer\.port "nope" is not a port of qdrant/);
  });
});

describe("platform ingresses", () => {
  const ingress = (rules: IngressDescription["rules"], extra: Partial<IngressDescription> = {}) => ({
    edge: { rules, ...extra },
  });

  it("route several hosts and paths under the region's domain and the global one, with one cert-manager certificate", async () => {
    const result = await compilePlatforms([
      demo(
        { api: api(), web: api({ image: "docker.io/demo/web:1.0.0", ports: { web: 3000 } }) },
        {
          ingresses: ingress(
            [
              { host: "demo", paths: [{ path: "/api", component: "api" }, { component: "web" }] },
              { host: "api.demo", paths: [{ component: "api" }] },
            ],
            // any ClusterIssuer the cluster layer renders (issuer-refs refuses one it does not): here its internal CA
            { issuer: "manifold-cross-region-ca" },
          ),
        },
      ),
    ]);
    const id = "demo/production/us-east-1";
    const [object] = objectsOf(result, id, "Ingress");
    expect(object.metadata.name).toBe("edge");
    expect(object.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("manifold-cross-region-ca");
    // Production serves every host under its region's name and its global name (a latency record per region).
    expect(object.spec.tls).toEqual([
      {
        hosts: [
          "demo.us-east-1.example.com",
          "demo.example.com",
          "api.demo.us-east-1.example.com",
          "api.demo.example.com",
        ],
        secretName: "edge-tls",
      },
    ]);
    expect(
      object.spec.rules[0].http.paths.map((p: Parsed) => [p.path, p.backend.service.name, p.backend.service.port.name]),
    ).toEqual([
      ["/api", "api", "http"],
      ["/", "web", "web"],
    ]);
    const web = get(objectsOf(result, id, "NetworkPolicy"), "web");
    expect(web.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
      ports: [{ protocol: "TCP", port: 3000 }],
    });
  });

  it("routing to an unknown component, a store or an unknown port is an error naming the field", async () => {
    expect(
      await failure(demo({ api: api() }, { ingresses: ingress([{ host: "demo", paths: [{ component: "nope" }] }]) })),
    ).toMatch(/ingresses\.edge\.rules\[0\]\.paths\[0\]\.component: routes to unknown component "nope"/);
    expect(
      await failure(
        demo(
          { api: api(), db: redis({ replicas: 1, storage: "1Gi", resources: small }) },
          { ingresses: ingress([{ host: "demo", paths: [{ component: "db" }] }]) },
        ),
      ),
    ).toMatch(/which is a store/);
    expect(
      await failure(
        demo({ api: api() }, { ingresses: ingress([{ host: "demo", paths: [{ component: "api", port: "grpc" }] }]) }),
      ),
    ).toMatch(/paths\[0\]\.port: component "api" has no port named "grpc"/);
    expect(
      await failure(
        demo({ api: api() }, { ingresses: ingress([{ host: "Demo_Host", paths: [{ component: "api" }] }]) }),
      ),
    ).toMatch(/rules\[0\]\.host: must be a host name prefix/);
  });
});

describe("internet egress", () => {
  it("egress.https opens TCP 443 to public addresses only; without it there is no such rule", async () => {
    const result = await compilePlatforms([demo({ caller: api({ egress: { https: true } }), quiet: api() })]);
    const policies = objectsOf(result, "demo/production/us-west-2", "NetworkPolicy");
    expect(get(policies, "caller").spec.egress).toContainEqual({
      to: [
        {
          ipBlock: {
            cidr: "0.0.0.0/0",
            except: ["10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"],
          },
        },
      ],
      ports: [{ protocol: "TCP", port: 443 }],
    });
    expect(get(policies, "quiet").spec.egress).toEqual([]);
  });
});

describe("web frontend", () => {
  it("keeps its public variables in its own ConfigMap, read after the platform ConfigMap", async () => {
    const result = await compilePlatforms([
      demo(
        {
          api: api({ expose: { host: "api" } }),
          web: webFrontend({
            image: "docker.io/demo/web:1.0.0",
            port: 3001,
            replicas: 2,
            resources: small,
            publicEnv: { NEXT_PUBLIC_API_URL: ingressUrl("api", { path: "/v1" }) },
          }),
        },
        { config: { LOG_LEVEL: "info" } },
      ),
    ]);
    const id = "demo/production/eu-west-1";
    expect(get(objectsOf(result, id, "ConfigMap"), "web-env").data).toEqual({
      NEXT_PUBLIC_API_URL: "https://api.eu-west-1.example.com/v1",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: "3001",
    });
    const c = get(objectsOf(result, id, "Deployment"), "web").spec.template.spec.containers[0];
    expect(c.envFrom).toEqual([{ configMapRef: { name: "demo-config" } }, { configMapRef: { name: "web-env" } }]);
    expect(c.ports).toEqual([{ name: "http", containerPort: 3001, protocol: "TCP" }]);
  });

  it("a secret in its ConfigMap is an error", async () => {
    const p = demo({
      web: webFrontend({
        image: "docker.io/demo/web:1.0.0",
        port: 3001,
        replicas: 1,
        resources: small,
        publicEnv: { TOKEN: secretRef("web", "token") },
      }),
    });
    expect(await failure(p)).toMatch(/components\.web\.configMap\.TOKEN: a ConfigMap holds plain values only/);
  });
});

describe("Pub/Sub emulator", () => {
  it("serves its project on 8085 with one replica, and address() gives clients host:port", async () => {
    const result = await compilePlatforms([
      demo({
        pubsub: pubsubEmulator({ project: "demo-project" }),
        worker: api({ env: { PUBSUB_EMULATOR_HOST: address("pubsub") }, dependsOn: ["pubsub"] }),
      }),
    ]);
    const id = "demo/production/us-west-2";
    const emulator = get(objectsOf(result, id, "Deployment"), "pubsub");
    const c = emulator.spec.template.spec.containers[0];
    expect(emulator.spec.replicas).toBe(1);
    expect(c.command).toEqual([
      "gcloud",
      "beta",
      "emulators",
      "pubsub",
      "start",
      "--project=demo-project",
      "--host-port=0.0.0.0:8085",
      "--data-dir=/tmp/pubsub",
    ]);
    expect(c.image).not.toMatch(/:latest$/);
    expect(c.readinessProbe.httpGet.path).toBe("/v1/projects/demo-project/topics");
    expect(get(objectsOf(result, id, "Deployment"), "worker").spec.template.spec.containers[0].env).toContainEqual({
      name: "PUBSUB_EMULATOR_HOST",
      value: "pubsub:8085",
    });
    expect(objectsOf(result, id, "PodDisruptionBudget").map((p) => p.metadata.name)).toEqual(["worker"]);
  });
});

describe("references", () => {
  it("configRef reads a key of the platform ConfigMap; an unknown key is an error listing the keys", async () => {
    const result = await compilePlatforms([
      demo({ a: api({ useConfig: false, env: { MODE: configRef("mode") } }) }, { config: { mode: "fast" } }),
    ]);
    expect(objectsOf(result, "demo/dev/us-west-2", "Deployment")[0].spec.template.spec.containers[0].env).toEqual([
      { name: "MODE", valueFrom: { configMapKeyRef: { name: "demo-config", key: "mode" } } },
    ]);
    expect(
      await failure(demo({ a: api({ env: { MODE: configRef("speed") } }) }, { config: { mode: "fast" } })),
    ).toMatch(
      /components\.a: env MODE reads config key "speed", which the platform ConfigMap does not have; it has REGION, mode/,
    );
  });

  it("configRef inside the config, ingressUrl of an unpublished host, and an unknown reference kind are errors", async () => {
    // the platform's own config key: not in the provenance (only override layers are), so the platform file is named
    expect(await failure(demo({ a: api() }, { config: { x: configRef("y") as unknown as string } }))).toMatch(
      /^platforms\/demo\.ts: .*config\.x: a ConfigMap entry cannot read the ConfigMap/m,
    );
    expect(await failure(demo({ a: api({ env: { URL: ingressUrl("www") } }) }))).toMatch(
      /ingressUrl\(\) names host "www", which no ingress or expose publishes/,
    );
    expect(
      await failure(demo({ a: api({ env: { X: { kind: "vault", path: "x" } as unknown as EnvValue } }) })),
    ).toMatch(/env\.X\.kind: must be one of "secret", "url", "config", "ingress-url"/);
  });
});
