import type { Rule } from "../context.ts";
import { looseSpec, type Loose } from "../../kube/loose.ts";

/** The selectors of a NetworkPolicy: its pods, and the peers of each ingress and egress rule. */
interface NetworkPolicyShape {
  podSelector: LabelSelector;
  ingress: PolicyRule[];
  egress: PolicyRule[];
}

interface PolicyRule {
  from: PolicyPeer[];
  to: PolicyPeer[];
}

interface PolicyPeer {
  podSelector: LabelSelector;
  namespaceSelector: LabelSelector;
}
import { podTemplates, selectorMatches, type LabelSelector } from "../../kube/selectors.ts";

const isEmpty = (s: Loose<LabelSelector> | undefined) =>
  !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);

/**
 * A NetworkPolicy's pod selector, and the in-namespace peers of its rules, select at least one pod template of the
 * target.
 */
export const networkPoliciesRule: Rule = {
  name: "network-policies",
  description: "NetworkPolicy selectors select something",
  check(ctx, report) {
    const pods = podTemplates(ctx.objects);
    const selects = (s: Loose<LabelSelector> | undefined) =>
      isEmpty(s) || pods.some((p) => selectorMatches(s, p.labels));
    for (const o of ctx.objects) {
      if (o.object.kind !== "NetworkPolicy") continue;
      const spec = looseSpec<NetworkPolicyShape>(o.object);
      if (!selects(spec?.podSelector))
        report(o, {
          pointer: "/spec/podSelector",
          message: "selects no pod of this Application, so it protects nothing",
          fix: "match the labels of a rendered workload's pod template",
        });
      for (const [field, peers] of [
        ["ingress", "from"],
        ["egress", "to"],
      ] as const) {
        (spec?.[field] ?? []).forEach((rule, i) =>
          (rule?.[peers] ?? []).forEach((peer, j) => {
            if (peer?.podSelector && !peer.namespaceSelector && !selects(peer.podSelector)) {
              report(o, {
                pointer: `/spec/${field}/${i}/${peers}/${j}/podSelector`,
                message: `allows traffic ${peers} pods that nothing in this Application runs`,
                fix: "match the labels of a rendered workload, or add a namespaceSelector for another namespace",
              });
            }
          }),
        );
      }
    }
  },
};
