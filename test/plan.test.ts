import { afterAll, describe, expect, it } from "vitest";
import { cleanProjects, makeProject, runCli } from "./helpers/project.ts";
import type { Plan } from "../compiler/plan.ts";

afterAll(cleanProjects);

describe("manifold plan", () => {
  const root = makeProject();

  it("prints production OSSA in us-west-2 as a run-book of the first sync", () => {
    const run = runCli(root, ["plan", "ossa", "production", "us-west-2"]);
    expect(run.status, run.stderr).toBe(0);
    const out = run.stdout;
    const at = (s: string) => {
      const i = out.indexOf(s);
      expect(i, s).toBeGreaterThanOrEqual(0);
      return i;
    };
    // Foundation, then the databases, then the migration, then the services up the graph, then scaling, edge, smoke
    // test.
    expect(at("Step 1: phase Sync, wave 0: namespace, policies, RBAC, config and the secret store")).toBeLessThan(
      at("ExternalSecret           ossa-postgresql"),
    );
    expect(at("Cluster                  ossa-postgresql")).toBeLessThan(at("Job                      ossa-migrate"));
    expect(at("Job                      ossa-migrate")).toBeLessThan(at("Deployment               ossa-discovery"));
    expect(at("Deployment               ossa-orchestration")).toBeLessThan(at("Deployment               ossa-gateway"));
    expect(at("HorizontalPodAutoscaler  ossa-gateway")).toBeLessThan(at("Ingress                  ossa-gateway"));
    expect(at("phase PostSync")).toBeLessThan(at("phase SyncFail"));
    expect(out).toMatch(/-> waits until Healthy: (ExternalSecret\/[a-z-]+, )*ExternalSecret\/ossa-api/);
    expect(out).toContain("-> runs only when the sync fails");
    expect(out).toContain("Hazards: none.");
    // Reachability: each connection, allowed or denied, and by what.
    expect(out).toMatch(/Reachability \(\d+ connections: 0 denied, \d+ closed URLs received with a whole ConfigMap\):/);
    expect(out).toContain(
      [
        "  allowed Deployment/ossa-discovery -> Cluster/ossa-postgresql port 5432/TCP (dependsOn, ConfigMap/ossa-config POSTGRES_URL)",
        "      ok   egress: NetworkPolicy/ossa-discovery",
        "      ok   ingress: NetworkPolicy/ossa-postgresql",
        // an operator-run store gets no Istio policies: no mtls or authorization check follows
        "  allowed ",
      ].join("\n"),
    );
    // The other regions reach the primary's stores through their exposure, encrypted by TLS on the store.
    expect(out).toContain(
      [
        // Redis fails over in the primary region: HAProxy takes the other regions to its current primary.
        "  allowed region us-east-1 -> Deployment/ossa-redis-haproxy port 6380/TCP (writes and replication from us-east-1)",
        "      ok   encryption: TLS passed through by HAProxy to the members, which serve it",
        "      ok   exposure: Service/ossa-redis-cross-region",
        "      ok   ingress: NetworkPolicy/ossa-redis",
        "      ok   mtls: PeerAuthentication/ossa-redis (port 6380): PERMISSIVE",
        "      ok   authorization: AuthorizationPolicy/ossa-redis",
      ].join("\n"),
    );
    expect(out).toContain(
      "  closed  Deployment/ossa-gateway -> StatefulSet/ossa-qdrant port 6333/TCP (ConfigMap/ossa-config QDRANT_URL)",
    );
  });

  it("prints JSON for machines", () => {
    const run = runCli(root, ["plan", "ossa", "dev", "us-west-2", "--format", "json"]);
    expect(run.status, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.target).toBe("ossa/dev/us-west-2");
    expect(plan.hazards).toEqual([]);
    const waves = (plan as Plan).steps.filter((s) => s.phase === "Sync").map((s) => s.wave);
    expect(waves).toEqual([...waves].sort((a: number, b: number) => a - b));
    expect(plan.steps.at(-1)).toMatchObject({ phase: "SyncFail", onFailure: true });
    expect((plan as Plan).reachability).toContainEqual(
      expect.objectContaining({
        from: "Deployment/ossa-discovery",
        to: "Cluster/ossa-postgresql",
        port: "5432/TCP",
        allowed: true,
      }),
    );
  });

  it("rejects an unknown target and wrong arguments", () => {
    const unknown = runCli(root, ["plan", "ossa", "production", "ap-south-1"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("no target matches platform ossa environment production region ap-south-1");
    expect(runCli(root, ["plan", "ossa"]).status).toBe(2);
  });
});
