import os from 'node:os';

// Small numeric helpers shared by the drivers and the report.

/** The q-quantile (0..1) of numbers, nearest-rank; NaN when empty. */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** The median; the mean of the middle two for an even count. */
export function median(values) {
  const v = Float64Array.from(values).filter(Number.isFinite).sort();
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** CPU time of this process (user + system), in seconds. */
export function selfCpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The 1-, 5- and 15-minute load averages, as printed by uptime. */
export function loadavg() {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}
