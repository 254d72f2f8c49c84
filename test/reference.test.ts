/** docs/reference.md is current: generating it again from the language gives the same bytes. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/project.ts";
import { REFERENCE_PATH, renderReference } from "../compiler/reference/index.ts";
import * as manifold from "../compiler/index.ts";
import { MINIMAL } from "../compiler/reference/examples.ts";

const generated = renderReference(REPO);

describe("the reference", () => {
  it("is current (run 'npm run reference' after changing the language)", () => {
    expect(readFileSync(join(REPO, REFERENCE_PATH), "utf8")).toBe(generated);
  });

  it("documents every building block and reference the library exports", () => {
    const exported = Object.entries(manifold)
      .filter(([, v]) => typeof v === "function")
      .map(([k]) => k);
    for (const name of ["platform", "environment", "region", "argocd", ...Object.keys(MINIMAL)]) {
      expect(exported).toContain(name);
      expect(generated).toContain(`### \`${name}()\``);
    }
    for (const name of ["secretRef", "url", "address", "configRef", "ingressUrl"])
      expect(generated).toContain(`### \`${name}()\``);
  });

  it("shows the defaults a user needs: probe paths, ports, security context, migrations and the smoke test", () => {
    const service = generated.slice(generated.indexOf("### `service()`"), generated.indexOf("### `webFrontend()`"));
    expect(service).toContain("| `image` | `string` | yes |");
    expect(service).toMatch(/livenessProbe:\n\s+failureThreshold: \d+\n\s+httpGet:\n\s+path: \/\S+/);
    expect(service).toContain("containerPort: 8080");
    expect(service).toContain("readOnlyRootFilesystem: true");
    expect(generated).toContain("### `MigrationDescription`");
    expect(generated).toMatch(/`Job\/migrate`:[\s\S]*argocd\.argoproj\.io\/hook: Sync/);
    expect(generated).toMatch(/`Job\/smoke-test`:[\s\S]*argocd\.argoproj\.io\/hook: PostSync/);
  });

  it("refuses a building block without a minimal example rather than leaving it out", () => {
    const blocks = [...generated.matchAll(/^### `(\w+)\(\)`\n\n[^\n]*\n\n```ts\n\w+\([^)]*\): (\w+)/gm)]
      .filter(([, , returns]) => returns.endsWith("Component"))
      .map(([, name]) => name);
    expect(blocks.sort()).toEqual(Object.keys(MINIMAL).sort());
  });
});
