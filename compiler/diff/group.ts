/**
 * Collapsing repeated changes: the same change to the same object in several
 * regions of one environment and platform becomes one entry listing the
 * regions, and entries are gathered into blocks of Applications (one block
 * per environment, platform and set of regions).
 */
import { toYaml } from "../yaml.ts";
import type { ObjectChange } from "./objects.ts";
import { risksOf, type Risk } from "./risks.ts";

/** One change, possibly repeated identically in several regions. */
export interface ChangeEntry {
  change: ObjectChange;
  /** Every region with exactly this change (one element when it is not repeated). */
  regions: string[];
  folders: string[];
  risks: Risk[];
}

/** The entries shared by one set of Applications. */
export interface ChangeBlock {
  environment: string;
  platform: string;
  regions: string[];
  folders: string[];
  entries: ChangeEntry[];
}

function signature(c: ObjectChange): string {
  const identity = [c.environment, c.platform, c.apiVersion, c.kind, c.namespace ?? "", c.name, c.type];
  const what = c.type === "changed" ? JSON.stringify(c.patch) : toYaml(c.type === "added" ? c.after : c.before);
  return JSON.stringify(identity) + "\n" + what;
}

/** "a", "a and b", "a, b and c". */
export function listWords(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * Groups changes into entries (identical changes across regions collapsed) and blocks (per environment, platform and
 * region set).
 */
export function groupChanges(changes: ObjectChange[], regionOrder: string[] = []): ChangeBlock[] {
  const rank = (r: string) => (regionOrder.includes(r) ? regionOrder.indexOf(r) : regionOrder.length);
  const byRegion = (a: string, b: string) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
  const entries = new Map<string, ChangeEntry>();
  for (const c of changes) {
    const key = signature(c);
    const entry = entries.get(key);
    if (entry) {
      entry.regions.push(c.region);
      entry.folders.push(c.folder);
    } else entries.set(key, { change: c, regions: [c.region], folders: [c.folder], risks: risksOf(c) });
  }
  const blocks = new Map<string, ChangeBlock>();
  for (const e of entries.values()) {
    const order = e.regions.map((r, i) => [r, e.folders[i]] as const).sort((a, b) => byRegion(a[0], b[0]));
    e.regions = order.map((x) => x[0]);
    e.folders = order.map((x) => x[1]);
    const key = JSON.stringify([e.change.environment, e.change.platform, e.regions]);
    const block = blocks.get(key) ?? {
      environment: e.change.environment,
      platform: e.change.platform,
      regions: e.regions,
      folders: e.folders,
      entries: [],
    };
    block.entries.push(e);
    blocks.set(key, block);
  }
  return [...blocks.values()].sort(
    (a, b) =>
      (a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : 0) ||
      (a.platform < b.platform ? -1 : a.platform > b.platform ? 1 : 0) ||
      b.regions.length - a.regions.length ||
      byRegion(a.regions[0], b.regions[0]),
  );
}
