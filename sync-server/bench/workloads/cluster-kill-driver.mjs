// Kill-one-instance driver (child process): stock y-websocket clients reach a cluster through a
// round-robin TCP balancer; writers type; one instance is SIGKILLed mid-way. Its clients reconnect
// (through the balancer, to the others) and send what they had not seen stored. Reports the time
// from the kill until every client holds every edit made before it, and, once typing stops and a
// fresh client reads each document, how many edits are missing (must be 0).
import * as prng from 'lib0/prng';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startBalancer } from '../lib/tcp-balancer.mjs';
import { sleep, waitFor } from '../lib/protocol.mjs';

process.setMaxListeners(0); // each stock provider adds a process 'exit' listener

async function run({ ports, victimPid, docs, clientsPerDoc, writersPerDoc, rate, beforeKillMs, afterKillMs, docPrefix }) {
  const balancer = await startBalancer(ports);
  const url = `ws://127.0.0.1:${balancer.port}`;
  const gen = prng.create(1);
  const clients = [];
  let killed = false;
  for (let d = 0; d < docs; d++) {
    for (let c = 0; c < clientsPerDoc; c++) {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(url, `${docPrefix}-${d}`, doc, { WebSocketPolyfill: WebSocket, disableBc: true, maxBackoffTime: 500 });
      const client = { doc, provider, docIndex: d, writer: c < writersPerDoc, edits: [], dropped: false, back: false };
      provider.on('status', ({ status }) => {
        if (!killed) return;
        if (status === 'disconnected') client.dropped = true;
        if (status === 'connected' && client.dropped) client.back = true;
      });
      clients.push(client);
    }
  }
  await waitFor(() => clients.every((c) => c.provider.synced), 60_000);
  let typing = true;
  const typists = clients.filter((c) => c.writer).map(async (client, w) => {
    const text = client.doc.getText('t');
    while (typing) {
      const token = `<${w}:${client.edits.length}>`;
      client.edits.push(token);
      // At a token boundary, so tokens never split one another and each can be looked for whole.
      const current = text.toString();
      const boundaries = [0, ...[...current.matchAll(/>/g)].map((m) => m.index + 1)];
      text.insert(prng.oneOf(gen, boundaries), token);
      await sleep(1000 / rate);
    }
  });
  await sleep(beforeKillMs);
  killed = true;
  process.kill(victimPid, 'SIGKILL');
  const killedAt = performance.now();
  // Recovered: every client the kill cut off is back (through the balancer, on another instance)
  // and synced, and then every client holds every edit made until that moment.
  const holdsAll = (marks) =>
    clients.every((reader) => {
      const text = reader.doc.getText('t').toString();
      return clients.every((writer, i) => writer.docIndex !== reader.docIndex || writer.edits.slice(0, marks[i]).every((t) => text.includes(t)));
    });
  const deadline = killedAt + 60_000;
  const allBack = () => clients.some((c) => c.dropped) && clients.every((c) => (!c.dropped || c.back) && c.provider.synced);
  let recoveredMs = NaN;
  let droppedClients = 0;
  if (await waitFor(allBack, 60_000)) {
    droppedClients = clients.filter((c) => c.dropped).length;
    const marks = clients.map((c) => c.edits.length);
    if (await waitFor(() => holdsAll(marks), Math.max(0, deadline - performance.now()))) recoveredMs = performance.now() - killedAt;
  }
  await sleep(Math.max(0, afterKillMs - (performance.now() - killedAt)));
  typing = false;
  await Promise.all(typists);
  // Converged: every client synced and equal to the others on its document.
  const converged = () =>
    clients.every((c) => c.provider.synced) &&
    clients.every((c) => c.doc.getText('t').toString() === clients.find((o) => o.docIndex === c.docIndex).doc.getText('t').toString());
  const isConverged = await waitFor(converged, 60_000);
  if (!isConverged) for (const c of clients) console.error(`not converged: doc ${c.docIndex} synced ${c.provider.synced} connected ${c.provider.wsconnected} ${c.doc.getText('t').length} characters`);
  let lost = 0;
  let made = 0;
  for (let d = 0; d < docs; d++) {
    const doc = new Y.Doc();
    const fresh = new WebsocketProvider(url, `${docPrefix}-${d}`, doc, { WebSocketPolyfill: WebSocket, disableBc: true });
    await waitFor(() => fresh.synced, 30_000);
    const stored = doc.getText('t').toString();
    for (const c of clients.filter((c) => c.docIndex === d)) {
      made += c.edits.length;
      lost += c.edits.filter((t) => !stored.includes(t)).length;
    }
    fresh.destroy();
  }
  for (const c of clients) c.provider.destroy();
  balancer.close();
  return { recoveredMs, droppedClients, lost, made, converged: isConverged, clients: clients.length };
}

process.once('message', async (cfg) => {
  try {
    process.send({ ok: true, result: await run(cfg) }, () => process.exit(0));
  } catch (err) {
    process.send({ ok: false, error: String(err?.stack ?? err) }, () => process.exit(1));
  }
});
