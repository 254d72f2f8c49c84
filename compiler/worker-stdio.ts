/**
 * A helper thread's standard output and error written straight to the process's file descriptors (stdio.ts), not
 * sent to the main thread. A Worker started without `stdout: true` and `stderr: true` pipes its output into the main
 * thread's stdout and stderr streams, and so builds both in its constructor (11-13 ms on a pipe, before the helper can
 * start); the CLI's own output never uses them (stdio.ts). A helper started with both options and told so
 * (HelperData.ownStdio) writes its own output (a Node warning, a console.log) here instead, synchronously.
 *
 * Importing this module does that, in a helper thread that owns its output: the helper's module (parallel-worker.ts)
 * imports it first, so it runs before the helper's own code (in the bundle, after the shared chunks it imports, which
 * define functions and constants and write nothing). Output written before it (Node's own, while the thread starts)
 * would stay in the main thread's unread copy of the helper's stream. The two threads write whole chunks to the same
 * descriptors, so a line longer than a pipe's atomic write (4 KB) may interleave with the other's.
 */
import { isMainThread, workerData } from "node:worker_threads";
import { STDERR, STDOUT, WRITES_THROUGH_STREAMS, writeTo } from "./stdio.ts";

/** A Writable's `_writev` argument: the chunks buffered since its last write. */
type Chunks = { chunk: string | Uint8Array; encoding: BufferEncoding }[];

/** The bytes of one chunk: a string in its encoding (what the stream was given), or the bytes themselves. */
function bytesOf({ chunk, encoding }: Chunks[number]): string | Uint8Array {
  return typeof chunk !== "string" || encoding === "utf8" || encoding === "utf-8"
    ? chunk
    : Buffer.from(chunk, encoding);
}

/**
 * Makes this thread's process.stdout and process.stderr write to the process's descriptors 1 and 2 (writeTo),
 * through their `_writev`: the one write method a worker's stdio streams implement, which the Writable's `_write`
 * calls too. A write that fails (a full disk) is dropped, and the stream goes on. Not where writeTo itself writes
 * through these streams (WRITES_THROUGH_STREAMS).
 */
export function writeOwnStdio(): void {
  if (WRITES_THROUGH_STREAMS) return;
  for (const [stream, fd] of [
    [process.stdout, STDOUT],
    [process.stderr, STDERR],
  ] as const) {
    (stream as unknown as { _writev: (chunks: Chunks, done: () => void) => void })._writev = (chunks, done) => {
      try {
        for (const c of chunks) writeTo(fd, bytesOf(c));
      } catch {
        // the output is lost, as a console.log's is when its write fails; the stream must not stay busy
      } finally {
        done();
      }
    };
  }
}

if (!isMainThread && (workerData as { ownStdio?: boolean } | undefined)?.ownStdio) writeOwnStdio();
