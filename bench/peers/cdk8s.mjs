// Peer: cdk8s App.synth() of the same objects, one Chart per target, one file per resource.
// Plain JavaScript with no TypeScript loader: the kindest setting for cdk8s.
// Usage: node bench/peers/cdk8s.mjs <objects.json> <outdir>
import { readFileSync } from "node:fs";
import { App, Chart, ApiObject, YamlOutputType } from "cdk8s";

const [input, outdir] = process.argv.slice(2);
const { targets } = JSON.parse(readFileSync(input, "utf8"));
const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
for (const t of targets) {
  const chart = new Chart(app, t.folder.replaceAll("/", "-"));
  for (const o of t.objects) new ApiObject(chart, `${o.kind}-${o.metadata.name}`, o);
}
app.synth();
