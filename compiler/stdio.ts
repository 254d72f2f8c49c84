/**
 * Writing to standard output and error through their file descriptors, not through Node's stdout and stderr streams:
 * the first use of either stream builds Node's stream machinery for it (10-15 ms at every start when it is a pipe),
 * for output that is written at once anyway (except on Windows, see writeTo). A write waits while a non-blocking pipe
 * is full; a reader that went away (`manifold … | head`) ends the writing quietly.
 */
import { writeSync } from "node:fs";

/** Standard output's and error's file descriptors. */
export const STDOUT = 1;
export const STDERR = 2;

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * True where writeTo writes through Node's stdout and stderr streams rather than to the descriptors: on Windows, whose
 * console shows bytes written to its descriptor in its own code page, not as UTF-8.
 */
export const WRITES_THROUGH_STREAMS = process.platform === "win32";

/**
 * Writes `text` (or bytes) whole to the file descriptor `fd` (STDOUT or STDERR), or to its stream where
 * WRITES_THROUGH_STREAMS.
 */
export function writeTo(fd: number, text: string | Uint8Array): void {
  if (WRITES_THROUGH_STREAMS) {
    (fd === STDERR ? process.stderr : process.stdout).write(text);
    return;
  }
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  for (let at = 0; at < bytes.length;) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EPIPE") return;
      if (code !== "EAGAIN") throw e;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
