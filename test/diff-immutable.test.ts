import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { cleanProjects, edit } from "./helpers/project.ts";
import { gitTempDirs, makeRepo } from "./helpers/git.ts";
import { diff, type DiffResult } from "../compiler/diff/diff.ts";
import { renderMarkdown, renderText } from "../compiler/diff/report.ts";
import { compareTrees } from "../compiler/diff/objects.ts";
import { groupChanges } from "../compiler/diff/group.ts";
import { risksOf } from "../compiler/diff/risks.ts";
import { toYaml } from "../compiler/yaml.ts";

// A real repository in a temp folder: the seed project committed, then descriptions edited so that Argo CD could not
// apply the result in place.
let result: DiffResult;
beforeAll(async () => {
  const repo = makeRepo();
  // The dev Qdrant's volume grows: its StatefulSet's volumeClaimTemplates change.
  edit(repo, "platforms/context-foundation.ts", 'qdrant: { storage: "32Gi" },', 'qdrant: { storage: "40Gi" },');
  // The backup claim moves to another class and shrinks (staging and production; dev keeps 125 GiB).
  edit(
    repo,
    "platforms/context-foundation.ts",
    'storage: "500Gi", storageClass: "archive" }',
    'storage: "400Gi", storageClass: "standard" }',
  );
  result = await diff({ root: repo, base: "HEAD" });
}, 120_000);

afterAll(() => {
  cleanProjects();
  for (const d of gitTempDirs()) rmSync(d, { recursive: true, force: true });
});

const risksOfKind = (kind: string, environment: string) =>
  result.blocks
    .flatMap((b) => b.entries)
    .filter((e) => e.change.kind === kind && e.change.environment === environment)
    .flatMap((e) => e.risks);

describe("manifold diff flags changes Argo CD cannot apply in place, with the runbook", () => {
  it("a StatefulSet's volumeClaimTemplates: delete it with --cascade=orphan, then sync", () => {
    expect(risksOfKind("StatefulSet", "dev")).toEqual([
      {
        rule: "immutable-field",
        message:
          "spec.volumeClaimTemplates cannot change in place: the API server refuses it and Argo CD's sync fails (the object must be replaced)",
        runbook:
          "kubectl -n context-foundation delete statefulset qdrant --cascade=orphan (its pods and volumes keep running), then sync the Application: the new StatefulSet adopts the pods; a volumeClaimTemplates change reaches only new claims, so resize or migrate the existing PVCs separately",
      },
    ]);
  });

  it("a claim's storage class and a claim that shrinks", () => {
    for (const env of ["staging", "production"]) {
      const risks = risksOfKind("PersistentVolumeClaim", env);
      expect(risks.map((r) => r.rule)).toEqual(["immutable-field", "immutable-field"]);
      expect(risks[0].message).toMatch(/^spec\.storageClassName cannot change in place/);
      expect(risks[0].runbook).toMatch(/^a claim cannot change class, mode or source in place: create a claim/);
      expect(risks[1].message).toBe(
        "spec.resources.requests.storage shrinks (500Gi → 400Gi): a claim can only grow, so the API server refuses it and Argo CD's sync fails",
      );
    }
    // dev's claim keeps its size (an override) and only changes class.
    expect(risksOfKind("PersistentVolumeClaim", "dev").map((r) => r.message)).toEqual([
      expect.stringMatching(/^spec\.storageClassName cannot change in place/),
    ]);
  });

  it("puts them at the top of the markdown and the text report as high risks, runbook included", () => {
    const md = renderMarkdown(result);
    const top = md.slice(md.indexOf("### ⚠️ Risks ("), md.indexOf("### Summary"));
    expect(top).toContain("**Immutable field (high risk: the sync fails)**: StatefulSet");
    expect(top).toContain("Runbook: kubectl -n context-foundation delete statefulset qdrant --cascade=orphan");
    expect(renderText(result)).toContain("    runbook: keep the claim's size, or create a smaller claim");
  });
});

describe("immutable fields of each kind", () => {
  const change = (kind: string, before: object, after: object, annotations: Record<string, string> = {}) => {
    const object = (spec: object) => ({
      apiVersion: "v1",
      kind,
      metadata: { name: "x", namespace: "ns", annotations },
      spec,
    });
    const base = new Map([["production/us-west-2/app/x.yaml", toYaml(object(before))]]);
    const head = new Map([["production/us-west-2/app/x.yaml", toYaml(object(after))]]);
    return groupChanges(compareTrees(base, head)).flatMap((b) => b.entries.flatMap((e) => risksOf(e.change)));
  };

  it.each([
    [
      "StatefulSet",
      { podManagementPolicy: "OrderedReady" },
      { podManagementPolicy: "Parallel" },
      "spec.podManagementPolicy",
    ],
    ["StatefulSet", { serviceName: "a" }, { serviceName: "b" }, "spec.serviceName"],
    [
      "Job",
      { template: { spec: { restartPolicy: "Never" } } },
      { template: { spec: { restartPolicy: "OnFailure" } } },
      "spec.template",
    ],
    [
      "PersistentVolumeClaim",
      { accessModes: ["ReadWriteOnce"] },
      { accessModes: ["ReadWriteMany"] },
      "spec.accessModes",
    ],
  ])("%s: %s", (kind, before, after, field) => {
    const risks = change(kind, before, after);
    expect(risks).toHaveLength(1);
    expect(risks[0].rule).toBe("immutable-field");
    expect(risks[0].message.startsWith(`${field} cannot change in place`)).toBe(true);
    expect(risks[0].runbook).toBeTruthy();
  });

  it("a claim that grows, and a StatefulSet's template, are not flagged", () => {
    const grow = change(
      "PersistentVolumeClaim",
      { resources: { requests: { storage: "1Gi" } } },
      { resources: { requests: { storage: "2Gi" } } },
    );
    expect(grow).toEqual([]);
    expect(change("StatefulSet", { template: { spec: { a: 1 } } }, { template: { spec: { a: 2 } } })).toEqual([]);
  });
});
