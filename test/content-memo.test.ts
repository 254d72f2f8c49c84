import { describe, expect, it } from "vitest";
import { byContent, withContentDigests } from "../compiler/validate/content-memo.ts";

describe("content memo", () => {
  it("checks an object once per content: equal objects share the result, changed ones are checked again", () => {
    let calls = 0;
    const check = (o: object) => (calls++, Object.keys(o).join(","));
    const a = { kind: "ConfigMap", data: { x: "1" } };
    expect(byContent("test-equal", a, check)).toBe("kind,data");
    expect(byContent("test-equal", { kind: "ConfigMap", data: { x: "1" } }, check)).toBe("kind,data");
    expect(calls).toBe(1);
    a.data.x = "2"; // outside a validation nothing is kept per object, so the change is seen
    byContent("test-equal", a, check);
    expect(calls).toBe(2);
  });

  it("keeps apart a key set to undefined and an absent key, and a non-finite number and null", () => {
    const check = (o: object) => Object.keys(o);
    expect(byContent("test-undefined", { a: 1 }, check)).toEqual(["a"]);
    expect(byContent("test-undefined", { a: 1, b: undefined }, check)).toEqual(["a", "b"]);
    const value = (o: object) => (o as { n: unknown }).n;
    expect(byContent("test-number", { n: null }, value)).toBe(null);
    expect(byContent("test-number", { n: Number.NaN }, value)).toBeNaN();
  });

  it("keeps them apart deep inside objects and arrays too", () => {
    const check = (o: object) => JSON.stringify(o, (_k, v: unknown) => (v === undefined ? "undef" : v));
    expect(byContent("test-deep", { spec: { items: [{ a: 1 }] } }, check)).toBe('{"spec":{"items":[{"a":1}]}}');
    expect(byContent("test-deep", { spec: { items: [{ a: 1, b: undefined }] } }, check)).toBe(
      '{"spec":{"items":[{"a":1,"b":"undef"}]}}',
    );
    expect(byContent("test-deep", { spec: { items: [undefined] } }, check)).toBe('{"spec":{"items":["undef"]}}');
    expect(byContent("test-deep", { spec: { items: [null] } }, check)).toBe('{"spec":{"items":[null]}}');
    const first = (o: object) => (o as { m: { n: unknown[] } }).m.n[0];
    expect(byContent("test-deep-number", { m: { n: [null] } }, first)).toBe(null);
    expect(byContent("test-deep-number", { m: { n: [Number.POSITIVE_INFINITY] } }, first)).toBe(Infinity);
    expect(byContent("test-deep-number", { m: { n: [Number.NEGATIVE_INFINITY] } }, first)).toBe(-Infinity);
  });

  it("within a validation, an object's digest is kept until it ends", () => {
    let calls = 0;
    const check = () => ++calls;
    const o = { v: 1 };
    withContentDigests(() => {
      byContent("test-scope", o, check);
      o.v = 2; // not allowed inside a validation: the digest of the first read stands
      expect(byContent("test-scope", o, check)).toBe(1);
    });
    expect(byContent("test-scope", o, check)).toBe(2);
  });
});

describe("content memo and models", () => {
  it("forgets what the checks found when a model is registered for a kind", async () => {
    const { registerModel } = await import("../compiler/validate/models.ts");
    let calls = 0;
    byContent("test-forget", { k: 1 }, () => ++calls);
    registerModel(
      "test.manifold.dev/v1",
      "Nothing",
      class {
        validate(): void {}
      },
    );
    expect(byContent("test-forget", { k: 1 }, () => ++calls)).toBe(2);
  });
});
