/**
 * Every custom resource in rendered/ validates against its upstream CRD schema
 * in ../shared/reference/crd-schemas/ (the product never reads those), with
 * unknown fields rejected at every level the CRD does not leave open.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import type { RegExpEngine } from "ajv/dist/types/index.js";
import { parse } from "yaml";
import { expect, it } from "vitest";
import { REPO } from "./helpers/project.ts";
import { CRD_SCHEMAS, closedSchema, describeWithSchemas, schemasPresent } from "./helpers/schemas.ts";

const SCHEMAS = CRD_SCHEMAS;
const RENDERED = join(REPO, "rendered");

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith(".yaml") ? [join(dir, e.name)] : [],
  );
}

/** CRD patterns are Go (RE2) expressions: turn an inline `(?i)` into the `i` flag. */
const goRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string): RegExp =>
    pattern.includes("(?i)") ? new RegExp(pattern.replaceAll("(?i)", ""), flags + "i") : new RegExp(pattern, flags),
  { code: "goRegExp" },
);

const present = schemasPresent();

describeWithSchemas("custom resources match their upstream CRD schemas", present, () => {
  const groups = present
    ? new Set(
        readdirSync(SCHEMAS, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name),
      )
    : new Set<string>();
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
  const validators = new Map<string, ValidateFunction>();
  const validatorFor = (group: string, version: string, kind: string): ValidateFunction | undefined => {
    const file = join(SCHEMAS, group, `${kind.toLowerCase()}_${version}.json`);
    if (!existsSync(file)) return undefined;
    if (!validators.has(file)) {
      // Some catalog schemas describe only spec and status; every object also has the Kubernetes envelope.
      const schema = JSON.parse(readFileSync(file, "utf8"));
      schema.properties = {
        apiVersion: { type: "string" },
        kind: { type: "string" },
        metadata: { type: "object" },
        ...schema.properties,
      };
      validators.set(file, ajv.compile(closedSchema(schema)));
    }
    return validators.get(file);
  };

  it("closing a schema rejects an unknown field", () => {
    const validate = ajv.compile(
      closedSchema({ type: "object", properties: { spec: { type: "object", properties: { a: { type: "string" } } } } }),
    );
    expect(validate({ spec: { a: "x" } })).toBe(true);
    expect(validate({ spec: { a: "x", b: "y" } })).toBe(false);
  });

  it("every custom resource under rendered/ validates, unknown fields included", () => {
    const problems: string[] = [];
    const checked = new Map<string, number>();
    for (const file of yamlFiles(RENDERED)) {
      const o = parse(readFileSync(file, "utf8"));
      const [group, version] = String(o?.apiVersion ?? "").includes("/")
        ? String(o.apiVersion).split("/")
        : ["", o?.apiVersion];
      if (!groups.has(group)) continue;
      const validate = validatorFor(group, version, o.kind);
      const where = relative(REPO, file);
      if (!validate) {
        problems.push(`${where}: no upstream schema for ${o.apiVersion} ${o.kind}`);
        continue;
      }
      if (!validate(o))
        for (const e of validate.errors ?? [])
          problems.push(
            `${where}: ${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${e.params.additionalProperty})` : ""}`,
          );
      const key = `${o.apiVersion}/${o.kind}`;
      checked.set(key, (checked.get(key) ?? 0) + 1);
    }
    expect(problems).toEqual([]);
    // The kinds the seed platforms render are all among those checked.
    for (const kind of [
      "external-secrets.io/v1/ExternalSecret",
      "monitoring.coreos.com/v1/ServiceMonitor",
      "monitoring.coreos.com/v1/PrometheusRule",
      "monitoring.coreos.com/v1/Prometheus",
      "monitoring.coreos.com/v1/Alertmanager",
      "monitoring.coreos.com/v1alpha1/AlertmanagerConfig",
      "autoscaling.k8s.io/v1/VerticalPodAutoscaler",
      "networking.istio.io/v1beta1/Gateway",
      "networking.istio.io/v1beta1/VirtualService",
      "networking.istio.io/v1beta1/DestinationRule",
      "security.istio.io/v1beta1/PeerAuthentication",
      "security.istio.io/v1/AuthorizationPolicy",
    ])
      expect(checked.get(kind), kind).toBeGreaterThan(0);
  });
});
