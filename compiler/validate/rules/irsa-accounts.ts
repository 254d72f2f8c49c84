import { IRSA_ROLE_ANNOTATION } from "../../blocks/secrets.ts";
import { obj, str } from "../../kube/loose.ts";
import type { Rule } from "../context.ts";

const POINTER = "/spec/provider/aws/auth/jwt/serviceAccountRef";

/**
 * IRSA accounts: an external-secrets SecretStore or ClusterSecretStore that authenticates to AWS as a ServiceAccount
 * (`auth.jwt.serviceAccountRef`) names one bound to an IAM role (annotated `eks.amazonaws.com/role-arn`). Without it
 * the operator cannot get AWS credentials ("an IAM role must be associated with service account"), and nothing read
 * through the store ever arrives. The account is rendered beside the store, or created by a Helm add-on's chart in
 * that namespace, with the annotation in its values.
 */
export const irsaAccountsRule: Rule = {
  name: "irsa-accounts",
  description: "SecretStores that authenticate to AWS as a ServiceAccount name one annotated with an IAM role",
  check(ctx, report) {
    for (const o of ctx.objects) {
      const { kind, apiVersion, metadata } = o.object;
      if (!apiVersion.startsWith("external-secrets.io/") || (kind !== "SecretStore" && kind !== "ClusterSecretStore"))
        continue;
      const jwt = obj(obj(obj(obj(o.object.spec).provider).aws).auth).jwt;
      if (jwt === undefined) continue;
      const ref = obj(obj(jwt).serviceAccountRef);
      const name = str(ref.name) ?? "(unnamed)";
      // a namespaced store may only use its own namespace's accounts
      const namespace = kind === "SecretStore" ? metadata.namespace : str(ref.namespace);
      if (namespace === undefined) {
        report(o, {
          pointer: POINTER,
          message: `names ServiceAccount ${name} without a namespace: it would be looked for in every reader's namespace`,
          fix: "name the namespace of the ServiceAccount bound to the store's IAM role",
        });
        continue;
      }
      const rendered = ctx.objects.find(
        (s) =>
          s.object.kind === "ServiceAccount" &&
          s.object.metadata.name === name &&
          s.object.metadata.namespace === namespace,
      );
      const chart = rendered ? undefined : ctx.chartAccounts?.find((a) => a.name === name && a.namespace === namespace);
      const annotations = rendered ? (rendered.object.metadata.annotations ?? {}) : chart?.annotations;
      if (annotations === undefined)
        report(o, {
          pointer: POINTER,
          message: `authenticates as ServiceAccount ${namespace}/${name}, which nothing here creates`,
          fix: `render ServiceAccount ${name} in ${namespace}, annotated ${IRSA_ROLE_ANNOTATION}, or name one that exists`,
        });
      else if (!str(annotations[IRSA_ROLE_ANNOTATION])?.trim())
        report(o, {
          pointer: POINTER,
          message: `authenticates as ServiceAccount ${namespace}/${name}${chart ? ` (add-on ${chart.addon}'s chart)` : ""}, which is bound to no IAM role (no ${IRSA_ROLE_ANNOTATION} annotation)`,
          fix: chart
            ? `set serviceAccount.annotations["${IRSA_ROLE_ANNOTATION}"] in add-on ${chart.addon}'s values`
            : `annotate ServiceAccount ${name} with ${IRSA_ROLE_ANNOTATION}: <the store's IAM role>`,
        });
    }
  },
};
