/**
 * The kubernetes-models class for each apiVersion/kind Manifold renders, so
 * the validate phase can check final (patched) objects against their schemas.
 */
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { CustomResourceDefinition } from "kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";

import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { Prometheus } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus";
import { Alertmanager } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager";
import { AlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import { VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService";
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy";
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import type { KubeObject } from "../model/object.ts";
import { checkVerticalPodAutoscaler } from "../kube/vpa.ts";
import { checkCnpgBackup, checkCnpgCluster, checkCnpgScheduledBackup } from "../kube/cnpg.ts";
import { checkRoute53HealthCheck, checkRoute53RecordSet } from "../kube/route53.ts";

import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { SecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet";
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import { forgetContentResults } from "./content-memo.ts";

// Each model's constructor takes its own typed data; the validate phase passes plain objects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model class, whatever data it types
type ModelClass = new (data: any) => { validate(): void };

/**
 * The prometheus-operator models demand `apiVersion: monitoring.coreos.com/v1` and
 * `kind: EmbeddedPersistentVolumeClaim` inside `spec.storage.volumeClaimTemplate`, which the
 * upstream CRD leaves optional (and which are wrong for a claim). Validate a copy with them
 * filled in, so the rendered object stays as the CRD wants it (the CRD-schema test checks that).
 */
function withEmbeddedClaimFix(Model: ModelClass): ModelClass {
  return class {
    private data: unknown;
    constructor(data: unknown) {
      this.data = data;
    }
    validate(): void {
      const copy = JSON.parse(JSON.stringify(this.data));
      const claim = copy?.spec?.storage?.volumeClaimTemplate;
      if (claim && claim.apiVersion === undefined && claim.kind === undefined)
        Object.assign(claim, { apiVersion: "monitoring.coreos.com/v1", kind: "EmbeddedPersistentVolumeClaim" });
      new Model(copy).validate();
    }
  };
}

/** Model classes by `apiVersion/kind`. */
export const MODELS: Record<string, ModelClass> = {
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "batch/v1/Job": Job,
  "batch/v1/CronJob": CronJob,
  "networking.k8s.io/v1/Ingress": Ingress,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
  "v1/ConfigMap": ConfigMap,
  "v1/Namespace": Namespace,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "v1/ResourceQuota": ResourceQuota,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "storage.k8s.io/v1/StorageClass": StorageClass,
  // what hydrated charts render besides the kinds above
  "apiextensions.k8s.io/v1/CustomResourceDefinition": CustomResourceDefinition,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
  "apps/v1/DaemonSet": DaemonSet,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
  "monitoring.coreos.com/v1/PodMonitor": PodMonitor,
  "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule,
  "monitoring.coreos.com/v1/Prometheus": withEmbeddedClaimFix(Prometheus),
  "monitoring.coreos.com/v1/Alertmanager": withEmbeddedClaimFix(Alertmanager),
  "monitoring.coreos.com/v1alpha1/AlertmanagerConfig": AlertmanagerConfig,
  "networking.istio.io/v1beta1/Gateway": Gateway,
  "networking.istio.io/v1beta1/VirtualService": VirtualService,
  "networking.istio.io/v1beta1/DestinationRule": DestinationRule,
  "security.istio.io/v1beta1/PeerAuthentication": PeerAuthentication,
  "security.istio.io/v1/AuthorizationPolicy": AuthorizationPolicy,
  "external-secrets.io/v1/ExternalSecret": ExternalSecret,
  "external-secrets.io/v1/SecretStore": SecretStore,
  "cert-manager.io/v1/Certificate": Certificate,
  "argoproj.io/v1alpha1/Application": Application,
  "argoproj.io/v1alpha1/ApplicationSet": ApplicationSet,
  "argoproj.io/v1alpha1/AppProject": AppProject,
};

/** Structural checks for kinds no model package covers (typed plain objects, schema-tested in test/). */
export const STRUCTURAL_CHECKS: Record<string, (o: KubeObject) => { pointer: string; message: string }[]> = {
  "autoscaling.k8s.io/v1/VerticalPodAutoscaler": checkVerticalPodAutoscaler,
  "postgresql.cnpg.io/v1/Cluster": checkCnpgCluster,
  "postgresql.cnpg.io/v1/ScheduledBackup": checkCnpgScheduledBackup,
  "postgresql.cnpg.io/v1/Backup": checkCnpgBackup,
  "route53.services.k8s.aws/v1alpha1/HealthCheck": checkRoute53HealthCheck,
  "route53.services.k8s.aws/v1alpha1/RecordSet": checkRoute53RecordSet,
  "velero.io/v1/Schedule": (o) =>
    typeof (o.spec as { schedule?: unknown } | undefined)?.schedule === "string"
      ? []
      : [{ pointer: "/spec/schedule", message: "must be set" }],
};

/** Registers another model class (building blocks for custom resources do this). */
export function registerModel(apiVersion: string, kind: string, model: ModelClass): void {
  MODELS[`${apiVersion}/${kind}`] = model;
  forgetContentResults(); // what the schema rules found for this kind before no longer holds
}
