// Names are ordered the same on every machine: the compiler never sorts by the process's locale
// (compiler/name-order.ts; the linter refuses localeCompare).
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compareNames } from "../compiler/name-order.ts";
import { REPO } from "./helpers/project.ts";

const NAMES = ["z", "aa", "I", "i", "NATS_A", "NATSB", "a-b", "ab"];

describe("name order", () => {
  it("sorts by English collation: case after letter, punctuation before letters", () => {
    expect([...NAMES].sort(compareNames)).toEqual(["a-b", "aa", "ab", "i", "I", "NATS_A", "NATSB", "z"]);
  });

  it("takes code-unit order for names of lower-case letters, digits and hyphens, exactly as English collation", () => {
    const collator = new Intl.Collator("en");
    const alphabet = "abcz019-";
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const name = () => Array.from({ length: next() % 6 }, () => alphabet[next() % alphabet.length]).join("");
    for (let i = 0; i < 5000; i++) {
      const [a, b] = [name(), name()];
      expect(Math.sign(compareNames(a, b)), `${a} vs ${b}`).toBe(Math.sign(collator.compare(a, b)));
    }
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
