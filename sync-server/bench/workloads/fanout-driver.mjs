// Fan-out driver (child process). Opens docs × clients sockets; in each document `writers`
// clients type one character at `rate` per second each for `warmupMs` and then `durationMs`:
// the first phase is reported on its own (it includes the server's JIT warm-up), the second is
// the steady state. Every received
// update is mapped back to the edits it carries (Yjs ids: one character = one clock tick of
// its writer), so latency is measured per (edit, receiving client) and merged frames count
// every edit they carry. Readers keep received updates and build their Y.Doc after the
// clock stops, so the driver stays light while the server is measured.
import * as Y from 'yjs';
import { encodeSyncUpdate } from '@tandem/protocol';
import { BenchClient, sleep, waitFor } from '../lib/protocol.mjs';
import { selfCpuSeconds } from '../lib/stats.mjs';
import { cpuSeconds } from '../servers.mjs';

const REMOTE = Symbol('remote');

async function run(cfg) {
  const { docs, clientsPerDoc, writersPerDoc, rate, warmupMs, durationMs, docPrefix } = cfg;
  // Several servers (cluster mode): a document's clients take them in turn; CPU is their sum.
  const urls = cfg.urls ?? [cfg.url];
  const serverPids = cfg.serverPids ?? [cfg.serverPid];
  const serversCpu = () => serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const rooms = [];
  // Per phase (0: warm-up, 1: steady state), by when the edit was made.
  const latencies = [[], []];
  const delivered = [0, 0];
  let tSteady = Infinity;
  let lastDeliveryAt = 0;
  let measuring = false;

  for (let d = 0; d < docs; d++) {
    const room = { name: `${docPrefix}-${d}`, clients: [], writers: new Map() /* clientID -> writer */ };
    rooms.push(room);
    for (let c = 0; c < clientsPerDoc; c++) {
      const isWriter = c < writersPerDoc;
      const client = { isWriter, received: [], seen: new Map() /* writer clientID -> Uint8Array bitmap */ };
      if (isWriter) {
        client.doc = new Y.Doc();
        client.sentAt = []; // clock -> ms
        client.cursor = 0;
        room.writers.set(client.doc.clientID, client);
        client.doc.on('update', (update, origin) => {
          if (origin !== REMOTE) client.conn.send(encodeSyncUpdate(update));
        });
      }
      const onUpdate = (update, t) => {
        if (isWriter) Y.applyUpdate(client.doc, update, REMOTE);
        else client.received.push(update);
        if (!measuring) return;
        // Which edits does this frame carry? (from..to clock range per writer)
        const { from, to } = Y.parseUpdateMeta(update);
        for (const [writerId, end] of to) {
          const writer = room.writers.get(writerId);
          if (!writer || writer === client) continue; // own echo (the reference sends one back)
          let seen = client.seen.get(writerId);
          if (!seen) client.seen.set(writerId, (seen = new Uint8Array(Math.ceil((rate * (warmupMs + durationMs)) / 1000) * 2 + 100)));
          for (let clock = from.get(writerId) ?? 0; clock < end; clock++) {
            if (seen[clock]) continue;
            seen[clock] = 1;
            const sent = writer.sentAt[clock];
            if (sent === undefined) continue;
            const phase = sent < tSteady ? 0 : 1;
            latencies[phase].push(t - sent);
            delivered[phase]++;
            lastDeliveryAt = t;
          }
        }
      };
      client.conn = new BenchClient(`${urls[c % urls.length]}/${room.name}`, { doc: client.doc, onUpdate });
      room.clients.push(client);
    }
  }
  const allClients = rooms.flatMap((r) => r.clients);
  const connectStart = performance.now();
  await Promise.all(allClients.map((c) => c.conn.synced));
  const connectMs = performance.now() - connectStart;
  await sleep(500);

  // Warm-up from the first edit; the measured window from its end to the last expected delivery.
  measuring = true;
  const cpuStart = serversCpu();
  const t0 = performance.now();
  tSteady = t0 + warmupMs;
  let cpu0 = NaN;
  let cpu0Each = serverPids.map(() => NaN);
  let self0 = NaN;
  const edits = [0, 0];
  const steadyStarts = setTimeout(() => {
    cpu0Each = serverPids.map((pid) => cpuSeconds(pid));
    cpu0 = cpu0Each.reduce((sum, s) => sum + s, 0);
    self0 = selfCpuSeconds();
  }, Math.max(0, tSteady - performance.now()));
  const periodMs = 1000 / rate;
  const timers = [];
  for (const room of rooms) {
    for (const writer of room.writers.values()) {
      const text = writer.doc.getText('t');
      // A random phase per writer, so edits are spread over the period rather than bursts.
      timers.push(setTimeout(() => {
        const tick = () => {
          const now = performance.now();
          if (now - t0 >= warmupMs + durationMs) return;
          const clock = writer.sentAt.length;
          writer.cursor = Math.min(writer.cursor, text.length);
          writer.sentAt[clock] = now;
          text.insert(writer.cursor++, String.fromCharCode(97 + (clock % 26)));
          edits[now < tSteady ? 0 : 1]++;
        };
        tick();
        timers.push(setInterval(tick, periodMs));
      }, Math.random() * periodMs));
    }
  }
  await sleep(warmupMs + durationMs);
  for (const t of timers) clearInterval(t);
  clearTimeout(steadyStarts);
  const expected = edits.map((n) => n * (clientsPerDoc - 1));
  const allDelivered = () => delivered[0] + delivered[1] >= expected[0] + expected[1];
  // Drain: wait for every expected delivery, or give up 5 s after the last one arrived.
  await waitFor(() => allDelivered() || performance.now() - Math.max(lastDeliveryAt, t0 + warmupMs + durationMs) > 5000, 60_000, 2);
  const tEnd = allDelivered() ? lastDeliveryAt : performance.now();
  const serverCpu = serversCpu() - cpu0;
  // Each process's share (cluster mode: the instances, then redis-server).
  const serverCpuEach = serverPids.map((pid, i) => cpuSeconds(pid) - cpu0Each[i]);
  const driverCpu = selfCpuSeconds() - self0;
  const windowS = (tEnd - tSteady) / 1000;
  // The warm-up's own CPU: its window ends where the steady state's begins.
  const warmupCpu = cpu0 - cpuStart;
  measuring = false;

  // Convergence, off the clock: every client of a document holds the same text, and it has every edit.
  let convergedDocs = 0;
  for (const room of rooms) {
    const texts = room.clients.map((c) => {
      if (c.isWriter) return c.doc.getText('t').toString();
      const doc = new Y.Doc();
      Y.transact(doc, () => { for (const u of c.received) Y.applyUpdate(doc, u); });
      return doc.getText('t').toString();
    });
    const total = [...room.writers.values()].reduce((n, w) => n + w.sentAt.length, 0);
    if (texts.every((t) => t === texts[0]) && texts[0].length === total) convergedDocs++;
  }
  const framesIn = allClients.reduce((n, c) => n + c.conn.framesIn, 0);
  await Promise.all(allClients.map((c) => c.conn.close()));
  return {
    edits: edits[1], expected: expected[1], delivered: delivered[1], latencies: Float64Array.from(latencies[1]), serverCpu, serverCpuEach, driverCpu, windowS,
    warmup: { edits: edits[0], expected: expected[0], delivered: delivered[0], latencies: Float64Array.from(latencies[0]), serverCpu: warmupCpu },
    convergedDocs, docs, connectMs, framesIn, deliveredInAll: delivered[0] + delivered[1],
  };
}

process.once('message', async (cfg) => {
  try {
    process.send({ ok: true, result: await run(cfg) }, () => process.exit(0));
  } catch (err) {
    process.send({ ok: false, error: String(err?.stack ?? err) }, () => process.exit(1));
  }
});
