/**
 * The ACK Route 53 controller's custom resources (`route53.services.k8s.aws/v1alpha1` HealthCheck and RecordSet),
 * typed for the fields Manifold writes, with hand checks: no model package exists for them, so every field the CRD
 * (route53-controller 1.5) does not define is a finding, as are wrong types and values Route 53 refuses.
 */
import type { KubeObject } from "../model/object.ts";

/** The API version of the ACK Route 53 kinds. */
export const ROUTE53_API_VERSION = "route53.services.k8s.aws/v1alpha1";

/** A reference to another ACK resource, by name (in the same namespace unless `namespace` says otherwise). */
export interface AckRef {
  from: { name: string; namespace?: string };
}

export interface Route53HealthCheck extends KubeObject {
  apiVersion: typeof ROUTE53_API_VERSION;
  kind: "HealthCheck";
  spec: {
    healthCheckConfig: {
      type: "HTTP" | "HTTPS" | "HTTP_STR_MATCH" | "HTTPS_STR_MATCH" | "TCP";
      fullyQualifiedDomainName?: string;
      ipAddress?: string;
      port?: number;
      enableSNI?: boolean;
      resourcePath?: string;
      requestInterval?: 10 | 30;
      failureThreshold?: number;
      measureLatency?: boolean;
      searchString?: string;
      regions?: string[];
      inverted?: boolean;
      disabled?: boolean;
    };
    tags?: { key: string; value: string }[];
  };
}

export interface Route53RecordSet extends KubeObject {
  apiVersion: typeof ROUTE53_API_VERSION;
  kind: "RecordSet";
  spec: {
    name?: string;
    hostedZoneID?: string;
    hostedZoneRef?: AckRef;
    recordType: string;
    ttl?: number;
    resourceRecords?: { value: string }[];
    setIdentifier?: string;
    region?: string;
    weight?: number;
    failover?: "PRIMARY" | "SECONDARY";
    healthCheckID?: string;
    healthCheckRef?: AckRef;
  };
}

type Problem = { pointer: string; message: string };

/** A field's expected JSON type: a scalar, a closed object of fields, or a list of one element type. */
type Field = "string" | "integer" | "boolean" | { [key: string]: Field } | [Field];

const REF: Field = { from: { name: "string", namespace: "string" } };

/** The fields of HealthCheck `spec` as the CRD defines them. */
const HEALTH_CHECK_SPEC: Field = {
  healthCheckConfig: {
    alarmIdentifier: { name: "string", region: "string" },
    childHealthChecks: ["string"],
    disabled: "boolean",
    enableSNI: "boolean",
    failureThreshold: "integer",
    fullyQualifiedDomainName: "string",
    healthThreshold: "integer",
    insufficientDataHealthStatus: "string",
    inverted: "boolean",
    ipAddress: "string",
    measureLatency: "boolean",
    port: "integer",
    regions: ["string"],
    requestInterval: "integer",
    resourcePath: "string",
    routingControlARN: "string",
    searchString: "string",
    type: "string",
  },
  tags: [{ key: "string", value: "string" }],
};

/** The fields of RecordSet `spec` as the CRD defines them. */
const RECORD_SET_SPEC: Field = {
  aliasTarget: { dnsName: "string", evaluateTargetHealth: "boolean", hostedZoneID: "string" },
  cidrRoutingConfig: { collectionID: "string", locationName: "string" },
  failover: "string",
  geoLocation: { continentCode: "string", countryCode: "string", subdivisionCode: "string" },
  healthCheckID: "string",
  healthCheckRef: REF,
  hostedZoneID: "string",
  hostedZoneRef: REF,
  multiValueAnswer: "boolean",
  name: "string",
  recordType: "string",
  region: "string",
  resourceRecords: [{ value: "string" }],
  setIdentifier: "string",
  ttl: "integer",
  weight: "integer",
};

function escape(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** Unknown fields and wrong types of `value` against `field`, at `pointer`. */
function shapeProblems(value: unknown, field: Field, pointer: string): Problem[] {
  if (Array.isArray(field)) {
    if (!Array.isArray(value)) return [{ pointer, message: "must be a list" }];
    return value.flatMap((v, i) => shapeProblems(v, field[0], `${pointer}/${i}`));
  }
  if (typeof field === "object") {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return [{ pointer, message: "must be an object" }];
    return Object.entries(value).flatMap(([k, v]) =>
      field[k] === undefined
        ? [
            {
              pointer: `${pointer}/${escape(k)}`,
              message: `is not a field of the CRD; known: ${Object.keys(field).join(", ")}`,
            },
          ]
        : shapeProblems(v, field[k], `${pointer}/${escape(k)}`),
    );
  }
  if (field === "integer") return Number.isInteger(value) ? [] : [{ pointer, message: "must be an integer" }];
  return typeof value === field ? [] : [{ pointer, message: `must be a ${field}` }];
}

const CHECK_TYPES = [
  "HTTP",
  "HTTPS",
  "HTTP_STR_MATCH",
  "HTTPS_STR_MATCH",
  "TCP",
  "CALCULATED",
  "CLOUDWATCH_METRIC",
  "RECOVERY_CONTROL",
];
const RECORD_TYPES = ["A", "AAAA", "CAA", "CNAME", "DS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV", "TXT"];

/** Hand checks of a HealthCheck: the CRD's fields only, and values Route 53 accepts. */
export function checkRoute53HealthCheck(o: KubeObject): Problem[] {
  const problems = shapeProblems(o.spec, HEALTH_CHECK_SPEC, "/spec");
  if (problems.length) return problems;
  const config = (o as Route53HealthCheck).spec.healthCheckConfig;
  const at = (field: string) => `/spec/healthCheckConfig/${field}`;
  if (!config) return [{ pointer: "/spec/healthCheckConfig", message: "must be set" }];
  if (!CHECK_TYPES.includes(config.type))
    problems.push({ pointer: at("type"), message: `must be one of ${CHECK_TYPES.join(", ")}` });
  if (config.type?.startsWith("HTTP") || config.type === "TCP") {
    if (!config.fullyQualifiedDomainName && !config.ipAddress)
      problems.push({
        pointer: at("fullyQualifiedDomainName"),
        message: "an endpoint check needs a domain name or an IP address",
      });
    if (config.port !== undefined && (config.port < 1 || config.port > 65535))
      problems.push({ pointer: at("port"), message: "must be a port (1-65535)" });
  }
  if (config.resourcePath !== undefined && !config.resourcePath.startsWith("/"))
    problems.push({ pointer: at("resourcePath"), message: "must start with /" });
  if (config.requestInterval !== undefined && config.requestInterval !== 10 && config.requestInterval !== 30)
    problems.push({ pointer: at("requestInterval"), message: "must be 10 or 30 (seconds)" });
  if (config.failureThreshold !== undefined && (config.failureThreshold < 1 || config.failureThreshold > 10))
    problems.push({ pointer: at("failureThreshold"), message: "must be between 1 and 10" });
  if (config.enableSNI && !config.type?.startsWith("HTTPS"))
    problems.push({ pointer: at("enableSNI"), message: "applies to HTTPS checks only" });
  if ((o as Route53HealthCheck).spec.tags && (o as Route53HealthCheck).spec.tags!.length > 10)
    problems.push({ pointer: "/spec/tags", message: "Route 53 takes at most 10 tags" });
  return problems;
}

/** Hand checks of a RecordSet: the CRD's fields only, a zone, a type, records or an alias, one routing policy. */
export function checkRoute53RecordSet(o: KubeObject): Problem[] {
  const problems = shapeProblems(o.spec, RECORD_SET_SPEC, "/spec");
  if (problems.length) return problems;
  const spec = (o as Route53RecordSet).spec as Route53RecordSet["spec"] & { aliasTarget?: unknown };
  if (!spec) return [{ pointer: "/spec", message: "must be set" }];
  if (!RECORD_TYPES.includes(spec.recordType))
    problems.push({ pointer: "/spec/recordType", message: `must be one of ${RECORD_TYPES.join(", ")}` });
  if (!spec.hostedZoneID === !spec.hostedZoneRef)
    problems.push({
      pointer: "/spec/hostedZoneID",
      message: "exactly one of hostedZoneID and hostedZoneRef must name the zone",
    });
  if (spec.healthCheckID && spec.healthCheckRef)
    problems.push({ pointer: "/spec/healthCheckRef", message: "healthCheckID and healthCheckRef are exclusive" });
  if (!spec.aliasTarget && !(spec.resourceRecords?.length && spec.ttl !== undefined))
    problems.push({
      pointer: "/spec/resourceRecords",
      message: "a record without aliasTarget needs resourceRecords and ttl",
    });
  if (spec.recordType === "CNAME" && (spec.resourceRecords?.length ?? 0) > 1)
    problems.push({ pointer: "/spec/resourceRecords", message: "a CNAME has exactly one value" });
  const routed = ["region", "weight", "failover", "geoLocation", "cidrRoutingConfig", "multiValueAnswer"].filter(
    (k) => (spec as Record<string, unknown>)[k] !== undefined,
  );
  if (spec.setIdentifier && routed.length !== 1)
    problems.push({
      pointer: "/spec/setIdentifier",
      message: "a set identifier needs exactly one routing policy (region, weight, failover…)",
    });
  if (!spec.setIdentifier && routed.length)
    problems.push({ pointer: `/spec/${routed[0]}`, message: "a routing policy needs a setIdentifier" });
  return problems;
}
