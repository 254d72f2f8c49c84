/**
 * The highest-risk change a review can carry: the primary role of a database moves to another region. It shows as a
 * CloudNativePG Cluster whose `spec.replica` changes (promoted: it stops following another region; demoted: it starts
 * to) and as the store's client Service whose ExternalName moves (writes go elsewhere). The message spells out what
 * Argo CD and the operator will do, in order.
 */
import type { ObjectChange, ParsedYaml } from "./objects.ts";

/** The region-level name a Cluster follows (`spec.replica.primary`), or its own when it is the primary. */
function followed(o: ParsedYaml): { self?: string; primary?: string } {
  const replica = o?.spec?.replica;
  if (!replica) return {};
  return { self: replica.self, primary: replica.primary };
}

/** True when a Cluster rendering is the writable primary (no replica section, or `primary` is itself). */
function isPrimary(o: ParsedYaml): boolean {
  const { self, primary } = followed(o);
  return primary === undefined || primary === self;
}

/** The message of a primary move for one changed object, or undefined when the change moves no primary. */
export function primaryMove(change: ObjectChange): string | undefined {
  if (change.type !== "changed") return undefined;
  const { before, after, kind } = change;
  if (kind === "Cluster" && String(after?.apiVersion ?? "").startsWith("postgresql.cnpg.io/")) {
    const was = isPrimary(before);
    const now = isPrimary(after);
    if (was && !now)
      return `the primary moves away: this cluster is demoted to a replica cluster that follows ${followed(after).primary}. Argo CD applies the Cluster; CloudNativePG shuts the primary down cleanly, archives its last WAL and restarts it as a designated primary following the object store. Sync this region first, then the new primary's, so that only one primary takes writes`;
    if (!was && now)
      return `the primary moves here: this replica cluster (it followed ${followed(before).primary}) is promoted. Argo CD applies the Cluster; CloudNativePG promotes its designated primary, which starts taking writes and archiving WAL under its own name; the migration Job now runs in this region. Sync the old primary's region first (demotion), or fence it if that region is lost`;
    if (!now && followed(before).primary !== followed(after).primary)
      return `this replica cluster now follows ${followed(after).primary} instead of ${followed(before).primary}: CloudNativePG switches its source after the new primary archives WAL`;
  }
  if (kind === "Service" && before?.spec?.type === "ExternalName" && after?.spec?.type === "ExternalName") {
    const from = before.spec.externalName;
    const to = after.spec.externalName;
    if (from !== to) return `writes move: clients of this store now reach ${to} (was ${from})`;
  }
  return undefined;
}
