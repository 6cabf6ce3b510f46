import { describe, expect, it } from 'vitest';
import { linkKey, readAuthConfig } from './auth';
import { DOCUMENT_ACTIONS, mayTakeAction, type ActionRequest } from './documentActions';

const config = readAuthConfig({ TANDEM_AUTH_SECRET: 'a-test-secret-of-enough-length-0123456789' })!;
const links = { read: 0, write: 2 };
const request = (overrides: Partial<ActionRequest>): ActionRequest => ({ action: 'trash', docName: 'plans', operator: false, key: undefined, links, ...overrides });

describe('who may act on a document', () => {
  it('anyone in open mode, and the operator always', () => {
    for (const action of DOCUMENT_ACTIONS) {
      expect(mayTakeAction(undefined, request({ action }))).toBe(true);
      expect(mayTakeAction(config, request({ action, operator: true }))).toBe(true);
    }
  });

  it('with the current edit key: everything about that document, but not making new documents', () => {
    const key = linkKey(config.secret, 'write', 'plans', 2);
    for (const action of ['trash', 'restore', 'delete', 'rotate-link', 'rename'] as const) expect(mayTakeAction(config, request({ action, key }))).toBe(true);
    expect(mayTakeAction(config, request({ action: 'duplicate', key }))).toBe(false);
  });

  it('not with a view key, an old edit key, another document’s key, or none', () => {
    for (const key of [linkKey(config.secret, 'read', 'plans'), linkKey(config.secret, 'write', 'plans', 1), linkKey(config.secret, 'write', 'other', 2), undefined, 42]) {
      expect(mayTakeAction(config, request({ key }))).toBe(false);
    }
  });
});
