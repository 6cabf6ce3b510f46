// Workload 3, many quiet connections: what an idle connection costs in server memory, whether
// memory and loaded documents come back when they leave, and where the server bends.
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, stopServer, removeDir, rssKiB, metricValue, collectGarbage, SERVER_LABELS } from '../servers.mjs';
import { startDriver } from '../lib/driver.mjs';
import { sleep } from '../lib/protocol.mjs';
import { num, ratio, yesNo } from '../table.mjs';

const driverScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'quiet-driver.mjs');

export const QUIET_FULL = { docs: 1000, conns: 10_000, bytesPerDoc: 1024, settleMs: 2500, scanSteps: [12_500, 15_000, 17_500, 19_900, 22_500] };
export const QUIET_QUICK = { docs: 20, conns: 200, bytesPerDoc: 1024, settleMs: 500, scanSteps: [400, 600] };
/** Connections one driver process holds at most (its descriptor limit is shared with everything else). */
const PER_DRIVER = 12_000;
/** Source addresses: each gives its own ~28,000 ephemeral ports towards the server. */
const LOCAL_ADDRESSES = Array.from({ length: 16 }, (_, i) => `127.0.0.${i + 1}`);
const LOADED_DOCS_METRIC = 'tandem_loaded_documents';

function hardFdLimit() {
  try { return execFileSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim(); } catch { return '?'; }
}

/** Open `count` connections spread over the drivers, continuing the global numbering at `first`. */
async function openSpread(drivers, { url, docPrefix, docs, count, first }) {
  const share = Math.ceil(count / drivers.length);
  const parts = await Promise.all(drivers.map((d, j) => {
    const n = Math.max(0, Math.min(share, count - j * share));
    return n ? d.send({ cmd: 'open', url, docPrefix, docs, count: n, firstIndex: first + j * share, localAddresses: LOCAL_ADDRESSES }) : null;
  }));
  const real = parts.filter(Boolean);
  return {
    opened: real.reduce((s, p) => s + p.opened, 0),
    failed: real.reduce((s, p) => s + p.failed, 0),
    errors: real.flatMap((p) => p.errors),
    wallMs: Math.max(...real.map((p) => p.wallMs)),
    // Per-driver percentiles; the worst driver is reported.
    p50: Math.max(...real.map((p) => p.p50)),
    p99: Math.max(...real.map((p) => p.p99)),
    driverCpuS: real.reduce((s, p) => s + p.driverCpuS, 0),
  };
}

async function withDrivers(n, fn) {
  const drivers = Array.from({ length: n }, () => startDriver(driverScript));
  try {
    return await fn(drivers);
  } finally {
    for (const d of drivers) d.stop();
  }
}

/** Server RSS after a full GC: what the server holds, not the garbage it has yet to collect. */
export async function settledRss(server) {
  try {
    await collectGarbage(server);
  } catch {
    // Out of descriptors (the scan's last step), the inspector cannot connect either: plain RSS.
  }
  return rssKiB(server.pid);
}

async function measure(kind, shape, { cpuProfDir }) {
  const server = await startServer(kind, { cpuProfDir, inspect: true });
  const docPrefix = `quiet-${kind}`;
  try {
    return await withDrivers(Math.ceil(shape.conns / PER_DRIVER), async (drivers) => {
      await drivers[0].send({ cmd: 'seed', url: server.url, docPrefix, docs: shape.docs, bytesPerDoc: shape.bytesPerDoc });
      await sleep(1000);
      const rss0 = await settledRss(server);
      const o = await openSpread(drivers, { url: server.url, docPrefix, docs: shape.docs, count: shape.conns, first: 0 });
      await sleep(shape.settleMs);
      const rss1 = await settledRss(server);
      const loadedOpen = await metricValue(server, LOADED_DOCS_METRIC);
      const checks = await Promise.all(drivers.map((d) => d.send({ cmd: 'check', minChars: shape.bytesPerDoc })));
      await Promise.all(drivers.map((d) => d.send({ cmd: 'close' })));
      await sleep(shape.settleMs);
      const rss2 = await settledRss(server);
      const loadedAfter = await metricValue(server, LOADED_DOCS_METRIC);
      return {
        ...o,
        rss0, rss1, rss2,
        kibPerConn: (rss1 - rss0) / o.opened,
        loadedOpen, loadedAfter,
        docsWithText: Math.min(shape.docs, checks.reduce((s, c) => s + c.withText, 0)),
      };
    });
  } finally {
    await stopServer(server);
    await removeDir(server.dataDir);
  }
}

/** Raise the connection count step by step on one server until connecting fails or bends. */
async function scan(kind, shape) {
  const server = await startServer(kind, { inspect: true });
  const docPrefix = `scan-${kind}`;
  const steps = [];
  try {
    const max = shape.scanSteps.at(-1);
    // At least two drivers, so no single driver process's descriptors are the limit found.
    await withDrivers(Math.max(2, Math.ceil(max / PER_DRIVER)), async (drivers) => {
      await drivers[0].send({ cmd: 'seed', url: server.url, docPrefix, docs: shape.docs, bytesPerDoc: shape.bytesPerDoc });
      await sleep(1000);
      let prevRss = await settledRss(server);
      let total = 0;
      for (const target of [shape.conns, ...shape.scanSteps]) {
        const o = await openSpread(drivers, { url: server.url, docPrefix, docs: shape.docs, count: target - total, first: total });
        await sleep(1000);
        const alive = server.child.exitCode === null;
        const rss = alive ? await settledRss(server) : NaN;
        steps.push({ target, ...o, rss, kibPerConn: (rss - prevRss) / Math.max(1, o.opened), rate: o.opened / (o.wallMs / 1000), alive });
        total += o.opened;
        prevRss = rss;
        if (o.failed > 0 || server.child.exitCode !== null) break;
      }
      await Promise.all(drivers.map((d) => d.send({ cmd: 'close' })));
    });
  } finally {
    await stopServer(server);
    await removeDir(server.dataDir);
  }
  return steps;
}

export async function quiet({ kinds, quick, cpuProfDir, log, scan: doScan }) {
  const shape = quick ? QUIET_QUICK : QUIET_FULL;
  const res = {};
  for (const kind of kinds) {
    res[kind] = await measure(kind, shape, { cpuProfDir: cpuProfDir && path.join(cpuProfDir, `quiet-${kind}`) });
    const r = res[kind];
    log(`quiet ${kind}: ${r.opened}/${shape.conns} open in ${num(r.wallMs / 1000)} s, ${num(r.kibPerConn, 2)} KiB/conn, RSS after close ${num(r.rss2 / 1024)} MiB, loaded docs ${r.loadedAfter ?? 'n/a'}`);
  }
  const ref = res.reference;
  const relay = res.relay;
  const mib = (k) => num(k / 1024, 1);
  const rows = kinds.map((k) => {
    const r = res[k];
    return [
      SERVER_LABELS[k],
      `${r.opened}/${shape.conns}`,
      num(r.kibPerConn, 2),
      ratio(r.kibPerConn, ref?.kibPerConn),
      ratio(r.kibPerConn, relay?.kibPerConn),
      `${mib(r.rss0)} → ${mib(r.rss1)} → ${mib(r.rss2)}`,
      r.loadedOpen === undefined ? 'n/a' : `${r.loadedOpen} → ${r.loadedAfter}`,
      k === 'relay' ? 'n/a (no storage)' : `${r.docsWithText}/${shape.docs}`,
      `${num(r.wallMs / 1000, 1)} s`,
      `${num(r.p50, 1)} / ${num(r.p99, 1)}`,
    ];
  });
  const t = res.tandem;
  const tables = [{
    headers: ['server', 'connected', 'KiB/conn', 'vs ref', 'vs relay', 'RSS MiB after GC: before → open → closed', 'loaded docs: open → closed',
      'docs with text', 'open all', 'connect ms p50 / p99'],
    rows,
  }];
  if (t) {
    tables.push({
      title: 'Targets (Tandem)',
      headers: ['target', 'Tandem', 'met'],
      rows: [
        ['KiB per connection ≤ 0.75× reference', ratio(t.kibPerConn, ref?.kibPerConn), yesNo(ref && t.kibPerConn <= 0.75 * ref.kibPerConn)],
        ['loaded documents back to 0 after close', String(t.loadedAfter ?? 'no metric'), yesNo(t.loadedAfter === 0)],
        ['every connection synced', `${t.opened}/${shape.conns}`, yesNo(t.opened === shape.conns)],
      ],
    });
  }
  if (doScan && kinds.includes('tandem')) {
    const steps = await scan('tandem', shape);
    log(`quiet scan: ${steps.map((s) => `${s.target}: ${s.failed ? s.failed + ' failed' : num(s.p99, 0) + ' ms p99'}`).join(', ')}`);
    const base = steps[0];
    // Broken: connections fail or the server dies. Bent: the connect rate falls below a third of the
    // first step's, or a step's memory per connection doubles (on a shared machine, also check the load).
    const openAt = (step) => steps.slice(0, steps.indexOf(step) + 1).reduce((n, s) => n + s.opened, 0);
    const broken = steps.find((s) => s.failed > 0 || !s.alive);
    const bent = steps.filter((s) => s !== broken && (s.rate < base.rate / 3 || s.kibPerConn > 2 * base.kibPerConn));
    const note = (broken
      ? `Breaks at ${openAt(broken)} open connections (on the way to ${broken.target}): ${broken.failed} failed; the server ${broken.alive ? 'stayed up' : 'died'}. `
      : `No failures up to ${steps.at(-1).target} connections. `) +
      (bent.length
        ? `Bent before that: ${bent.map((s) => `${s.target} (${num(s.rate, 0)} connects/s, ${num(s.kibPerConn, 2)} KiB/conn)`).join(', ')}, against ${num(base.rate, 0)} connects/s and ${num(base.kibPerConn, 2)} KiB/conn at first (compare the load average above). `
        : 'Until then the connect rate and memory per connection stay flat. ') +
      `The hard descriptor limit here is ${hardFdLimit()} per process (\`ulimit -Hn\`), which caps any one server process.`;
    tables.push({
      title: 'Where Tandem bends (one server, connections added step by step)',
      headers: ['connections', 'added', 'failed', 'connects/s', 'connect ms p50 / p99', 'RSS MiB (after GC)', 'KiB/conn of step'],
      rows: steps.map((s) => [
        String(s.target), String(s.opened), s.failed ? `${s.failed} (${s.errors.slice(0, 2).join('; ')})` : '0',
        num(s.rate, 0), `${num(s.p50, 1)} / ${num(s.p99, 1)}`, num(s.rss / 1024, 0), num(s.kibPerConn, 2),
      ]),
      notes: [note],
    });
  }
  return {
    title: 'Many quiet connections',
    notes: [
      `${shape.conns.toLocaleString('en-US')} connections over ${shape.docs.toLocaleString('en-US')} documents of ~${shape.bytesPerDoc} characters (seeded through the server first, then all closed), ` +
      `from ${LOCAL_ADDRESSES.length} loopback source addresses, 64 handshakes in flight per driver. ` +
      `KiB/conn = growth of the server's RSS, each sample taken after a full GC forced through the V8 inspector, from before the first connection ` +
      `to ${shape.settleMs / 1000} s after the last one synced, divided by connections (it includes loading the documents). ` +
      `"Docs with text": documents whose first connection received their text.`,
    ],
    tables,
    data: res,
  };
}
