import { describe, expect, it } from "vitest";
import { ManifoldError } from "../compiler/errors.ts";
import { platform, postgres, secretRef } from "../compiler/index.ts";
import { BACKUP_HEALTH_LUA } from "../compiler/argocd/settings.ts";
import { compilePlatforms, objectsOf, repoArgoCd } from "./helpers/memory.ts";

const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };

/** A platform with one replicated CloudNativePG database, and optionally a patch of its base backup. */
const ledger = (patchBackup?: { path: string | string[]; value: unknown }) =>
  platform({
    name: "ledger",
    namespace: "ledger",
    namePrefix: "ledger-",
    components: { db: postgres({ replicas: 2, storage: "1Gi", password: secretRef("ledger-db", "pw"), resources }) },
    migrations: { image: "docker.io/ledger/api:1.0.0", command: ["/migrate"], dependsOn: ["db"], resources },
    ...(patchBackup
      ? {
          patches: [
            {
              target: { kind: "Backup", name: "ledger-db-base" },
              environments: ["staging", "production"],
              regions: ["us-west-2"],
              ops: [{ op: "replace" as const, ...patchBackup }],
            },
          ],
        }
      : {}),
  });

describe("replica clusters bootstrap from a base backup Argo CD waits for", () => {
  it("the primary region renders a one-off Backup after its Cluster, and argocd-cm assesses it", async () => {
    const result = await compilePlatforms([ledger()], { argocd: await repoArgoCd() });
    const [backup] = objectsOf(result, "ledger/production/us-west-2", "Backup");
    expect(backup.spec).toEqual({ cluster: { name: "ledger-db" }, method: "barmanObjectStore" });
    const wave = (o: { metadata: { annotations?: Record<string, string> } }) =>
      Number(o.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? 0);
    const [cluster] = objectsOf(result, "ledger/production/us-west-2", "Cluster");
    expect(wave(backup)).toBeGreaterThan(wave(cluster));
    // in the last wave: a failed Backup is Degraded for good, and a Degraded object stops the sync at its wave
    const others = objectsOf(result, "ledger/production/us-west-2").filter(
      (o) => o.kind !== "Backup" && !o.metadata.annotations?.["argocd.argoproj.io/hook"],
    );
    for (const o of others) expect(wave(o)).toBeLessThan(wave(backup));
    // the immediate backup of the ScheduledBackup would race the base backup: only the base backup runs at once
    expect(objectsOf(result, "ledger/production/us-west-2", "ScheduledBackup")[0].spec.immediate).toBe(false);
    // replica regions restore from it and take no base backup of their own; a single-region environment needs none
    for (const id of ["ledger/production/us-east-1", "ledger/production/eu-west-1", "ledger/dev/us-west-2"])
      expect(objectsOf(result, id, "Backup")).toEqual([]);
    expect(objectsOf(result, "ledger/dev/us-west-2", "ScheduledBackup")[0].spec.immediate).toBe(true);
    const cm = result.argocd!.objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "argocd-cm")!;
    const data = cm.data as Record<string, string>;
    expect(data["resource.customizations.health.postgresql.cnpg.io_Backup"]).toBe(BACKUP_HEALTH_LUA);
  });

  it("a primary whose Application has no Backup of the followed Cluster is a compile error naming both", async () => {
    const patch = { path: "/spec/cluster/name", value: "ledger-other" };
    const error = await compilePlatforms([ledger(patch)], { argocd: await repoArgoCd() }).catch((e) => e);
    expect(error).toBeInstanceOf(ManifoldError);
    const lines = [error, ...(error.others ?? [])].map((e: ManifoldError) => e.format());
    expect(lines).toContain(
      "argocd/layer.ts: environments.production.rollout: Application ledger-production-us-east-1: Cluster ledger-db bootstraps from the object store of ledger-db-us-west-2, but Application ledger-production-us-west-2 has no Backup of ledger-db that Argo CD waits for: on empty clusters the recovery finds no base backup [target ledger/production/us-east-1]",
    );
  });

  it("a base backup before the Application's last wave is a compile error: a failed one would stop the sync there", async () => {
    const patch = { path: ["metadata", "annotations", "argocd.argoproj.io/sync-wave"], value: "1" };
    const error = await compilePlatforms([ledger(patch)], { argocd: await repoArgoCd() }).catch((e) => e);
    expect(error).toBeInstanceOf(ManifoldError);
    const lines = [error, ...(error.others ?? [])].map((e: ManifoldError) => e.format());
    expect(lines.filter((l: string) => l.includes("ledger-production-us-west-2: Backup"))).toEqual([
      expect.stringMatching(
        /^argocd\/layer\.ts: environments\.production\.rollout: Application ledger-production-us-west-2: Backup ledger-db-base sits in wave 1, before wave \d+: a failed backup is Degraded for good and stops the sync there, so nothing after it is applied; put it in the last wave \[target ledger\/production\/us-west-2\]$/,
      ),
    ]);
  });
});
