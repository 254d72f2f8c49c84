/** Reading the committed rendered/ tree back, for tests that check the seeds' figures where Argo CD will see them. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO } from "./project.ts";
import type { Parsed } from "./parsed.ts";

/** Every object of one target folder, parsed. */
export function renderedObjects(environment: string, region: string, platform: string): Parsed[] {
  const dir = join(REPO, "rendered", environment, region, platform);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => parse(readFileSync(join(dir, f), "utf8")));
}

/** Every YAML file of the whole committed rendered/ tree, parsed, in path order. */
export function allRenderedDocuments(): unknown[] {
  const out: unknown[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith(".yaml")) out.push(parse(readFileSync(path, "utf8")));
    }
  };
  walk(join(REPO, "rendered"));
  return out;
}

/** The one object of a kind and name; throws when it is missing. */
export function find(objects: Parsed[], kind: string, name: string): Parsed {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o)
    throw new Error(
      `no ${kind}/${name}; have ${objects
        .filter((x) => x.kind === kind)
        .map((x) => x.metadata.name)
        .join(", ")}`,
    );
  return o;
}
