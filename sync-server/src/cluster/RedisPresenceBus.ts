/**
 * The presence bus over Redis: pub/sub on one channel per document (`<p>:{bNN}:doc:<name>:presence`), on a
 * subscriber connection of its own, and a heartbeat key per instance with a short TTL.
 *
 * Pub/sub drops messages while a connection is down; for presence that is acceptable (every client
 * renews its state every 15 s, and an instance asks for everyone's presence when it (re)subscribes),
 * for document updates it would not be, which is why those travel through the streams.
 *
 * Each instance renews its heartbeat every second with a 3 s TTL, and checks every second whether
 * the instances whose clients' presence it shows are still alive: an instance killed with SIGKILL
 * has its clients' presence removed everywhere within about 4 s (3 s TTL + 1 s check).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import { type RedisClient, openWaitingDuplicate } from '../storage/redis/connect.js';
import type { RedisKeys } from '../storage/redis/keys.js';
import type { PresenceBus, PresenceBusListener, PresenceHolder } from './PresenceBus.js';

/** How often an instance renews its heartbeat and checks the others'. */
export const HEARTBEAT_INTERVAL_MS = 1000;
/** How long a heartbeat lives unless renewed. */
export const HEARTBEAT_TTL_MS = 3000;

const MESSAGE_UPDATE = 0;
const MESSAGE_QUERY = 1;

interface Joined {
  listeners: Set<PresenceBusListener>;
  /** Instances whose presence this document has shown. */
  instances: Set<string>;
}

export class RedisPresenceBus implements PresenceBus {
  private readonly joined = new Map<string, Joined>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly command: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly keys: RedisKeys,
    private readonly instanceId: string,
    private readonly logger: Logger,
  ) {
    subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.received(channel.toString(), message));
    // ioredis subscribes again after a reconnect; what was said meanwhile is lost, so ask again.
    subscriber.on('ready', () => {
      for (const name of this.joined.keys()) this.send(name, encodeQuery(this.instanceId));
    });
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  /** Start the heartbeat and the subscriber connection. */
  static async open(command: RedisClient, keys: RedisKeys, instanceId: string, logger: Logger): Promise<RedisPresenceBus> {
    // Classic pub/sub: on a Redis Cluster a PUBLISH on any node reaches subscribers on every node.
    const subscriber = openWaitingDuplicate(command, `tandem:${instanceId}:presence`);
    await command.set(keys.instance(instanceId), '1', 'PX', HEARTBEAT_TTL_MS);
    return new RedisPresenceBus(command, subscriber, keys, instanceId, logger);
  }

  join(name: string, listener: PresenceBusListener): () => void {
    let joined = this.joined.get(name);
    if (!joined) {
      this.joined.set(name, (joined = { listeners: new Set(), instances: new Set() }));
      this.subscriber.subscribe(this.keys.presence(name)).then(
        () => this.send(name, encodeQuery(this.instanceId)),
        () => {}, // subscribed again, and asked, once the connection is back
      );
    }
    joined.listeners.add(listener);
    return () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size > 0 || this.joined.get(name) !== joined) return;
      this.joined.delete(name);
      this.subscriber.unsubscribe(this.keys.presence(name)).catch(() => {});
    };
  }

  publish(name: string, update: Uint8Array, holders: readonly PresenceHolder[]): void {
    this.send(name, encodeUpdate(this.instanceId, update, holders));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.subscriber.disconnect();
    // The others drop this instance's presence at their next check instead of after the TTL.
    await this.command.del(this.keys.instance(this.instanceId)).catch(() => {});
  }

  private send(name: string, message: Uint8Array): void {
    if (this.closed) return;
    this.command.publish(this.keys.presence(name), Buffer.from(message)).catch(() => {});
  }

  private received(channel: string, message: Buffer): void {
    const joined = this.joined.get(this.keys.nameOf(channel));
    if (!joined) return;
    let decoded: ReturnType<typeof decodeMessage>;
    try {
      decoded = decodeMessage(message);
    } catch (error) {
      this.logger.warn({ err: error, channel }, 'ignored a malformed presence message from another instance');
      return;
    }
    if (decoded.instance === this.instanceId) return;
    for (const listener of joined.listeners) {
      if (decoded.kind === 'query') listener.queried();
      else {
        joined.instances.add(decoded.instance);
        listener.remote(decoded.instance, decoded.update, decoded.holders);
      }
    }
  }

  /** Renew our heartbeat; drop the presence of instances whose heartbeat is gone. */
  private async beat(): Promise<void> {
    const known = new Set<string>();
    for (const { instances } of this.joined.values()) for (const instance of instances) known.add(instance);
    const others = [...known];
    let alive: number[];
    try {
      // Single-key commands sent together (heartbeat keys lie in different slots of a cluster, so no pipeline).
      const [, ...exists] = await Promise.all([this.command.set(this.keys.instance(this.instanceId), '1', 'PX', HEARTBEAT_TTL_MS), ...others.map((instance) => this.command.exists(this.keys.instance(instance)))]);
      alive = exists;
    } catch {
      return; // Redis unreachable: decide nothing now
    }
    others.forEach((instance, i) => {
      if (alive[i]) return;
      this.logger.info({ instance }, 'another instance stopped: removing its clients\' presence');
      for (const joined of this.joined.values()) {
        if (!joined.instances.delete(instance)) continue;
        for (const listener of joined.listeners) listener.instanceGone(instance);
      }
    });
  }
}

function encodeQuery(instance: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_QUERY);
  encoding.writeVarString(encoder, instance);
  return encoding.toUint8Array(encoder);
}

function encodeUpdate(instance: string, update: Uint8Array, holders: readonly PresenceHolder[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_UPDATE);
  encoding.writeVarString(encoder, instance);
  encoding.writeVarUint(encoder, holders.length);
  for (const [clientId, person] of holders) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarString(encoder, person);
  }
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

type BusMessage = { kind: 'query'; instance: string } | { kind: 'update'; instance: string; update: Uint8Array; holders: PresenceHolder[] };

function decodeMessage(message: Uint8Array): BusMessage {
  const decoder = decoding.createDecoder(message);
  const kind = decoding.readVarUint(decoder);
  const instance = decoding.readVarString(decoder);
  if (kind === MESSAGE_QUERY) return { kind: 'query', instance };
  if (kind !== MESSAGE_UPDATE) throw new Error(`unknown presence message kind ${kind}`);
  const count = decoding.readVarUint(decoder);
  const holders: PresenceHolder[] = [];
  for (let i = 0; i < count; i++) holders.push([decoding.readVarUint(decoder), decoding.readVarString(decoder)]);
  return { kind: 'update', instance, holders, update: decoding.readVarUint8Array(decoder) };
}
