// The floor: the `yaml` library's stringify of the same objects, one file per object.
// Usage: node bench/peers/yaml-floor.mjs <objects.json> <outdir>
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { stringify } from "yaml";

const [input, outdir] = process.argv.slice(2);
const { targets } = JSON.parse(readFileSync(input, "utf8"));
for (const t of targets) {
  const dir = `${outdir}/${t.folder}`;
  mkdirSync(dir, { recursive: true });
  for (const o of t.objects)
    writeFileSync(
      `${dir}/${o.kind.toLowerCase()}-${o.metadata.name}.yaml`,
      stringify(o, { version: "1.1", lineWidth: 0 }),
    );
}
