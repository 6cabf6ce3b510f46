/**
 * Presence between server instances (cluster mode). Presence is not stored: it travels between
 * instances as it changes, and an instance that dies takes its clients' presence with it, which
 * the survivors remove once its heartbeat stops. A single server has no bus.
 */

/** A presence client ID an instance's connection holds, and the person behind it. */
export type PresenceHolder = [clientId: number, person: string];

/** What a room hears from the bus. */
export interface PresenceBusListener {
  /** Another instance's presence change: an awareness update, and who holds the IDs it sets. */
  remote(instance: string, update: Uint8Array, holders: readonly PresenceHolder[]): void;
  /** Another instance just opened the document and asks for everyone's presence. */
  queried(): void;
  /** An instance stopped (its heartbeat expired or it shut down): drop its clients' presence. */
  instanceGone(instance: string): void;
}

export interface PresenceBus {
  /** Hear the document's presence from other instances (and ask them for theirs) until the returned function is called. */
  join(name: string, listener: PresenceBusListener): () => void;
  /** Send a presence change made on this instance to the others; lost while the bus is down (presence is renewed every 15 s). */
  publish(name: string, update: Uint8Array, holders: readonly PresenceHolder[]): void;
  close(): Promise<void>;
}
