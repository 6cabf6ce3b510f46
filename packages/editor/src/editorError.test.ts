import { afterEach, describe, expect, it, vi } from 'vitest';
import { logToConsole } from './editorError.js';

afterEach(() => vi.restoreAllMocks());

describe('the default onError', () => {
  it('prints one line: an error for the view’s problems, a warning for the rest, with the cause when there is one', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const cause = new Error('app unreachable');
    logToConsole({ kind: 'token', message: 'could not get the next token; trying again', cause });
    logToConsole({ kind: 'presence', message: 'ignored a presence state from client 7: not an object' });
    logToConsole({ kind: 'out-of-step', message: 'edits are paused' });
    expect(warn.mock.calls).toEqual([['Tandem: could not get the next token; trying again', cause], ['Tandem: ignored a presence state from client 7: not an object']]);
    expect(error.mock.calls).toEqual([['Tandem: edits are paused']]);
  });
});
