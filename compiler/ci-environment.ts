/**
 * Telling a CI job from a developer's machine, for what only pays off in a working tree that is used again (the
 * stamps of rendered/, compiler/rendered.ts), and reading a switch from the environment the same way.
 */

/** The values of a switch in the environment that leave it off (compared trimmed and in lower case). */
const OFF = new Set(["", "false", "0", "no", "off"]);

/** Whether an environment variable used as a switch is on: set to anything but empty, `false`, `0`, `no` or `off`. */
export function switchedOn(value: string | undefined): boolean {
  return value !== undefined && !OFF.has(value.trim().toLowerCase());
}

/**
 * Whether the CLI runs in a CI job: the `CI` environment variable that CI services set (GitHub Actions, GitLab CI,
 * CircleCI, Buildkite, Travis and others), set to anything but an empty string, `false`, `0`, `no` or `off`.
 */
export function runsInCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return switchedOn(env.CI);
}
