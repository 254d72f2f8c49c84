/**
 * The Istio service mesh of a platform (`mesh`): namespace-wide mutual TLS
 * (PeerAuthentication), an ingress Gateway with TLS on the region's domain and
 * its VirtualService routes (timeouts, retries), DestinationRules with
 * circuit breaking, and AuthorizationPolicies that deny by default and allow
 * exactly what the `dependsOn` graph, the routes and metrics scraping imply.
 * NetworkPolicies for the mesh's own traffic (istiod, the ingress gateway)
 * come with it where the environment asks for NetworkPolicies.
 */
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import { VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService";
import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { Component, Mesh } from "../describe/types.ts";
import { ManifoldError } from "../errors.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { ENGINES, engineOf } from "../stores/index.ts";
import { scrapedPort } from "./monitoring.ts";
import { failoverPorts } from "./failover.ts";
import { objectName, platformLabels, selectorLabels } from "./naming.ts";
import { SKIP_DRY_RUN } from "../sync/annotations.ts";
import { INGRESS_GATEWAY_SERVICE_ACCOUNT } from "../describe/wiring.ts";
import { make, plain } from "./objects.ts";
import { type RenderedObject } from "../model/object.ts";
import { componentPort } from "./pod.ts";
import { PROMETHEUS_SERVICE_ACCOUNT } from "./prometheus-stack.ts";
import { gatewayCertificate } from "./gateway-certificate.ts";
import { backupJobName, hasBackupJob, hasRestoreJob, restoreJobName } from "./backup-jobs.ts";
import { dumpPortsOf, restorePortsOf } from "../stores/engine.ts";
import { GLOBAL_DNS_ANNOTATION, GLOBAL_DNS_PUBLISHER, globalHost, hostsOf, regionHost } from "./global-dns.ts";
import { crossRegionNetworks, crossRegionTls } from "./exposure.ts";
import { membersTalk } from "./store.ts";
import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

/** One rule of an Istio AuthorizationPolicy as Manifold writes it: who may call, on which ports. */
interface AuthorizationRule {
  from?: { source: { principals?: string[]; notPrincipals?: string[]; namespaces?: string[]; ipBlocks?: string[] } }[];
  to: { operation: { ports: string[]; methods?: string[]; paths?: string[] } }[];
}

/** Where Istio's control plane and ingress gateway run. */
export const ISTIO_NAMESPACE = "istio-system";
/** The ingress gateway's pod label (Istio's default); its service account is in describe/wiring.ts. */
export const INGRESS_GATEWAY_SELECTOR = { istio: "ingressgateway" };
export { INGRESS_GATEWAY_SERVICE_ACCOUNT };
/** Istio's default sidecar resources, which every meshed pod adds (the ResourceQuota counts them). */
export const ISTIO_SIDECAR = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "2", memory: "1Gi" },
} as const;

function ports(c: Component, peers: boolean): Record<string, number> {
  return c.type === "service" ? c.ports : { ...ENGINES[c.engine].ports, ...(peers ? ENGINES[c.engine].peerPorts : {}) };
}

/** The in-cluster host of a component's Service. */
export function serviceHost(target: ResolvedTarget, key: string): string {
  return `${objectName(target, key)}.${target.namespace}.svc.cluster.local`;
}

/** The mesh identity (SPIFFE principal, without the scheme) of a component's ServiceAccount. */
export function principal(mesh: Mesh, namespace: string, serviceAccount: string): string {
  return `${mesh.trustDomain ?? "cluster.local"}/ns/${namespace}/sa/${serviceAccount}`;
}

/** The Gateway's hosts: the region's name and, where the environment has a global domain, the global name. */
export function gatewayHosts(target: ResolvedTarget): string[] {
  return target.mesh?.gateway ? hostsOf(target, target.mesh.gateway.host) : [];
}

function checkComponent(target: ResolvedTarget, key: string, field: string): void {
  if (!target.components[key]) throw new ManifoldError(`names unknown component "${key}"`, { field });
}

function authorizationPolicies(
  target: ResolvedTarget,
  mesh: Mesh,
  meta: (name: string, role: string) => IObjectMeta,
): RenderedObject[] {
  const out: RenderedObject[] = [];
  const ns = target.namespace;
  // An ALLOW policy with no rules matches nothing: every request not allowed below is denied.
  // Policies are foundation: in place before any workload whose traffic they allow or deny.
  out.push({
    band: "foundation",
    object: make(AuthorizationPolicy, { metadata: meta("allow-nothing", "mesh"), spec: {} }),
  });
  const keys = Object.keys(target.components).sort();
  const routes = mesh.gateway?.routes ?? [];
  for (const key of keys) {
    const c = target.components[key];
    // An operator's pods run outside the mesh (the operator calls them directly): no Istio policy applies to them.
    if (outsideMesh(c)) continue;
    const rules: AuthorizationRule[] = [];
    const own = Object.values(ports(c, false)).map(String);
    // Callers: the components and hooks (Jobs run in the mesh too) that depend on it, by their ServiceAccounts.
    const callers = [
      ...keys.filter((k) => (target.components[k].dependsOn ?? []).includes(key)),
      ...Object.keys(target.hooks).filter((h) => target.hooks[h].dependsOn.includes(key)),
    ].sort();
    // Callers of a store whose writable endpoint is in another region go there, not to the local replicas.
    const remote = c.type === "store" && ENGINES[c.engine].crossRegion && target.role !== "primary";
    if (callers.length && !remote)
      rules.push({
        from: [{ source: { principals: callers.map((k) => principal(mesh, ns, objectName(target, k))) } }],
        to: [{ operation: { ports: own } }],
      });
    // Its backup and restore Jobs, in the mesh, on the ports their dump and load connect to.
    if (c.type === "store" && hasBackupJob(target, c)) {
      const name = objectName(target, key);
      const engine = engineOf(c);
      const jobs: [string, number[]][] = [[backupJobName(name), dumpPortsOf(engine)]];
      if (hasRestoreJob(target, c)) jobs.push([restoreJobName(name), restorePortsOf(engine)]);
      // One rule per set of ports: the backup and the restore share one when they use the same ports.
      const byPorts = new Map<string, string[]>();
      for (const [job, ports] of jobs) {
        const k = ports.map(String).join(",");
        byPorts.set(k, [...(byPorts.get(k) ?? []), principal(mesh, ns, job)]);
      }
      for (const [ports, principals] of byPorts)
        rules.push({ from: [{ source: { principals } }], to: [{ operation: { ports: ports.split(",") } }] });
    }
    if (membersTalk(target, key)) {
      // Under failover the sentinels and HAProxy (the store's ServiceAccount too) use Sentinel's and the TLS port.
      const own = { ...ports(c, true), ...(c.type === "store" ? failoverPorts(target, c) : {}) };
      rules.push({
        from: [{ source: { principals: [principal(mesh, ns, objectName(target, key))] } }],
        to: [{ operation: { ports: Object.values(own).map(String) } }],
      });
    }
    // Writers and replicas in other regions connect from outside this mesh (see the port-level PERMISSIVE mTLS), from
    // their regions' networks only, on the store's TLS port.
    const tls = c.type === "store" && target.role === "primary" ? crossRegionTls(target, c)?.tls.port : undefined;
    if (tls)
      rules.push({
        from: [{ source: { ipBlocks: crossRegionNetworks(target, key) } }],
        to: [{ operation: { ports: [String(tls.number)] } }],
      });
    const routed = routes
      .filter((r) => r.component === key)
      .map((r) => String(componentPort(target, key, r.port).port));
    if (routed.length)
      rules.push({
        from: [{ source: { principals: [principal(mesh, ISTIO_NAMESPACE, INGRESS_GATEWAY_SERVICE_ACCOUNT)] } }],
        to: [{ operation: { ports: [...new Set(routed)].sort() } }],
      });
    // An NGINX Ingress (`expose`) sits outside the mesh: its port takes plain traffic (NetworkPolicies still limit
    // who).
    if (c.type === "service" && c.expose)
      rules.push({ to: [{ operation: { ports: [String(componentPort(target, key, c.expose.port).port)] } }] });
    // The scrape port, without HTTP fields (methods): the sidecar may see a scrape as plain TCP (a port named neither
    // http nor with an appProtocol), where they never match. The platform's own Prometheus speaks mTLS as its
    // ServiceAccount; the cluster's sits outside the mesh and scrapes in plain text, without a mesh identity
    // (`notPrincipals: ["*"]`; the NetworkPolicy admits only its namespace).
    const scraped = scrapedPort(c);
    if (scraped !== undefined)
      rules.push({
        from: [
          {
            source: target.prometheusStack
              ? { principals: [principal(mesh, ns, `${target.namePrefix}${PROMETHEUS_SERVICE_ACCOUNT}`)] }
              : { notPrincipals: ["*"] },
          },
        ],
        to: [{ operation: { ports: [String(scraped)] } }],
      });
    if (!rules.length) continue;
    const name = objectName(target, key);
    out.push({
      band: "foundation",
      component: key,
      object: make(AuthorizationPolicy, {
        metadata: meta(name, "mesh"),
        spec: { action: "ALLOW", selector: { matchLabels: selectorLabels(target, name) }, rules },
      }),
    });
  }
  return out;
}

function meshNetworkPolicies(target: ResolvedTarget, mesh: Mesh): RenderedObject[] {
  const labels = platformLabels(target, "network-policy");
  const out: RenderedObject[] = [
    {
      band: "foundation",
      object: make(NetworkPolicy, {
        metadata: { name: "allow-istio-control-plane", namespace: target.namespace, labels },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ISTIO_NAMESPACE } },
                  podSelector: { matchLabels: { app: "istiod" } },
                },
              ],
              ports: [{ protocol: "TCP", port: 15012 }],
            },
          ],
        },
      }),
    },
  ];
  for (const key of [...new Set((mesh.gateway?.routes ?? []).map((r) => r.component))].sort()) {
    const name = objectName(target, key);
    const routePorts = [
      ...new Set(
        mesh.gateway!.routes.filter((r) => r.component === key).map((r) => componentPort(target, key, r.port).port),
      ),
    ].sort((a, b) => a - b);
    out.push({
      band: "foundation",
      component: key,
      object: make(NetworkPolicy, {
        metadata: { name: `${name}-from-mesh-gateway`, namespace: target.namespace, labels },
        spec: {
          podSelector: { matchLabels: selectorLabels(target, name) },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ISTIO_NAMESPACE } },
                  podSelector: { matchLabels: INGRESS_GATEWAY_SELECTOR },
                },
              ],
              ports: routePorts.map((port) => ({ protocol: "TCP" as const, port })),
            },
          ],
        },
      }),
    });
  }
  return out;
}

/** Every mesh object of a target, or nothing when the platform has no `mesh`. */
export function buildMesh(target: ResolvedTarget): RenderedObject[] {
  const mesh = target.mesh;
  if (!mesh) return [];
  const meta = meshMeta(target);
  const out: RenderedObject[] = [
    ...peerAuthentications(target, mesh),
    ...(mesh.gateway ? gatewayObjects(target, mesh.gateway) : []),
    ...circuitBreakers(target, mesh),
  ];
  if (mesh.authorization !== false) out.push(...authorizationPolicies(target, mesh, meta));
  if (target.policy.networkPolicies) out.push(...meshNetworkPolicies(target, mesh));
  return out;
}

/**
 * The metadata of a mesh object: platform labels, and the dry-run skip (Istio's CRDs come from another Application).
 */
function meshMeta(target: ResolvedTarget): (name: string, role: string) => IObjectMeta {
  return (name, role) => ({
    name,
    namespace: target.namespace,
    labels: platformLabels(target, role),
    annotations: { ...SKIP_DRY_RUN },
  });
}

/** Metadata with more annotations. */
function withAnnotations(meta: IObjectMeta, annotations: Record<string, string>): IObjectMeta {
  return { ...meta, annotations: { ...meta.annotations, ...annotations } };
}

function edge(object: unknown, component?: string): RenderedObject {
  return { object: plain(object), component, band: "edge" };
}

/**
 * The namespace's mTLS mode, and the ports reached from outside the mesh, which take traffic without mesh mTLS: the TLS
 * port of stores replicated across regions (in the primary region, from other regions; the store's own TLS encrypts
 * it), services published through an NGINX Ingress, and the port the cluster's Prometheus scrapes.
 */
function peerAuthentications(target: ResolvedTarget, mesh: Mesh): RenderedObject[] {
  const meta = meshMeta(target);
  const out = [
    edge(make(PeerAuthentication, { metadata: meta("default", "mesh"), spec: { mtls: { mode: mesh.mtls } } })),
  ];
  if (mesh.mtls !== "STRICT") return out;
  for (const key of Object.keys(target.components).sort()) {
    const c = target.components[key];
    if (outsideMesh(c)) continue;
    const tls = c.type === "store" && target.role === "primary" ? crossRegionTls(target, c)?.tls.port : undefined;
    const open =
      c.type === "store" ? (tls ? [tls.number] : []) : c.expose ? [componentPort(target, key, c.expose.port).port] : [];
    // The cluster's Prometheus scrapes from outside the mesh.
    const scraped = target.prometheusStack ? undefined : scrapedPort(c);
    if (scraped !== undefined && !open.includes(scraped)) open.push(scraped);
    if (!open.length) continue;
    const name = objectName(target, key);
    const portLevelMtls = Object.fromEntries(open.map((p) => [String(p), { mode: "PERMISSIVE" as const }]));
    out.push(
      edge(
        make(PeerAuthentication, {
          metadata: meta(name, "mesh"),
          spec: { selector: { matchLabels: selectorLabels(target, name) }, mtls: { mode: "STRICT" }, portLevelMtls },
        }),
        key,
      ),
    );
  }
  return out;
}

/** True for a component whose pods run outside the mesh: a store an operator runs (CloudNativePG). */
function outsideMesh(c: Component): boolean {
  return c.type === "store" && engineOf(c).operator !== undefined;
}

/** One Istio Gateway of `hosts` on the ingress gateway: HTTPS with the platform's certificate, HTTP redirected. */
function istioGateway(meta: IObjectMeta, hosts: string[], credentialName: string): RenderedObject {
  return edge(
    make(Gateway, {
      metadata: meta,
      spec: {
        selector: INGRESS_GATEWAY_SELECTOR,
        servers: [
          {
            port: { number: 443, name: "https", protocol: "HTTPS" },
            hosts,
            tls: { mode: "SIMPLE", credentialName, minProtocolVersion: "TLSV1_2" },
          },
          { port: { number: 80, name: "http", protocol: "HTTP" }, hosts, tls: { httpsRedirect: true } },
        ],
      },
    }),
  );
}

/**
 * The platform's Istio Gateways and the VirtualService that routes their paths to components. external-dns
 * publishes every host of a Gateway it reads, so the global name gets a Gateway of its own (`<gateway>-global`),
 * marked for the ACK controller and filtered out of external-dns; the region's Gateway keeps the region name.
 */
function gatewayObjects(target: ResolvedTarget, gateway: NonNullable<Mesh["gateway"]>): RenderedObject[] {
  const meta = meshMeta(target);
  const hosts = gatewayHosts(target);
  const gatewayName = `${target.namePrefix || target.platform + "-"}gateway`;
  const global = globalHost(target, gateway.host);
  const gateways = [
    istioGateway(meta(gatewayName, "mesh"), [regionHost(target, gateway.host)], gateway.credentialName),
  ];
  if (global)
    gateways.push(
      istioGateway(
        withAnnotations(meta(`${gatewayName}-global`, "mesh"), { [GLOBAL_DNS_ANNOTATION]: GLOBAL_DNS_PUBLISHER }),
        [global],
        gateway.credentialName,
      ),
    );
  gateway.routes.forEach((r, i) => checkComponent(target, r.component, `mesh.gateway.routes[${i}].component`));
  const virtualService = edge(
    make(VirtualService, {
      metadata: meta(gatewayName, "mesh"),
      spec: {
        hosts,
        gateways: gateways.map((g) => g.object.metadata.name!),
        http: gateway.routes.map((r) => ({
          name: r.component,
          match: [{ uri: { prefix: r.prefix ?? "/" } }],
          route: [
            {
              destination: {
                host: serviceHost(target, r.component),
                port: { number: componentPort(target, r.component, r.port).port },
              },
            },
          ],
          timeout: r.timeout,
          retries: r.retries
            ? {
                attempts: r.retries.attempts,
                perTryTimeout: r.retries.perTryTimeout,
                retryOn: r.retries.retryOn ?? "5xx,reset,connect-failure,refused-stream",
              }
            : undefined,
        })),
      },
    }),
  );
  return [...gateways, gatewayCertificate(target, gateway.credentialName, hosts, ISTIO_NAMESPACE), virtualService];
}

/** One DestinationRule per component with circuit breaking: connection pool, outlier detection, mutual TLS. */
function circuitBreakers(target: ResolvedTarget, mesh: Mesh): RenderedObject[] {
  const meta = meshMeta(target);
  return Object.keys(mesh.circuitBreaking ?? {})
    .sort()
    .map((key) => {
      checkComponent(target, key, `mesh.circuitBreaking.${key}`);
      const cb = mesh.circuitBreaking![key];
      return edge(
        make(DestinationRule, {
          metadata: meta(objectName(target, key), "mesh"),
          spec: {
            host: serviceHost(target, key),
            trafficPolicy: {
              loadBalancer: cb.loadBalancer ? { simple: cb.loadBalancer } : undefined,
              connectionPool: {
                tcp: cb.maxConnections !== undefined ? { maxConnections: cb.maxConnections } : undefined,
                http: {
                  http1MaxPendingRequests: cb.maxPendingRequests,
                  http2MaxRequests: cb.maxRequests,
                  maxRequestsPerConnection: cb.maxRequestsPerConnection,
                },
              },
              outlierDetection: {
                consecutive5xxErrors: cb.consecutive5xxErrors ?? 5,
                interval: cb.interval ?? "30s",
                baseEjectionTime: cb.baseEjectionTime ?? "30s",
                maxEjectionPercent: cb.maxEjectionPercent ?? 50,
              },
              tls: { mode: "ISTIO_MUTUAL" },
            },
          },
        }),
        key,
      );
    });
}
