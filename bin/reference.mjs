// Writes docs/reference.md, the reference of the description language, generated from compiler/ (`npm run
// reference`); with --check, writes nothing and exits 1 when the file is not current.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register();
const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const { renderReference, REFERENCE_PATH } = await import("../compiler/reference/index.ts");
const text = renderReference(REPO);
const path = join(REPO, REFERENCE_PATH);
if (process.argv.includes("--check")) {
  const current = existsSync(path) && readFileSync(path, "utf8") === text;
  process.stderr.write(
    current ? `${REFERENCE_PATH} is current\n` : `${REFERENCE_PATH} is stale: run npm run reference\n`,
  );
  process.exitCode = current ? 0 : 1;
} else {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  process.stderr.write(`wrote ${REFERENCE_PATH}\n`);
}
