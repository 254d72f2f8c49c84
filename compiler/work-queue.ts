/**
 * A list of jobs two threads share, in shared memory (a SharedArrayBuffer): one thread takes them from the front,
 * the other from the back, until they meet. A thread that starts late or runs slower simply takes fewer, and neither
 * waits for the other to finish a fixed half; and each still takes a run of neighbouring jobs (a platform's targets
 * are neighbours, and checks remembered by content pay off within a thread). Once the queue is empty every job is
 * taken: those a thread did not take itself are the other's.
 */

/** The shared state: the next job from the front and one past the last job left, packed in one 64-bit cell. */
export interface WorkQueue {
  size: number;
  cell: BigInt64Array;
}

const pack = (front: number, back: number) => (BigInt(front) << 32n) | BigInt(back);

/** A queue of `size` jobs (indexes 0 to size - 1), none taken. */
export function workQueue(size: number): WorkQueue {
  const cell = new BigInt64Array(new SharedArrayBuffer(8));
  cell[0] = pack(0, size);
  return { size, cell };
}

/** Takes the next job's index from the front (or, with `fromBack`, the back), or undefined when none is left. */
export function take(queue: WorkQueue, fromBack = false): number | undefined {
  for (;;) {
    const now = Atomics.load(queue.cell, 0);
    const front = Number(now >> 32n);
    const back = Number(now & 0xffffffffn);
    if (front >= back) return undefined;
    const next = fromBack ? pack(front, back - 1) : pack(front + 1, back);
    if (Atomics.compareExchange(queue.cell, 0, now, next) === now) return fromBack ? back - 1 : front;
  }
}
