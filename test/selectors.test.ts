import { describe, expect, it } from "vitest";
import { mapMatches, selectorMatches, type LabelSelector } from "../compiler/kube/selectors.ts";

const labels = { env: "production", role: "primary", tier: "" };

/** [what, selector, expected] for the labels above. */
const CASES: [string, LabelSelector | undefined, boolean][] = [
  ["absent selector matches everything", undefined, true],
  ["empty selector matches everything", {}, true],
  ["matchLabels equal", { matchLabels: { env: "production" } }, true],
  ["matchLabels with an empty value", { matchLabels: { tier: "" } }, true],
  ["matchLabels different value", { matchLabels: { env: "staging" } }, false],
  ["matchLabels missing key", { matchLabels: { zone: "a" } }, false],
  ["In, value listed", { matchExpressions: [{ key: "env", operator: "In", values: ["staging", "production"] }] }, true],
  ["In, value not listed", { matchExpressions: [{ key: "env", operator: "In", values: ["staging"] }] }, false],
  ["In, label missing", { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }, false],
  ["In without values is invalid", { matchExpressions: [{ key: "env", operator: "In", values: [] }] }, false],
  ["NotIn, value listed", { matchExpressions: [{ key: "role", operator: "NotIn", values: ["primary"] }] }, false],
  ["NotIn, value not listed", { matchExpressions: [{ key: "role", operator: "NotIn", values: ["replica"] }] }, true],
  ["NotIn, label missing", { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }, true],
  ["NotIn without values is invalid", { matchExpressions: [{ key: "zone", operator: "NotIn" }] }, false],
  ["Exists, present", { matchExpressions: [{ key: "tier", operator: "Exists" }] }, true],
  ["Exists, missing", { matchExpressions: [{ key: "zone", operator: "Exists" }] }, false],
  ["Exists with values is invalid", { matchExpressions: [{ key: "env", operator: "Exists", values: ["x"] }] }, false],
  ["DoesNotExist, missing", { matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, true],
  ["DoesNotExist, present", { matchExpressions: [{ key: "env", operator: "DoesNotExist" }] }, false],
  [
    "unknown operator matches nothing",
    { matchExpressions: [{ key: "env", operator: "Equals", values: ["x"] }] },
    false,
  ],
  [
    "an invalid requirement beside valid ones still matches nothing",
    {
      matchLabels: { env: "production" },
      matchExpressions: [
        { key: "zone", operator: "NotIn", values: ["a"] },
        { key: "env", operator: "in", values: ["production"] },
      ],
    },
    false,
  ],
  [
    "matchLabels and matchExpressions must all hold",
    {
      matchLabels: { env: "production" },
      matchExpressions: [
        { key: "role", operator: "In", values: ["primary"] },
        { key: "zone", operator: "DoesNotExist" },
      ],
    },
    true,
  ],
  [
    "one failing requirement fails the selector",
    {
      matchLabels: { env: "production" },
      matchExpressions: [{ key: "role", operator: "In", values: ["replica"] }],
    },
    false,
  ],
];

describe("selectorMatches (the API server's label-selector semantics)", () => {
  it.each(CASES)("%s", (_what, selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });

  it("treats absent labels as an empty label set", () => {
    expect(selectorMatches({ matchExpressions: [{ key: "env", operator: "DoesNotExist" }] }, undefined)).toBe(true);
    expect(selectorMatches({ matchLabels: { env: "production" } }, undefined)).toBe(false);
  });

  it("reads only the selector's own keys, whatever Object.prototype holds", () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = "yes";
    // labels without a prototype, so that an inherited key read as the selector's would not match them
    const pod = Object.assign(Object.create(null) as Record<string, string>, { env: "production" });
    try {
      expect(selectorMatches({ matchLabels: { env: "production" } }, pod)).toBe(true);
      expect(mapMatches({ env: "production" }, pod)).toBe(true);
    } finally {
      delete proto.polluted;
    }
  });

  it("is the one the ApplicationSet expansion uses", async () => {
    const expand = await import("../compiler/argocd/expand.ts");
    expect(expand.selectorMatches).toBe(selectorMatches);
  });
});
