import { beforeAll, describe, expect, it } from "vitest";
import { platform, qdrant, service } from "../compiler/index.ts";
import type { RenderedObject } from "../compiler/model/object.ts";
import type { CompiledTarget } from "../compiler/model/target.ts";
import type { Finding } from "../compiler/model/finding.ts";
import { reachabilityRule } from "../compiler/validate/rules/reachability.ts";
import { reporter } from "../compiler/validate/context.ts";
import { compilePlatforms } from "./helpers/memory.ts";
import type { Parsed } from "./helpers/parsed.ts";

// A STRICT-mesh platform whose store backs up with its own tool: the backup Jobs must reach the store in the mesh.
const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const vault = platform({
  name: "vault",
  namespace: "vault",
  namePrefix: "vault-",
  components: {
    vectors: qdrant({ replicas: 3, storage: "1Gi", resources }),
    api: service({
      image: "docker.io/vault/api:1.0.0",
      ports: { http: 8080 },
      replicas: 2,
      resources,
      probes: { liveness: { path: "/health" }, readiness: { path: "/ready" } },
      dependsOn: ["vectors"],
    }),
  },
  mesh: { mtls: "STRICT" },
});

const TARGET = "vault/production/us-west-2";
let target: CompiledTarget;
beforeAll(async () => {
  const result = await compilePlatforms([vault]);
  target = result.targets.find((t) => t.target.id === TARGET)!;
});
const get = (objects: RenderedObject[], kind: string, name: string): Parsed =>
  objects.find((o) => o.object.kind === kind && o.object.metadata.name === name)!.object;

function errors(change: (objects: RenderedObject[]) => void = () => undefined): string[] {
  const objects: RenderedObject[] = structuredClone(target.objects);
  change(objects);
  const out: Finding[] = [];
  reachabilityRule.check(
    { target: target.target, objects },
    reporter({ target: target.target, objects }, "reachability", out),
  );
  return out.filter((f) => f.severity === "error").map((f) => `${f.object}: ${f.message}`);
}

describe("backups of a store in a STRICT mesh", () => {
  it("run their Jobs in the mesh, with Istio's proxy as a native sidecar so the Job still completes", () => {
    for (const name of ["vault-vectors-backup", "vault-vectors-restore"]) {
      const meta = get(target.objects, "CronJob", name).spec.jobTemplate.spec.template.metadata;
      expect(meta.annotations).toEqual({ "sidecar.istio.io/nativeSidecar": "true" });
    }
  });

  it("name the backup and restore Jobs as callers of the store, on the port the snapshot API listens on", () => {
    const rules = get(target.objects, "AuthorizationPolicy", "vault-vectors").spec.rules;
    expect(rules).toContainEqual({
      from: [
        {
          source: {
            principals: [
              "cluster.local/ns/vault/sa/vault-vectors-backup",
              "cluster.local/ns/vault/sa/vault-vectors-restore",
            ],
          },
        },
      ],
      to: [{ operation: { ports: ["6333"] } }],
    });
    expect(errors()).toEqual([]);
  });

  it("are checked by the reachability rule: a backup Job outside the mesh cannot reach a STRICT store", () => {
    const outside = errors((objects) => {
      const meta = get(objects, "CronJob", "vault-vectors-backup").spec.jobTemplate.spec.template.metadata;
      meta.annotations = { "sidecar.istio.io/inject": "false" };
    });
    expect(outside.length).toBeGreaterThan(0);
    for (const e of outside)
      expect(e).toMatch(/CronJob\/vault-vectors-backup -> StatefulSet\/vault-vectors on port 6333/);
    const unnamed = errors((objects) => {
      const policy = get(objects, "AuthorizationPolicy", "vault-vectors");
      policy.spec.rules = policy.spec.rules.filter((r: Parsed) => !JSON.stringify(r).includes("-backup"));
    });
    expect(unnamed).toContainEqual(
      expect.stringMatching(
        /CronJob\/vault-vectors-backup -> StatefulSet\/vault-vectors on port 6333\/TCP \(backup of vectors\) is not allowed: authorization denied/,
      ),
    );
  });
});
