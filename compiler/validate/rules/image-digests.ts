import type { Rule } from "../context.ts";
import { imagesOf } from "../../kube/pods.ts";
import { parseImage } from "../image-reference.ts";

/**
 * Images pin a digest (`tag@sha256:…`), so a moved tag cannot change what runs. A policy rule: the environment decides
 * whether a missing digest is an error, a warning or nothing. The compiler never makes a digest up.
 */
export const imageDigestsRule: Rule = {
  name: "image-digests",
  description: "images pin a digest (the environment's policy sets the level)",
  check(ctx, report) {
    for (const o of ctx.objects) {
      for (const { image, pointer } of imagesOf(o.object)) {
        if (!parseImage(image).digest)
          report(o, {
            pointer,
            message: `image "${image}" has no digest`,
            fix: "pin it as tag@sha256:<digest>, with the digest read from the registry",
          });
      }
    }
  },
};
