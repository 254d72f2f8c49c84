/**
 * compiler/emit/equal-files.ts: a write stages each content once and links its other files to it, and a later write
 * that changes one of them changes that path alone.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { equalContentWriter, type LinkingFs } from "../compiler/emit/equal-files.ts";
import { diffTree, readTree, writeTree } from "../compiler/emit/write.ts";
import { diffWithStamps } from "../compiler/emit/stamps.ts";
import { renderTargetFiles } from "../compiler/emit/files.ts";
import { ManifoldError } from "../compiler/errors.ts";
import { rendered, ruleTarget } from "./helpers/rule.ts";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "manifold-equal-files-"));
  made.push(dir);
  return dir;
}

/** Writes `files` into `dir` as a compile's emit does: compare, then the staged, journaled write. */
function write(dir: string, files: Record<string, string>): void {
  const map = new Map(Object.entries(files));
  writeTree(dir, map, diffTree(dir, map, undefined));
}

const inode = (dir: string, path: string) => statSync(join(dir, path)).ino;
const links = (dir: string, path: string) => statSync(join(dir, path)).nlink;

const DEPLOYMENT = "kind: Deployment\nmetadata:\n  name: api\n";
const SERVICE = "kind: Service\nmetadata:\n  name: api\n";

describe("a write of equal files", () => {
  it("gives the files of one content one inode, and each content its own", () => {
    const dir = join(tempDir(), "rendered");
    const files = {
      "prod/eu/api/deployment-api.yaml": DEPLOYMENT,
      "prod/us/api/deployment-api.yaml": DEPLOYMENT,
      "prod/ap/api/deployment-api.yaml": DEPLOYMENT,
      "prod/eu/api/service-api.yaml": SERVICE,
      "prod/us/api/service-api.yaml": SERVICE,
      "prod/eu/api/README.md": "# eu\n",
    };
    write(dir, files);
    expect(Object.fromEntries(readTree(dir))).toEqual(files);
    const deployment = inode(dir, "prod/eu/api/deployment-api.yaml");
    expect(inode(dir, "prod/us/api/deployment-api.yaml")).toBe(deployment);
    expect(inode(dir, "prod/ap/api/deployment-api.yaml")).toBe(deployment);
    expect(links(dir, "prod/ap/api/deployment-api.yaml")).toBe(3);
    expect(inode(dir, "prod/us/api/service-api.yaml")).toBe(inode(dir, "prod/eu/api/service-api.yaml"));
    expect(inode(dir, "prod/eu/api/service-api.yaml")).not.toBe(deployment);
    expect(links(dir, "prod/eu/api/README.md")).toBe(1);
  });

  it("changes only the path a later write changes, and links only what that write stages", () => {
    const dir = join(tempDir(), "rendered");
    const before = {
      "prod/eu/api/deployment-api.yaml": DEPLOYMENT,
      "prod/us/api/deployment-api.yaml": DEPLOYMENT,
      "prod/ap/api/deployment-api.yaml": DEPLOYMENT,
    };
    write(dir, before);
    const changed = DEPLOYMENT + "spec:\n  replicas: 3\n";
    write(dir, { ...before, "prod/us/api/deployment-api.yaml": changed, "prod/ap/api/deployment-api.yaml": changed });
    expect(readFileSync(join(dir, "prod/eu/api/deployment-api.yaml"), "utf8")).toBe(DEPLOYMENT);
    expect(readFileSync(join(dir, "prod/us/api/deployment-api.yaml"), "utf8")).toBe(changed);
    expect(links(dir, "prod/eu/api/deployment-api.yaml")).toBe(1);
    expect(inode(dir, "prod/ap/api/deployment-api.yaml")).toBe(inode(dir, "prod/us/api/deployment-api.yaml"));
    // a file the tree already holds is never a link target: a new path of an old content is a file of its own
    write(dir, {
      ...before,
      "prod/us/api/deployment-api.yaml": changed,
      "prod/ap/api/deployment-api.yaml": changed,
      "prod/sa/api/deployment-api.yaml": DEPLOYMENT,
    });
    expect(links(dir, "prod/sa/api/deployment-api.yaml")).toBe(1);
    expect(readFileSync(join(dir, "prod/sa/api/deployment-api.yaml"), "utf8")).toBe(DEPLOYMENT);
  });
});

describe("the files of a write", () => {
  it("refuses names that differ only in case, which are one file on a volume that ignores case", () => {
    const role = (name: string) => ({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name },
    });
    const render = () => renderTargetFiles(ruleTarget(), rendered([role("Admin"), role("viewer"), role("admin")]));
    expect(render).toThrow(ManifoldError);
    expect(render).toThrow(
      "two objects would both be written to production/us-west-2/demo/clusterrole-Admin.yaml and " +
        "production/us-west-2/demo/clusterrole-admin.yaml, one file where case is not told apart: " +
        "rbac.authorization.k8s.io/v1 ClusterRole/Admin and rbac.authorization.k8s.io/v1 ClusterRole/admin",
    );
  });

  it("reports every name of a linked file an editor changed in place, even where stamps were recorded", () => {
    const dir = join(tempDir(), "rendered");
    const files = new Map([
      ["prod/eu/api/deployment-api.yaml", DEPLOYMENT],
      ["prod/us/api/deployment-api.yaml", DEPLOYMENT],
      ["prod/eu/api/service-api.yaml", SERVICE],
    ]);
    writeTree(dir, files, diffTree(dir, files, undefined));
    // stamps are recorded only for files changed before the mark a comparison takes: wait past the write's times
    const settled = Date.now() + 20;
    while (Date.now() < settled);
    const first = diffWithStamps(dir, files, "key");
    first.record();
    expect(first.diff.changed).toEqual([]);
    const stamps = JSON.parse(readFileSync(join(dir, "../.manifold-cache/emit-rendered/stamps.json"), "utf8"));
    expect(Object.keys(stamps.stamps)).toHaveLength(3);
    writeFileSync(join(dir, "prod/eu/api/deployment-api.yaml"), "edited: in place\n", { flag: "r+" });
    expect(diffWithStamps(dir, files, "key").diff.changed).toEqual([
      "prod/eu/api/deployment-api.yaml",
      "prod/us/api/deployment-api.yaml",
    ]);
    expect(readFileSync(join(dir, "prod/us/api/deployment-api.yaml"), "utf8")).toMatch(/^edited: in place/);
  });
});

/** A file system that records what it was asked and refuses links with `refusal` (an errno code) while it is set. */
function fakeFs(refusal?: string): LinkingFs & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    link(existing, path) {
      calls.push(`link ${existing} ${path}`);
      if (refusal) throw Object.assign(new Error(refusal), { code: refusal });
    },
    create(path, content) {
      calls.push(`write ${path} ${content}`);
    },
  };
}

describe("equalContentWriter", () => {
  it("writes the first file of each content and links the others to it", () => {
    const fs = fakeFs();
    const write = equalContentWriter(fs);
    for (const [path, content] of [
      ["a", "x"],
      ["b", "y"],
      ["c", "x"],
      ["d", "x"],
      ["e", "y"],
    ])
      write(path, content);
    expect(fs.calls).toEqual(["write a x", "write b y", "link a c", "link a d", "link b e"]);
  });

  it("writes every file once the file system refuses a link (no support for links)", () => {
    const fs = fakeFs("EPERM");
    const write = equalContentWriter(fs);
    for (const [path, content] of [
      ["a", "x"],
      ["b", "x"],
      ["c", "x"],
      ["d", "y"],
      ["e", "y"],
    ])
      write(path, content);
    expect(fs.calls).toEqual(["write a x", "link a b", "write b x", "write c x", "write d y", "write e y"]);
  });

  it("starts a new first file of a content that has too many links (EMLINK) and goes on linking to it", () => {
    const fs = fakeFs("EMLINK");
    const write = equalContentWriter(fs);
    write("a", "x");
    write("b", "x");
    const linking = fakeFs();
    fs.link = linking.link;
    write("c", "x");
    expect(fs.calls).toEqual(["write a x", "link a b", "write b x"]);
    expect(linking.calls).toEqual(["link b c"]);
  });

  it("keys long contents of equal length by digest: equal ones link, those differing at the end do not", () => {
    const fs = fakeFs();
    const write = equalContentWriter(fs);
    const long = (end: string) => "x".repeat(40_000) + end;
    write("a", long("1"));
    write("b", long("2"));
    write("c", long("1"));
    write("d", long("2"));
    expect(fs.calls.map((c) => c.slice(0, 8))).toEqual(["write a ", "write b ", "link a c", "link b d"]);
  });

  it("creates every file new: a name the stage already holds is an error, never a write into it", () => {
    const dir = tempDir();
    const write = equalContentWriter();
    write(join(dir, "one.yaml"), DEPLOYMENT);
    write(join(dir, "two.yaml"), DEPLOYMENT);
    expect(() => write(join(dir, "two.yaml"), SERVICE)).toThrow(/EEXIST/);
    expect(() => write(join(dir, "two.yaml"), DEPLOYMENT)).toThrow(/EEXIST/);
    expect(readFileSync(join(dir, "one.yaml"), "utf8")).toBe(DEPLOYMENT);
  });

  it("links real files: one inode, the content whole", () => {
    const dir = tempDir();
    const write = equalContentWriter();
    write(join(dir, "one.yaml"), DEPLOYMENT);
    write(join(dir, "two.yaml"), DEPLOYMENT);
    expect(statSync(join(dir, "two.yaml")).ino).toBe(statSync(join(dir, "one.yaml")).ino);
    expect(readFileSync(join(dir, "two.yaml"), "utf8")).toBe(DEPLOYMENT);
  });
});
