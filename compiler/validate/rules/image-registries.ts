import type { Rule } from "../context.ts";
import { imagesOf } from "../../kube/pods.ts";
import { parseImage } from "../image-reference.ts";

/**
 * Images name their registry host (a runtime's default registry differs between runtimes and mirrors), and come
 * from a registry the environment allows (`policy.registries`).
 */
export const imageRegistriesRule: Rule = {
  name: "image-registries",
  description: "images are fully qualified and come from registries the environment allows",
  check(ctx, report) {
    const allowed = ctx.target.policy.registries;
    for (const o of ctx.objects) {
      for (const { image, pointer } of imagesOf(o.object)) {
        const { registry } = parseImage(image);
        if (registry === undefined)
          report(o, {
            pointer,
            message: `image "${image}" names no registry host`,
            fix: `qualify it, e.g. docker.io/${image.includes("/") ? image : `library/${image}`}`,
          });
        else if (allowed && !allowed.includes(registry))
          report(o, {
            pointer,
            message: `image "${image}" comes from ${registry}, which environment ${ctx.target.environment} does not allow (${allowed.join(", ")})`,
            fix: "use an image from an allowed registry, or add the registry to policy.registries",
          });
      }
    }
  },
};
