/**
 * Rules that catch what validates but cannot run (issue 12): readiness that never comes, monitoring rules that do
 * not load, volumes a provider cannot make, and the like. They relate objects to each other, so they run with the
 * relation rules, once every object passes its schema.
 */
import type { Rule } from "./context.ts";
import { clusterCapabilitiesRule } from "./rules/cluster-capabilities.ts";
import { clusterLayerKindsRule } from "./rules/cluster-layer-kinds.ts";
import { alertRoutesRule } from "./rules/alert-routes.ts";
import { noPagingRule } from "./rules/no-paging.ts";
import { receiverSecretsRule } from "./rules/receiver-secrets.ts";
import { singleEvaluatorRule } from "./rules/single-evaluator.ts";
import { imageConfigMountsRule } from "./rules/image-config-mounts.ts";
import { issuerRefsRule } from "./rules/issuer-refs.ts";
import { dnsSourcesRule } from "./rules/dns-sources.ts";
import { globalDnsRule } from "./rules/global-dns.ts";
import { imageDigestsRule } from "./rules/image-digests.ts";
import { imageRegistriesRule } from "./rules/image-registries.ts";
import { migratedDatabasesRule } from "./rules/migrated-databases.ts";
import { monitoringRulesRule } from "./rules/monitoring-rules.ts";
import { peerReadinessRule } from "./rules/peer-readiness.ts";
import { policyWavesRule } from "./rules/policy-waves.ts";
import { providerLimitsRule } from "./rules/provider-limits.ts";
import { secretIsolationRule } from "./rules/secret-isolation.ts";
import { irsaAccountsRule } from "./rules/irsa-accounts.ts";
import { quotaHeadroomRule } from "./rules/quota-headroom.ts";
import { backupAlertsRule } from "./rules/backup-alerts.ts";
import { reachabilityRule } from "./rules/reachability.ts";
import { spreadRule } from "./rules/spread.ts";
import { tlsProvenanceRule } from "./rules/tls-provenance.ts";
import { tlsTrustRule } from "./rules/tls-trust.ts";
import { storeBackupsRule } from "./rules/store-backups.ts";
import { backupReachRule } from "./rules/backup-reach.ts";
import { replicaSourcesRule } from "./rules/replica-sources.ts";
import { backupSchedulesRule } from "./rules/backup-schedules.ts";
import { envReferencesRule } from "./rules/env-references.ts";
import { memorySettingsRule } from "./rules/memory-settings.ts";

/** The operational rules, in the order they report. */
export const OPERATIONAL_RULES: Rule[] = [
  peerReadinessRule,
  monitoringRulesRule,
  alertRoutesRule,
  receiverSecretsRule,
  noPagingRule,
  singleEvaluatorRule,
  backupAlertsRule,
  providerLimitsRule,
  tlsProvenanceRule,
  tlsTrustRule,
  issuerRefsRule,
  dnsSourcesRule,
  globalDnsRule,
  policyWavesRule,
  imageRegistriesRule,
  imageDigestsRule,
  imageConfigMountsRule,
  spreadRule,
  quotaHeadroomRule,
  migratedDatabasesRule,
  clusterCapabilitiesRule,
  secretIsolationRule,
  irsaAccountsRule,
  clusterLayerKindsRule,
  storeBackupsRule,
  backupReachRule,
  replicaSourcesRule,
  backupSchedulesRule,
  envReferencesRule,
  memorySettingsRule,
  reachabilityRule,
];
