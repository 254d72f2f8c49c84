import type { EnvValue, ServiceComponent } from "./types.ts";
import { service } from "./service.ts";

export interface WebFrontendOptions extends Omit<ServiceComponent, "type" | "ports" | "configMap"> {
  /** The port the web server listens on; the Service uses the same port. */
  port: number;
  /**
   * Public variables (Next.js `NEXT_PUBLIC_*` and the like) for the frontend's own
   * ConfigMap `<name>-env`. Values may be `url()` and `ingressUrl()`; never secrets.
   */
  publicEnv: Record<string, EnvValue>;
}

/**
 * A server-rendered web frontend (Next.js by default): a service on one port
 * with its public variables in a ConfigMap of its own, `PORT` and
 * `NEXT_TELEMETRY_DISABLED` preset, a writable `.next/cache`, and probes on `/`.
 * Everything can be overridden by what you pass.
 */
export function webFrontend(spec: WebFrontendOptions): ServiceComponent {
  const { port, publicEnv, ...rest } = spec;
  return service({
    probes: { liveness: { path: "/", initialDelaySeconds: 10 }, readiness: { path: "/" } },
    writablePaths: ["/tmp", "/app/.next/cache"],
    ...rest,
    ports: { http: port },
    configMap: { PORT: String(port), NEXT_TELEMETRY_DISABLED: "1", ...publicEnv },
  });
}
