import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { INGRESS_GATEWAY_SERVICE_ACCOUNT } from "../compiler/index.ts";
import { CROSS_REGION_ISSUER } from "../compiler/blocks/exposure.ts";
import type { Parsed } from "./helpers/parsed.ts";

// What the platforms rely on from the cluster layer, read in the committed rendered/ tree (kept current by the
// compile --check test): the issuer their cross-region certificates name, the gateway identity their policies
// admit, the Prometheus the metrics adapter reads, and where Velero writes.
const REPO = join(import.meta.dirname, "..");
const read = (path: string): Parsed => parse(readFileSync(join(REPO, "rendered", path), "utf8"));
const CLUSTERS = ["production/us-west-2", "production/us-east-1", "production/eu-west-1", "staging/us-west-2"];

describe("the cluster layer provides what the platforms name", () => {
  it.each(CLUSTERS)(
    "%s: the CA ClusterIssuer of the cross-region certificates, its key pair from the secret store",
    (c) => {
      const folder = `clusters/${c}/cert-manager-objects`;
      const issuer = read(`${folder}/clusterissuer-${CROSS_REGION_ISSUER}.yaml`);
      expect(issuer.spec).toEqual({ ca: { secretName: CROSS_REGION_ISSUER } });
      const secret = read(`${folder}/externalsecret-${CROSS_REGION_ISSUER}.yaml`);
      const environment = c.split("/")[0];
      expect(secret.metadata.namespace).toBe("cert-manager");
      expect(secret.spec.target.template.type).toBe("kubernetes.io/tls");
      // One key pair per environment: every region's issuer signs with it, so each region trusts the others.
      expect(secret.spec.data.map((d: Parsed) => d.remoteRef)).toEqual([
        { key: `${environment}/cluster/${CROSS_REGION_ISSUER}`, property: "tls.crt" },
        { key: `${environment}/cluster/${CROSS_REGION_ISSUER}`, property: "tls.key" },
      ]);
      const store = read(`${folder}/secretstore-${CROSS_REGION_ISSUER}-store.yaml`);
      expect(secret.spec.secretStoreRef).toEqual({ kind: "SecretStore", name: store.metadata.name });
      // store, then Secret, then issuer: each Healthy before the next
      const wave = (o: Parsed) => Number(o.metadata.annotations["argocd.argoproj.io/sync-wave"]);
      expect([wave(store), wave(secret), wave(issuer)]).toEqual([0, 1, 2]);
    },
  );

  it("the ingress gateway runs as the identity the platforms' AuthorizationPolicies admit", () => {
    for (const c of CLUSTERS) {
      const app = read(`argocd/clusters/${c}/application-addon-istio-ingressgateway-${c.replace("/", "-")}.yaml`);
      expect(app.spec.source.helm.valuesObject.serviceAccount).toEqual({ name: INGRESS_GATEWAY_SERVICE_ACCOUNT });
    }
    const policy = read("production/us-west-2/context-foundation/authorizationpolicy-context-api.yaml");
    const principals = policy.spec.rules.flatMap((r: Parsed) => r.from?.flatMap((f: Parsed) => f.source.principals));
    expect(principals).toContain(`cluster.local/ns/istio-system/sa/${INGRESS_GATEWAY_SERVICE_ACCOUNT}`);
  });

  it("ossa's Prometheus admits the metrics adapter that serves its HPAs; a platform without custom metrics does not", () => {
    const fromMonitoring = (path: string) =>
      read(path).spec.ingress.some((r: Parsed) =>
        (r.from ?? []).some(
          (f: Parsed) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "monitoring",
        ),
      );
    expect(fromMonitoring("production/us-west-2/ossa/networkpolicy-ossa-prometheus.yaml")).toBe(true);
    expect(fromMonitoring("production/us-west-2/alfred/networkpolicy-prometheus.yaml")).toBe(false);
  });

  it("Velero writes each region's backups to that region's bucket, the location the Schedules name", () => {
    for (const region of ["us-west-2", "us-east-1", "eu-west-1"]) {
      const values = read(`argocd/clusters/production/${region}/application-addon-velero-production-${region}.yaml`)
        .spec.source.helm.valuesObject;
      expect(values.configuration.backupStorageLocation).toEqual([
        {
          name: "default",
          provider: "aws",
          bucket: `manifold-backups-${region}`,
          prefix: "velero",
          config: { region },
        },
      ]);
      expect(values.initContainers.map((c: Parsed) => c.name)).toEqual(["velero-plugin-for-aws"]);
    }
    const schedule = read("production/us-east-1/ossa/schedule-ossa-platform.yaml");
    expect(schedule.spec.template.storageLocation).toBe("default");
  });
});
