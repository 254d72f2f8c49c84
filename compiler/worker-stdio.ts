/**
 * A helper thread's standard output and error written straight to the process's file descriptors (stdio.ts), not
 * sent to the main thread. A Worker started without `stdout: true` and `stderr: true` pipes its output into the main
 * thread's process.stdout and process.stderr, and so builds both of those streams in its constructor (11-13 ms on a
 * pipe, before the helper can start). The CLI's own output never uses them (stdio.ts); a helper started with both
 * options writes its own (a Node warning, a console.log) here instead, synchronously, so nothing is held in the main
 * thread's unread copies of the helper's streams.
 */
import { STDERR, STDOUT, writeTo } from "./stdio.ts";

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
 * calls too.
 */
export function writeOwnStdio(): void {
  for (const [stream, fd] of [
    [process.stdout, STDOUT],
    [process.stderr, STDERR],
  ] as const) {
    (stream as unknown as { _writev: (chunks: Chunks, done: () => void) => void })._writev = (chunks, done) => {
      for (const c of chunks) writeTo(fd, bytesOf(c));
      done();
    };
  }
}
