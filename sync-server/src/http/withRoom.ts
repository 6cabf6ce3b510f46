import type { ServerResponse } from 'node:http';
import type { Room } from '../Room.js';
import type { RoomRegistry } from '../RoomRegistry.js';
import { sendJson } from './respond.js';

export interface RoomAccess {
  rooms: RoomRegistry;
  /** --max-loaded-docs (0: unlimited): an HTTP request loads a document like a connection does. */
  maxLoadedDocs: number;
}

/** Load the document (as a connection would) and keep it loaded while `work` runs; 503 past --max-loaded-docs. */
export async function withRoom(res: ServerResponse, docName: string, ctx: RoomAccess, work: (room: Room) => Promise<void>): Promise<void> {
  if (ctx.maxLoadedDocs > 0 && !ctx.rooms.has(docName) && ctx.rooms.size >= ctx.maxLoadedDocs) {
    return sendJson(res, 503, { error: 'too many documents open; try again later' });
  }
  const room = await ctx.rooms.acquire(docName);
  await room.hold(() => work(room));
}
