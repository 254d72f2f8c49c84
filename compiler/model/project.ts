/** The loaded descriptions of a project: what every phase after load reads. */
import type {
  AddonDescription,
  ArgoCdDescription,
  EnvironmentDescription,
  PlatformDescription,
  RegionDescription,
} from "../describe/types.ts";

export interface Loaded<T> {
  /** Path relative to the project root, e.g. `platforms/ossa.ts`. */
  file: string;
  value: T;
}

export interface Project {
  root: string;
  platforms: Loaded<PlatformDescription>[];
  environments: Loaded<EnvironmentDescription>[];
  regions: Loaded<RegionDescription>[];
  /** The Argo CD layer (`argocd/`), when the project has one. */
  argocd?: Loaded<ArgoCdDescription>;
  /** The cluster add-ons (`addons/`): what every cluster gets before any platform. */
  addons?: Loaded<AddonDescription>[];
}

export interface ProjectSources {
  root: string;
  platforms: Loaded<unknown>[];
  environments: Loaded<unknown>[];
  regions: Loaded<unknown>[];
  /** The modules under `argocd/`: at most one description. */
  argocd?: Loaded<unknown>[];
  /** The modules under `addons/`. */
  addons?: Loaded<unknown>[];
}
