/**
 * Telling a CI job from a developer's machine, for what only pays off in a working tree that is used again (the
 * stamps of rendered/, compiler/rendered.ts).
 */

/**
 * Whether the CLI runs in a CI job: the `CI` environment variable that CI services set (GitHub Actions, GitLab CI,
 * CircleCI, Buildkite, Travis and others), set to anything but an empty string, `false` or `0`.
 */
export function runsInCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}
