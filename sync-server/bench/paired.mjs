// Paired A/B of two servers on the fan-out workload, for a shared, noisy machine: in each pair both
// servers run at the same time, each with its own driver, so whatever else loads the machine loads
// both alike; the figure to read is the per-pair ratio b/a (median and range), not the absolute
// CPU, which moves with the machine's load. Which server starts first alternates.
// Usage: node bench/paired.mjs <kind a> <kind b> [pairs, default 8]   (kinds as in servers.mjs)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, stopServer, removeDir } from './servers.mjs';
import { runDriver } from './lib/driver.mjs';
import { median, loadavg } from './lib/stats.mjs';
import { FANOUT_FULL } from './workloads/fanout.mjs';

const [a, b, pairsArg] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node bench/paired.mjs <kind a> <kind b> [pairs]');
  process.exit(2);
}
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));
const pairs = Number(pairsArg ?? 8);
const driver = path.join(path.dirname(fileURLToPath(import.meta.url)), 'workloads', 'fanout-driver.mjs');
const cpu = { [a]: [], [b]: [] };
const ratios = [];

for (let i = 0; i < pairs; i++) {
  const servers = [];
  for (const kind of i % 2 ? [b, a] : [a, b]) servers.push(await startServer(kind));
  try {
    const runs = await Promise.all(servers.map((s) => runDriver(driver, { ...FANOUT_FULL, url: s.url, serverPid: s.pid, docPrefix: `pair-${s.kind}` })));
    const line = [];
    servers.forEach((server, j) => {
      const r = runs[j];
      if (r.delivered !== r.expected) throw new Error(`${server.kind} lost updates: ${r.delivered}/${r.expected}`);
      cpu[server.kind].push((r.serverCpu * 1e6) / r.delivered);
      line.push(`${server.kind} ${num(cpu[server.kind].at(-1))} µs/delivery (${r.edits} edits)`);
    });
    ratios.push(cpu[b].at(-1) / cpu[a].at(-1));
    console.log(`pair ${i + 1}/${pairs}: ${line.join(', ')}; ${b}/${a} ${num(ratios.at(-1), 3)}; load ${loadavg()}`);
  } finally {
    for (const server of servers) {
      await stopServer(server);
      await removeDir(server.dataDir);
    }
  }
}
const spread = (xs, digits) => `${num(median(xs), digits)} (${num(Math.min(...xs), digits)}–${num(Math.max(...xs), digits)})`;
console.log(`${a}: ${spread(cpu[a], 1)} µs/delivery; ${b}: ${spread(cpu[b], 1)} µs/delivery; ${b}/${a}: ${spread(ratios, 2)}, ${pairs} pairs`);

function num(x, digits = 1) {
  return x.toFixed(digits);
}
