// The floor: a y-websocket-compatible relay with no CRDT and no storage. It answers a client's
// sync step 1 with an empty document and forwards every other frame to the room's other
// sockets. Nothing that relays through `ws` can do much less work per message.
// With --data-dir it is the floor of write-before-relay instead: every frame is appended to
// LevelDB (one batch per event-loop turn, more while a batch is in flight, as DESIGN.md asks of
// Tandem) before it is forwarded. Still no CRDT, no validation, nothing read back.
// Usage: node bare-relay.mjs --host 127.0.0.1 --port 1234 [--data-dir DIR]
import { WebSocketServer } from 'ws';
import { parseArgs } from 'node:util';
import { ClassicLevel } from 'classic-level';

const { values } = parseArgs({ options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '1234' }, 'data-dir': { type: 'string' } } });
const forward = values['data-dir'] ? await writeBeforeForward(values['data-dir']) : (name, frame, send) => send();

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
