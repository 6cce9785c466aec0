/** Prints the median and 99th percentile of measured latencies (ms) under `label`, and returns the p99. */
export function latencyP99(label: string, latencies: number[]): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = sorted[Math.ceil(sorted.length * 0.99) - 1]!;
  console.log(`${label}: p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms over ${sorted.length} samples`);
  return p99;
}
