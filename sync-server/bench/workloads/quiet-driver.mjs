// Quiet-connections driver (child process). Commands:
// - seed: write ~`bytesPerDoc` of text into each document, one client per document
// - open: open `count` more connections (documents round-robin, source addresses
//   round-robin) with at most `inFlight` handshakes at once; report connect→synced times
// - check: how many documents the first connection of each document sees with their text
// - close: close every connection
// Several drivers can share the load: one process holds at most ~20,000 descriptors.
import * as Y from 'yjs';
import { encodeSyncUpdate } from '@tandem/protocol';
import { BenchClient, sleep } from '../lib/protocol.mjs';
import { quantile, selfCpuSeconds } from '../lib/stats.mjs';

const conns = [];
/** First connection of each document, with what it received (to check the text arrived). */
const probes = new Map();

async function pool(n, inFlight, fn) {
  let next = 0;
  const worker = async () => { while (next < n) await fn(next++); };
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, worker));
}

async function seed({ url, docPrefix, docs, bytesPerDoc, inFlight = 50 }) {
  const chunk = 'The quick brown fox jumps over the lazy dog, again and again. ';
  await pool(docs, inFlight, async (d) => {
    const doc = new Y.Doc();
    const client = new BenchClient(`${url}/${docPrefix}-${d}`, { doc });
    doc.on('update', (u, origin) => { if (origin !== 'remote') client.send(encodeSyncUpdate(u)); });
    await client.synced;
    const text = doc.getText('t');
    // Typed in chunks (several updates per document), as an editor would send them.
    while (text.length < bytesPerDoc) text.insert(text.length, chunk);
    await sleep(20);
    await client.close();
  });
  return { seeded: docs };
}

async function open({ url, docPrefix, docs, count, firstIndex, localAddresses, inFlight = 64 }) {
  const times = [];
  const errors = new Map();
  let failed = 0;
  const self0 = selfCpuSeconds();
  const t0 = performance.now();
  await pool(count, inFlight, async (k) => {
    const i = firstIndex + k;
    const d = i % docs;
    const probe = !probes.has(d) ? { received: [] } : undefined;
    if (probe) probes.set(d, probe);
    const client = new BenchClient(`${url}/${docPrefix}-${d}`, {
      localAddress: localAddresses[i % localAddresses.length],
      onUpdate: probe ? (u) => probe.received.push(u) : undefined,
    });
    try {
      await client.synced;
      times.push(client.syncedAt - client.startedAt);
      conns.push(client);
    } catch (err) {
      failed++;
      const key = String(err.message ?? err).slice(0, 80);
      errors.set(key, (errors.get(key) ?? 0) + 1);
      if (probe) probes.delete(d);
    }
  });
  return {
    opened: times.length,
    failed,
    errors: [...errors].map(([e, n]) => `${n}× ${e}`),
    wallMs: performance.now() - t0,
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    driverCpuS: selfCpuSeconds() - self0,
    open: conns.filter((c) => c.ws.readyState === 1).length,
  };
}

function check({ minChars }) {
  let withText = 0;
  for (const probe of probes.values()) {
    const doc = new Y.Doc();
    for (const u of probe.received) Y.applyUpdate(doc, u);
    if (doc.getText('t').length >= minChars) withText++;
  }
  return { probed: probes.size, withText };
}

async function close() {
  const n = conns.length;
  await Promise.all(conns.splice(0).map((c) => Promise.race([c.close(), sleep(10_000).then(() => c.terminate())])));
  probes.clear();
  return { closed: n };
}

const COMMANDS = { seed, open, check, close };
process.on('message', async (msg) => {
  try {
    process.send({ ok: true, result: await COMMANDS[msg.cmd](msg) });
  } catch (err) {
    process.send({ ok: false, error: String(err?.stack ?? err) });
  }
});
process.on('SIGTERM', () => process.exit(0));
