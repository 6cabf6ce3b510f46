import { test } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { linkKey } from '@tandem/app/lib/linkKeys.mjs';
import { startApp, startSyncServer } from './processes.js';

/**
 * A second sync server + app pair with TANDEM_AUTH_SECRET set (the main stack runs open), for the
 * specs about auth mode: each starts its own through {@link authStackForFile}, so the rest of the
 * suite pays nothing.
 */
export interface AuthStack {
  appUrl: string;
  syncUrl: string;
  secret: string;
  ttlSeconds: number;
  /** Edit and view-only paths (with keys) for a document, and the operator path. */
  editPath(docName: string): string;
  viewPath(docName: string): string;
  operatorPath(): string;
  stop(): Promise<void>;
}

export async function startAuthStack(ttlSeconds: number): Promise<AuthStack> {
  const secret = `e2e-${randomBytes(24).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-e2e-auth-data-'));
  const env = { TANDEM_AUTH_SECRET: secret, TANDEM_TOKEN_TTL_SECONDS: String(ttlSeconds) };
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    process.off('exit', killNow);
    rmSync(dataDir, { recursive: true, force: true });
    // TANDEM_E2E_KEEP_LOGS=1 keeps the sync server's log (printed at the end of the file's tests).
    if (process.env.TANDEM_E2E_KEEP_LOGS) console.log(`auth stack sync server log: ${dataDir}.log`);
    else rmSync(`${dataDir}.log`, { force: true });
    rmSync(`${dataDir}.app.log`, { force: true });
  };
  // If the worker dies before afterAll, take the children with it.
  const killNow = () => children.forEach((child) => child.kill('SIGKILL'));
  process.on('exit', killNow);
  try {
    const sync = await startSyncServer(0, dataDir, env);
    children.push(sync.child);
    const app = await startApp(sync.url, `${dataDir}.app.log`, env);
    children.push(app.child);
    return {
      appUrl: app.url,
      syncUrl: sync.url,
      secret,
      ttlSeconds,
      editPath: (doc) => `/d/${doc}?key=${linkKey(secret, 'write', doc)}`,
      viewPath: (doc) => `/v/${doc}?key=${linkKey(secret, 'read', doc)}`,
      operatorPath: () => `/operator?key=${linkKey(secret, 'operator')}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * An auth stack for one spec file (or one describe block): started before its tests, stopped
 * after them. Call at the top of the file or block; the getter works inside its tests.
 */
export function authStackForFile(ttlSeconds: number): () => AuthStack {
  let stack: AuthStack | undefined;
  test.beforeAll(async () => {
    test.setTimeout(60_000);
    stack = await startAuthStack(ttlSeconds);
  });
  test.afterAll(async () => stack?.stop());
  return () => stack!;
}
