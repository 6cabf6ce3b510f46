// Cluster mode (`npm run bench -- cluster`): several Tandem instances sharing one redis-server.
//  1. Fan-out across 3 instances (each document's clients spread over all of them) against a
//     single instance (LevelDB) in the same run: latency, CPU per delivery (every instance plus
//     redis-server), nothing lost, all converge.
//  2. Many concurrent connections across ≥ 6 instances (one process holds at most ~20,000
//     descriptors), drivers spread over loopback addresses: all synced, KiB per connection per
//     instance, Redis memory.
//  3. Kill one instance under load, behind a round-robin balancer: time until every client holds
//     every edit again, and edits lost (must be 0).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, stopServer, removeDir, makeTempDir } from '../servers.mjs';
import { runDriver, startDriver } from '../lib/driver.mjs';
import { startRedis } from '../lib/redis.mjs';
import { median, quantile, loadavg } from '../lib/stats.mjs';
import { sleep } from '../lib/protocol.mjs';
import { num, ratio, yesNo, bytes } from '../table.mjs';
import { FANOUT_FULL, FANOUT_QUICK } from './fanout.mjs';
import { settledRss } from './quiet.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fanoutDriver = path.join(here, 'fanout-driver.mjs');
const quietDriver = path.join(here, 'quiet-driver.mjs');
const killDriver = path.join(here, 'cluster-kill-driver.mjs');

const CONNECTIONS_FULL = { instances: 7, conns: 100_000, docs: 1000, bytesPerDoc: 1024, perDriver: 11_200 };
const CONNECTIONS_QUICK = { instances: 6, conns: 1200, docs: 40, bytesPerDoc: 1024, perDriver: 600 };
const KILL_FULL = { instances: 3, docs: 3, clientsPerDoc: 12, writersPerDoc: 4, rate: 5, beforeKillMs: 5000, afterKillMs: 8000 };
const KILL_QUICK = { instances: 3, docs: 2, clientsPerDoc: 6, writersPerDoc: 2, rate: 5, beforeKillMs: 1500, afterKillMs: 3000 };
const LOCAL_ADDRESSES = Array.from({ length: 16 }, (_, i) => `127.0.0.${i + 1}`);
/** Bench instances: no limits that would throttle the load itself. */
const UNLIMITED = ['--max-messages-per-second', '0', '--max-connections-per-ip', '0', '--max-loaded-docs', '0'];

async function startCluster(redis, count, { inspect = false, cpuProfDir } = {}) {
  const dataDir = await makeTempDir('cluster-unused');
  const extraArgs = ['--redis-url', redis.url, ...UNLIMITED];
  const servers = [];
  for (let i = 0; i < count; i++) servers.push(await startServer('tandem', { dataDir, extraArgs, inspect, cpuProfDir }));
  return { servers, dataDir };
}

async function stopCluster({ servers, dataDir }) {
  await Promise.all(servers.map((s) => stopServer(s)));
  await removeDir(dataDir);
}

/** One fan-out run: `cluster` 0 is a single LevelDB instance, else that many instances on Redis. */
async function fanoutOnce(instances, shape, cpuProfDir) {
  if (instances === 0) {
    const server = await startServer('tandem', { cpuProfDir });
    try {
      return await runDriver(fanoutDriver, { ...shape, urls: [server.url], serverPids: [server.pid], docPrefix: 'single' });
    } finally {
      await stopServer(server);
      await removeDir(server.dataDir);
    }
  }
  const redis = await startRedis();
  const cluster = await startCluster(redis, instances, { cpuProfDir });
  try {
    const { servers } = cluster;
    return await runDriver(fanoutDriver, { ...shape, urls: servers.map((s) => s.url), serverPids: [...servers.map((s) => s.pid), redis.pid], docPrefix: 'cluster' });
  } finally {
    await stopCluster(cluster);
    await redis.stop();
  }
}

async function fanoutComparison(quick, reps, log, cpuProfDir) {
  const shape = { ...(quick ? FANOUT_QUICK : FANOUT_FULL) };
  const setups = [['single instance (LevelDB)', 0], ['3 instances + Redis', 3]];
  const runs = setups.map(() => []);
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k < setups.length; k++) {
      const i = (k + rep) % setups.length;
      const r = await fanoutOnce(setups[i][1], shape, cpuProfDir);
      runs[i].push(r);
      log(`cluster fan-out rep ${rep + 1}/${reps} ${setups[i][0]}: p99 ${num(quantile(r.latencies, 0.99))} ms, ${num((r.serverCpu * 1e6) / r.delivered)} µs/delivery, ${r.delivered + r.warmup.delivered}/${r.expected + r.warmup.expected}, per process ${r.serverCpuEach.map((s) => num((s * 1e6) / r.delivered)).join(' + ')} µs`);
    }
  }
  const agg = runs.map((rs) => ({
    p50: median(rs.map((r) => quantile(r.latencies, 0.5))),
    p99: median(rs.map((r) => quantile(r.latencies, 0.99))),
    cpu: median(rs.map((r) => (r.serverCpu * 1e6) / r.delivered)),
    delivered: rs.reduce((n, r) => n + r.delivered + r.warmup.delivered, 0),
    expected: rs.reduce((n, r) => n + r.expected + r.warmup.expected, 0),
    converged: rs.reduce((n, r) => n + r.convergedDocs, 0),
    docs: rs.reduce((n, r) => n + r.docs, 0),
  }));
  const [single, cluster] = agg;
  return {
    shape,
    table: {
      title: 'Fan-out: 3 instances vs one',
      headers: ['setup', 'p50 ms', 'p99 ms', 'CPU µs/delivery (all processes)', 'delivered/expected', 'converged'],
      rows: setups.map(([label], i) => [label, num(agg[i].p50), num(agg[i].p99), num(agg[i].cpu), `${agg[i].delivered}/${agg[i].expected}`, `${agg[i].converged}/${agg[i].docs}`]),
    },
    targets: [
      ['fan-out p99 ≤ 2× single instance', `${num(cluster.p99)} vs ${num(single.p99)} ms (${ratio(cluster.p99, single.p99)})`, yesNo(cluster.p99 <= 2 * single.p99)],
      ['CPU per delivery ≤ 2× single instance', `${num(cluster.cpu)} vs ${num(single.cpu)} µs (${ratio(cluster.cpu, single.cpu)})`, yesNo(cluster.cpu <= 2 * single.cpu)],
      ['fan-out: nothing lost', `${cluster.delivered}/${cluster.expected}`, yesNo(cluster.delivered === cluster.expected)],
      ['fan-out: all converge', `${cluster.converged}/${cluster.docs}`, yesNo(cluster.converged === cluster.docs)],
    ],
  };
}

async function connections(quick, log) {
  const shape = quick ? CONNECTIONS_QUICK : CONNECTIONS_FULL;
  const redis = await startRedis();
  const cluster = await startCluster(redis, shape.instances, { inspect: true });
  const { servers } = cluster;
  const drivers = Array.from({ length: Math.ceil(shape.conns / shape.perDriver) }, () => startDriver(quietDriver));
  try {
    const docPrefix = 'many';
    await drivers[0].send({ cmd: 'seed', url: servers[0].url, docPrefix, docs: shape.docs, bytesPerDoc: shape.bytesPerDoc });
    await sleep(1500);
    const redisBefore = redis.usedMemory();
    const rss0 = await Promise.all(servers.map((s) => settledRss(s)));
    const started = performance.now();
    // Exactly `conns` connections: instance k gets its share, split over the drivers.
    const split = (total, parts, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0);
    let first = 0;
    const plan = drivers.map(() => []);
    servers.forEach((server, k) => {
      const forInstance = split(shape.conns, servers.length, k);
      drivers.forEach((_, j) => {
        const count = split(forInstance, drivers.length, j);
        plan[j].push({ url: server.url, count, firstIndex: first });
        first += count;
      });
    });
    const parts = await Promise.all(drivers.map(async (driver, j) => {
      const results = [];
      for (const { url, count, firstIndex } of plan[j]) {
        if (count > 0) results.push(await driver.send({ cmd: 'open', url, docPrefix, docs: shape.docs, count, firstIndex, localAddresses: LOCAL_ADDRESSES }));
      }
      return results;
    }));
    const flat = parts.flat();
    const opened = flat.reduce((n, p) => n + p.opened, 0);
    const failed = flat.reduce((n, p) => n + p.failed, 0);
    const wallS = (performance.now() - started) / 1000;
    log(`cluster connections: ${opened} open, ${failed} failed in ${num(wallS)} s`);
    await sleep(2500);
    const rss1 = await Promise.all(servers.map((s) => settledRss(s)));
    const perInstance = await Promise.all(servers.map(async (s) => {
      const text = await (await fetch(`${s.httpUrl}/metrics`)).text();
      return Number(/^tandem_connections (\d+)/m.exec(text)?.[1] ?? NaN);
    }));
    const redisAfter = redis.usedMemory();
    const checks = await Promise.all(drivers.map((d) => d.send({ cmd: 'check', minChars: shape.bytesPerDoc })));
    const probed = checks.reduce((n, c) => n + c.probed, 0);
    const withText = checks.reduce((n, c) => n + c.withText, 0);
    const kib = servers.map((_, i) => (rss1[i] - rss0[i]) / Math.max(1, perInstance[i]));
    await Promise.all(drivers.map((d) => d.send({ cmd: 'close' })));
    return {
      shape,
      table: {
        title: `${shape.conns.toLocaleString('en')} connections over ${shape.instances} instances`,
        headers: ['instance', 'connections', 'RSS before MiB', 'RSS with them MiB', 'KiB per connection'],
        rows: servers.map((s, i) => [String(i + 1), String(perInstance[i]), num(rss0[i] / 1024), num(rss1[i] / 1024), num(kib[i], 2)]),
      },
      summary: [
        ['connections open and synced', `${opened}/${shape.conns} (${failed} failed) in ${num(wallS)} s`],
        ['documents whose text reached their first client in each driver', `${withText}/${probed}`],
        ['KiB per connection per instance (median)', num(median(kib), 2)],
        ['Redis used_memory before → with them', `${bytes(redisBefore)} → ${bytes(redisAfter)} (${shape.docs} documents of ${shape.bytesPerDoc} B)`],
      ],
      ok: opened === shape.conns && withText === probed,
    };
  } finally {
    for (const d of drivers) d.stop();
    await stopCluster(cluster);
    await redis.stop();
  }
}

async function killOne(quick, log) {
  const shape = quick ? KILL_QUICK : KILL_FULL;
  const redis = await startRedis();
  const cluster = await startCluster(redis, shape.instances);
  try {
    const { servers } = cluster;
    const r = await runDriver(killDriver, { ...shape, ports: servers.map((s) => s.port), victimPid: servers[0].pid, docPrefix: 'kill' }, { timeoutMs: 180_000 });
    log(`cluster kill: recovered in ${num(r.recoveredMs)} ms, ${r.lost}/${r.made} edits lost`);
    return { shape, r };
  } finally {
    await stopCluster(cluster);
    await redis.stop();
  }
}

/** `npm run bench -- cluster-fanout`: only the fan-out comparison (part 1), for A/B runs and `--profile`. */
export async function clusterFanout({ quick, log, reps, cpuProfDir }) {
  const fan = await fanoutComparison(quick, reps ?? (quick ? 1 : 3), log, cpuProfDir);
  return {
    title: 'Cluster mode (Redis): fan-out only',
    notes: [`The single-instance fan-out workload (${fan.shape.docs} documents × ${fan.shape.clientsPerDoc} clients, ${fan.shape.writersPerDoc} writers at ${fan.shape.rate}/s, ${fan.shape.durationMs / 1000} s measured after ${fan.shape.warmupMs / 1000} s of warm-up), each document's clients spread round-robin over 3 instances; CPU counts every instance and redis-server.`],
    tables: [fan.table, { title: 'Targets (cluster fan-out)', headers: ['target', 'measured', 'met'], rows: fan.targets }],
  };
}

export async function cluster({ quick, log, reps }) {
  const fan = await fanoutComparison(quick, reps ?? (quick ? 1 : 3), log);
  const many = await connections(quick, log);
  const kill = await killOne(quick, log);
  const { shape: k, r } = kill;
  return {
    title: 'Cluster mode (Redis)',
    notes: [
      `All processes on this one machine (${loadavg()} load before the last part): the instances, redis-server (AOF on, appendfsync everysec) and the drivers share its CPUs, so a cluster here measures the cost of the design, not the capacity a cluster of machines adds. ` +
        `Fan-out: the single-instance workload (${fan.shape.docs} documents × ${fan.shape.clientsPerDoc} clients, ${fan.shape.writersPerDoc} writers at ${fan.shape.rate}/s, ${fan.shape.durationMs / 1000} s measured after ${fan.shape.warmupMs / 1000} s of warm-up), each document's clients spread round-robin over the 3 instances; CPU counts every instance and redis-server. ` +
        `Connections: quiet stock-protocol clients, drivers of at most ${many.shape.perDriver} connections each over ${LOCAL_ADDRESSES.length} loopback addresses; KiB per connection is each instance's RSS after a full GC, with them minus before, over its connections. ` +
        `Kill: ${k.docs} documents × ${k.clientsPerDoc} stock y-websocket clients (${k.writersPerDoc} writers each, ${k.rate} edits/s) through a round-robin TCP balancer over ${k.instances} instances; one instance is SIGKILLed after ${k.beforeKillMs / 1000} s while everyone keeps typing; "recovered" runs from the kill until every client it cut off is connected again (through the balancer, to another instance) and synced, and then every client holds every edit made until that moment; lost edits are counted by a fresh client after typing stopped.`,
    ],
    tables: [
      fan.table,
      many.table,
      { title: 'Connections', headers: ['measure', 'value'], rows: many.summary },
      { title: 'Kill one instance under load', headers: ['measure', 'value'], rows: [['clients cut off by the kill', `${r.droppedClients} of ${r.clients}`], ['time until they are back and every client holds every edit', `${num(r.recoveredMs)} ms`], ['edits lost', `${r.lost} of ${r.made}`], ['all converged', yesNo(r.converged)]] },
      {
        title: 'Targets (cluster)',
        headers: ['target', 'measured', 'met'],
        rows: [
          ...fan.targets,
          [`${many.shape.conns.toLocaleString('en')} connections, all synced`, many.summary[0][1], yesNo(many.ok)],
          ['kill one instance: lost edits = 0', `${r.lost}`, yesNo(r.lost === 0)],
        ],
      },
    ],
  };
}
