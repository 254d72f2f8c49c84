import type { Rule } from "../context.ts";
import { containersOf } from "../../kube/pods.ts";

/** Whether an image reference is pinned: a digest, or a tag other than `latest`. */
export function isPinned(image: string): boolean {
  if (image.includes("@sha256:")) return true;
  const lastSlash = image.lastIndexOf("/");
  const colon = image.indexOf(":", lastSlash + 1);
  if (colon < 0) return false;
  return image.slice(colon + 1) !== "latest";
}

/** Images carry a tag other than `latest`, or a digest. */
export const pinnedImagesRule: Rule = {
  name: "pinned-images",
  description: "images are pinned (a tag other than latest, or a digest)",
  check(ctx, report) {
    for (const o of ctx.objects) {
      for (const { container, pointer } of containersOf(o.object)) {
        if (!isPinned(String(container.image)))
          report(o, {
            pointer: `${pointer}/image`,
            message: `image "${container.image}" is not pinned`,
            fix: "use an explicit version tag or a digest",
          });
      }
    }
  },
};
