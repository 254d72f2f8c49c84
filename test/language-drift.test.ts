/**
 * The description language is written once: `describe/types.ts` says what a
 * description is, `describe/schema.ts` checks it at run time, and the shapes
 * are typed by the types. These tests copy the language to a temp dir, make
 * one side drift from the other, and run the type checker on the copy.
 */
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const ROOT = join(import.meta.dirname, "..");
const TSC = join(ROOT, "node_modules/tsgo/bin/tsc");
const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  files: ["compiler/describe/schema.ts"],
};

let dir: string;
const pristine = new Map<string, string>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "manifold-language-"));
  cpSync(join(ROOT, "compiler"), join(dir, "compiler"), { recursive: true });
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
  for (const file of ["types.ts", "schema.ts"])
    pristine.set(file, readFileSync(join(dir, "compiler/describe", file), "utf8"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Applies `edits` (old text → new text, each found exactly once) to copies of the language and type-checks them. */
function typecheckWith(edits: { file: "types.ts" | "schema.ts"; from: string; to: string }[]) {
  for (const [file, text] of pristine) writeFileSync(join(dir, "compiler/describe", file), text);
  for (const { file, from, to } of edits) {
    const text = readFileSync(join(dir, "compiler/describe", file), "utf8");
    expect(text.split(from).length, `${file} holds ${JSON.stringify(from)} once`).toBe(2);
    writeFileSync(join(dir, "compiler/describe", file), text.replace(from, to));
  }
  const run = spawnSync(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe("the description language cannot drift from its checks", () => {
  it("type-checks as it is", () => {
    expect(typecheckWith([])).toEqual({ status: 0, output: "" });
  });

  it("fails when a type gains a field its shape does not check", () => {
    const { status, output } = typecheckWith([
      { file: "types.ts", from: "export interface Egress {\n", to: "export interface Egress {\n  http?: boolean;\n" },
    ]);
    expect(status).not.toBe(0);
    expect(output).toMatch(/schema\.ts\(\d+,\d+\): error TS\d+: Property 'http' is missing/);
  });

  it("fails when a shape checks a field its type does not have", () => {
    const { status, output } = typecheckWith([
      {
        file: "schema.ts",
        from: "  requests: optional(requestMetrics),\n});",
        to: "  requests: optional(requestMetrics),\n  scheme: optional(str()),\n});",
      },
    ]);
    expect(status).not.toBe(0);
    expect(output).toMatch(
      /schema\.ts\(\d+,\d+\): error TS\d+: Object literal may only specify known properties, and 'scheme'/,
    );
  });

  it("fails when a field is required in the type but optional in the shape", () => {
    const { status, output } = typecheckWith([
      {
        file: "schema.ts",
        from: "  storage: quantity,\n  storageClass: optional(dnsLabel),\n  password:",
        to: "  storage: optional(quantity),\n  storageClass: optional(dnsLabel),\n  password:",
      },
    ]);
    expect(status).not.toBe(0);
    expect(output).toMatch(
      /schema\.ts\(\d+,\d+\): error TS\d+: Type 'Optional<string>' is not assignable to type 'Shape<string>'/,
    );
  });

  it("fails when a field becomes optional in the type but stays required in the shape", () => {
    const { status, output } = typecheckWith([
      {
        file: "types.ts",
        from: "export interface HttpProbe {\n  path: string;",
        to: "export interface HttpProbe {\n  path?: string;",
      },
    ]);
    expect(status).not.toBe(0);
    expect(output).toMatch(
      /schema\.ts\(\d+,\d+\): error TS\d+: Type 'Shape<string>' is not assignable to type 'Optional<string>'/,
    );
  });

  it("fails when a union gains a member the shape does not accept", () => {
    const { status, output } = typecheckWith([
      {
        file: "types.ts",
        from: '"Off" | "Initial" | "Recreate" | "Auto";',
        to: '"Off" | "Initial" | "Recreate" | "InPlace" | "Auto";',
      },
    ]);
    expect(status).not.toBe(0);
    expect(output).toMatch(
      /schema\.ts\(\d+,\d+\): error TS\d+: .* is not assignable to type 'Shape<VerticalScalingMode>'/,
    );
    expect(output).toContain(`Type '"InPlace"' is not assignable`);
  });

  it("fails when a component field is added without its check, also where layers override it", () => {
    const { status, output } = typecheckWith([
      { file: "types.ts", from: '  type: "service";\n', to: '  type: "service";\n  hostNetwork?: boolean;\n' },
    ]);
    expect(status).not.toBe(0);
    expect(output).toMatch(/Property 'hostNetwork' is missing/);
  });
});
