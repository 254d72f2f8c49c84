// `manifold explain`: every rendered field of the seed fleet has a source; chains, defaults, computed values, patches.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "../compiler/load.ts";
import { resolve } from "../compiler/resolve.ts";
import type { Project } from "../compiler/model/project.ts";
import { explainer } from "../compiler/explain/explain.ts";
import { explain, parseQuery } from "../compiler/explain/index.ts";
import { loadTypescript, SourceIndexes } from "../compiler/explain/source-lines.ts";
import { chainOf, layersOf } from "../compiler/explain/chain.ts";
import { main } from "../compiler/cli.ts";
import { cleanProjects, edit, makeProject, REPO } from "./helpers/project.ts";
import { gitTempDirs, makeRepo } from "./helpers/git.ts";
import { diff } from "../compiler/diff/diff.ts";
import { renderMarkdown, renderText } from "../compiler/diff/report.ts";
import { rmSync } from "node:fs";

const lineOf = (root: string, file: string, line: number) =>
  readFileSync(join(root, file), "utf8").split("\n")[line - 1];

describe("explain on a project with a per-target override and a patch", () => {
  let root: string;
  beforeAll(() => {
    root = makeProject();
    edit(
      root,
      "platforms/ossa.ts",
      'namePrefix: "ossa-",',
      `namePrefix: "ossa-",
  targets: { "dev/us-west-2": { components: { gateway: { replicas: 3 } } } },
  patches: [
    { target: { kind: "Deployment", name: "ossa-gateway" }, ops: [{ op: "replace", path: "/spec/revisionHistoryLimit", value: 9 }] },
  ],`,
    );
  });
  afterAll(cleanProjects);

  it("shows an overridden field's whole chain, each step with its file and line", async () => {
    const e = await explain(root, parseQuery(root, "Deployment/ossa-gateway", "dev/us-west-2/ossa", "/spec/replicas"));
    expect(e.fields).toHaveLength(1);
    const f = e.fields[0];
    expect(f).toMatchObject({ pointer: "/spec/replicas", value: 3, origin: "set" });
    expect(f.chain.map((s) => s.label)).toEqual(
      expect.arrayContaining(["environment dev (defaults)", "target dev/us-west-2"]),
    );
    const env = f.chain.find((s) => s.label === "environment dev (defaults)")!;
    expect(env).toMatchObject({ file: "environments/dev.ts", path: "overrides.defaults.replicas", value: 1 });
    expect(lineOf(root, env.file, env.line)).toMatch(/replicas: 1/);
    const last = f.chain[f.chain.length - 1];
    expect(last).toMatchObject({ label: "target dev/us-west-2", file: "platforms/ossa.ts", value: 3 });
    expect(lineOf(root, last.file, last.line)).toMatch(/replicas: 3/);
    expect(f.chain.indexOf(env)).toBeLessThan(f.chain.length - 1);
  });

  it("names the patch that set a patched field", async () => {
    const e = await explain(
      root,
      parseQuery(
        root,
        "rendered/dev/us-west-2/ossa/deployment-ossa-gateway.yaml",
        undefined,
        "/spec/revisionHistoryLimit",
      ),
    );
    const f = e.fields[0];
    expect(f).toMatchObject({ value: 9, origin: "patched" });
    const p = f.chain.find((s) => s.kind === "patch")!;
    expect(p).toMatchObject({ label: "patch patches[0] replace", file: "platforms/ossa.ts", path: "patches.0.ops.0" });
    expect(lineOf(root, p.file, p.line)).toMatch(/revisionHistoryLimit/);
    // what the block had made before the patch is still shown
    expect(f.chain[0]).toMatchObject({ kind: "default", file: "compiler/blocks/service.ts" });
  });
});

describe("explain on the seed fleet", () => {
  it("names the building block of a defaulted field", async () => {
    const e = await explain(
      REPO,
      parseQuery(REPO, "Deployment/ossa-gateway", "dev/us-west-2/ossa", "/spec/revisionHistoryLimit"),
    );
    expect(e.fields[0]).toMatchObject({ origin: "defaulted", by: "service" });
    expect(e.fields[0].chain[0]).toMatchObject({ kind: "default", file: "compiler/blocks/service.ts" });
  });

  it("names the inputs of a computed field", async () => {
    const e = await explain(
      REPO,
      parseQuery(
        REPO,
        "Deployment/ossa-orchestration",
        "dev/us-west-2/ossa",
        "/metadata/annotations/argocd.argoproj.io~1sync-wave",
      ),
    );
    const f = e.fields[0];
    expect(f.origin).toBe("computed");
    expect(f.by).toMatch(/order/);
    const inputs = f.chain.filter((s) => s.kind === "input");
    expect(inputs.map((s) => s.path)).toContain("components.orchestration.dependsOn");
    // each input's line is where that component's dependsOn is written (a helper call may pass it positionally)
    for (const s of inputs) expect(lineOf(REPO, s.file, s.line)).toContain(s.path.split(".")[1]);
  });

  it("prints JSON through the CLI, and one clear error for an object that is not rendered", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    const args = [
      "explain",
      "Deployment/ossa-gateway",
      "in",
      "dev/us-west-2/ossa",
      "/spec/template/spec/containers/0/image",
    ];
    expect(await main([...args, "--format", "json", "--root", REPO], io)).toBe(0);
    const data = JSON.parse(out.join("\n"));
    expect(data.fields[0]).toMatchObject({
      origin: "set",
      value: expect.stringMatching(/^docker\.io\/ossa\/gateway:/),
    });
    expect(data.fields[0].chain[0].file).toBe("platforms/ossa.ts");
    expect(await main(["explain", "Deployment/nope", "in", "dev/us-west-2/ossa", "--root", REPO], io)).toBe(1);
    expect(err.join("\n")).toMatch(/Deployment\/nope is not rendered in ossa\/dev\/us-west-2/);
    expect(err.join("\n")).not.toMatch(/\n\s+at /);
  });

  it("explains every field of every rendered object, with no silent unknown", async () => {
    const project: Project = await load(REPO);
    const sources = new SourceIndexes(await loadTypescript(), REPO);
    let objects = 0;
    for (const t of resolve(project)) {
      const filter = { platform: t.platform, environment: t.environment, region: t.region };
      const ex = explainer(project, filter, sources);
      // the chain's last write is the layer resolve recorded for every layered field
      const layers = layersOf(project, ex.stages.target);
      for (const [path, origin] of Object.entries(ex.stages.target.provenance)) {
        const writes = chainOf(layers, path.split("."));
        if (writes.length) expect(writes[writes.length - 1].file, `${t.id} ${path}`).toBe(origin.file);
      }
      for (const o of ex.stages.final) {
        objects++;
        const e = ex.explain(o);
        expect(e.block.file).toMatch(/^compiler\/blocks\//);
        for (const f of e.fields) {
          const where = `${t.id} ${e.kind}/${e.name} ${f.pointer}`;
          expect(["set", "defaulted", "computed", "patched"], where).toContain(f.origin);
          expect(f.chain.length, where).toBeGreaterThan(0);
          for (const s of f.chain) {
            expect(s.file, where).toBeTruthy();
            if (s.kind === "layer" || s.kind === "input") expect(s.line, where).toBeGreaterThan(0);
          }
        }
      }
    }
    expect(objects).toBeGreaterThan(1000);
  }, 900_000);
});

describe("diff --explain", () => {
  afterAll(() => {
    cleanProjects();
    for (const d of gitTempDirs()) rmSync(d, { recursive: true, force: true });
  });

  it("names the description line that caused each changed field", async () => {
    const repo = makeRepo();
    edit(repo, "platforms/ossa.ts", `agentService("gateway", 5, 50,`, `agentService("gateway", 5, 60,`);
    const result = await diff({ root: repo, base: "HEAD", explain: true });
    const entries = result.blocks.flatMap((b) => b.entries);
    const hpa = entries.find(
      (e) => e.change.kind === "HorizontalPodAutoscaler" && e.change.environment === "production",
    );
    const max = hpa!.change.provenance!.find((p) => p.pointer === "/spec/maxReplicas")!;
    expect(max).toMatchObject({ value: 60, origin: "set" });
    expect(max.because).toHaveLength(1);
    expect(max.because[0].file).toBe("platforms/ossa.ts");
    expect(lineOf(repo, "platforms/ossa.ts", max.because[0].line)).toContain(`agentService("gateway", 5, 60,`);
    // the quota is computed from the HPA maxima: its inputs include the changed value
    const quota = entries.find((e) => e.change.kind === "ResourceQuota" && e.change.environment === "production");
    const fields = quota!.change.provenance!;
    expect(fields.length).toBeGreaterThan(0);
    for (const f of fields) {
      expect(f.origin).toBe("computed");
      expect(f.because.map((s) => s.path)).toContain("components.gateway.autoscale.max");
    }
    const line = `platforms/ossa.ts:${max.because[0].line}`;
    expect(renderMarkdown(result)).toContain("Why (`manifold explain`):");
    expect(renderMarkdown(result)).toContain(line);
    expect(renderText(result)).toMatch(new RegExp(`why: /spec/maxReplicas = 60: set by .*${line}`));
  }, 300_000);
});
