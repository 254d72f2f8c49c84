/** Argo CD's steps of one sync: objects grouped by phase and wave, in apply order. */
import type { RenderedObject } from "../model/object.ts";
import { sortForSync, syncPhase, syncWave } from "./apply-order.ts";

/** The waves of a target in apply order: phase, wave, and the objects in each. */
export function waveGroups(objects: RenderedObject[]): { phase: string; wave: number; objects: RenderedObject[] }[] {
  const groups: { phase: string; wave: number; objects: RenderedObject[] }[] = [];
  for (const o of sortForSync(objects)) {
    const phase = syncPhase(o.object);
    const wave = syncWave(o.object);
    const last = groups[groups.length - 1];
    if (last && last.phase === phase && last.wave === wave) last.objects.push(o);
    else groups.push({ phase, wave, objects: [o] });
  }
  return groups;
}
