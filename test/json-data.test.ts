/**
 * compiler/check/json-data.ts: every value a description exports is JSON data. Each case is a value and the problems
 * it must give (the field's dotted path and the message), or none.
 */
import { describe, expect, it } from "vitest";
import { jsonDataProblems } from "../compiler/check/json-data.ts";

class Port {
  constructor(readonly value: number) {}
}

const selfish: Record<string, unknown> = { name: "a" };
selfish.again = { inner: selfish };
const holes: unknown[] = ["a"];
holes[2] = "c";

const CASES: { name: string; value: unknown; problems: [string, RegExp][] }[] = [
  {
    name: "plain data, a field left undefined and a null-prototype object",
    value: {
      a: "x",
      b: 1,
      c: [true, null, { d: -2.5 }],
      e: undefined,
      f: Object.assign(Object.create(null), { g: 1 }),
    },
    problems: [],
  },
  { name: "a Date", value: { at: new Date(0) }, problems: [["at", /^a Date is not JSON data: .*toISOString/]] },
  { name: "a Map", value: { m: new Map() }, problems: [["m", /^a Map is not JSON data/]] },
  { name: "a class instance", value: { port: new Port(80) }, problems: [["port", /^a Port is not JSON data/]] },
  {
    name: "numbers JSON cannot write",
    value: [Number.NaN, Number.POSITIVE_INFINITY],
    problems: [
      ["[0]", /^NaN is not JSON data: write a finite number$/],
      ["[1]", /^Infinity is not JSON data/],
    ],
  },
  { name: "a bigint", value: { n: 1n }, problems: [["n", /^a bigint is not JSON data/]] },
  { name: "a function", value: { f: () => 1 }, problems: [["f", /^a function is not JSON data/]] },
  { name: "a symbol", value: { s: Symbol("s") }, problems: [["s", /^a symbol is not JSON data/]] },
  {
    name: "an undefined list item and a hole",
    value: { list: ["a", undefined], holes },
    problems: [
      ["list[1]", /^undefined is not JSON data: leave the item out$/],
      ["holes[1]", /^undefined is not JSON data/],
    ],
  },
  {
    name: "a value that contains itself",
    value: { root: selfish },
    problems: [["root.again.inner", /^contains itself/]],
  },
  {
    name: "the same object twice, not a cycle",
    value: ((shared) => ({ a: shared, b: [shared] }))({ x: 1 }),
    problems: [],
  },
  {
    name: "a getter that throws",
    value: {
      get broken(): string {
        throw new Error("no value");
      },
    },
    problems: [["broken", /^a getter or setter is not JSON data: write the value as a plain field$/]],
  },
  {
    name: "a getter, even one that gives a value, and a hidden field (a hidden toJSON too)",
    value: {
      get size(): number {
        return 1;
      },
      spec: Object.defineProperty(Object.defineProperty({ zone: "a" }, "name", { value: "x" }), "toJSON", {
        value: () => ({ zone: "b" }),
      }),
    },
    problems: [
      ["size", /^a getter or setter is not JSON data/],
      ["spec.name", /^a hidden \(non-enumerable\) field is not JSON data: write it as a plain field, or leave it out$/],
      ["spec.toJSON", /^a hidden \(non-enumerable\) field is not JSON data/],
    ],
  },
  {
    name: "deep paths",
    value: { components: { api: { env: [{ value: new Date(1) }] } } },
    problems: [["components.api.env[0].value", /^a Date/]],
  },
];

describe("jsonDataProblems", () => {
  it.each(CASES)("$name", ({ value, problems }) => {
    const found = jsonDataProblems(value);
    expect(found.map((p) => p.path)).toEqual(problems.map(([path]) => path));
    for (const [i, [, message]] of problems.entries()) expect(found[i].message).toMatch(message);
  });
});
