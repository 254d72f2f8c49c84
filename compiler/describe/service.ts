import type { ServiceComponent } from "./types.ts";

/** Describes a stateless HTTP service. Only `type` is filled in; everything else is what you pass. */
export function service(spec: Omit<ServiceComponent, "type">): ServiceComponent {
  return { type: "service", ...spec };
}
