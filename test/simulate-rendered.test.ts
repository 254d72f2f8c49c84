import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { load } from "../compiler/load.ts";
import { resolve } from "../compiler/resolve.ts";
import { type ResolvedTarget } from "../compiler/model/target.ts";
import { findHazards } from "../compiler/sync/hazards.ts";
import { workloadDependencies } from "../compiler/graph/sync-graph.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { REPO } from "./helpers/project.ts";

// Simulates Argo CD's order over the committed rendered/ tree (read from disk,
// not from a fresh compile): every object's references are applied before it,
// and every readiness dependency of the description sits in an earlier wave.

const RENDERED = join(REPO, "rendered");
let targets: ResolvedTarget[] = [];

function folderObjects(folder: string): KubeObject[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => parse(readFileSync(join(folder, f), "utf8"), { version: "1.1" }) as KubeObject);
}

beforeAll(async () => {
  targets = resolve(await load(REPO));
});

describe("the committed rendered/ tree syncs in a safe order", () => {
  it("has a folder for every target", () => {
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(existsSync(join(RENDERED, t.environment, t.region, t.platform)), t.id).toBe(true);
  });

  it("has no ordering hazard in any target", () => {
    for (const t of targets) {
      const objects = folderObjects(join(RENDERED, t.environment, t.region, t.platform));
      const hazards = findHazards(objects, workloadDependencies(t));
      expect(hazards, t.id).toEqual([]);
    }
  });

  it("would catch a readiness dependency inside one wave and a Secret read in its ExternalSecret's wave", () => {
    const t = targets.find((x) => x.id === "ossa/production/us-west-2")!;
    const objects = folderObjects(join(RENDERED, "production/us-west-2/ossa"));
    const gateway = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "ossa-gateway")!;
    const orchestration = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "ossa-orchestration")!;
    gateway.metadata.annotations!["argocd.argoproj.io/sync-wave"] =
      orchestration.metadata.annotations!["argocd.argoproj.io/sync-wave"];
    const secret = objects.find((o) => o.kind === "ExternalSecret" && o.metadata.name === "ossa-api")!;
    secret.metadata.annotations!["argocd.argoproj.io/sync-wave"] =
      gateway.metadata.annotations!["argocd.argoproj.io/sync-wave"];
    const hazards = findHazards(objects, workloadDependencies(t));
    expect(hazards.map((h) => `${h.rule} ${h.object}`)).toEqual([
      "late-reference Deployment/ossa-gateway",
      "same-wave-dependency Deployment/ossa-gateway",
    ]);
  });
});
