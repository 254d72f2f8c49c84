import { afterAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { cleanProjects, edit, makeProject, runCli } from "./helpers/project.ts";
import { readTree } from "../compiler/emit/write.ts";

afterAll(cleanProjects);

// Each case breaks a copy of the project in one way. The CLI must exit 1 with
// one clear error naming the file, the field and the target, print no stack
// trace, and leave rendered/ exactly as it was.
const CASES: { name: string; file: string; from: string | RegExp; to: string; expect: RegExp[] }[] = [
  {
    name: "an unknown component field",
    file: "platforms/ossa.ts",
    from: 'description: "Caching and session store",',
    to: 'description: "Caching and session store", replicaz: 3,',
    expect: [
      /platforms\/ossa\.ts: components\.redis\.replicaz: unknown field \(did you mean "replicas"\?\)/,
      /\[target ossa\]/,
    ],
  },
  {
    name: "a port outside 1 to 65535",
    file: "platforms/ossa.ts",
    from: "ports: { http: 3000 },\n      replicas: 2,",
    to: "ports: { http: 70000 },\n      replicas: 2,",
    expect: [
      /platforms\/ossa\.ts: components\.monitoring\.ports\.http: must be an integer from 1 to 65535 \(got 70000\)/,
    ],
  },
  {
    name: "a quantity like 500mb",
    file: "platforms/ossa.ts",
    from: 'requests: { cpu: "250m", memory: "512Mi" }',
    to: 'requests: { cpu: "250m", memory: "500mb" }',
    expect: [
      /platforms\/ossa\.ts: components\.monitoring\.resources\.requests\.memory: must be a Kubernetes quantity .*\(got "500mb"; did you mean "500Mi"\?\)/,
    ],
  },
  {
    name: "an HPA whose min is above its max",
    file: "platforms/ossa.ts",
    from: 'agentService("coordination", 3, 10,',
    to: 'agentService("coordination", 12, 10,',
    expect: [/platforms\/ossa\.ts: components\.coordination\.autoscale: min \(12\) must not be above max \(10\)/],
  },
  {
    name: "two objects with the same kind and name",
    file: "platforms/ossa.ts",
    from: "    monitoring: service({",
    to: '    "redis-replica": service({ image: "docker.io/ossa/cache:0.1.8", ports: { http: 3000 }, replicas: 2, resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } } }),\n    monitoring: service({',
    expect: [
      /platforms\/ossa\.ts: component redis-replica: unique: Service\/ossa-redis-replica .*two objects are both Service\/ossa-redis-replica \(components redis and redis-replica\)/,
      /\[targets ossa\/production\/us-west-2; ossa\/production\/us-east-1/,
    ],
  },
  {
    name: "a name that is not DNS-1123",
    file: "platforms/ossa.ts",
    from: "    monitoring: service({",
    to: "    Monitoring_Service: service({",
    expect: [/platforms\/ossa\.ts: components\.Monitoring_Service: must be a DNS-1123 label/],
  },
  {
    name: "an environment that names an unknown region",
    file: "environments/staging.ts",
    from: 'regions: ["us-west-2", "us-east-1"]',
    to: 'regions: ["us-west-2", "ap-south-9"]',
    expect: [
      /environments\/staging\.ts: regions\[1\]: unknown region "ap-south-9"; known regions: eu-west-1, us-east-1, us-west-2 \[target staging\]/,
    ],
  },
  {
    name: "a staging override that breaks an HPA range, blamed on the environment",
    file: "environments/staging.ts",
    from: "autoscale: { min: 2 }",
    to: "autoscale: { min: 20 }",
    expect: [
      // in both of staging's regions (resolve checks a component of the same JSON once, and blames every target)
      /environments\/staging\.ts: components\.coordination\.autoscale: min \(20\) must not be above max \(10\) \(set by environment staging\) \[targets ossa\/staging\/us-west-2; ossa\/staging\/us-east-1\b/,
    ],
  },
  {
    name: "a syntax error",
    file: "platforms/ossa.ts",
    from: "export default platform({",
    to: "export default platform({{",
    expect: [/platforms\/ossa\.ts: cannot be loaded: /],
  },
  {
    name: "a dependency on an unknown component",
    file: "platforms/ossa.ts",
    from: '["orchestration", "qdrant"]',
    to: '["orchestration", "qdrantt"]',
    expect: [/platforms\/ossa\.ts: components\.task-agents\.dependsOn\[1\]: depends on unknown component "qdrantt"/],
  },
  {
    name: "a value that is not JSON data where the language wants a string",
    file: "platforms/context-foundation.ts",
    from: '    LOG_LEVEL: "INFO",',
    to: "    LOG_LEVEL: new Date(0) as unknown as string,",
    expect: [
      /^error: platforms\/context-foundation\.ts: config\.LOG_LEVEL: a Date is not JSON data: write it as a string \(date\.toISOString\(\)\)\n$/,
    ],
  },
  {
    // JSON writes a Date as its ISO string: the caches and the validation memo would take it for that string
    name: "a patch value that is not JSON data",
    file: "platforms/ossa.ts",
    from: "\n  environments: {",
    to: `
  patches: [
    {
      target: { kind: "ConfigMap", name: "ossa-grafana-etc-grafana-provisioning-dashboards" },
      environments: ["staging"],
      regions: ["us-east-1"],
      ops: [{ op: "add", path: ["data", "at"], value: new Date(0) }],
    },
  ],
  environments: {`,
    expect: [
      /^error: platforms\/ossa\.ts: patches\[0\]\.ops\[0\]\.value: a Date is not JSON data: write it as a string \(date\.toISOString\(\)\)\n$/,
    ],
  },
];

describe("bad input gets one clear error and writes nothing", () => {
  it.each(CASES)("$name", (c) => {
    const root = makeProject({ rendered: true });
    const before = readTree(join(root, "rendered"));
    edit(root, c.file, c.from, c.to);
    const run = runCli(root, ["compile"]);
    expect(run.status, run.stderr).toBe(1);
    for (const re of c.expect) expect(run.stderr).toMatch(re);
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
    expect(run.stdout).toBe("");
    const after = readTree(join(root, "rendered"));
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [p, text] of before) expect(after.get(p)).toBe(text);
  });
});
