import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cleanProjects, edit, makeProject, runCli } from "./helpers/project.ts";
import { readTree } from "../compiler/emit/write.ts";
import type { Finding } from "../compiler/model/finding.ts";

afterAll(cleanProjects);

/** Inserts JSON patches into the OSSA description of a temp project. */
function withPatches(root: string, patches: unknown[]): void {
  edit(
    root,
    "platforms/ossa.ts",
    "export default platform({",
    `export default platform({\n  patches: ${JSON.stringify(patches)},`,
  );
}
const dropLiveness = (environments: string[], annotations: Record<string, string>) => ({
  target: { kind: "Deployment", name: "ossa-gateway" },
  environments,
  ops: [
    { op: "remove", path: "/spec/template/spec/containers/0/livenessProbe" },
    ...Object.entries(annotations).map(([k, v]) => ({ op: "add", path: ["metadata", "annotations", k], value: v })),
  ],
});

describe("manifold validate", () => {
  it("refuses a description value with a field hidden from JSON and YAML, naming the file and the field", () => {
    const root = makeProject();
    // a container whose name is a non-enumerable property: no YAML would write it, while a check reading the field by
    // name would see it
    edit(
      root,
      "platforms/ossa.ts",
      "export default platform({",
      `export default platform({
  patches: [{ target: { kind: "Deployment", name: "ossa-gateway" }, environments: ["dev"], ops: [{ op: "add",
    path: "/spec/template/spec/containers/-",
    value: Object.defineProperty({ image: "docker.io/library/busybox:1.36" }, "name", { value: "hidden" }) }] }],`,
    );
    const r = runCli(root, ["validate"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("platforms/ossa.ts");
    expect(r.stderr).toMatch(/patches\[0\]\.ops\[0\]\.value\.name.*a hidden \(non-enumerable\) field is not JSON data/);
  });

  it("reports a waived finding with its reason, in text and JSON, and the compile passes", () => {
    const root = makeProject();
    withPatches(root, [
      dropLiveness(["production"], { "waive.manifold.dev/probes": "gateway restarts are handled by the mesh" }),
    ]);
    const text = runCli(root, ["validate"]);
    expect(text.status, text.stderr).toBe(0);
    // the seed platforms carry waivers of their own; this test is about the gateway's
    const printed = text.stdout.trim().split("\n");
    // production reports each image without a digest as a warning (its policy), reachability its least-privilege
    // findings and monitoring-rules the alerts on metrics no exporter provides yet (Redis, NATS) as warnings; every
    // other finding is waived
    const digests = printed.filter((l) => / warning (image-digests|reachability|monitoring-rules): /.test(l));
    const lines = printed.filter((l) => !digests.includes(l));
    expect(digests.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes("Deployment/ossa-gateway")).sort()).toEqual(
      ["eu-west-1", "us-east-1", "us-west-2"].map(
        (r) =>
          `platforms/ossa.ts: error probes: Deployment/ossa-gateway /spec/template/spec/containers/0/livenessProbe: container gateway has no livenessProbe [target ossa/production/${r}, component gateway] fix: set probes.readiness and probes.liveness on the component (waived: gateway restarts are handled by the mesh)`,
      ),
    );
    // every finding printed is a waived one, and the summary counts them all
    expect(lines.every((l) => l.includes("(waived: "))).toBe(true);
    expect(text.stderr).toMatch(
      new RegExp(`validated \\d+ targets: 0 error\\(s\\), ${digests.length} warning\\(s\\), ${lines.length} waived`),
    );
    const json = runCli(root, ["validate", "--format", "json"]);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(true);
    expect(report.findings).toContainEqual({
      rule: "probes",
      severity: "error",
      target: "ossa/production/us-west-2",
      component: "gateway",
      object: "Deployment/ossa-gateway",
      pointer: "/spec/template/spec/containers/0/livenessProbe",
      message: "container gateway has no livenessProbe",
      fix: "set probes.readiness and probes.liveness on the component",
      file: "platforms/ossa.ts",
      waived: "gateway restarts are handled by the mesh",
    });
    const compile = runCli(root, ["compile"]);
    expect(compile.status, compile.stderr).toBe(0);
    // a compile counts waived findings in one line; --verbose lists each with its reason
    expect(compile.stderr).toMatch(/\d+ waived finding\(s\) \(min-replicas \d+, probes 3\)/);
    const verbose = runCli(root, ["compile", "--verbose"]);
    expect(verbose.status, verbose.stderr).toBe(0);
    expect(verbose.stderr).toContain("(waived: gateway restarts are handled by the mesh)");
  });

  it("a waiver without a reason is itself an error: validate and compile exit 1 and nothing is written", () => {
    const root = makeProject({ rendered: true });
    const before = readTree(join(root, "rendered"));
    withPatches(root, [dropLiveness(["production"], { "waive.manifold.dev/probes": "" })]);
    const json = runCli(root, ["validate", "--format", "json"]);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(false);
    expect(
      report.findings
        .filter((f: Finding) => f.target === "ossa/production/us-west-2" && f.object === "Deployment/ossa-gateway")
        .filter((f: Finding) => f.rule !== "image-digests")
        .map((f: Finding) => `${f.rule} ${f.pointer}${f.waived ? " waived" : ""}`),
    ).toEqual([
      "probes /spec/template/spec/containers/0/livenessProbe",
      "waivers /metadata/annotations/waive.manifold.dev~1probes",
    ]);
    const compile = runCli(root, ["compile"]);
    expect(compile.status).toBe(1);
    expect(compile.stderr).toContain(
      "error: platforms/ossa.ts: component gateway: waivers: Deployment/ossa-gateway /metadata/annotations/waive.manifold.dev~1probes: a waiver must give its reason",
    );
    expect(readTree(join(root, "rendered"))).toEqual(before);
  });

  it("a warning (dev relaxes probes) is reported but does not fail the compile", () => {
    const root = makeProject({ rendered: true });
    withPatches(root, [dropLiveness(["dev"], {})]);
    const compile = runCli(root, ["compile"]);
    expect(compile.status, compile.stderr).toBe(0);
    expect(compile.stderr).toContain(
      "platforms/ossa.ts: warning probes: Deployment/ossa-gateway /spec/template/spec/containers/0/livenessProbe: container gateway has no livenessProbe [target ossa/dev/us-west-2, component gateway] fix: set probes.readiness and probes.liveness on the component",
    );
    expect(compile.stderr).toMatch(/rendered\/: 0 added, \d+ changed, 0 removed/);
    expect(readFileSync(join(root, "rendered/dev/us-west-2/ossa/deployment-ossa-gateway.yaml"), "utf8")).not.toContain(
      "livenessProbe",
    );
  });
});
