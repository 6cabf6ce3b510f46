// Where does a quiet connection's memory go? Heap snapshots of one server (through the V8
// inspector) before and after opening N quiet connections, diffed by constructor; with
// --retainers, the retaining path of a few objects of one kind.
// Usage: node bench/heap-diff.mjs [tandem|reference|relay] [--conns 2000] [--docs 200] [--retainers IncomingMessage]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startServer, stopServer, removeDir, collectGarbage, rssKiB } from './servers.mjs';
import { startDriver } from './lib/driver.mjs';
import { sleep } from './lib/protocol.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { conns: { type: 'string', default: '2000' }, docs: { type: 'string', default: '200' }, retainers: { type: 'string' }, top: { type: 'string', default: '25' } },
});
const kind = positionals[0] ?? 'tandem';
const conns = Number(values.conns);
const docs = Number(values.docs);

async function takeSnapshot(server) {
  const ws = new WebSocket(server.inspectorUrl, { maxPayload: 2 ** 30 });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const chunks = [];
  await new Promise((resolve) => {
    ws.on('message', (m) => {
      const msg = JSON.parse(m);
      if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(msg.params.chunk);
      if (msg.id === 1) resolve();
    });
    ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.takeHeapSnapshot', params: { reportProgress: false } }));
  });
  ws.close();
  return JSON.parse(chunks.join(''));
}

/** Count and self size per constructor (objects, closures) or per V8 node type. */
function byConstructor(snap) {
  const { node_fields: f, node_types: [types] } = snap.snapshot.meta;
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((k) => f.indexOf(k));
  const agg = new Map();
  for (let i = 0; i < snap.nodes.length; i += f.length) {
    const type = types[snap.nodes[i + iType]];
    const name = type === 'object' ? snap.strings[snap.nodes[i + iName]] : type === 'closure' ? `closure ${snap.strings[snap.nodes[i + iName]]}` : `(${type})`;
    const a = agg.get(name) ?? agg.set(name, { n: 0, size: 0 }).get(name);
    a.n++;
    a.size += snap.nodes[i + iSize];
  }
  return agg;
}

/** The first retainers, up a few levels, of two objects named `name`. */
function printRetainers(snap, name) {
  const { node_fields: f, node_types: [types], edge_fields: ef, edge_types: [etypes] } = snap.snapshot.meta;
  const nf = f.length;
  const [iType, iName, iEdges] = ['type', 'name', 'edge_count'].map((k) => f.indexOf(k));
  const count = snap.nodes.length / nf;
  const retainers = new Map();
  for (let n = 0, e = 0; n < count; n++) {
    for (let k = 0; k < snap.nodes[n * nf + iEdges]; k++, e += ef.length) {
      const et = etypes[snap.edges[e]];
      if (et === 'weak') continue;
      const to = snap.edges[e + 2] / nf;
      const edge = et === 'element' || et === 'hidden' ? `[${snap.edges[e + 1]}]` : snap.strings[snap.edges[e + 1]];
      (retainers.get(to) ?? retainers.set(to, []).get(to)).push({ from: n, edge });
    }
  }
  const label = (n) => `${types[snap.nodes[n * nf + iType]]}:${snap.strings[snap.nodes[n * nf + iName]].slice(0, 40)}`;
  let shown = 0;
  for (let n = 0; n < count && shown < 2; n++) {
    if (types[snap.nodes[n * nf + iType]] !== 'object' || snap.strings[snap.nodes[n * nf + iName]] !== name) continue;
    shown++;
    const seen = new Set([n]);
    for (let depth = 0, cur = n; depth < 8; depth++) {
      const rs = (retainers.get(cur) ?? []).filter((r) => !seen.has(r.from));
      console.log(`${'  '.repeat(depth)}${label(cur)}  ←  ${rs.slice(0, 4).map((r) => `${label(r.from)}.${r.edge}`).join(' | ')}`);
      if (!rs.length) break;
      cur = rs[0].from;
      seen.add(cur);
    }
  }
}

const server = await startServer(kind, { inspect: true });
const driver = startDriver(path.join(benchDir, 'workloads', 'quiet-driver.mjs'));
try {
  await driver.send({ cmd: 'seed', url: server.url, docPrefix: 'heap', docs, bytesPerDoc: 1024 });
  await sleep(500);
  await collectGarbage(server);
  const rss0 = rssKiB(server.pid);
  const before = byConstructor(await takeSnapshot(server));
  await driver.send({ cmd: 'open', url: server.url, docPrefix: 'heap', docs, count: conns, firstIndex: 0, localAddresses: ['127.0.0.1', '127.0.0.2'] });
  await sleep(1500);
  await collectGarbage(server);
  const rss1 = rssKiB(server.pid);
  const snap = await takeSnapshot(server);
  const after = byConstructor(snap);
  const rows = [...after].map(([k, a]) => ({ k, dn: a.n - (before.get(k)?.n ?? 0), ds: a.size - (before.get(k)?.size ?? 0) })).sort((x, y) => y.ds - x.ds);
  const total = rows.reduce((s, r) => s + r.ds, 0);
  console.log(`${kind}, ${conns} connections over ${docs} documents: RSS +${((rss1 - rss0) / conns).toFixed(2)} KiB/conn, JS heap +${(total / conns / 1024).toFixed(2)} KiB/conn`);
  for (const r of rows.slice(0, Number(values.top))) console.log(`${(r.ds / conns).toFixed(0).padStart(6)} B/conn ${(r.dn / conns).toFixed(2).padStart(6)} objects/conn  ${r.k}`);
  if (values.retainers) printRetainers(snap, values.retainers);
} finally {
  driver.stop();
  await stopServer(server);
  await removeDir(server.dataDir);
}
