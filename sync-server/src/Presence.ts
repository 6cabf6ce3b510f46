/**
 * A document's presence (the y-protocols awareness): who may set which client IDs, and relaying
 * changes to everyone in the room. Documents are the Room's business; this file is only presence.
 */
import { CloseCode, encodeAwarenessEntries, encodeAwarenessMessage } from '@tandem/protocol';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Connection } from './Connection.js';
import { type AwarenessEntry, readAwarenessEntries } from './awarenessGuard.js';
import { ProtocolError } from './messages.js';
import type { PresenceHolder } from './cluster/PresenceBus.js';
import type { PresenceClaims } from './PresenceClaims.js';
import { presenceStateProblem } from './presenceSchema.js';

/** How many awareness client IDs one connection may hold (a tab has one; a few allow reuse). */
const MAX_IDS_PER_CONNECTION = 4;
/**
 * How far past the last clock the server knows for a client ID a new clock may jump. A stock
 * client adds one per change of its presence (cursor moves, the 15 s renewal), also while
 * offline, so an honest gap is thousands; a huge one only serves to make the owner's own updates
 * look old, or to push clocks past 2^53 where adding one no longer changes them.
 */
export const MAX_CLOCK_JUMP = 1_000_000;
/** Presence changes are relayed merged, at most this often (milliseconds). */
const RELAY_INTERVAL_MS = 50;

/** What Presence needs of its room. */
export interface PresenceRoom {
  readonly name: string;
  readonly doc: Y.Doc;
  broadcast(frame: Uint8Array): void;
  /** Tell the other server instances (cluster mode) about a presence change made here. */
  publishPresence(update: Uint8Array, holders: readonly PresenceHolder[]): void;
}

/** A client ID whose presence another server instance relays, and who holds it there. */
interface RemoteHolder {
  instance: string;
  person: string;
}

export class Presence {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly owners = new Map<number, Connection>();
  /** The client IDs each connection has set and may change or remove. */
  private readonly idsOf = new Map<Connection, Set<number>>();
  /** Connections that have sent an awareness message (the first is the client announcing itself). */
  private readonly announced = new WeakSet<Connection>();
  /** Client IDs held by connections of other server instances (cluster mode). */
  private readonly remoteHolders = new Map<number, RemoteHolder>();
  private readonly changed = new Set<number>();
  private relayTimer: NodeJS.Timeout | undefined;
  private lastRelay = 0;
  private destroyed = false;

  /**
   * @param claims Which person first set each client ID, server-wide and kept after the
   *   connection and the room are gone (see PresenceClaims.ts).
   */
  constructor(
    private readonly room: PresenceRoom,
    private readonly maxStateBytes: number,
    private readonly claims: PresenceClaims,
  ) {
    this.awareness = new awarenessProtocol.Awareness(room.doc);
    this.awareness.setLocalState(null); // the server itself is nobody
  }

  /** Every current state, as a frame for a newcomer or a query; undefined when nobody is here. */
  everyoneFrame(): Uint8Array | undefined {
    if (this.awareness.states.size === 0) return undefined;
    return encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.states.keys()]));
  }

  /**
   * Apply the entries of an awareness update that are news, and relay them. The stock client
   * echoes every state it hears back to the server; those echoes carry no newer clock and are
   * dropped quietly. News about a client ID that another person owns is refused, and so is any
   * state that is not a well-formed presence state (presenceSchema.ts) or whose clock jumps far
   * ahead: the whole update then, before any of it is applied.
   */
  receive(conn: Connection, update: Uint8Array): void {
    let entries: AwarenessEntry[];
    try {
      entries = readAwarenessEntries(update);
    } catch (error) {
      throw new ProtocolError(`invalid awareness update: ${(error as Error).message}`);
    }
    // A client announces itself in its connection's first awareness message, before it has heard
    // anyone (later messages echo what it heard, which may be states the server has since removed).
    const announcement = !this.announced.has(conn) && entries.length === 1;
    this.announced.add(conn);
    const news: AwarenessEntry[] = [];
    let reclocked = false;
    let newIds = 0;
    for (let entry of entries) {
      const { clientId, clock, stateJson } = entry;
      if (stateJson.length > this.maxStateBytes) {
        throw new ProtocolError(`presence state of ${stateJson.length} bytes exceeds ${this.maxStateBytes}`, CloseCode.AwarenessRejected);
      }
      const problem = presenceStateProblem(entry.state);
      if (problem) throw new ProtocolError(`malformed presence state for client ${clientId}: ${problem}`, CloseCode.AwarenessRejected);
      const claim = this.claims.get(this.room.name, clientId);
      const currentClock = this.awareness.meta.get(clientId)?.clock ?? 0;
      const knownClock = Math.max(currentClock, claim?.clock ?? 0);
      if (clock > knownClock + MAX_CLOCK_JUMP) {
        throw new ProtocolError(`awareness clock ${clock} of client ${clientId} jumps more than ${MAX_CLOCK_JUMP} past ${knownClock}`, CloseCode.AwarenessRejected);
      }
      const isNews = currentClock < clock || (currentClock === clock && stateJson === 'null' && this.awareness.states.has(clientId));
      // A stock client that reconnects announces its state with the clock it had, which the removal
      // of its previous connection already used: everyone would ignore it until its renewal 15 s
      // later. Take it with the next clock; it is relayed to the sender too, which adopts that clock.
      const revived = announcement && !isNews && stateJson !== 'null' && this.awareness.meta.has(clientId) && !this.awareness.states.has(clientId);
      if (!isNews && !revived) continue;
      if (revived) {
        entry = { ...entry, clock: currentClock + 1 };
        reclocked = true;
      }
      const owner = this.owners.get(clientId);
      const remote = this.remoteHolders.get(clientId);
      if (
        (owner && owner !== conn && personOf(owner) !== personOf(conn)) ||
        (claim !== undefined && claim.person !== personOf(conn)) ||
        (remote !== undefined && remote.person !== personOf(conn))
      ) {
        throw new ProtocolError(`awareness client ${clientId} belongs to another connection`, CloseCode.AwarenessRejected);
      }
      const ownIds = this.idsOf.get(conn);
      if (!owner && !ownIds?.has(clientId) && (ownIds?.size ?? 0) + ++newIds > MAX_IDS_PER_CONNECTION) {
        throw new ProtocolError(`more than ${MAX_IDS_PER_CONNECTION} awareness clients on one connection`, CloseCode.AwarenessRejected);
      }
      news.push(entry);
    }
    if (news.length === 0) return;
    for (const { clientId, clock, stateJson } of news) {
      const previous = this.owners.get(clientId);
      if (previous && previous !== conn) this.idsOf.get(previous)?.delete(clientId); // the same person, reconnected
      this.remoteHolders.delete(clientId); // the same person, moved here from another instance
      if (stateJson === 'null') {
        this.idsOf.get(conn)?.delete(clientId);
        this.owners.delete(clientId);
        this.claims.release(this.room.name, clientId, clock);
      } else {
        let ids = this.idsOf.get(conn);
        if (!ids) this.idsOf.set(conn, (ids = new Set()));
        ids.add(clientId);
        this.owners.set(clientId, conn);
        this.claims.hold(this.room.name, clientId, personOf(conn), clock);
      }
    }
    const accepted = news.length === entries.length && !reclocked ? update : encodeAwarenessEntries(news);
    awarenessProtocol.applyAwarenessUpdate(this.awareness, accepted, conn);
    // Relayed to the sender too: the stock client reconnects after 30 s without any message.
    this.relay(news.map((entry) => entry.clientId));
  }

  /** The awareness client IDs `conn` has set, if any. */
  clientIdsOf(conn: Connection): ReadonlySet<number> | undefined {
    return this.idsOf.get(conn);
  }

  /** A connection left: its presence goes for everyone at once, not after the 30 s timeout. */
  remove(conn: Connection): void {
    const ids = this.idsOf.get(conn);
    if (!ids) return;
    this.idsOf.delete(conn);
    // Only states the awareness holds can be removed (it ignores a first state sent with clock 0).
    const present = [...ids].filter((id) => this.awareness.states.has(id));
    if (present.length > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, present, 'server');
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, present);
      this.room.broadcast(encodeAwarenessMessage(update));
      this.room.publishPresence(update, []);
    }
    for (const id of ids) if (this.owners.get(id) === conn) this.letGo(id);
  }

  /**
   * Presence another server instance relayed (cluster mode): that instance checked it, as this one
   * checks its own connections'. Applied and sent to this instance's clients at once.
   */
  receiveRemote(instance: string, update: Uint8Array, holders: readonly PresenceHolder[]): void {
    const people = new Map(holders);
    const entries = readAwarenessEntries(update);
    // An ID held here now (its person moved to this instance): the other instance's word on it is stale.
    const news = entries.filter((entry) => !this.owners.has(entry.clientId));
    for (const { clientId, stateJson } of news) {
      const person = people.get(clientId);
      if (stateJson !== 'null' && person !== undefined) this.remoteHolders.set(clientId, { instance, person });
      else this.remoteHolders.delete(clientId);
    }
    if (news.length === 0) return;
    const accepted = news.length === entries.length ? update : encodeAwarenessEntries(news);
    awarenessProtocol.applyAwarenessUpdate(this.awareness, accepted, 'remote');
    this.room.broadcast(encodeAwarenessMessage(accepted));
  }

  /** Another server instance stopped: its clients' presence goes, as if each of them had left. */
  removeInstance(instance: string): void {
    const gone = [...this.remoteHolders].filter(([, holder]) => holder.instance === instance).map(([clientId]) => clientId);
    for (const clientId of gone) this.remoteHolders.delete(clientId);
    const present = gone.filter((id) => this.awareness.states.has(id));
    if (present.length === 0) return;
    awarenessProtocol.removeAwarenessStates(this.awareness, present, 'server');
    this.room.broadcast(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, present)));
  }

  /** Send every state this instance's connections hold to the other instances (one of them asked). */
  publishLocal(): void {
    const ids = [...this.owners.keys()].filter((id) => this.awareness.states.has(id));
    if (ids.length > 0) this.room.publishPresence(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids), this.holdersOf(ids));
  }

  /** Who holds each of `ids` here (IDs held by no connection here are left out). */
  private holdersOf(ids: readonly number[]): PresenceHolder[] {
    const holders: PresenceHolder[] = [];
    for (const id of ids) {
      const owner = this.owners.get(id);
      if (owner) holders.push([id, personOf(owner)]);
    }
    return holders;
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.relayTimer);
    // Changes still waiting for the relay timer (a client's goodbye, typically) must reach the other
    // instances: nobody is left here to tell, but there may be people there.
    if (this.changed.size > 0) {
      const ids = [...this.changed];
      this.room.publishPresence(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids), this.holdersOf(ids));
    }
    // The room failed or unloads: the claims outlive it, no longer held.
    for (const id of [...this.owners.keys()]) this.letGo(id);
    this.awareness.destroy();
  }

  /** Nobody holds `clientId` any more; its claim stays, at the clock the awareness ended it with. */
  private letGo(clientId: number): void {
    this.owners.delete(clientId);
    this.claims.release(this.room.name, clientId, this.awareness.meta.get(clientId)?.clock ?? 0);
  }

  /**
   * Relay presence changes, merged, at most once every RELAY_INTERVAL_MS. The stock client sends
   * back every awareness change it receives, so relaying each update one by one let a few clients
   * flooding presence (or just many people moving cursors) push every stock client over the message
   * rate limit, and RateLimited is a code it never reconnects after (found by the fuzzer).
   */
  private relay(clientIds: readonly number[]): void {
    for (const id of clientIds) this.changed.add(id);
    if (this.relayTimer) return;
    const wait = Math.max(0, this.lastRelay + RELAY_INTERVAL_MS - Date.now());
    this.relayTimer = setTimeout(() => {
      this.relayTimer = undefined;
      if (this.destroyed || this.changed.size === 0) return;
      const ids = [...this.changed];
      this.changed.clear();
      this.lastRelay = Date.now();
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids);
      this.room.broadcast(encodeAwarenessMessage(update));
      this.room.publishPresence(update, this.holdersOf(ids));
    }, wait);
  }
}

/** The person behind a connection: the token subject, or the address in open mode. */
function personOf(conn: Connection): string {
  return conn.identity.userId !== undefined ? `user:${conn.identity.userId}` : `address:${conn.identity.remoteAddress}`;
}
