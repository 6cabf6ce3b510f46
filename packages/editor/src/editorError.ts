/**
 * What the editor reports instead of printing: every problem it survives on its own (a token it
 * could not renew, a presence state it refused, a local copy it could not write, a plugin that
 * failed) goes to the `onError` option of createEditor, which logs to the console by default.
 */

/** Which part of the editor had the problem. */
export type EditorErrorKind =
  /** `getToken()` failed or gave no token; the editor retries (provider/tokens.ts, tokenRenewal.ts). */
  | 'token'
  /** The browser would not open a WebSocket to the server (a `ws://` server from an `https://` page, say). */
  | 'connection'
  /** A remote presence state was refused (remotePresence.ts); reported once per client ID. */
  | 'presence'
  /** The copy in IndexedDB could not be written (localCopy.ts); edits stay in the tab. */
  | 'local-copy'
  /** A plugin threw inside ProseMirror's update (bindingGuard.ts); the others carry on. */
  | 'plugin'
  /** The text on screen and the Yjs document parted (bindingGuard.ts); editing is paused. */
  | 'out-of-step';

/** A problem the editor survived, for the `onError` option of createEditor. */
export interface EditorError {
  kind: EditorErrorKind;
  /** One sentence for a person (and a log line). */
  message: string;
  /** The error thrown, when there was one. */
  cause?: unknown;
}

/** Receives the problems the editor survived. */
export type OnError = (error: EditorError) => void;

/** The default `onError`: a console line, an error for the view's problems and a warning for the rest. */
export const logToConsole: OnError = ({ kind, message, cause }) => {
  const log = kind === 'plugin' || kind === 'out-of-step' ? console.error : console.warn;
  if (cause === undefined) log(`Tandem: ${message}`);
  else log(`Tandem: ${message}`, cause);
};
