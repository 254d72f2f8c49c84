import { afterAll, describe, expect, it } from "vitest";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diffWithStamps } from "../compiler/emit/stamps.ts";
import { diffTree, isEmptyDiff, type TreeDiff } from "../compiler/emit/write.ts";

const dirs: string[] = [];
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const files = new Map([
  ["dev/us/app/deployment-api.yaml", "kind: Deployment\n"],
  ["dev/us/app/README.md", "# app\n"],
  ["argocd/application-manifold.yaml", "kind: Application\n"],
]);

/** A project whose rendered/ holds `files`, written a while ago (older than any mark taken from now on). */
async function project(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "manifold-stamps-"));
  dirs.push(root);
  for (const [path, content] of files) {
    mkdirSync(join(root, "rendered", path, ".."), { recursive: true });
    writeFileSync(join(root, "rendered", path), content);
  }
  await new Promise((r) => setTimeout(r, 50));
  return root;
}

const stampsOf = (root: string) =>
  JSON.parse(readFileSync(join(root, ".manifold-cache", "emit-rendered", "stamps.json"), "utf8")) as {
    key: string;
    stamps: Record<string, string>;
  };

describe("telling rendered/ unchanged from its files' stamps", () => {
  it("records the files found equal, then trusts them under the same key only", async () => {
    const root = await project();
    const dir = join(root, "rendered");
    const first = diffWithStamps(dir, files, "k1");
    expect(isEmptyDiff(first.diff)).toBe(true);
    first.record();
    expect(Object.keys(stampsOf(root).stamps).sort()).toEqual([...files.keys()].sort());
    // Under the recorded key a stamped file is not read: equal keys mean equal files, whatever the map says.
    const other = new Map(files).set("dev/us/app/README.md", "# other\n");
    expect(isEmptyDiff(diffWithStamps(dir, other, "k1").diff)).toBe(true);
    // Under another key every file is read again.
    expect(diffWithStamps(dir, other, "k2").diff).toEqual({
      added: [],
      changed: ["dev/us/app/README.md"],
      removed: [],
    });
  });

  it("sees a hand edit that keeps the size and puts the modification time back", async () => {
    const root = await project();
    const dir = join(root, "rendered");
    diffWithStamps(dir, files, "k").record();
    const path = join(dir, "dev/us/app/deployment-api.yaml");
    const before = statSync(path);
    writeFileSync(path, "kind: Deploymenx\n");
    utimesSync(path, before.atime, before.mtime);
    expect(statSync(path).size).toBe(before.size);
    const { diff } = diffWithStamps(dir, files, "k");
    expect(diff).toEqual({ added: [], changed: ["dev/us/app/deployment-api.yaml"], removed: [] });
  });

  it("sees added and removed files", async () => {
    const root = await project();
    const dir = join(root, "rendered");
    diffWithStamps(dir, files, "k").record();
    writeFileSync(join(dir, "dev/us/app/stray.yaml"), "x\n");
    rmSync(join(dir, "argocd/application-manifold.yaml"));
    const { diff } = diffWithStamps(dir, files, "k");
    expect(diff).toEqual({
      added: ["argocd/application-manifold.yaml"],
      changed: [],
      removed: ["dev/us/app/stray.yaml"],
    });
  });
});

const API = "dev/us/app/deployment-api.yaml";
const README = "dev/us/app/README.md";
const APP = "argocd/application-manifold.yaml";

/**
 * Changes made to rendered/ after its stamps were recorded, and the verdict both comparisons must give: with the
 * stamps (the CLI outside CI) and without (diffTree, the CLI in a CI job).
 */
const cases: [string, (dir: string) => void, TreeDiff][] = [
  ["nothing", () => {}, { added: [], changed: [], removed: [] }],
  ["a file edited", (dir) => writeFileSync(join(dir, API), "kind: Job\n"), { added: [], changed: [API], removed: [] }],
  ["a file deleted", (dir) => rmSync(join(dir, APP)), { added: [APP], changed: [], removed: [] }],
  [
    "an extra file",
    (dir) => writeFileSync(join(dir, "dev/x.yaml"), "x\n"),
    { added: [], changed: [], removed: ["dev/x.yaml"] },
  ],
  [
    "a file renamed to another case",
    (dir) => {
      mkdirSync(join(dir, "Dev/us/app"), { recursive: true });
      writeFileSync(join(dir, "Dev/us/app/README.md"), "# app\n");
      rmSync(join(dir, README));
    },
    { added: [README], changed: [], removed: ["Dev/us/app/README.md"] },
  ],
  [
    "a symbolic link to nothing",
    (dir) => symlinkSync(join(dir, "gone.yaml"), join(dir, "dev/dangling.yaml")),
    { added: [], changed: [], removed: ["dev/dangling.yaml"] },
  ],
  [
    "a symbolic link to itself",
    (dir) => symlinkSync(join(dir, "dev/loop.yaml"), join(dir, "dev/loop.yaml")),
    { added: [], changed: [], removed: ["dev/loop.yaml"] },
  ],
  [
    "a compiled file replaced by a link to an equal file",
    (dir) => {
      writeFileSync(join(dir, "elsewhere.txt"), files.get(README)!);
      rmSync(join(dir, README));
      symlinkSync(join(dir, "elsewhere.txt"), join(dir, README));
    },
    { added: [], changed: [], removed: ["elsewhere.txt"] },
  ],
];

describe("the same verdict with the stamps and without them", () => {
  it.each(cases)("%s", async (_name, change, expected) => {
    const root = await project();
    const dir = join(root, "rendered");
    diffWithStamps(dir, files, "k").record();
    change(dir);
    expect(diffWithStamps(dir, files, "k").diff).toEqual(expected);
    expect(diffTree(dir, files, undefined)).toEqual(expected);
  });

  it("a compiled file that is a symbolic link to nothing fails both, as a read of it does", async () => {
    const root = await project();
    const dir = join(root, "rendered");
    diffWithStamps(dir, files, "k").record();
    rmSync(join(dir, README));
    symlinkSync(join(dir, "gone.md"), join(dir, README));
    expect(() => diffWithStamps(dir, files, "k")).toThrow(/ENOENT/);
    expect(() => diffTree(dir, files, undefined)).toThrow(/ENOENT/);
  });
});
