// Trace driver (child process), two commands:
// - replay: a watcher joins, then a sender writes every pre-framed edit into its socket at
//   once; the clock stops when the watcher receives the final edit, and (optionally) the
//   server is SIGKILLed at that instant: whatever the watcher saw must survive it.
// - cold: a fresh client joins a restarted server; how long until it is synced, and with
//   how much of the text.
import fs from 'node:fs/promises';
import * as Y from 'yjs';
import { BenchClient, sleep, waitFor } from '../lib/protocol.mjs';
import { selfCpuSeconds } from '../lib/stats.mjs';
import { cpuSeconds } from '../servers.mjs';

async function replay({ url, docName, framesFile, client, endClock, endContent, serverPid, killOnDone, timeoutMs }) {
  const frames = await fs.readFile(framesFile);
  const received = [];
  let doneAt = 0;
  let serverCpu = NaN;
  const watcher = new BenchClient(`${url}/${docName}`, {
    onUpdate: (update, t) => {
      received.push(update);
      if (doneAt) return;
      // Cheap check (no CRDT work): does this update reach the final insert's clock?
      if ((Y.parseUpdateMeta(update).to.get(client) ?? 0) >= endClock) {
        doneAt = t;
        serverCpu = cpuSeconds(serverPid);
        if (killOnDone) process.kill(serverPid, 'SIGKILL');
      }
    },
  });
  await watcher.synced;
  const sender = new BenchClient(`${url}/${docName}`);
  await sender.synced;
  await sleep(200);

  const cpu0 = cpuSeconds(serverPid);
  const self0 = selfCpuSeconds();
  const t0 = performance.now();
  // One write of every frame: the kernel and the server's reads set the pace.
  sender.ws._socket.write(frames);
  const done = await waitFor(() => doneAt > 0, timeoutMs, 1);
  const driverCpu = selfCpuSeconds() - self0;
  const result = {
    done,
    elapsedMs: (done ? doneAt : performance.now()) - t0,
    serverCpu: done ? serverCpu - cpu0 : NaN,
    driverCpu,
    framesIn: watcher.framesIn,
  };
  if (!done && killOnDone) process.kill(serverPid, 'SIGKILL');
  watcher.terminate();
  sender.terminate();
  // Off the clock: does the watcher's copy equal the trace's end text?
  const doc = new Y.Doc();
  Y.transact(doc, () => { for (const u of received) Y.applyUpdate(doc, u); });
  result.watcherComplete = doc.getText('t').toString() === endContent;
  return result;
}

/**
 * Run Yjs's load path in this process until V8 has compiled it: otherwise a cold load measures
 * the driver compiling Yjs (100 ms and more), not the server. A made-up document of the same size
 * (the final text typed in pieces at scattered places, some of it deleted again), encoded and
 * applied to fresh documents, exercises the same functions. Once per process.
 */
let clientYjsWarm = false;
function warmUpClientYjs(sampleText) {
  if (clientYjsWarm) return;
  clientYjsWarm = true;
  const source = new Y.Doc();
  const text = source.getText('t');
  for (let at = 0, i = 0; at < sampleText.length; at += 40, i++) {
    text.insert(Math.floor((text.length * ((i * 7919) % 1000)) / 1000), sampleText.slice(at, at + 40));
    if (i % 3 === 0 && text.length > 20) text.delete(Math.floor(text.length / 3), 5);
  }
  const update = Y.encodeStateAsUpdate(source);
  for (let i = 0; i < 15; i++) Y.applyUpdate(new Y.Doc(), update);
}

async function cold({ url, docName, endContent, settleMs }) {
  warmUpClientYjs(endContent);
  const doc = new Y.Doc();
  const text = doc.getText('t');
  let lastUpdateAt = 0;
  let fullAt = 0;
  let updatesBeforeStep2 = 0;
  let step2At = 0;
  const client = new BenchClient(`${url}/${docName}`, {
    onUpdate: (update, t, isStep2) => {
      lastUpdateAt = t;
      if (!isStep2 && !client.syncedAt) updatesBeforeStep2++;
      if (isStep2) step2At = t;
      Y.applyUpdate(doc, update);
      if (!fullAt && text.length === endContent.length) fullAt = performance.now();
    },
  });
  await client.synced;
  const charsAtSync = text.length;
  // The reference answers with an empty document and sends what it loads later: wait for it.
  await waitFor(() => fullAt > 0 || performance.now() - Math.max(lastUpdateAt, client.syncedAt) > settleMs, 30_000, 5);
  const result = {
    // Connect (TCP + upgrade) to the server's sync step 2: the document load as a client sees it.
    syncMs: client.syncedAt - client.startedAt,
    openToSyncMs: client.syncedAt - client.openedAt,
    // TCP connect + HTTP upgrade, and how many updates the client applied before the step 2 arrived.
    openMs: client.openedAt - client.startedAt,
    // Connect to the step 2's arrival, before the client applies it: the server's part.
    step2Ms: step2At ? step2At - client.startedAt : NaN,
    updatesBeforeStep2,
    charsAtSync,
    chars: [...text.toString()].length,
    fullMs: fullAt ? fullAt - client.startedAt : NaN,
    matches: text.toString() === endContent,
  };
  await client.close();
  return result;
}

const COMMANDS = { replay, cold };
process.on('message', async (msg) => {
  try {
    process.send({ ok: true, result: await COMMANDS[msg.cmd](msg) });
  } catch (err) {
    process.send({ ok: false, error: String(err?.stack ?? err) });
  }
});
process.on('SIGTERM', () => process.exit(0));
