/**
 * Egress to the internet (`egress: { https: true }`), for services that call
 * external APIs such as OpenAI or Anthropic: TCP 443 to every IPv4 address
 * except private (RFC 1918), link-local (cloud metadata), CGNAT and loopback
 * ranges, so the rule opens the internet and nothing inside the cluster or VPC.
 */
import type { IIoK8sApiNetworkingV1NetworkPolicyEgressRule as EgressRule } from "kubernetes-models/networking.k8s.io/v1";
import type { Component } from "../describe/types.ts";

/** Address ranges an internet egress rule never opens. */
export const NON_PUBLIC_RANGES = [
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
];

/** The egress rules a component's `egress` field asks for. */
export function internetEgress(c: Component): EgressRule[] {
  if (!c.egress?.https) return [];
  return [
    {
      to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...NON_PUBLIC_RANGES] } }],
      ports: [{ protocol: "TCP", port: 443 }],
    },
  ];
}
