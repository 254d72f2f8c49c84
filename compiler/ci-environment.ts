/**
 * Telling a CI job from a developer's machine, for what only pays off in a working tree that is used again (the
 * stamps of rendered/, compiler/rendered.ts).
 */

/** The values of `CI` that say it is not a CI job (compared trimmed and in lower case). */
const NOT_CI = new Set(["", "false", "0", "no", "off"]);

/**
 * Whether the CLI runs in a CI job: the `CI` environment variable that CI services set (GitHub Actions, GitLab CI,
 * CircleCI, Buildkite, Travis and others), set to anything but an empty string, `false`, `0`, `no` or `off`.
 */
export function runsInCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI;
  return value !== undefined && !NOT_CI.has(value.trim().toLowerCase());
}
