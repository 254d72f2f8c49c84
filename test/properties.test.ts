import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { platform, postgres, qdrant, redis, secretRef, service } from "../compiler/index.ts";
import type { Component } from "../compiler/describe/types.ts";
import { ManifoldError } from "../compiler/errors.ts";
import { blocking } from "../compiler/validate/index.ts";
import { compilePlatforms, repoProject } from "./helpers/memory.ts";
import { checkProject } from "../compiler/load.ts";
import { compileLoaded } from "../compiler/compile.ts";
import type { Parsed } from "./helpers/parsed.ts";

// Property tests: random valid descriptions compile, validate clean and are
// deterministic; random mutations of them compile or fail with a ManifoldError,
// never another exception. numRuns stays modest: each run compiles six targets.

const SIZES = [
  { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
  { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
  { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
];
const STORAGE = ["1Gi", "10Gi", "500Mi", "1Ti"];
const word = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);

const serviceArb = fc.record({
  image: fc.tuple(word, word, fc.nat(20), fc.nat(20)).map(([a, b, x, y]) => `docker.io/${a}/${b}:${x}.${y}.0`),
  ports: fc
    .uniqueArray(word, { minLength: 1, maxLength: 3 })
    .chain((names) =>
      fc
        .uniqueArray(fc.integer({ min: 1024, max: 65000 }), { minLength: names.length, maxLength: names.length })
        .map((nums) => Object.fromEntries(names.map((n, i) => [n, nums[i]]))),
    ),
  replicas: fc.integer({ min: 2, max: 5 }),
  size: fc.constantFrom(...SIZES),
  autoscale: fc.option(
    fc.tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 50, max: 90 })),
    { nil: undefined },
  ),
  env: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/), fc.stringMatching(/^[a-z0-9 .:/-]{0,20}$/), {
    maxKeys: 3,
  }),
  secret: fc.boolean(),
  expose: fc.boolean(),
});
const storeArb = fc.record({
  engine: fc.constantFrom("postgres", "redis", "qdrant"),
  replicas: fc.integer({ min: 2, max: 4 }),
  size: fc.constantFrom(...SIZES),
  storage: fc.constantFrom(...STORAGE),
});

/**
 * A random valid platform: services and stores with random fields, a random dependsOn DAG (edges only to earlier
 * components, a store's only to stores) and migrations when it has a postgres store.
 */
const platformArb = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4})?$/), { minLength: 1, maxLength: 5 })
  .chain((names) =>
    fc.tuple(
      fc.constant(names),
      fc.array(
        fc.oneof(
          serviceArb.map((s) => ({ kind: "service" as const, s })),
          storeArb.map((s) => ({ kind: "store" as const, s })),
        ),
        { minLength: names.length, maxLength: names.length },
      ),
      fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: names.length, maxLength: names.length }),
    ),
  )
  .map(([names, specs, deps]) => {
    const components: Record<string, Component> = {};
    names.forEach((name, i) => {
      const spec = specs[i];
      // a store waits only for other stores: a database waiting for an application that waits for its
      // migration (which waits for the database) would be a real cycle
      const earlier = names.slice(0, i).filter((_, j) => spec.kind === "service" || specs[j].kind === "store");
      const dependsOn = earlier.length === 0 ? [] : [...new Set(deps[i].map((d) => earlier[d % earlier.length]))];
      if (spec.kind === "store") {
        const make = { postgres, redis, qdrant }[spec.s.engine];
        components[name] = make({
          replicas: spec.s.replicas,
          storage: spec.s.storage,
          resources: spec.s.size,
          dependsOn,
          ...(spec.s.engine === "postgres" ? { password: secretRef(`${name}-db`, "password") } : {}),
        });
      } else {
        const s = spec.s;
        const [min, extra, cpu] = s.autoscale ?? [];
        components[name] = service({
          image: s.image,
          ports: s.ports,
          replicas: s.replicas,
          resources: s.size,
          dependsOn,
          probes: { liveness: { path: "/health" }, readiness: { path: "/ready" } },
          env: { ...s.env, ...(s.secret ? { TOKEN: secretRef(`${name}-token`, "token") } : {}) },
          ...(s.autoscale ? { autoscale: { min: min!, max: min! + extra!, cpu } } : {}),
          ...(s.expose ? { expose: { host: name } } : {}),
        });
      }
    });
    // a relational database needs its schema migrations (a load-time rule)
    const relational = names.filter(
      (_, i) => specs[i].kind === "store" && (specs[i].s as { engine: string }).engine === "postgres",
    );
    const migrations = relational.length
      ? {
          migrations: {
            image: "docker.io/prop/migrate:1.0.0",
            command: ["migrate"],
            dependsOn: relational,
            resources: SIZES[0],
          },
        }
      : {};
    return platform({ name: "prop", namespace: "prop", namePrefix: "prop-", components, ...migrations });
  });

async function outcome(p: unknown): Promise<"ok" | "error"> {
  const repo = await repoProject();
  try {
    compileLoaded(checkProject({ ...repo, platforms: [{ file: "platforms/prop.ts", value: p }] }));
    return "ok";
  } catch (e) {
    if (e instanceof ManifoldError) return "error";
    throw e;
  }
}

describe("property tests", () => {
  it("random valid descriptions compile, validate clean and are deterministic", async () => {
    await fc.assert(
      fc.asyncProperty(platformArb, async (p) => {
        const first = await compilePlatforms([structuredClone(p)]);
        expect(blocking(first.findings)).toEqual([]);
        // production's policy reports a missing image digest as a warning, and reachability the replicas outside the
        // primary region that nothing reads (url() names a store's writable endpoint only); nothing else may be found
        const production = first.findings.filter((f) => f.target.includes("/production/"));
        const unreadReplica = (f: (typeof production)[number]) =>
          f.rule === "reachability" && f.severity === "warning" && f.object.endsWith("-replica");
        expect(production.filter((f) => f.rule !== "image-digests" && !unreadReplica(f))).toEqual([]);
        expect(production.every((f) => f.severity === "warning")).toBe(true);
        const second = await compilePlatforms([structuredClone(p)]);
        expect([...second.files.entries()]).toEqual([...first.files.entries()]);
      }),
      { numRuns: Math.ceil(Number(process.env.MANIFOLD_PROPERTY_RUNS ?? 60) / 2.4) },
    );
  });

  /** Every path inside a value, as lists of keys. */
  function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
    if (v === null || typeof v !== "object") return [at];
    const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
    return [at, ...entries.flatMap(([k, x]) => paths(x, [...at, k]))];
  }

  const weird = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      undefined,
      null,
      -1,
      0,
      1.5,
      1e12,
      "",
      "x",
      "latest",
      [],
      {},
      true,
      "500mb",
      "Bad_Name",
      { kind: "secret" },
      { kind: "url", component: "nope", scheme: "http" },
    ),
  );
  const mutation = fc.record({
    pick: fc.nat(),
    action: fc.constantFrom("delete", "replace", "add"),
    value: weird,
    key: fc.constantFrom("extra", "replicas", "type", "__proto__", "constructor", "dependsOn", "0"),
  });

  it("random mutations of valid descriptions compile or fail with a ManifoldError, never another exception", async () => {
    await fc.assert(
      fc.asyncProperty(platformArb, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (p, mutations) => {
        const value: Parsed = structuredClone(p);
        let root: Parsed = value;
        for (const m of mutations) {
          const all = paths(root);
          const path = all[m.pick % all.length];
          if (path.length === 0) {
            if (m.action === "replace") root = m.value;
            continue;
          }
          const parent = path.slice(0, -1).reduce((o: Parsed, k) => o[k], root);
          const key = path[path.length - 1];
          if (m.action === "delete") delete parent[key];
          else if (m.action === "replace") parent[key] = m.value;
          else if (typeof parent[key] === "object" && parent[key] !== null && !Array.isArray(parent[key]))
            Object.defineProperty(parent[key], m.key, {
              value: m.value,
              enumerable: true,
              configurable: true,
              writable: true,
            });
        }
        expect(["ok", "error"]).toContain(await outcome(root));
      }),
      { numRuns: Number(process.env.MANIFOLD_PROPERTY_RUNS ?? 60) },
    );
  });
});

describe("rules on arbitrary objects", () => {
  // Patches can put anything anywhere, so every rule must turn any object shape into findings, never an exception.
  it("validateTarget never throws, whatever a patch did to the objects", async () => {
    const { validateTarget } = await import("../compiler/validate/index.ts");
    const result = await compilePlatforms([
      platform({
        name: "prop",
        namespace: "prop",
        namePrefix: "prop-",
        components: {
          db: postgres({
            replicas: 2,
            storage: "1Gi",
            password: secretRef("prop-db", "password"),
            resources: SIZES[0],
          }),
          api: service({
            image: "docker.io/prop/api:1.0.0",
            ports: { http: 8080 },
            replicas: 2,
            resources: SIZES[0],
            autoscale: { min: 2, max: 3, cpu: 70 },
            dependsOn: ["db"],
            expose: { host: "api" },
            metrics: {},
          }),
        },
        migrations: { image: "docker.io/prop/api:1.0.0", command: ["migrate"], dependsOn: ["db"], resources: SIZES[0] },
      }),
    ]);
    const t = result.targets.find((x) => x.target.id === "prop/production/us-west-2")!;
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(null, 0, -1, "", "x", [], {}, [null], { name: 5 }),
    );
    await fc.assert(
      fc.property(
        fc.array(fc.record({ pick: fc.nat(), value, del: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        (mutations) => {
          const objects = structuredClone(t.objects);
          for (const m of mutations) {
            const o = objects[m.pick % objects.length];
            const all: (string | number)[][] = [];
            const walk = (v: unknown, at: (string | number)[]) => {
              all.push(at);
              if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
            };
            walk(o.object, []);
            const path = all[(m.pick >> 3) % all.length];
            if (path.length === 0) continue;
            const parent = path.slice(0, -1).reduce((x: Parsed, k) => x[k], o.object as Parsed);
            if (m.del) delete parent[path[path.length - 1]];
            else parent[path[path.length - 1]] = m.value;
          }
          const crashed = validateTarget(t.target, objects).filter((f) => f.message.startsWith("could not check"));
          expect(crashed).toEqual([]);
        },
      ),
      { numRuns: Number(process.env.MANIFOLD_PROPERTY_RUNS ?? 60) * 5 },
    );
  });
});
