/**
 * compiler/emit/files.ts and journal.ts: two objects never share a file, not even on a volume that ignores case, and
 * the stage creates each file new rather than writing over one.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderTargetFiles } from "../compiler/emit/files.ts";
import { stage } from "../compiler/emit/journal.ts";
import { ManifoldError } from "../compiler/errors.ts";
import { rendered, ruleTarget } from "./helpers/rule.ts";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const role = (name: string) => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRole",
  metadata: { name },
});

describe("the files of a target", () => {
  it("refuses names that differ only in case, which are one file on a volume that ignores case", () => {
    const render = () => renderTargetFiles(ruleTarget(), rendered([role("Admin"), role("viewer"), role("admin")]));
    expect(render).toThrow(ManifoldError);
    expect(render).toThrow(
      "two objects would both be written to production/us-west-2/demo/clusterrole-Admin.yaml and " +
        "production/us-west-2/demo/clusterrole-admin.yaml, one file where case is not told apart: " +
        "rbac.authorization.k8s.io/v1 ClusterRole/Admin and rbac.authorization.k8s.io/v1 ClusterRole/admin",
    );
  });

  it("still names the one path two objects of the same kind and name share", () => {
    const render = () => renderTargetFiles(ruleTarget(), rendered([role("admin"), role("admin")]));
    expect(render).toThrow(
      "two objects would both be written to production/us-west-2/demo/clusterrole-admin.yaml: " +
        "rbac.authorization.k8s.io/v1 ClusterRole/admin and rbac.authorization.k8s.io/v1 ClusterRole/admin",
    );
  });

  it("gives names that differ in more than case a file each", () => {
    const files = renderTargetFiles(ruleTarget(), rendered([role("admin"), role("admin-2")]));
    expect([...files.keys()]).toEqual([
      "production/us-west-2/demo/clusterrole-admin.yaml",
      "production/us-west-2/demo/clusterrole-admin-2.yaml",
    ]);
  });
});

describe("the stage", () => {
  it("creates each file new: a name taken twice is an error, not the second content written over the first", () => {
    const root = mkdtempSync(join(tmpdir(), "manifold-file-names-"));
    made.push(root);
    const dir = join(root, "rendered");
    const twice = () =>
      stage(
        dir,
        [
          ["dev/a/one.yaml", "first\n"],
          ["dev/a/one.yaml", "second\n"],
        ],
        { moves: [""], removals: [] },
      );
    expect(twice).toThrow(/EEXIST/);
    expect(readFileSync(join(root, ".manifold-cache/emit-rendered/staging/dev/a/one.yaml"), "utf8")).toBe("first\n");
    // nothing was committed: the journal is not there, so the next run discards the stage
    expect(existsSync(join(root, ".manifold-cache/emit-rendered/journal.json"))).toBe(false);
  });
});
