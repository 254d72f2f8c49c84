import { afterAll, describe, expect, it, vi } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

// Records every file the comparison reads and every folder it lists: it must read only the files the compile would
// write, and a filtered compile must list only its own targets' folders.
const calls = vi.hoisted(() => ({ read: [] as string[], listed: [] as string[] }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const readFileSync = ((...args: Parameters<typeof fs.readFileSync>) => {
    calls.read.push(String(args[0]));
    return fs.readFileSync(...args);
  }) as typeof fs.readFileSync;
  const readdirSync = ((...args: Parameters<typeof fs.readdirSync>) => {
    calls.listed.push(String(args[0]));
    return fs.readdirSync(...args);
  }) as typeof fs.readdirSync;
  return { ...fs, default: { ...fs, readFileSync, readdirSync }, readFileSync, readdirSync };
});

const { diffTree } = await import("../compiler/emit/write.ts");
const { scopeFor } = await import("../compiler/reuse.ts");

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A rendered/ tree of two platforms in one region, each with a Deployment and a Service. */
function tree(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "manifold-difftree-")), "rendered");
  made.push(dirname(dir));
  for (const platform of ["a", "b"])
    for (const name of ["deployment-api.yaml", "service-api.yaml"]) {
      mkdirSync(join(dir, "dev", "us-west-2", platform), { recursive: true });
      writeFileSync(join(dir, "dev", "us-west-2", platform, name), `${platform}/${name}\n`);
    }
  return dir;
}

const path = (platform: string, name: string) => `dev/us-west-2/${platform}/${name}`;

describe("diffTree reads only the files it compares", () => {
  it.each([
    {
      name: "a filtered compile of platform a: b's files are neither read nor removed",
      files: [
        [path("a", "deployment-api.yaml"), "a/deployment-api.yaml\n"],
        [path("a", "service-api.yaml"), "changed\n"],
        [path("a", "configmap-new.yaml"), "new\n"],
      ],
      scope: scopeFor({ platform: "a" }),
      diff: { added: [path("a", "configmap-new.yaml")], changed: [path("a", "service-api.yaml")], removed: [] },
      read: [path("a", "deployment-api.yaml"), path("a", "service-api.yaml")],
      listed: ["", "dev", "dev/us-west-2", "dev/us-west-2/a"],
    },
    {
      name: "a filtered compile that drops a file: the file in scope is removed unread",
      files: [[path("a", "deployment-api.yaml"), "a/deployment-api.yaml\n"]],
      scope: scopeFor({ platform: "a" }),
      diff: { added: [], changed: [], removed: [path("a", "service-api.yaml")] },
      read: [path("a", "deployment-api.yaml")],
      listed: ["", "dev", "dev/us-west-2", "dev/us-west-2/a"],
    },
    {
      name: "a compile filtered to dev that writes nothing: every file of dev is removed, unread",
      files: [],
      scope: scopeFor({ environment: "dev" }),
      diff: {
        added: [],
        changed: [],
        removed: [
          path("a", "deployment-api.yaml"),
          path("a", "service-api.yaml"),
          path("b", "deployment-api.yaml"),
          path("b", "service-api.yaml"),
        ],
      },
      read: [],
      listed: ["", "dev", "dev/us-west-2", "dev/us-west-2/a", "dev/us-west-2/b"],
    },
    {
      name: "a compile filtered to platform b that drops it: b's folder is listed though nothing is written there",
      files: [],
      scope: scopeFor({ platform: "b" }),
      diff: { added: [], changed: [], removed: [path("b", "deployment-api.yaml"), path("b", "service-api.yaml")] },
      read: [],
      listed: ["", "dev", "dev/us-west-2", "dev/us-west-2/b"],
    },
    {
      name: "a compile filtered to another environment: nothing of dev is listed below its folder",
      files: [],
      scope: scopeFor({ environment: "production" }),
      diff: { added: [], changed: [], removed: [] },
      read: [],
      listed: [""],
    },
    {
      name: "a whole-tree compile: every file it does not write is removed, unread",
      files: [[path("b", "service-api.yaml"), "b/service-api.yaml\n"]],
      scope: undefined,
      diff: {
        added: [],
        changed: [],
        removed: [path("a", "deployment-api.yaml"), path("a", "service-api.yaml"), path("b", "deployment-api.yaml")],
      },
      read: [path("b", "service-api.yaml")],
      listed: ["", "dev", "dev/us-west-2", "dev/us-west-2/a", "dev/us-west-2/b"],
    },
  ])("$name", ({ files, scope, diff, read, listed }) => {
    const dir = tree();
    calls.read = [];
    calls.listed = [];
    expect(diffTree(dir, new Map(files as [string, string][]), scope)).toEqual(diff);
    expect(calls.read.map((p) => p.slice(dir.length + 1)).sort()).toEqual(read);
    expect(calls.listed.map((p) => p.slice(dir.length + 1)).sort()).toEqual(listed);
  });

  it("a filtered scope holds the folders on the way to its targets and no others", () => {
    const scope = scopeFor({ environment: "dev", platform: "a" })!;
    expect(["dev", "dev/us-west-2", "dev/us-west-2/a", "dev/eu-west-1/a/sub"].map((f) => scope.holds!(f))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["production", "dev/us-west-2/b", "argocd", "argocd/dev"].map((f) => scope.holds!(f))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(scope(path("a", "x.yaml"))).toBe(true);
    expect(scope("dev/us-west-2")).toBe(false);
    const region = scopeFor({ region: "us-west-2" })!;
    expect(["dev", "production", "dev/us-west-2", "dev/us-west-2/a/b"].every((f) => region.holds!(f))).toBe(true);
    expect(["dev/eu-west-1", "production/eu-west-1/a", "argocd"].some((f) => region.holds!(f))).toBe(false);
    expect(region(path("a", "x.yaml"))).toBe(true);
    expect(region("dev/eu-west-1/a/x.yaml")).toBe(false);
  });

  it("an entry outside the scope that is no file (a link to a folder) is not read", () => {
    const dir = tree();
    symlinkSync(dirname(dir), join(dir, "dev", "us-west-2", "b", "elsewhere.yaml"));
    const files = new Map([[path("a", "deployment-api.yaml"), "a/deployment-api.yaml\n"]]);
    expect(diffTree(dir, files, scopeFor({ platform: "a" }))).toEqual({
      added: [],
      changed: [],
      removed: [path("a", "service-api.yaml")],
    });
  });
});
