import type { Rule } from "../context.ts";
import { imagesOf } from "../../kube/pods.ts";

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
      for (const { image, pointer } of imagesOf(o.object)) {
        if (!isPinned(image))
          report(o, {
            pointer,
            message: `image "${image}" is not pinned`,
            fix: "use an explicit version tag or a digest",
          });
      }
    }
  },
};
