/**
 * Writes the objects of a compiled project as JSON, the input of the peers
 * (cdk8s, kustomize, the `yaml` floor), so every tool renders exactly the
 * objects Manifold renders. Not timed. Usage: tsx bench/export.ts <root> <out.json>
 */
import { writeFileSync } from "node:fs";
import { compile } from "../compiler/compile.ts";
import { targetFolder } from "../compiler/emit/files.ts";

const [root, out] = process.argv.slice(2);
const result = await compile({ root });
const targets = result.targets.map((t) => ({
  folder: targetFolder(t.target),
  platform: t.target.platform,
  environment: t.target.environment,
  region: t.target.region,
  namespace: t.target.namespace,
  objects: t.objects.map((o) => o.object),
}));
writeFileSync(out, JSON.stringify({ targets }));
process.stderr.write(
  `exported ${targets.length} targets, ${targets.reduce((n, t) => n + t.objects.length, 0)} objects\n`,
);
