import { describe, expect, it } from "vitest";
import { byContent, exactJson, withContentDigests, writtenJson } from "../compiler/validate/content-memo.ts";
import { renderTargetFiles } from "../compiler/emit/files.ts";
import type { RenderedObject } from "../compiler/model/object.ts";
import type { ResolvedTarget } from "../compiler/model/target.ts";

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

  it("keeps apart minus zero and zero, which YAML writes differently", () => {
    const value = (o: object) => Object.is((o as { n: number }).n, -0);
    expect(byContent("test-minus-zero", { n: 0 }, value)).toBe(false);
    expect(byContent("test-minus-zero", { n: -0 }, value)).toBe(true);
    expect(
      byContent("test-minus-zero", { m: [-0] }, (o) => JSON.stringify(o, (_k, v) => (Object.is(v, -0) ? "-0" : v))),
    ).toBe('{"m":["-0"]}');
    withContentDigests(() => {
      expect(exactJson({ n: 0 })).toBe(true);
      expect(exactJson({ n: [-0] })).toBe(false);
      expect(exactJson({ n: { m: undefined } })).toBe(false);
    }, true);
  });

  it("never takes a string starting with NUL for the stand-in of what JSON loses", () => {
    const value = (o: object) => (o as { v: unknown }).v;
    expect(byContent("test-stand-in", { v: -0 }, value)).toBe(-0);
    expect(byContent("test-stand-in", { v: "\u0000-0" }, value)).toBe("\u0000-0");
    expect(byContent("test-stand-in", { v: "\u0000\u0000-0" }, value)).toBe("\u0000\u0000-0");
    const keys = (o: object) => Object.keys((o as { data: object }).data).join(",");
    expect(byContent("test-stand-in-keys", { data: { a: undefined, b: "1" } }, keys)).toBe("a,b");
    expect(byContent("test-stand-in-keys", { data: { a: "\u0000undefined", b: "1" } }, keys)).toBe("a,b");
    const target = { environment: "dev", region: "r", platform: "p", sources: [] } as unknown as ResolvedTarget;
    const yaml = (v: unknown) =>
      renderTargetFiles(target, [
        { object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "n" }, spec: { v } }, band: "foundation" },
      ]).get("dev/r/p/configmap-n.yaml");
    expect(yaml(-0)).toContain("v: -0\n");
    expect(yaml("\u0000-0")).toContain('v: "\\0-0"\n');
  });

  it("tells long contents of one length apart (keyed by a digest past V8's whole-string hash)", () => {
    const long = (c: string) => ({ text: "x".repeat(20_000) + c });
    const last = (o: object) => (o as { text: string }).text.slice(-1);
    expect(byContent("test-long", long("a"), last)).toBe("a");
    expect(byContent("test-long", long("b"), last)).toBe("b");
    expect(byContent("test-long", long("a"), () => "again")).toBe("a");
  });

  it("drops a check's memory when its keys and texts pass a size, not only a count", () => {
    let calls = 0;
    const big = () => (calls++, "y".repeat(7_000_000));
    byContent("test-size", { n: 1 }, big);
    byContent("test-size", { n: 2 }, big);
    byContent("test-size", { n: 1 }, big); // still kept
    expect(calls).toBe(2);
    byContent("test-size", { n: 3 }, big); // past 16 million characters: the memory is dropped first
    byContent("test-size", { n: 1 }, big);
    expect(calls).toBe(4);
  });

  it("vouches for plain data only within a validation that says its objects are plain data", () => {
    const o = { a: 1 };
    expect(exactJson(o)).toBe(false);
    withContentDigests(() => expect(exactJson(o)).toBe(false));
    withContentDigests(() => {
      expect(exactJson(o)).toBe(true);
      expect(exactJson({ a: undefined })).toBe(false);
      withContentDigests(() => expect(exactJson(o)).toBe(true)); // an inner scope keeps the outer one's word
    }, true);
  });

  it("gives the JSON a validation wrote only within it, and only where JSON lost nothing", () => {
    const plain = { kind: "ConfigMap", data: { a: "1" } };
    const lossy = { kind: "ConfigMap", data: { a: undefined } };
    withContentDigests(() => {
      expect(writtenJson(plain)).toBeUndefined(); // not taken yet
      byContent("test-written", plain, () => 0);
      byContent("test-written", lossy, () => 0);
      expect(writtenJson(plain)).toBe(JSON.stringify(plain));
      expect(writtenJson(lossy)).toBeUndefined();
    });
    expect(writtenJson(plain)).toBeUndefined();
  });

  it("renders an object of the same content as one rendered before to its YAML, keeping 0 and -0 apart", () => {
    const target = {
      environment: "dev",
      region: "r",
      platform: "p",
      sources: ["platforms/p.ts"],
    } as unknown as ResolvedTarget;
    const object = (replicas: number): RenderedObject => ({
      object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" }, spec: { replicas } },
      band: "foundation",
    });
    const file = (replicas: number) =>
      withContentDigests(() => renderTargetFiles(target, [object(replicas)])).get("dev/r/p/configmap-b.yaml");
    expect(file(0)).toContain("replicas: 0\n");
    expect(file(-0)).toContain("replicas: -0\n"); // not the YAML of the equal-JSON object before
    expect(file(0)).toContain("replicas: 0\n");
    expect(file(1)).toContain("replicas: 1\n");
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
