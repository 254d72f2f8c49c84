import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse } from "yaml";
import { toYaml, isPlainSafe } from "../compiler/yaml.ts";

const HARD = ["yes","no","on","off","y","n","Yes","ON","true","False","null","~","","0775","0o17","0x1F","1e3","1_000","1:20","12:30:00",".5","1.",".inf","-.INF",".nan","2001-12-14","<<","="," leading","trailing ","a: b","a #b","#c","- x","? q","[x]","{y}","*a","&a","!t","|",">","'q'","\"dq\"","%x","@x","`x","multi\nline\n","multi\nline","tab\there","ünïcödé ✓","emoji 🚀","ends with colon:","...","---","nel","a b","crlf\r\n","\n\nlead","trail\n\n","  \n","x\n  ","100m","0.1.8","512Mi","E0","e5",".E1","+","-","e0","E5","-e3","08",".5e1"];

function roundTrips(value: unknown): void {
  const text = toYaml(value);
  for (const version of ["1.1", "1.2"] as const) {
    expect(parse(text, { version })).toEqual(value);
  }
}

describe("toYaml", () => {
  it.each(HARD)("keeps the string %j a string under YAML 1.1 and 1.2", (s) => {
    roundTrips({ key: s, list: [s], [s || "empty"]: s });
  });

  it("orders apiVersion, kind and metadata first, then name and namespace, then alphabetically", () => {
    const text = toYaml({ spec: { z: 1, a: 2, name: "nm" }, metadata: { labels: { b: "1", a: "2" }, namespace: "ns", name: "x" }, kind: "K", apiVersion: "v1" });
    expect(text).toBe(["apiVersion: v1", "kind: K", "metadata:", "  name: x", "  namespace: ns", "  labels:", '    a: "2"', '    b: "1"', "spec:", "  name: nm", "  a: 2", "  z: 1", ""].join("\n"));
  });

  it("never folds long lines", () => {
    const long = "word ".repeat(100).trim();
    expect(toYaml({ long })).toBe(`long: ${long}\n`);
  });

  it("quotes exactly the strings YAML would misread", () => {
    expect(isPlainSafe("yes")).toBe(false);
    expect(isPlainSafe("0775")).toBe(false);
    expect(isPlainSafe("ossa/gateway:0.1.8")).toBe(true);
    expect(isPlainSafe("500m")).toBe(true);
    expect(isPlainSafe("e0")).toBe(false); // a YAML 1.1 float (the exponent form needs no digits before it)
    expect(isPlainSafe("e")).toBe(true);
    expect(isPlainSafe("08")).toBe(false); // read as the integer 8
    expect(isPlainSafe("0_8")).toBe(false);
  });

  it("round-trips random JSON values", () => {
    const key = fc.oneof(fc.string(), fc.constantFrom(...HARD));
    const leaf = fc.oneof(fc.string(), fc.constantFrom(...HARD), fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(key, tie("node"), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), (obj) => {
        roundTrips(JSON.parse(JSON.stringify(obj)));
      }),
      { numRuns: 300 },
    );
  });
});
