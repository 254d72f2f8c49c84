import type { Rule } from "../context.ts";
import { storeEngineOf } from "../store-engine.ts";
import { obj, objects, str } from "../../kube/loose.ts";

const within = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith("/") ? dir : `${dir}/`);

/**
 * Images run as configured, where the store engine knows the image: no mount hides a directory the image's own
 * configuration reads unless an init container seeds that volume first, and the data directory the image's
 * configuration pins agrees with the environment and lies below the volume's root.
 */
export const imageConfigMountsRule: Rule = {
  name: "image-config-mounts",
  description: "mounts never hide the image's own configuration; the pinned data directory agrees with the env",
  check(ctx, report) {
    for (const o of ctx.objects) {
      const engine = storeEngineOf(ctx.target, o);
      if (!engine) continue;
      const pod = obj(obj(obj(o.object.spec).template).spec);
      const seeded = new Set(
        objects(pod.initContainers).flatMap(([c]) => objects(c.volumeMounts).map(([m]) => str(m.name))),
      );
      for (const [c, i] of objects(pod.containers)) {
        const mounts = objects(c.volumeMounts);
        for (const [m, j] of mounts) {
          const path = str(m.mountPath);
          const hidden = path === undefined ? undefined : (engine.imageConfigPaths ?? []).find((p) => within(p, path));
          if (hidden && !seeded.has(str(m.name)))
            report(o, {
              pointer: `/spec/template/spec/containers/${i}/volumeMounts/${j}/mountPath`,
              message: `volume ${str(m.name)} at ${path} hides ${hidden}, which the image's own configuration reads`,
              fix: "seed the volume from the image with an init container (declare the path in imageConfigPaths)",
            });
        }
        const pinned = engine.pinnedDataDirectory;
        if (!pinned) continue;
        const env = objects(c.env).find(([e]) => e.name === pinned.env);
        const value = env ? str(env[0].value) : undefined;
        if (env && value !== undefined && value !== pinned.path)
          report(o, {
            pointer: `/spec/template/spec/containers/${i}/env/${env[1]}/value`,
            message: `${pinned.env} is ${value}, but the image's configuration pins the data directory to ${pinned.path}`,
            fix: `set ${pinned.env} to ${pinned.path}`,
          });
        const root = mounts.find(([m]) => str(m.mountPath)?.replace(/\/$/, "") === pinned.path);
        if (root)
          report(o, {
            pointer: `/spec/template/spec/containers/${i}/volumeMounts/${root[1]}/mountPath`,
            message: `the data directory ${pinned.path} is the root of volume ${str(root[0].name)}, which holds lost+found; initdb refuses it`,
            fix: `mount the volume above ${pinned.path}, so the data directory is a subdirectory`,
          });
      }
    }
  },
};
