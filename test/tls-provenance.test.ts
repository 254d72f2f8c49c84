import { describe, expect, it } from "vitest";
import { tlsProvenanceRule } from "../compiler/validate/rules/tls-provenance.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { findings, rendered } from "./helpers/rule.ts";

const ingress = (annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name: "web", namespace: "demo", annotations },
  spec: { tls: [{ hosts: ["web.example.com"], secretName: "web-tls" }] },
});
const gateway: KubeObject = {
  apiVersion: "networking.istio.io/v1beta1",
  kind: "Gateway",
  metadata: { name: "gw", namespace: "demo" },
  spec: { servers: [{ port: { number: 443 }, tls: { mode: "SIMPLE", credentialName: "gw-tls" } }] },
};
const certificate = (namespace: string, secretName: string): KubeObject => ({
  apiVersion: "cert-manager.io/v1",
  kind: "Certificate",
  metadata: { name: secretName, namespace },
  spec: { secretName },
});

const CASES: { name: string; objects: KubeObject[]; expect: string[] }[] = [
  {
    name: "an Ingress with a cert-manager annotation",
    objects: [ingress({ "cert-manager.io/cluster-issuer": "le" })],
    expect: [],
  },
  {
    name: "an Ingress with a Certificate in its namespace",
    objects: [ingress(), certificate("demo", "web-tls")],
    expect: [],
  },
  {
    name: "an Ingress whose Secret nothing makes",
    objects: [ingress(), certificate("other", "web-tls")],
    expect: [
      "Ingress/web /spec/tls/0/secretName: TLS Secret demo/web-tls is made by nothing (no cert-manager annotation, no Certificate)",
    ],
  },
  {
    name: "a Gateway with its Certificate in istio-system",
    objects: [gateway, certificate("istio-system", "gw-tls")],
    expect: [],
  },
  {
    name: "a Gateway whose Certificate sits in the Gateway's own namespace",
    objects: [gateway, certificate("demo", "gw-tls")],
    expect: [
      "Gateway/gw /spec/servers/0/tls/credentialName: TLS Secret gw-tls is read in istio-system (the gateway's namespace), where nothing makes it",
    ],
  },
];

describe("tls-provenance", () => {
  it.each(CASES)("$name", (c) => expect(findings(tlsProvenanceRule, rendered(c.objects))).toEqual(c.expect));
});
