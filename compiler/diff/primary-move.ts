/**
 * The highest-risk change a review can carry: the primary role of a database moves to another region. It shows as a
 * CloudNativePG Cluster whose `spec.replica.primary` changes (demoted: it names another cluster than itself; promoted:
 * it names itself) and as the store's client Service whose ExternalName moves (writes go elsewhere). The message
 * spells out what Argo CD and the operator will do, in order, and whether the promotion waits for a demotion token.
 */
import type { ObjectChange, ParsedYaml } from "./objects.ts";

/** The topology fields of a Cluster rendering (`spec.replica`), empty when it has none. */
function topology(o: ParsedYaml): { self?: string; primary?: string; promotionToken?: string } {
  const replica = o?.spec?.replica;
  if (!replica) return {};
  return { self: replica.self, primary: replica.primary, promotionToken: replica.promotionToken };
}

/** True when a Cluster rendering is the writable primary (no replica section, or `primary` is itself). */
function isPrimary(o: ParsedYaml): boolean {
  const { self, primary } = topology(o);
  return primary === undefined || primary === self;
}

/** What the operator does with a demoted Cluster. */
function demotion(next: string | undefined): string {
  return (
    `the primary moves away: this cluster is demoted to a replica cluster that follows ${next}. Argo CD applies the ` +
    `Cluster; CloudNativePG shuts the primary down cleanly, archives its last WAL (a .partial segment), writes the ` +
    `demotion token to status.demotionToken and restarts the instances as replicas of ${next}'s object store; ` +
    `writes here fail from now on. A planned switchover makes this its own change (\`handover\` in this region's ` +
    `description), and then moves the primary role with the token in the new region's \`promotionTokens\``
  );
}

/** What the operator does with a promoted Cluster: wait for the token's WAL position, or promote at once. */
function promotion(from: string | undefined, token: string | undefined): string {
  const when = token
    ? "once its designated primary has replayed the old primary's WAL up to the promotion token (the controlled switchover: no committed write lost)"
    : "at once, from the WAL it has replayed: there is no promotion token, so what the old primary had not archived is lost, and an old primary whose WAL went further cannot follow this one: it is re-created from this region's backups";
  return (
    `the primary moves here: this replica cluster (it followed ${from}) is promoted. Argo CD applies the Cluster; ` +
    `CloudNativePG promotes it ${when} (PostgreSQL restarts once: a replica cluster archives with archive_mode=always). It then takes writes and archives WAL under its own server name, and the ` +
    `migration Job runs in this region`
  );
}

/** The message of a primary move for one changed object, or undefined when the change moves no primary. */
export function primaryMove(change: ObjectChange): string | undefined {
  if (change.type !== "changed") return undefined;
  const { before, after, kind } = change;
  if (kind === "Cluster" && String(after?.apiVersion ?? "").startsWith("postgresql.cnpg.io/")) {
    const was = isPrimary(before);
    const now = isPrimary(after);
    if (was && !now) return demotion(topology(after).primary);
    if (!was && now) return promotion(topology(before).primary, topology(after).promotionToken);
    if (!now && topology(before).primary !== topology(after).primary)
      return `this replica cluster now follows ${topology(after).primary} instead of ${topology(before).primary}: CloudNativePG restores WAL from the new primary's object store once it archives on its new timeline`;
  }
  if (kind === "Service" && before?.spec?.type === "ExternalName" && after?.spec?.type === "ExternalName") {
    const from = before.spec.externalName;
    const to = after.spec.externalName;
    if (from !== to) return `writes move: clients of this store now reach ${to} (was ${from})`;
  }
  return undefined;
}
