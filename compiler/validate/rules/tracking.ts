import type { Rule } from "../context.ts";
import { escapeKey } from "../../kube/pointer.ts";
import { TRACKING_ID_ANNOTATION } from "../../sync/annotations.ts";

/** Argo CD's tracking metadata is Argo CD's: no `app.kubernetes.io/instance` label, no tracking-id annotation. */
export const trackingRule: Rule = {
  name: "argocd-tracking",
  description: "objects leave Argo CD's tracking label and annotation alone",
  check(ctx, report) {
    for (const o of ctx.objects) {
      if (o.object.metadata.labels?.["app.kubernetes.io/instance"] !== undefined) {
        report(o, {
          pointer: "/metadata/labels/app.kubernetes.io~1instance",
          message: "sets app.kubernetes.io/instance, which Argo CD's label tracking owns",
          fix: "remove the label",
        });
      }
      if (o.object.metadata.annotations?.[TRACKING_ID_ANNOTATION] !== undefined) {
        report(o, {
          pointer: `/metadata/annotations/${escapeKey(TRACKING_ID_ANNOTATION)}`,
          message: `sets ${TRACKING_ID_ANNOTATION}, which Argo CD writes`,
          fix: "remove the annotation",
        });
      }
    }
  },
};
