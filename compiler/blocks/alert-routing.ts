/**
 * Who hears about a platform's alerts: one prometheus-operator `AlertmanagerConfig` (v1alpha1) per target, from
 * the platform's `alerting.receivers`. Escalation follows severity: critical pages (PagerDuty) where the
 * environment's policy says `paging: true` and also goes to chat; warning goes to chat; info goes to email. Where
 * the environment does not page (dev, staging), critical goes to chat only. Alerts are grouped per alert name and
 * component; an outage of the whole platform silences its symptoms, a critical alert of a component silences that
 * component's warnings, and a paging SLO burn silences the same SLO's ticket. Receiver secrets are read from
 * Secrets that external-secrets fills (secrets.ts collects their references). Where the platform runs its own
 * Alertmanager, it loads the config (its evaluator label) for the alerts its Prometheus evaluates, and a copy,
 * `<prefix>cluster-alert-routing`, routes the alerts the cluster's Prometheus evaluates for it (alerts.ts) in the
 * cluster's Alertmanager: each config is loaded by exactly one Alertmanager, and each alert reaches one.
 */
import { AlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import type { AlertingDescription, SecretRef } from "../describe/types.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { platformLabels } from "./naming.ts";
import { evaluatorLabels } from "./prometheus-stack.ts";
import { SKIP_DRY_RUN } from "../sync/annotations.ts";
import { make } from "./objects.ts";
import type { RenderedObject } from "../model/object.ts";

/** The receiver names of an AlertmanagerConfig. */
export const RECEIVERS = { page: "pagerduty", chat: "slack", email: "email" } as const;

/** The default repeat interval of each severity. */
export const REPEAT = { critical: "1h", warning: "4h", info: "24h" } as const;

type MatchType = "=" | "!=" | "=~" | "!~";
const match = (name: string, value: string, matchType: MatchType = "=") => ({ name, value, matchType });

/** Every secret the target's receivers read (the pager's only where the environment pages). */
export function receiverSecretRefs(target: ResolvedTarget): SecretRef[] {
  const r = target.alerting?.receivers;
  if (!r) return [];
  const pager = pages(target) ? r.pagerduty?.routingKey : undefined;
  return [r.email?.password, r.slack?.webhook, pager].filter((s): s is SecretRef => !!s);
}

/** Whether critical alerts of this target page: the environment pages and the platform has a pager. */
export function pages(target: ResolvedTarget): boolean {
  return target.policy.paging === true && !!target.alerting?.receivers.pagerduty;
}

const keyRef = (s: SecretRef) => ({ name: s.name, key: s.key });

/** The receivers, as the CRD spells them. */
function receivers(target: ResolvedTarget, a: AlertingDescription) {
  const r = a.receivers;
  const out = [];
  if (r.pagerduty && pages(target))
    out.push({
      name: RECEIVERS.page,
      pagerdutyConfigs: [{ routingKey: keyRef(r.pagerduty.routingKey), sendResolved: true, severity: "critical" }],
    });
  if (r.slack)
    out.push({
      name: RECEIVERS.chat,
      slackConfigs: [{ apiURL: keyRef(r.slack.webhook), channel: r.slack.channel, sendResolved: true }],
    });
  if (r.email)
    out.push({
      name: RECEIVERS.email,
      emailConfigs: [
        {
          to: r.email.to,
          from: r.email.from,
          smarthost: r.email.smarthost,
          authUsername: r.email.username,
          authPassword: keyRef(r.email.password),
          requireTLS: true,
          sendResolved: true,
        },
      ],
    });
  return out;
}

/** The route tree: by platform, then by severity (page, chat, email). */
function route(target: ResolvedTarget, a: AlertingDescription) {
  const chat = a.receivers.slack ? RECEIVERS.chat : RECEIVERS.email;
  const email = a.receivers.email ? RECEIVERS.email : RECEIVERS.chat;
  const repeat = { ...REPEAT, ...a.repeat };
  const routes = [];
  if (pages(target))
    routes.push({
      receiver: RECEIVERS.page,
      matchers: [match("severity", "critical")],
      repeatInterval: repeat.critical,
      continue: true,
    });
  routes.push(
    { receiver: chat, matchers: [match("severity", "critical|warning", "=~")], repeatInterval: repeat.warning },
    { receiver: email, matchers: [match("severity", "info")], repeatInterval: repeat.info },
  );
  return {
    receiver: chat,
    matchers: [match("platform", target.platform)],
    groupBy: a.grouping?.by ?? ["alertname", "component"],
    groupWait: a.grouping?.wait ?? "30s",
    groupInterval: a.grouping?.interval ?? "5m",
    repeatInterval: repeat.warning,
    routes,
  };
}

/** Inhibitions: an outage silences its symptoms; a critical alert silences the warnings it explains. */
function inhibitRules() {
  return [
    {
      sourceMatch: [match("scope", "outage")],
      targetMatch: [match("scope", "symptom")],
      equal: ["namespace", "environment", "region"],
    },
    {
      sourceMatch: [match("severity", "critical"), match("component", ".+", "=~")],
      targetMatch: [match("severity", "warning"), match("component", ".+", "=~")],
      equal: ["namespace", "component"],
    },
    {
      sourceMatch: [match("severity", "critical"), match("slo", ".+", "=~")],
      targetMatch: [match("severity", "warning"), match("slo", ".+", "=~")],
      equal: ["namespace", "slo"],
    },
  ];
}

/**
 * The target's AlertmanagerConfigs: one, or, where the platform runs its own Alertmanager, that one's and the
 * cluster's; nothing when the platform declares no `alerting`.
 */
export function buildAlertRouting(target: ResolvedTarget): RenderedObject[] {
  const a = target.alerting;
  if (!a) return [];
  const prefix = target.namePrefix || target.platform + "-";
  const config = (name: string, labels: Record<string, string>): RenderedObject => ({
    object: make(AlertmanagerConfig, {
      metadata: {
        name,
        namespace: target.namespace,
        labels: { ...platformLabels(target, "monitoring"), ...labels },
        annotations: { ...SKIP_DRY_RUN },
      },
      spec: { route: route(target, a), receivers: receivers(target, a), inhibitRules: inhibitRules() },
    }),
    band: "observability",
  });
  const out = [config(`${prefix}alert-routing`, evaluatorLabels(target))];
  if (target.prometheusStack) out.push(config(`${prefix}cluster-alert-routing`, {}));
  return out;
}
