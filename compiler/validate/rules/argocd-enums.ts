import type { RenderedObject } from "../../model/object.ts";
import type { Reporter, Rule } from "../context.ts";
import { escapeKey } from "../../kube/pointer.ts";
import {
  ARGOCD_PREFIX,
  COMPARE_OPTIONS,
  COMPARE_OPTIONS_ANNOTATION,
  HOOK_ANNOTATION,
  HOOK_DELETE_POLICIES,
  HOOK_DELETE_POLICY_ANNOTATION,
  HOOK_TYPES,
  SERVER_SIDE_APPLY_OPTION,
  SYNC_OPTIONS_ANNOTATION,
  WAVE_ANNOTATION,
} from "../../sync/annotations.ts";
import { syncOptionProblem } from "../../sync/sync-options.ts";
import { asRecord, type Loose } from "../../kube/loose.ts";

/** An ApplicationSet's rollout strategy, each value unknown until checked. */
interface StrategyShape {
  type: unknown;
  deletionOrder: unknown;
  rollingSync: { steps: { matchExpressions: { operator: unknown }[]; maxUpdate: unknown }[] };
}

/** The fields of an Application or ApplicationSet this rule reads, each value unknown until checked. */
interface ArgoObjectShape {
  apiVersion: unknown;
  kind: unknown;
  metadata: { annotations: Record<string, unknown> };
  spec: {
    syncPolicy: { syncOptions: unknown; applicationsSync: unknown };
    template: { metadata: { annotations: Record<string, unknown> }; spec: { syncPolicy: { syncOptions: unknown } } };
    strategy: unknown;
    goTemplateOptions: unknown[];
  };
}

const isTemplated = (s: string) => s.includes("{{");

function checkList(
  o: RenderedObject,
  report: Reporter,
  pointer: string,
  value: string,
  allowed: readonly string[],
  what: string,
): void {
  for (const item of value.split(",")) {
    if (!allowed.includes(item.trim()))
      report(o, {
        pointer,
        message: `unknown ${what} "${item.trim()}"; Argo CD accepts ${allowed.join(", ")}`,
        fix: `use one of ${allowed.join(", ")}`,
      });
  }
}

function checkAnnotations(
  o: RenderedObject,
  report: Reporter,
  annotations: Record<string, unknown> | undefined,
  base: string,
): void {
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!key.startsWith(ARGOCD_PREFIX) || typeof value !== "string" || isTemplated(value)) continue;
    const pointer = `${base}/${escapeKey(key)}`;
    switch (key) {
      case WAVE_ANNOTATION:
        if (!/^-?\d+$/.test(value.trim()))
          report(o, {
            pointer,
            message: `sync wave "${value}" is not an integer`,
            fix: 'write the wave as an integer string such as "2"',
          });
        break;
      case HOOK_ANNOTATION:
        checkList(o, report, pointer, value, HOOK_TYPES, "hook");
        break;
      case HOOK_DELETE_POLICY_ANNOTATION:
        checkList(o, report, pointer, value, HOOK_DELETE_POLICIES, "hook delete policy");
        break;
      case COMPARE_OPTIONS_ANNOTATION:
        checkList(o, report, pointer, value, COMPARE_OPTIONS, "compare option");
        break;
      case SYNC_OPTIONS_ANNOTATION:
        for (const option of value.split(",")) {
          const problem = syncOptionProblem(option);
          if (problem)
            report(o, {
              pointer,
              message: problem,
              fix: `use a sync option from Argo CD's documentation, e.g. ${SERVER_SIDE_APPLY_OPTION}`,
            });
        }
        break;
    }
  }
}

function checkSyncOptions(o: RenderedObject, report: Reporter, options: unknown, pointer: string): void {
  if (!Array.isArray(options)) return;
  options.forEach((option, i) => {
    if (typeof option !== "string" || isTemplated(option)) return;
    const problem = syncOptionProblem(option);
    if (problem)
      report(o, {
        pointer: `${pointer}/${i}`,
        message: problem,
        fix: `use a sync option from Argo CD's documentation, e.g. ${SERVER_SIDE_APPLY_OPTION}`,
      });
  });
}

function checkEnum(
  o: RenderedObject,
  report: Reporter,
  value: unknown,
  pointer: string,
  allowed: readonly string[],
  what: string,
): void {
  if (value !== undefined && (typeof value !== "string" || (!isTemplated(value) && !allowed.includes(value)))) {
    report(o, {
      pointer,
      message: `${what} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`,
      fix: `use one of ${allowed.join(", ")}`,
    });
  }
}

function checkStrategy(o: RenderedObject, report: Reporter, value: unknown): void {
  const strategy: Loose<StrategyShape> | undefined = asRecord(value);
  if (!strategy) return;
  checkEnum(o, report, strategy.type, "/spec/strategy/type", ["AllAtOnce", "RollingSync"], "strategy type");
  checkEnum(
    o,
    report,
    strategy.deletionOrder,
    "/spec/strategy/deletionOrder",
    ["AllAtOnce", "Reverse"],
    "deletion order",
  );
  if (strategy.type === "RollingSync" && !((strategy.rollingSync?.steps?.length ?? 0) > 0)) {
    report(o, {
      pointer: "/spec/strategy/rollingSync/steps",
      message: "a RollingSync strategy has no steps, so no Application would ever sync",
      fix: "add steps that match the generated Applications' labels",
    });
  }
  (strategy.rollingSync?.steps ?? []).forEach((step, i) => {
    const at = `/spec/strategy/rollingSync/steps/${i}`;
    (step?.matchExpressions ?? []).forEach((m, j) =>
      checkEnum(o, report, m?.operator, `${at}/matchExpressions/${j}/operator`, ["In", "NotIn"], "operator"),
    );
    const max = step?.maxUpdate;
    if (
      max !== undefined &&
      !(typeof max === "number" && Number.isInteger(max) && max >= 0) &&
      !(typeof max === "string" && /^\d+%$/.test(max))
    ) {
      report(o, {
        pointer: `${at}/maxUpdate`,
        message: `maxUpdate ${JSON.stringify(max)} is neither a non-negative integer nor a percentage`,
        fix: "use an integer such as 1 or a percentage such as 50%",
      });
    }
  });
}

/**
 * Argo CD annotations and Application/ApplicationSet fields carry values Argo CD knows; it ignores the rest silently.
 */
export const argocdEnumsRule: Rule = {
  name: "argocd-values",
  description: "Argo CD annotations, sync options and rollout strategies use values Argo CD knows",
  check(ctx, report) {
    for (const o of ctx.objects) {
      const obj: Loose<ArgoObjectShape> = o.object;
      checkAnnotations(o, report, obj.metadata?.annotations, "/metadata/annotations");
      if (!String(obj.apiVersion).startsWith("argoproj.io/")) continue;
      if (obj.kind === "Application")
        checkSyncOptions(o, report, obj.spec?.syncPolicy?.syncOptions, "/spec/syncPolicy/syncOptions");
      if (obj.kind === "ApplicationSet") {
        checkSyncOptions(
          o,
          report,
          obj.spec?.template?.spec?.syncPolicy?.syncOptions,
          "/spec/template/spec/syncPolicy/syncOptions",
        );
        checkAnnotations(o, report, obj.spec?.template?.metadata?.annotations, "/spec/template/metadata/annotations");
        checkStrategy(o, report, obj.spec?.strategy);
        checkEnum(
          o,
          report,
          obj.spec?.syncPolicy?.applicationsSync,
          "/spec/syncPolicy/applicationsSync",
          ["create-only", "create-update", "create-delete", "sync"],
          "applicationsSync",
        );
        (obj.spec?.goTemplateOptions ?? []).forEach((opt, i) =>
          checkEnum(
            o,
            report,
            opt,
            `/spec/goTemplateOptions/${i}`,
            ["missingkey=error", "missingkey=zero", "missingkey=default", "missingkey=invalid"],
            "goTemplateOptions entry",
          ),
        );
      }
    }
  },
};
