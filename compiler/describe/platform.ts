import type { ArgoCdDescription, EnvironmentDescription, PlatformDescription, RegionDescription } from "./types.ts";

/** Describes a platform. Returns the value unchanged: it exists for type checking and readability. */
export function platform(spec: PlatformDescription): PlatformDescription {
  return spec;
}

/** Describes an environment. */
export function environment(spec: EnvironmentDescription): EnvironmentDescription {
  return spec;
}

/** Describes a region. */
export function region(spec: RegionDescription): RegionDescription {
  return spec;
}

/** Describes the Argo CD layer (`argocd/`). */
export function argocd(spec: ArgoCdDescription): ArgoCdDescription {
  return spec;
}
