// AWS identities of the add-ons that call AWS (IRSA: the ServiceAccount names an IAM role, trusted by the OIDC
// provider of each cluster in the region). One role per controller and region; 111122223333 is AWS's documentation
// account, a placeholder like the example.com endpoints. Not an add-on itself (the leading underscore).
import usWest2 from "../regions/us-west-2.ts";
import usEast1 from "../regions/us-east-1.ts";
import euWest1 from "../regions/eu-west-1.ts";
import type { RegionDescription } from "../compiler/index.ts";

/** The regions the fleet runs in. */
export const REGIONS: RegionDescription[] = [usWest2, usEast1, euWest1];

/** The IRSA annotation naming the IAM role of `controller` in `region`. */
export function irsa(controller: string, region: string): Record<string, string> {
  return { "eks.amazonaws.com/role-arn": `arn:aws:iam::111122223333:role/manifold-${controller}-${region}` };
}

/** Per-region values that annotate a chart's conventional `serviceAccount` with the controller's role. */
export function irsaByRegion(controller: string): Record<string, { values: Record<string, unknown> }> {
  return Object.fromEntries(
    REGIONS.map((r) => [r.name, { values: { serviceAccount: { annotations: irsa(controller, r.name) } } }]),
  );
}
