import type { Rule } from "../context.ts";
import { containersOf, podSpecOf } from "../../kube/pods.ts";

/**
 * Pods run restricted: non-root, read-only root filesystem, no privilege escalation, all capabilities dropped,
 * RuntimeDefault seccomp.
 */
export const restrictedPodsRule: Rule = {
  name: "restricted-pods",
  description: "pods meet Pod Security restricted and have a read-only root filesystem",
  check(ctx, report) {
    for (const o of ctx.objects) {
      const pod = podSpecOf(o.object);
      if (!pod) continue;
      const podSec = pod.spec.securityContext ?? {};
      for (const { container, pointer } of containersOf(o.object)) {
        const sec = container.securityContext ?? {};
        const fail = (field: string, message: string) =>
          report(o, {
            pointer: `${pointer}/securityContext/${field}`,
            message: `container ${container.name}: ${message}`,
            fix: "keep the restricted security context the building blocks set",
          });
        if (sec.runAsNonRoot !== true && podSec.runAsNonRoot !== true) fail("runAsNonRoot", "may run as root");
        if (sec.readOnlyRootFilesystem !== true) fail("readOnlyRootFilesystem", "root filesystem is writable");
        if (sec.allowPrivilegeEscalation !== false) fail("allowPrivilegeEscalation", "allows privilege escalation");
        if (!(sec.capabilities?.drop ?? []).includes("ALL")) fail("capabilities", "does not drop all capabilities");
        if ((sec.seccompProfile?.type ?? podSec.seccompProfile?.type) !== "RuntimeDefault")
          fail("seccompProfile", "has no RuntimeDefault seccomp profile");
      }
    }
  },
};
