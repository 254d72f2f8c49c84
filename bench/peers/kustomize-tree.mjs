// Peer setup (not timed): an equivalent Kustomize tree. A base per platform holds the
// objects of one of its targets (namespace removed); each target is an overlay that sets
// its namespace and adds environment and region labels. The bench then runs one
// `kubectl kustomize` build per target.
// Usage: node bench/peers/kustomize-tree.mjs <objects.json> <treedir>
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { stringify } from "yaml";

const [input, tree] = process.argv.slice(2);
const { targets } = JSON.parse(readFileSync(input, "utf8"));
rmSync(tree, { recursive: true, force: true });
const bases = new Set();
for (const t of targets) {
  if (!bases.has(t.platform)) {
    bases.add(t.platform);
    const dir = `${tree}/base/${t.platform}`;
    mkdirSync(dir, { recursive: true });
    const files = [];
    for (const o of t.objects) {
      const { namespace: _ns, ...metadata } = o.metadata;
      const file = `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
      writeFileSync(`${dir}/${file}`, stringify({ ...o, metadata }, { lineWidth: 0 }));
      files.push(file);
    }
    writeFileSync(
      `${dir}/kustomization.yaml`,
      stringify({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources: files }),
    );
  }
  const dir = `${tree}/overlays/${t.folder}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}/kustomization.yaml`,
    stringify({
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      namespace: t.namespace,
      resources: [`../../../../base/${t.platform}`],
      labels: [{ pairs: { "example.com/environment": t.environment, "example.com/region": t.region } }],
    }),
  );
}
writeFileSync(`${tree}/targets.json`, JSON.stringify(targets.map((t) => t.folder)));
