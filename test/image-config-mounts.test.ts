import { describe, expect, it } from "vitest";
import { imageConfigMountsRule } from "../compiler/validate/rules/image-config-mounts.ts";
import type { Component } from "../compiler/describe/types.ts";
import type { KubeObject } from "../compiler/model/object.ts";
import { findings, rendered, ruleTarget } from "./helpers/rule.ts";

const set = (mounts: { name: string; mountPath: string }[], env: { name: string; value: string }[], seed: boolean) =>
  ({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db" },
    spec: {
      template: {
        spec: {
          initContainers: seed ? [{ name: "seed-config", volumeMounts: mounts.filter((m) => m.name !== "data") }] : [],
          containers: [{ name: "db", env, volumeMounts: mounts }],
        },
      },
    },
  }) as KubeObject;
const component = (engine: string, flavor?: string) =>
  ({ type: "store", engine, flavor, replicas: 1 }) as unknown as Component;
const neo4jConf = [{ name: "conf", mountPath: "/var/lib/neo4j/conf" }];

const CASES = [
  { name: "Neo4j's conf seeded from the image", engine: "neo4j", object: set(neo4jConf, [], true), expect: [] },
  {
    name: "an empty volume over Neo4j's conf",
    engine: "neo4j",
    object: set(neo4jConf, [], false),
    expect: [
      "StatefulSet/db /spec/template/spec/containers/0/volumeMounts/0/mountPath: volume conf at /var/lib/neo4j/conf hides /var/lib/neo4j/conf, which the image's own configuration reads",
    ],
  },
  {
    name: "supabase postgres: custom config hidden, PGDATA off the pinned directory, data directory at the volume root",
    engine: "postgres",
    flavor: "official",
    object: set(
      [
        { name: "custom", mountPath: "/etc/postgresql-custom" },
        { name: "data", mountPath: "/var/lib/postgresql/data" },
      ],
      [{ name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" }],
      false,
    ),
    expect: [
      "StatefulSet/db /spec/template/spec/containers/0/volumeMounts/0/mountPath: volume custom at /etc/postgresql-custom hides /etc/postgresql-custom, which the image's own configuration reads",
      "StatefulSet/db /spec/template/spec/containers/0/env/0/value: PGDATA is /var/lib/postgresql/data/pgdata, but the image's configuration pins the data directory to /var/lib/postgresql/data",
      "StatefulSet/db /spec/template/spec/containers/0/volumeMounts/1/mountPath: the data directory /var/lib/postgresql/data is the root of volume data, which holds lost+found; initdb refuses it",
    ],
  },
  {
    name: "supabase postgres as rendered: seeded config, data directory below the volume",
    engine: "postgres",
    flavor: "official",
    object: set(
      [
        { name: "custom", mountPath: "/etc/postgresql-custom" },
        { name: "data", mountPath: "/var/lib/postgresql" },
      ],
      [{ name: "PGDATA", value: "/var/lib/postgresql/data" }],
      true,
    ),
    expect: [],
  },
  { name: "an engine that declares nothing", engine: "redis", object: set(neo4jConf, [], false), expect: [] },
];

describe("image-config-mounts", () => {
  it.each(CASES)("$name", (c) => {
    const target = ruleTarget({ components: { db: component(c.engine, c.flavor) } });
    expect(findings(imageConfigMountsRule, rendered([c.object], "db"), target)).toEqual(c.expect);
  });
});
