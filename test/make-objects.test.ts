/**
 * compiler/blocks/objects.ts: `make(Model, data)` gives what `plain(new Model(data))` gives (the same JSON, the same
 * key order), in one copy of the data. Each case is the data of a ConfigMap or a Deployment; the result must print
 * exactly as the model's way prints it, share nothing with the data, and pass through `plain` unchanged.
 */
import { describe, expect, it } from "vitest";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { make, plain } from "../compiler/blocks/objects.ts";

class Port {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

const holes: unknown[] = ["a"];
holes[2] = "c";
const proto = JSON.parse('{"name": "a", "__proto__": {"x": 1}}') as Record<string, unknown>;

// Each case's data goes to ConfigMap's constructor as it is: the casts stand for data TypeScript would refuse.
const CASES: { name: string; data: Record<string, unknown> }[] = [
  {
    name: "plain data with undefined fields at every depth",
    data: {
      metadata: { name: "a", labels: { x: "1", y: undefined }, annotations: undefined },
      data: { k: "v", empty: "" },
      immutable: false,
      extra: [{ a: 1, b: undefined, c: [null, true, -0.5, { d: undefined }] }],
    },
  },
  { name: "keys in an order that is not sorted", data: { metadata: { name: "b" }, zeta: 1, alpha: { z: 1, a: 2 } } },
  {
    name: "apiVersion and kind given, and given as undefined",
    data: { apiVersion: undefined, kind: "Other", metadata: { name: "c" } },
  },
  { name: "an undefined list item", data: { metadata: { name: "d" }, list: [1, undefined, 3] } },
  { name: "a hole in a list", data: { metadata: { name: "e" }, list: holes } },
  { name: "numbers JSON cannot write", data: { metadata: { name: "f" }, n: [Number.NaN, Number.POSITIVE_INFINITY] } },
  { name: "a class instance with toJSON", data: { metadata: { name: "g" }, port: new Port(80) } },
  {
    name: "a null-prototype object",
    data: { metadata: { name: "h" }, m: Object.assign(Object.create(null), { k: 1 }) },
  },
  { name: "a __proto__ key", data: { metadata: { name: "i" }, p: proto } },
  { name: "a function and a symbol", data: { metadata: { name: "j" }, f: () => 1, s: Symbol("s") } },
];

describe("make", () => {
  for (const c of CASES)
    it(`gives what plain(new Model(data)) gives: ${c.name}`, () => {
      const made = make(ConfigMap, c.data as ConstructorParameters<typeof ConfigMap>[0] & object);
      const old = plain(new ConfigMap(c.data as ConstructorParameters<typeof ConfigMap>[0]));
      expect(JSON.stringify(made)).toBe(JSON.stringify(old));
      expect(made).toStrictEqual(old);
      expect(plain(made)).toStrictEqual(old);
    });

  it("gives what the model's way gives while Object.prototype has an enumerable key", () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = "yes";
    try {
      const data = { metadata: { name: "a", labels: { x: "1" } }, data: { k: "v" } };
      const made = make(ConfigMap, data);
      expect(Object.hasOwn(made, "polluted") || Object.hasOwn(made.metadata, "polluted")).toBe(false);
      expect(JSON.stringify(made)).toBe(JSON.stringify(plain(new ConfigMap(data))));
    } finally {
      delete proto.polluted;
    }
  });

  it("copies the data: nothing of the result is the data's", () => {
    const labels = { app: "x" };
    const data = { metadata: { name: "a", labels }, spec: { selector: { matchLabels: labels }, template: {} } };
    const made = make(Deployment, data);
    expect(made.metadata.labels).toStrictEqual(labels);
    expect(made.metadata.labels).not.toBe(labels);
    expect(made.spec?.selector.matchLabels).not.toBe(labels);
    expect(made.metadata.labels).not.toBe(made.spec?.selector.matchLabels);
  });

  it("sets apiVersion and kind from the model first, and returns plain data that plain() passes through", () => {
    const made = make(Deployment, { metadata: { name: "a" }, spec: undefined });
    expect(Object.keys(made)).toStrictEqual(["apiVersion", "kind", "metadata"]);
    expect([made.apiVersion, made.kind]).toStrictEqual(["apps/v1", "Deployment"]);
    expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
    expect(plain(made)).toBe(made);
  });
});
