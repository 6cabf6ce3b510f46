import type { Page, WebSocketRoute } from '@playwright/test';
import { decodeAwarenessEntries, decodeAwarenessMessage, encodeAwarenessEntries, encodeAwarenessMessage } from '@tandem/protocol';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { chaosFor, type Chaos } from '../support/chaos.js';
import { expect, test, TYPING_DELAY, type Person } from '../support/fixtures.js';

/**
 * Presence fuzz (issue 11, part 1). A raw client sends many malformed presence states —
 * hand-picked (the probe's, nulls, wrong types, huge numbers, deep nesting, positions naming
 * items and types that do not exist) and random — to a document two people are editing in
 * Chromium. Neither page may throw, both keep converging, and everything typed is on the server.
 *
 * Delivery: each state goes out on a fresh raw connection, as its first message. A server that
 * relays it lets it reach the editors the way a real attack would. A server that refuses it
 * (Tandem's sync server checks presence shapes and closes such a connection) would leave the
 * editors' own filter untested, so for every refused state the test then delivers the same frame
 * to both pages itself, through their WebSocket (Playwright's routeWebSocket), exactly as a server
 * that does not check — an older Tandem, or another y-websocket server — would relay it. Either
 * way every state reaches both editors through their real message path.
 */

const FUZZED_STATES = 160;
const BATCH = 10;

type Entry = [clientId: number, clock: number, json: string];

/** An awareness frame `[1, update]` with raw entries, as any client can send it. */
function awarenessFrame(entries: Entry[]): Uint8Array {
  return encodeAwarenessMessage(encodeAwarenessEntries(entries.map(([clientId, clock, stateJson]) => ({ clientId, clock, stateJson }))));
}

/** The entries of an awareness frame (JSON left unparsed), or undefined for any other frame. */
function entriesOf(frame: Uint8Array): Entry[] | undefined {
  const update = decodeAwarenessMessage(frame);
  return update && decodeAwarenessEntries(update).map(({ clientId, clock, stateJson }): Entry => [clientId, clock, stateJson]);
}

const nestedText = (depth: number) => `${'{"d":'.repeat(depth)}1${'}'.repeat(depth)}`;
const pos = (fields: Record<string, unknown>) => ({ type: null, tname: null, item: null, assoc: 0, ...fields });
const user = { name: 'M', color: '#ff0000' };

/** The hand-picked states, as JSON text (some are not valid JSON on purpose). */
function handPicked(): string[] {
  const states: unknown[] = [
    { user, cursor: { anchor: null, head: null } },
    { user: 'M', cursor: { anchor: null, head: null } },
    { user: null, cursor: { anchor: pos({ tname: 'prosemirror' }), head: null } },
    { user, cursor: { anchor: pos({ item: { client: 4_000_000_000, clock: 12 } }), head: pos({ item: { client: 4_000_000_000, clock: 12 } }) } },
    { user, cursor: { anchor: pos({ type: { client: 77, clock: 0 } }), head: pos({ type: { client: 77, clock: 0 } }) } },
    { user, cursor: { anchor: pos({ tname: 'meta' }), head: pos({ tname: 'no such type' }) } },
    { user, cursor: { anchor: pos({ item: { client: 1e308, clock: -5 } }), head: pos({ item: { client: Number.MAX_SAFE_INTEGER + 2, clock: 2 ** 70 } }) } },
    { user, cursor: { anchor: pos({ item: { client: 'a', clock: [] } }), head: pos({ assoc: 'x', tname: 5 }) } },
    { user, cursor: { anchor: 'a', head: 7 } },
    { user, cursor: [] },
    { user, cursor: 1 },
    { user: { name: 5, color: { rgb: 1 } }, cursor: null },
    { user: { name: 'x'.repeat(50_000), color: '#ffffff' } },
    { user: [user], cursor: null },
    { user: true },
    { cursor: { anchor: {}, head: {} } },
    { user, cursor: { anchor: pos({ tname: 'prosemirror', assoc: 1e308 }), head: pos({ tname: 'prosemirror', assoc: -1e308 }) } },
    [],
    'M',
    42,
    true,
  ];
  return [
    ...states.map((state) => JSON.stringify(state)),
    `{"user":${nestedText(40)}}`,
    `{"app":${nestedText(3000)}}`,
    '{"user": ',
    'not json at all',
    '',
  ];
}

/** A random JSON-ish value: nulls, wrong types, huge numbers, deep or wide structures. */
function randomValue(chaos: Chaos, depth = 0): unknown {
  const roll = chaos.int(0, depth > 4 ? 6 : 10);
  switch (roll) {
    case 0: return null;
    case 1: return chaos.pick([0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, Number.MAX_SAFE_INTEGER]);
    case 2: return chaos.pick(['', 'M', 'x'.repeat(chaos.int(1, 5000)), '#ff0000', '#zzzzzz', 'prosemirror', 'meta']);
    case 3: return chaos.next() < 0.5;
    case 4: return { client: chaos.pick([0, 1, 2 ** 32, 1e308, -3]), clock: chaos.pick([0, 5, 1e9, -1]) };
    case 5: return pos({ item: randomValue(chaos, depth + 1), type: randomValue(chaos, depth + 1), tname: chaos.pick([null, 'prosemirror', 'meta', 7]) });
    case 6: return chaos.pick([{}, []]);
    case 7: return Array.from({ length: chaos.int(0, 4) }, () => randomValue(chaos, depth + 1));
    case 8: return { anchor: randomValue(chaos, depth + 1), head: randomValue(chaos, depth + 1) };
    default: return { user: randomValue(chaos, depth + 1), cursor: randomValue(chaos, depth + 1) };
  }
}

function randomStates(chaos: Chaos, count: number): string[] {
  return Array.from({ length: count }, () => {
    const state: Record<string, unknown> = {};
    if (chaos.next() < 0.85) state.user = chaos.next() < 0.5 ? user : randomValue(chaos);
    if (chaos.next() < 0.9) state.cursor = chaos.next() < 0.3 ? { anchor: randomValue(chaos), head: randomValue(chaos) } : randomValue(chaos);
    if (chaos.next() < 0.1) state.extra = JSON.parse(nestedText(chaos.int(10, 500)));
    return chaos.next() < 0.08 ? JSON.stringify(randomValue(chaos)) : JSON.stringify(state);
  });
}

/**
 * Route a page's WebSocket through the test, so that frames can be delivered to the page as if
 * the server had relayed them. y-websocket re-sends every presence change it applies, including
 * other clients' states; entries for the states delivered this way are taken out of what the
 * page sends, as a server that relays without checking would never hold them against the page.
 */
async function injectable(page: Page): Promise<(frame: Uint8Array, clientId: number) => void> {
  const routes: WebSocketRoute[] = [];
  const injected = new Set<number>();
  await page.routeWebSocket(/.*/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const frame = typeof message === 'string' ? undefined : withoutClients(new Uint8Array(message), injected);
      if (typeof message === 'string') server.send(message);
      else if (frame) server.send(Buffer.from(frame));
    });
    server.onMessage((message) => ws.send(message));
    routes.push(ws);
  });
  return (frame, clientId) => {
    injected.add(clientId);
    // The page's current connection is the last one it opened.
    routes.at(-1)?.send(Buffer.from(frame));
  };
}

/** `frame` without awareness entries of `clients`; undefined when nothing is left to send. */
function withoutClients(frame: Uint8Array, clients: Set<number>): Uint8Array | undefined {
  const entries = clients.size > 0 ? entriesOf(frame) : undefined;
  if (!entries) return frame;
  const kept = entries.filter(([clientId]) => !clients.has(clientId));
  return kept.length === entries.length ? frame : kept.length > 0 ? awarenessFrame(kept) : undefined;
}

/** Raw connection to the sync server that watches which client IDs it relays. */
function observe(url: string): { relayed: Set<number>; close(): void; ready: Promise<void> } {
  const relayed = new Set<number>();
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  socket.on('message', (data: ArrayBuffer) => {
    try {
      for (const [id] of entriesOf(new Uint8Array(data)) ?? []) relayed.add(id);
    } catch {
      // not an awareness frame
    }
  });
  return { relayed, close: () => socket.close(), ready: new Promise((resolve) => socket.once('open', () => resolve())) };
}

/**
 * Send `json` as client `clientId` on a fresh connection, first thing. Resolves 'relayed' once the
 * observer sees the server pass it on, 'refused' when the server closes the connection instead
 * (or, should a server drop it without a word, when it has not passed it on within 3 s).
 */
function sendRaw(url: string, clientId: number, json: string, relayed: Set<number>): Promise<{ outcome: 'relayed' | 'refused'; socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    let poll: ReturnType<typeof setInterval> | undefined;
    let silence: ReturnType<typeof setTimeout> | undefined;
    const done = (outcome: 'relayed' | 'refused') => {
      clearInterval(poll);
      clearTimeout(silence);
      resolve({ outcome, socket });
    };
    socket.once('open', () => {
      socket.send(awarenessFrame([[clientId, 1, json]]));
      // The observer's messages arrive on the same event loop: check on each turn.
      poll = setInterval(() => relayed.has(clientId) && done('relayed'), 5);
      silence = setTimeout(() => done('refused'), 3000);
    });
    socket.once('close', () => done('refused'));
    socket.once('error', (error) => {
      clearInterval(poll);
      reject(error);
    });
  });
}

async function typeAndConverge(writer: Person, reader: Person, text: string): Promise<void> {
  await writer.editor.click();
  await writer.page.keyboard.press('Control+End');
  await writer.page.keyboard.type(text, { delay: TYPING_DELAY });
  await expect(reader.editor).toContainText(text);
}

test('malformed presence from a raw client: no page error, both editors keep converging, everything typed reaches the server', async ({ person, docName, stack }) => {
  test.setTimeout(180_000);
  const chaos = chaosFor('presence fuzz');
  const ada = await person('Ada');
  const bob = await person('Bob');
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const deliver: Array<(frame: Uint8Array, clientId: number) => void> = [];
  for (const p of [ada, bob]) {
    p.page.on('pageerror', (error) => pageErrors.push(`${p.name}: ${error.message}`));
    p.page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${p.name}: ${message.text()}`);
    });
    deliver.push(await injectable(p.page));
  }
  await ada.open(docName);
  await bob.open(docName);
  const url = `${stack.syncUrl}/${docName}`;
  const observer = observe(url);
  await observer.ready;

  const states = [...handPicked(), ...randomStates(chaos, FUZZED_STATES)];
  const typed: string[] = [];
  let relayedCount = 0;
  let injectedCount = 0;
  let clientId = 900_000;
  for (let start = 0, round = 0; start < states.length; start += BATCH, round++) {
    const open: WebSocket[] = [];
    for (const json of states.slice(start, start + BATCH)) {
      const id = ++clientId;
      const { outcome, socket } = await sendRaw(url, id, json, observer.relayed);
      open.push(socket);
      if (outcome === 'relayed') {
        relayedCount++;
      } else {
        injectedCount++;
        const frame = awarenessFrame([[id, 1, json]]);
        deliver.forEach((send) => send(frame, id));
      }
    }
    // With the states present, both type: every remote change makes each editor redraw cursors.
    const [writer, reader] = round % 2 === 0 ? [ada, bob] : [bob, ada];
    const token = ` ${writer.name.toLowerCase()}${round}`;
    await typeAndConverge(writer, reader, token);
    typed.push(token);
    open.forEach((socket) => socket.close());
  }
  observer.close();
  console.log(`[presence fuzz] ${states.length} states: ${relayedCount} relayed by the server, ${injectedCount} refused by it and delivered to the pages directly`);

  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');
  await expect(bob.page.getByTestId('status')).toHaveText('All changes saved');
  const adaText = await ada.text();
  expect(await bob.text()).toBe(adaText);
  for (const token of typed) expect(adaText).toContain(token.trim());

  // A fresh stock client gets everything from the server.
  const doc = new Y.Doc();
  const fresh = new WebsocketProvider(stack.syncUrl, docName, doc, { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
  try {
    await new Promise<void>((resolve) => fresh.once('sync', () => resolve()));
    const onServer = doc.getXmlFragment('prosemirror').toString().replace(/<[^>]*>/g, '');
    for (const token of typed) expect(onServer).toContain(token.trim());
  } finally {
    fresh.destroy();
  }
  expect(pageErrors).toEqual([]);
  expect(consoleErrors.filter((line) => line.includes('Tandem'))).toEqual([]);
});
