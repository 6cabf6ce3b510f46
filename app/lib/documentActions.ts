/**
 * What the app lets people do to a document besides editing it, and who may (server only).
 *
 * In open mode anyone who reaches the app may do everything (the app only listens on loopback
 * then). In auth mode the operator (the operator cookie) may do everything; whoever holds the
 * document's current edit key may do what concerns that document alone — move it to the trash,
 * restore it, delete it for good, rename it, reset its links — but not make new documents
 * (duplicate), as only the operator may.
 */
import type { LinkGenerations } from '@tandem/protocol';
import { type AuthConfig, checkLinkKey } from './auth';

export const DOCUMENT_ACTIONS = ['trash', 'restore', 'delete', 'rotate-link', 'duplicate', 'rename'] as const;
export type DocumentAction = (typeof DOCUMENT_ACTIONS)[number];

export function isDocumentAction(value: string): value is DocumentAction {
  return (DOCUMENT_ACTIONS as readonly string[]).includes(value);
}

/** Actions an edit-key holder may take (the operator may take all). */
const EDIT_KEY_ACTIONS: ReadonlySet<DocumentAction> = new Set(['trash', 'restore', 'delete', 'rotate-link', 'rename']);

export interface ActionRequest {
  action: DocumentAction;
  docName: string;
  /** The request carries the operator cookie. */
  operator: boolean;
  /** The edit key the request brings, if any. */
  key: unknown;
  /** The document's link generations now (from the sync server). */
  links: LinkGenerations;
}

/** Whether the action is allowed (always in open mode). */
export function mayTakeAction(config: AuthConfig | undefined, request: ActionRequest): boolean {
  if (!config || request.operator) return true;
  if (!EDIT_KEY_ACTIONS.has(request.action) || typeof request.key !== 'string') return false;
  return checkLinkKey(config.secret, 'write', request.docName, request.key, request.links.write);
}
