import type { Rule } from "../context.ts";
import { storeEngineOf } from "../store-engine.ts";

interface Mount {
  name: string;
  mountPath: string;
}
interface Container {
  name?: string;
  env?: { name: string; value?: string }[];
  volumeMounts?: Mount[];
}

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
      const pod = (o.object.spec as { template?: { spec?: Record<string, Container[]> } } | undefined)?.template?.spec;
      if (!engine || !pod) continue;
      const seeded = new Set((pod.initContainers ?? []).flatMap((c) => (c.volumeMounts ?? []).map((m) => m.name)));
      (pod.containers ?? []).forEach((c, i) => {
        (c.volumeMounts ?? []).forEach((m, j) => {
          const hidden = (engine.imageConfigPaths ?? []).find((p) => within(p, m.mountPath));
          if (hidden && !seeded.has(m.name))
            report(o, {
              pointer: `/spec/template/spec/containers/${i}/volumeMounts/${j}/mountPath`,
              message: `volume ${m.name} at ${m.mountPath} hides ${hidden}, which the image's own configuration reads`,
              fix: "seed the volume from the image with an init container (declare the path in imageConfigPaths)",
            });
        });
        const pinned = engine.pinnedDataDirectory;
        if (!pinned) return;
        const k = (c.env ?? []).findIndex((e) => e.name === pinned.env);
        const value = k >= 0 ? c.env![k].value : undefined;
        if (value !== undefined && value !== pinned.path)
          report(o, {
            pointer: `/spec/template/spec/containers/${i}/env/${k}/value`,
            message: `${pinned.env} is ${value}, but the image's configuration pins the data directory to ${pinned.path}`,
            fix: `set ${pinned.env} to ${pinned.path}`,
          });
        const root = (c.volumeMounts ?? []).findIndex((m) => m.mountPath.replace(/\/$/, "") === pinned.path);
        if (root >= 0)
          report(o, {
            pointer: `/spec/template/spec/containers/${i}/volumeMounts/${root}/mountPath`,
            message: `the data directory ${pinned.path} is the root of volume ${c.volumeMounts![root].name}, which holds lost+found; initdb refuses it`,
            fix: `mount the volume above ${pinned.path}, so the data directory is a subdirectory`,
          });
      });
    }
  },
};
