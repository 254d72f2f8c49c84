/**
 * The clock of the phase timings: milliseconds since the process started, as the performance API's clock counts them,
 * without that API (its first use loads perf_hooks, ~4 ms at every start).
 */

/** Milliseconds since the process started. */
export function now(): number {
  return process.uptime() * 1000;
}
