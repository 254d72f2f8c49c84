/** The bounded memos of compiler/remember.ts: each result computed once per key, dropped past the limit. */
import { describe, expect, it } from "vitest";
import { itself, remembered, rememberedPair } from "../compiler/remember.ts";

describe("remembered results", () => {
  it("computes once per key, and afresh after the limit drops what was kept", () => {
    const calls: string[] = [];
    const upper = remembered((s: string) => (calls.push(s), s.toUpperCase()), itself, 2);
    expect([upper("a"), upper("a"), upper("b"), upper("a")]).toEqual(["A", "A", "B", "A"]);
    expect(calls).toEqual(["a", "b"]);
    upper("c"); // the third key: the two kept are dropped first
    upper("a");
    expect(calls).toEqual(["a", "b", "c", "a"]);
  });

  it("keeps pairs apart by both parts, an undefined key included, and never joins them", () => {
    const calls: [string, string | undefined][] = [];
    const pair = rememberedPair(
      (value: string, key: string | undefined) => (calls.push([value, key]), `${key}:${value}`),
      10,
    );
    expect(pair("x", "k")).toBe("k:x");
    expect(pair("x", undefined)).toBe("undefined:x");
    // a joined key "k\u0000x" would make these collide with a naive string key
    expect(pair("k\u0000x", "")).toBe(":k\u0000x");
    expect(pair("x", "k")).toBe("k:x");
    expect(calls).toEqual([
      ["x", "k"],
      ["x", undefined],
      ["k\u0000x", ""],
    ]);
  });

  it("drops every pair kept once the limit is reached", () => {
    let calls = 0;
    const pair = rememberedPair((value: string, key: number) => (calls++, value.repeat(key)), 2);
    pair("a", 1);
    pair("b", 2);
    pair("c", 3);
    pair("a", 1);
    expect(calls).toBe(4);
  });
});
