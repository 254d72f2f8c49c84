import type {
  AddonDescription,
  ArgoCdDescription,
  EnvironmentDescription,
  PlatformDescription,
  RegionDescription,
} from "./types.ts";

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

/** Describes a cluster add-on (`addons/`): a Helm chart and/or cluster-wide objects every cluster gets first. */
export function addon(spec: AddonDescription): AddonDescription {
  return spec;
}
