// Names are ordered the same on every machine: the compiler never sorts by the process's locale
// (compiler/name-order.ts; the linter refuses localeCompare).
import { spawnSync } from "node:child_process";
import { describe, expect, it, vi } from "vitest";
import { compareNames } from "../compiler/name-order.ts";
import { REPO } from "./helpers/project.ts";

const NAMES = ["z", "aa", "I", "i", "NATS_A", "NATSB", "a-b", "ab"];

describe("name order", () => {
  it("sorts by English collation: case after letter, punctuation before letters", () => {
    expect([...NAMES].sort(compareNames)).toEqual(["a-b", "aa", "ab", "i", "I", "NATS_A", "NATSB", "z"]);
  });

  // Names of ASCII letters, digits, hyphens and underscores are compared without ICU: the order must be English
  // collation's exactly, with case, punctuation, digits and prefixes mixed.
  const collator = new Intl.Collator("en");
  const disagreements = (pairs: Iterable<[string, string]>) => {
    const differ: string[] = [];
    for (const [a, b] of pairs)
      if (Math.sign(compareNames(a, b)) !== Math.sign(collator.compare(a, b))) differ.push(`${a} vs ${b}`);
    return differ;
  };

  /** Every name of up to `longest` characters of `alphabet`. */
  function everyName(alphabet: string, longest: number): string[] {
    const out = [""];
    for (let start = 0, length = 1; length <= longest; length++) {
      const end = out.length;
      for (let i = start; i < end; i++) for (const c of alphabet) out.push(out[i] + c);
      start = end;
    }
    return out;
  }

  it("orders every pair of short names exactly as English collation", () => {
    const names = everyName("aAbB_-0z", 3);
    function* pairs(): Iterable<[string, string]> {
      for (const a of names) for (const b of names) yield [a, b];
    }
    expect(names.length).toBe(585);
    expect(disagreements(pairs())).toEqual([]);
  });

  it.each([
    ["a case difference before a letter difference", "aB", "Ab"],
    ["two case differences", "aBc", "AbC"],
    ["underscore before hyphen", "a_b", "a-b"],
    ["punctuation before digits", "a-", "a0"],
    ["a prefix first, whatever its case", "AB", "abc"],
    ["an environment variable", "NEO4J_dbms_x", "NEO4J_AUTH"],
  ])("orders %s as English collation", (_, a, b) => {
    expect(
      disagreements([
        [a, b],
        [b, a],
      ]),
    ).toEqual([]);
  });

  it.each([
    ["lower-case letters, digits and hyphens", "abcz019-", 8],
    ["environment variables, mixed case", "aAbBzZ019_", 10],
    ["names that differ only in case", "aAbB_-", 12],
    ["every character of the class", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", 8],
  ])("orders random %s exactly as English collation", (_, alphabet, longest) => {
    let state = 0x2545f491; // xorshift32: every character of the alphabet is drawn
    const next = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state >>> 0;
    };
    const name = () => Array.from({ length: next() % longest }, () => alphabet[next() % alphabet.length]).join("");
    const used = new Set<string>();
    const pairs: [string, string][] = [];
    for (let i = 0; i < 20000; i++) {
      const pair: [string, string] = [name(), name()];
      for (const c of pair.join("")) used.add(c);
      pairs.push(pair);
    }
    expect(used.size).toBe(alphabet.length);
    expect(disagreements(pairs)).toEqual([]);
  });

  it("loads no ICU collation data for such names", async () => {
    vi.resetModules();
    const original = Intl.Collator;
    let made = 0;
    const counting = class extends original {
      constructor(...args: ConstructorParameters<typeof Intl.Collator>) {
        super(...args);
        made++;
      }
    };
    Object.defineProperty(Intl, "Collator", { value: counting, configurable: true, writable: true });
    try {
      const fresh = (await import("../compiler/name-order.ts")).compareNames;
      expect(["NEO4J_dbms_x", "NEO4J_AUTH", "web-1", "POD_NAME", "web"].sort(fresh)).toEqual([
        "NEO4J_AUTH",
        "NEO4J_dbms_x",
        "POD_NAME",
        "web",
        "web-1",
      ]);
      expect(made).toBe(0);
      fresh("é", "e");
      expect(made).toBe(1);
    } finally {
      Object.defineProperty(Intl, "Collator", { value: original, configurable: true, writable: true });
    }
  });

  it("orders other names by ICU's English collation", () => {
    expect(["b", "é", "e", "a.b", "É"].sort(compareNames)).toEqual(["a.b", "b", "e", "é", "É"]);
  });

  it("is the same under a Danish or Turkish locale, where localeCompare is not", () => {
    const script = `import { compareNames } from "./compiler/name-order.ts";
      const names = ${JSON.stringify(NAMES)};
      process.stdout.write(JSON.stringify({
        ours: [...names].sort(compareNames),
        locale: [...names].sort((a, b) => a.localeCompare(b)),
      }));`;
    const expected = [...NAMES].sort(compareNames);
    for (const locale of ["da_DK.UTF-8", "tr_TR.UTF-8"]) {
      const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        cwd: REPO,
        encoding: "utf8",
        env: { ...process.env, LANG: locale, LC_ALL: locale },
      });
      expect(r.status, r.stderr).toBe(0);
      const { ours, locale: byLocale } = JSON.parse(r.stdout) as { ours: string[]; locale: string[] };
      expect(ours).toEqual(expected);
      expect(byLocale).not.toEqual(expected); // the locale really was in effect
    }
  });
});
