// Checks every object of rendered/argocd/ against the upstream CRD JSON schemas
// (Argo CD 3.5 Application, ApplicationSet and AppProject; external-secrets v1
// ExternalSecret), with unknown fields rejected everywhere. The schemas live in
// the shared reference folder next to the repository; without it the suite is
// skipped with a message (a failure in CI).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { compile, type CompileResult } from "../compiler/compile.ts";
import { REPO } from "./helpers/project.ts";
import { CRD_SCHEMAS, closedSchema, describeWithSchemas, schemasPresent } from "./helpers/schemas.ts";

const SCHEMAS = CRD_SCHEMAS;
const present = schemasPresent("argoproj.io");

const FILES: Record<string, string> = {
  "argoproj.io/v1alpha1/Application": "argoproj.io/application_v1alpha1.json",
  "argoproj.io/v1alpha1/ApplicationSet": "argoproj.io/applicationset_v1alpha1.json",
  "argoproj.io/v1alpha1/AppProject": "argoproj.io/appproject_v1alpha1.json",
  "external-secrets.io/v1/ExternalSecret": "external-secrets.io/externalsecret_v1.json",
};

function validator(ajv: Ajv, key: string): ValidateFunction {
  return ajv.compile(closedSchema(JSON.parse(readFileSync(join(SCHEMAS, FILES[key]), "utf8"))));
}

describeWithSchemas("rendered/argocd/ against the upstream CRD schemas", present, () => {
  let result: CompileResult;
  let validators: Record<string, ValidateFunction>;
  beforeAll(async () => {
    result = await compile({ root: REPO });
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
    validators = Object.fromEntries(Object.keys(FILES).map((k) => [k, validator(ajv, k)]));
  });

  it("every Argo CD and external-secrets object passes, unknown fields rejected", () => {
    const checked: string[] = [];
    for (const [path, text] of result.files) {
      if (!path.startsWith("argocd/") || !path.endsWith(".yaml")) continue;
      const object = parse(text, { version: "1.1" });
      const key = `${object.apiVersion}/${object.kind}`;
      if (object.apiVersion === "v1") continue; // core ConfigMaps: checked by the kubernetes-models schema rule
      const validate = validators[key];
      expect(validate, `no upstream schema for ${key} (${path})`).toBeDefined();
      const ok = validate(object);
      expect(ok ? [] : validate.errors, path).toEqual([]);
      checked.push(object.kind);
    }
    expect(new Set(checked)).toEqual(new Set(["Application", "ApplicationSet", "AppProject", "ExternalSecret"]));
  });

  it("the check can fail: an unknown field or a wrong type is rejected", () => {
    const set = parse(result.files.get("argocd/applicationset-ossa-production.yaml")!, { version: "1.1" });
    const validate = validators["argoproj.io/v1alpha1/ApplicationSet"];
    expect(validate(set)).toBe(true);
    set.spec.strategy.rollingSync.defaultPrunee = true;
    expect(validate(set)).toBe(false);
    delete set.spec.strategy.rollingSync.defaultPrunee;
    set.spec.template.spec.syncPolicy.retry.limit = "five";
    expect(validate(set)).toBe(false);
  });
});
