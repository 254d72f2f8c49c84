import { defineConfig } from "vitest/config";
import { decide, minimumMajor, pinnedNode, pinnedPackages } from "./bin/runtime.mjs";

// The suite runs on a supported Node: `npm test` and `npx vitest` put the project's pinned Node first on PATH.
const runtime = decide(process.version, minimumMajor(), pinnedNode(), pinnedPackages());
if (runtime.action !== "run") {
  process.stderr.write(
    runtime.action === "fail"
      ? `${runtime.message}\n`
      : `the tests need Node ${minimumMajor()} or later, not ${process.version}: run them with \`npm test\` or ` +
          "`npx vitest`, which use the project's pinned Node\n",
  );
  process.exit(1);
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Many tests run whole CLI processes and git one after another; under a loaded CI runner the slowest of them take
    // about half a minute, so a minute left too little headroom.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
  },
});
