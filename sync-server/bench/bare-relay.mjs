// The floor: a y-websocket-compatible relay with no CRDT and no storage. It answers a client's
// sync step 1 with an empty document and forwards every other frame to the room's other
// sockets. Nothing that relays through `ws` can do much less work per message.
// With --data-dir it is the floor of write-before-relay instead: every frame is appended to
// LevelDB (one batch per event-loop turn, more while a batch is in flight, as DESIGN.md asks of
// Tandem) before it is forwarded. Still no CRDT, no validation, nothing read back.
// With --wal as well, each turn's frames are first written (one synchronous write, each record
// length-prefixed and crc32-checked) to an append-only log file, forwarded at once, and moved into
// LevelDB in the background once a second: the write-ahead log's floor.
// Usage: node bare-relay.mjs --host 127.0.0.1 --port 1234 [--data-dir DIR [--wal]]
import { WebSocketServer } from 'ws';
import { parseArgs } from 'node:util';
import { ClassicLevel } from 'classic-level';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const { values } = parseArgs({ options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '1234' }, 'data-dir': { type: 'string' }, wal: { type: 'boolean', default: false } } });
const dataDir = values['data-dir'];
const forward = !dataDir ? (name, frame, send) => send() : values.wal ? await writeAheadBeforeForward(dataDir) : await writeBeforeForward(dataDir);

// [messageSync, syncStep2, varUint8Array(empty update = [0 structs, 0 deletes])]
const EMPTY_STEP2 = Buffer.from([0, 1, 2, 0, 0]);
/** @type {Map<string, Set<import('ws').WebSocket>>} */
const rooms = new Map();

const wss = new WebSocketServer({ host: values.host, port: Number(values.port), perMessageDeflate: false });

wss.on('connection', (ws, req) => {
  const name = (req.url ?? '/').slice(1).split('?')[0];
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Set()));
  room.add(ws);
  ws.on('message', (data) => {
    if (data[0] === 0 && data[1] === 0) {
      ws.send(EMPTY_STEP2);
      return;
    }
    forward(`${name}`, data, () => {
      for (const other of room) if (other !== ws) other.send(data);
    });
  });
  ws.on('close', () => {
    room.delete(ws);
    if (room.size === 0) rooms.delete(name);
  });
});

wss.on('listening', () => console.log(`bare relay listening on ws://${values.host}:${values.port}`));
// Nothing to flush: exit at once (a clean exit also lets --cpu-prof write its profile).
process.on('SIGTERM', () => process.exit(0));

/** Group commit: the frames of a turn go to LevelDB in one batch; each is forwarded once stored. */
async function writeBeforeForward(dir) {
  const db = new ClassicLevel(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
  await db.open({ createIfMissing: true });
  let queued = [];
  let writing = false;
  let seq = 0;
  const flush = () => {
    if (writing || queued.length === 0) return;
    const batch = queued;
    queued = [];
    writing = true;
    const ops = batch.map(({ name, frame }) => ({ type: 'put', key: `doc/${name}/log/${(seq++).toString(16).padStart(12, '0')}`, value: frame }));
    db.batch(ops).then(() => {
      writing = false;
      for (const { send } of batch) send();
      flush();
    });
  };
  return (name, frame, send) => {
    if (queued.length === 0 && !writing) setImmediate(flush);
    queued.push({ name, frame, send });
  };
}

/**
 * Write-ahead: the frames of a turn go to the log file in one synchronous write and are forwarded
 * in the same turn; once a second the file is swapped for a new one and its frames go to LevelDB
 * in one batch, after which the old file is deleted.
 */
async function writeAheadBeforeForward(dir) {
  const db = new ClassicLevel(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
  await db.open({ createIfMissing: true });
  let file = 0;
  const walPath = (n) => path.join(dir, `wal-${n}`);
  let fd = fs.openSync(walPath(file), 'a');
  let queued = [];
  let unCheckpointed = [];
  let seq = 0;
  const flush = () => {
    const batch = queued;
    queued = [];
    const records = [];
    for (const { name, frame } of batch) {
      const body = Buffer.concat([Buffer.from(`${name}\n`), frame]);
      const header = Buffer.allocUnsafe(8);
      header.writeUInt32LE(body.length, 0);
      header.writeUInt32LE(zlib.crc32(body), 4);
      records.push(header, body);
      unCheckpointed.push({ type: 'put', key: `doc/${name}/log/${(seq++).toString(16).padStart(12, '0')}`, value: frame });
    }
    fs.writeSync(fd, Buffer.concat(records));
    for (const { send } of batch) send();
  };
  setInterval(() => {
    if (unCheckpointed.length === 0) return;
    const ops = unCheckpointed;
    unCheckpointed = [];
    const old = file;
    fs.closeSync(fd);
    fd = fs.openSync(walPath(++file), 'a');
    db.batch(ops).then(() => fs.unlinkSync(walPath(old)));
  }, 1000);
  return (name, frame, send) => {
    if (queued.length === 0) setImmediate(flush);
    queued.push({ name, frame, send });
  };
}
