/** The Jobs Argo CD runs around a sync, as the resolve phase derives them from a description. */
import type { EnvValue, Resources } from "../describe/types.ts";

export type SyncPhase = "PreSync" | "Sync" | "PostSync" | "SyncFail";

export interface HookSpec {
  phase: Exclude<SyncPhase, "PreSync">;
  image: string;
  command: string[];
  args?: string[];
  env: Record<string, EnvValue>;
  /** Components this hook talks to (and, for Sync hooks, waits for). */
  dependsOn: string[];
  /** For a Sync hook: every component that depends on one of its `dependsOn` waits for this hook. */
  gates: boolean;
  resources: Resources;
  backoffLimit: number;
  deadlineSeconds: number;
  /** Needs HTTPS egress to the internet (webhooks). */
  externalHttps: boolean;
  /**
   * False where the hook keeps its place in the wave order but renders no Job
   * (the migration where none of its databases is writable), so every region has the same waves.
   */
  render: boolean;
}
