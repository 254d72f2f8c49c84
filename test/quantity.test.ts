import { describe, expect, it } from "vitest";
import { canonicalQuantity, compareQuantities, isQuantity } from "../compiler/quantity.ts";

describe("canonicalQuantity", () => {
  it.each([
    ["1000m", "1"],
    ["1500m", "1500m"],
    ["0.5", "500m"],
    ["0.1", "100m"],
    ["2", "2"],
    ["3072Mi", "3Gi"],
    ["1024Mi", "1Gi"],
    ["1536Mi", "1536Mi"],
    ["1.5Gi", "1536Mi"],
    ["0.5Gi", "512Mi"],
    ["512Ki", "512Ki"],
    ["1024", "1024"],
    ["1000", "1k"],
    ["1000M", "1G"],
    ["1e3", "1e3"],
    ["1500e-3", "1500e-3"],
    ["0", "0"],
    ["100Gi", "100Gi"],
    ["10Gi", "10Gi"],
    ["0.0001", "100u"],
  ])("%s becomes %s", (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });

  it.each(["500mb", "1.2.3", "", "Gi", "10 Gi", "-", "1x"])("rejects %j", (input) => {
    expect(isQuantity(input)).toBe(false);
    expect(() => canonicalQuantity(input)).toThrow(/not a Kubernetes quantity/);
  });

  it("compares across suffixes", () => {
    expect(compareQuantities("1", "1000m")).toBe(0);
    expect(compareQuantities("512Mi", "1Gi")).toBeLessThan(0);
    expect(compareQuantities("2", "1500m")).toBeGreaterThan(0);
  });
});
