// Workload 2, a real editing trace: 259,778 edits of automerge-paper, one update each through
// one socket, a second client watching; then kill -9, restart, and a cold load.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, stopServer, killServer, removeDir, dirBytes, makeTempDir, SERVER_LABELS } from '../servers.mjs';
import { startDriver } from '../lib/driver.mjs';
import { median } from '../lib/stats.mjs';
import { num, ratio, yesNo, bytes } from '../table.mjs';
import { buildTraceFrames } from './trace-data.mjs';

const driverScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'trace-driver.mjs');

export const TRACE_FULL = { limit: undefined, reps: 3, timeoutMs: 120_000 };
export const TRACE_QUICK = { limit: 5_000, reps: 1, timeoutMs: 30_000 };

async function runOnce(kind, data, shape, driver, { cpuProfDir }) {
  const durable = kind !== 'relay';
  const server = await startServer(kind, { cpuProfDir });
  const docName = `trace-${kind}`;
  try {
    // Profiling needs a clean exit to write the profile, so it stops the server with SIGTERM.
    const replay = await driver.send({
      cmd: 'replay', url: server.url, docName, framesFile: data.file, client: data.client, endClock: data.endClock,
      endContent: data.endContent, serverPid: server.pid, killOnDone: !cpuProfDir, timeoutMs: shape.timeoutMs,
    });
    if (cpuProfDir) await stopServer(server);
    const exit = await killServer(server);
    const r = {
      done: replay.done,
      editsPerSec: replay.done ? data.edits / (replay.elapsedMs / 1000) : NaN,
      elapsedMs: replay.elapsedMs,
      serverCpuS: replay.serverCpu,
      driverCpuS: replay.driverCpu,
      framesIn: replay.framesIn,
      watcherComplete: replay.watcherComplete,
      killed: exit.signal === 'SIGKILL',
      dataBytes: durable ? await dirBytes(server.dataDir) : NaN,
    };
    if (durable) {
      const again = await startServer(kind, { dataDir: server.dataDir, cpuProfDir: cpuProfDir && `${cpuProfDir}-restart` });
      try {
        const c = await driver.send({ cmd: 'cold', url: again.url, docName, endContent: data.endContent, settleMs: 3000 });
        Object.assign(r, {
          restartMs: again.startMs,
          coldSyncMs: c.syncMs,
          coldOpenMs: c.openMs,
          coldStep2Ms: c.step2Ms,
          coldUpdatesBeforeStep2: c.updatesBeforeStep2,
          charsAtSync: c.charsAtSync,
          charsAfter: c.chars,
          fullMs: c.fullMs,
          textMatches: c.matches,
        });
      } finally {
        await stopServer(again);
      }
    }
    return r;
  } finally {
    await killServer(server);
    await removeDir(server.dataDir);
  }
}

export async function trace({ kinds, quick, cpuProfDir, log, reps }) {
  const shape = { ...(quick ? TRACE_QUICK : TRACE_FULL), ...(reps ? { reps } : {}) };
  const tmp = await makeTempDir('trace');
  const driver = startDriver(driverScript);
  try {
    const t0 = performance.now();
    const data = await buildTraceFrames(path.join(tmp, 'frames.bin'), shape.limit);
    log(`trace: ${data.edits} edits encoded as ${data.updates} frames (${bytes(data.payloadBytes)}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const runs = Object.fromEntries(kinds.map((k) => [k, []]));
    for (let rep = 0; rep < shape.reps; rep++) {
      const order = kinds.map((_, i) => kinds[(i + rep) % kinds.length]);
      for (const kind of order) {
        const r = await runOnce(kind, data, shape, driver, { cpuProfDir: cpuProfDir && path.join(cpuProfDir, `trace-${kind}`) });
        log(`trace rep ${rep + 1}/${shape.reps} ${kind}: ${num(r.editsPerSec, 0)} edits/s` +
          (r.coldSyncMs !== undefined ? `, restart: ${r.charsAfter}/${data.chars} chars, cold sync ${num(r.coldSyncMs)} ms` : ''));
        runs[kind].push(r);
      }
    }
    return report(kinds, runs, data, shape, quick);
  } finally {
    driver.stop();
    await removeDir(tmp);
  }
}

function report(kinds, runs, data, shape) {
  const agg = {};
  for (const k of kinds) {
    const rs = runs[k];
    const m = (f) => median(rs.map(f));
    agg[k] = {
      editsPerSec: m((r) => r.editsPerSec),
      min: Math.min(...rs.map((r) => r.editsPerSec)),
      max: Math.max(...rs.map((r) => r.editsPerSec)),
      serverCpuPerEditUs: m((r) => (r.serverCpuS * 1e6) / data.edits),
      driverCpuPct: m((r) => (100 * r.driverCpuS) / (r.elapsedMs / 1000)),
      framesIn: m((r) => r.framesIn),
      watcherComplete: rs.every((r) => r.watcherComplete),
      durable: rs[0].coldSyncMs !== undefined,
      // Durability: the worst run counts.
      charsAfter: Math.min(...rs.map((r) => r.charsAfter ?? NaN)),
      textMatches: rs.every((r) => r.textMatches),
      coldSyncMs: m((r) => r.coldSyncMs ?? NaN),
      coldSyncMin: Math.min(...rs.map((r) => r.coldSyncMs ?? NaN)),
      coldSyncMax: Math.max(...rs.map((r) => r.coldSyncMs ?? NaN)),
      coldOpenMs: m((r) => r.coldOpenMs ?? NaN),
      coldStep2Ms: m((r) => r.coldStep2Ms ?? NaN),
      coldUpdatesBeforeStep2: m((r) => r.coldUpdatesBeforeStep2 ?? NaN),
      charsAtSync: Math.min(...rs.map((r) => r.charsAtSync ?? NaN)),
      fullMs: m((r) => r.fullMs ?? NaN),
      restartMs: m((r) => r.restartMs ?? NaN),
      dataBytes: m((r) => r.dataBytes),
    };
  }
  const ref = agg.reference;
  const relay = agg.relay;
  const pct = (c) => (Number.isFinite(c) ? `${num((100 * c) / data.chars, 1)}%` : '—');
  const rows = kinds.map((k) => {
    const a = agg[k];
    return [
      SERVER_LABELS[k],
      `${num(a.editsPerSec, 0)} (${num(a.min, 0)}–${num(a.max, 0)})`,
      ratio(a.editsPerSec, ref?.editsPerSec),
      ratio(a.editsPerSec, relay?.editsPerSec),
      num(a.serverCpuPerEditUs, 1),
      num(a.framesIn, 0),
      yesNo(a.watcherComplete),
      a.durable ? `${a.charsAfter}/${data.chars} (${pct(a.charsAfter)})` : 'n/a (no storage)',
      a.durable ? `${num(a.coldSyncMs)} ms (${num(a.coldSyncMin)}–${num(a.coldSyncMax)}), ${pct(a.charsAtSync)} of text` : 'n/a',
      a.durable ? num(a.coldOpenMs) : 'n/a',
      a.durable ? num(a.coldStep2Ms) : 'n/a',
      a.durable ? num(a.coldUpdatesBeforeStep2, 0) : 'n/a',
      a.durable ? (Number.isFinite(a.fullMs) ? `${num(a.fullMs)} ms` : 'never') : 'n/a',
      a.durable ? num(a.restartMs, 0) : 'n/a',
      a.durable ? bytes(a.dataBytes) : 'n/a',
      num(a.driverCpuPct, 0),
    ];
  });
  const t = agg.tandem;
  const targets = t ? [
    ['edits/s ≥ 2× reference', ratio(t.editsPerSec, ref?.editsPerSec), yesNo(ref && t.editsPerSec >= 2 * ref.editsPerSec)],
    ['edits/s ≥ 0.5× bare relay', ratio(t.editsPerSec, relay?.editsPerSec), yesNo(relay && t.editsPerSec >= 0.5 * relay.editsPerSec)],
    ['100% of the text after kill -9', pct(t.charsAfter), yesNo(t.charsAfter === data.chars && t.textMatches)],
    ['cold load ≤ 25 ms', `${num(t.coldSyncMs)} ms`, yesNo(t.coldSyncMs <= 25)],
  ] : [];
  return {
    title: 'Real editing trace (automerge-paper)',
    notes: [
      `${data.edits.toLocaleString('en-US')} edits, one update each (${bytes(data.payloadBytes)} of sync messages, framed before the clock starts and written ` +
      `into one socket at once); a second client watches. The clock stops when the watcher has the last edit; at that instant the server gets SIGKILL, ` +
      `is restarted on the same data dir, and a fresh client loads the document. Tandem writes before it relays (default: no fsync). ` +
      `Cold load: from the client's connect until it has applied the server's sync step 2 (and every update sent before it), which is when ` +
      `y-websocket's provider counts itself synced; "step 2 arrived" is the same clock stopped when the step 2 reaches the client, before it applies it ` +
      `(the server's part); "all text after" is when the client holds the whole text (the reference sends what it loads later). ` +
      `The measuring client's Yjs is warmed up first (a made-up document of the same size, applied to fresh documents), so V8 compiling the driver is not counted. ` +
      `${shape.reps} interleaved runs per server, medians (range in brackets); durability is the worst run.`,
    ],
    tables: [
      {
        headers: ['server', 'edits/s', 'vs ref', 'vs relay', 'server CPU µs/edit', 'frames to watcher', 'watcher complete',
          'text after kill -9', 'cold load (connect→synced)', 'of which connect+upgrade ms', 'step 2 arrived ms', 'updates applied before step 2', 'all text after', 'restart ms', 'data dir', 'driver CPU %'],
        rows,
      },
      ...(targets.length ? [{ title: 'Targets (Tandem)', headers: ['target', 'Tandem', 'met'], rows: targets }] : []),
    ],
    data: agg,
  };
}
