import type { Rule } from "../context.ts";

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
      if (o.object.metadata.annotations?.["argocd.argoproj.io/tracking-id"] !== undefined) {
        report(o, {
          pointer: "/metadata/annotations/argocd.argoproj.io~1tracking-id",
          message: "sets argocd.argoproj.io/tracking-id, which Argo CD writes",
          fix: "remove the annotation",
        });
      }
    }
  },
};
