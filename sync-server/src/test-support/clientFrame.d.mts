export interface ClientFrameOptions {
  fin?: boolean;
  /** Clients must mask; false sends the payload in the clear. */
  masked?: boolean;
  /** The three RSV bits, as 0-7. */
  rsv?: number;
}

/** The header of a client frame whose payload is `length` bytes (see clientFrame.mjs). */
export function clientFrameHeader(opcode: number, length: number, options?: ClientFrameOptions & { maskKey?: Buffer }): Buffer;

/** A client frame with `opcode` and `payload`, masked with a random key unless told otherwise. */
export function clientFrame(opcode: number, payload: Uint8Array, options?: ClientFrameOptions): Buffer;
