import { test, expect, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { linkKey } from '@tandem/app/lib/linkKeys.mjs';
import type { TokenClaims } from '@tandem/protocol';
import { SignJWT } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authStackForFile } from '../support/authStack.js';
import { startApp, startSyncServer } from '../support/processes.js';

/**
 * Embeds in auth mode that the sync server will refuse say so, and never claim that anything is
 * saved; an embed with a working token is not refused.
 */

const stack = authStackForFile(60);

const docName = () => `embed-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/** An HS256 JWT signed with the stack's secret. */
function signToken(claims: TokenClaims): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(stack().secret));
}

async function expectRefused(page: Page, reason: RegExp): Promise<void> {
  const notice = page.getByTestId('access-refused');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('Access refused');
  await expect(notice).toContainText(reason);
  // Nothing on the page claims the work is saved, and there is nothing to type into.
  await expect(page.locator('body')).not.toContainText(/saved/i);
  await expect(page.locator('.ProseMirror')).toHaveCount(0);
}

test('an embed with neither a key nor a token says that access was refused, and never that anything is saved', async ({ page }) => {
  await page.goto(`${stack().appUrl}/embed/${docName()}`);
  await expectRefused(page, /no key or token/);
  // It stays that way: no later status claims anything either.
  await page.waitForTimeout(1500);
  await expect(page.locator('body')).not.toContainText(/saved/i);
});

test('an embed whose token the server would refuse says why', async ({ page }) => {
  const now = Math.floor(Date.now() / 1000);
  const doc = docName();
  await page.goto(`${stack().appUrl}/embed/${doc}?token=not-a-token`);
  await expectRefused(page, /not valid/);
  await page.goto(`${stack().appUrl}/embed/${doc}?token=${await signToken({ sub: 'u-1', doc, access: 'write', iat: now - 120, exp: now - 60 })}`);
  await expectRefused(page, /expired/);
  await page.goto(`${stack().appUrl}/embed/${doc}?token=${await signToken({ sub: 'u-1', doc: 'another-doc', access: 'write', iat: now, exp: now + 600 })}`);
  await expectRefused(page, /another document/);
});

test('an embed with a working token is not refused', async ({ page, request }) => {
  const doc = docName();
  const key = new URL(stack().editPath(doc), stack().appUrl).searchParams.get('key')!;
  const response = await request.post(`${stack().appUrl}/api/token`, { data: { doc, key, access: 'write' } });
  expect(response.status()).toBe(200);
  const { token } = (await response.json()) as { token: string };
  await page.goto(`${stack().appUrl}/embed/${doc}?token=${token}&name=Ivy`);
  await expect(page.locator('.tandem-status')).toHaveText('All changes saved');
  await page.locator('.ProseMirror').click();
  await page.keyboard.type('Allowed in');
  await expect(page.locator('.ProseMirror')).toHaveText('Allowed in');
  await expect(page.getByTestId('access-refused')).toHaveCount(0);
});

/** Stop a process this test started, and wait until it is gone. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

test('an embed whose key the app stops accepting (the secret was changed) says that access was refused', async ({ page }) => {
  test.setTimeout(90_000);
  const [secret, newSecret] = [`e2e-${randomBytes(24).toString('hex')}`, `e2e-${randomBytes(24).toString('hex')}`];
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-e2e-rotate-'));
  // Short-lived tokens: the embed asks the app for a new one every few seconds.
  const env = { TANDEM_AUTH_SECRET: secret, TANDEM_TOKEN_TTL_SECONDS: '3' };
  const children: ChildProcess[] = [];
  try {
    const sync = await startSyncServer(0, dataDir, env);
    children.push(sync.child);
    let app = await startApp(sync.url, `${dataDir}.app.log`, env);
    children.push(app.child);
    const doc = docName();
    const key = linkKey(secret, 'write', doc);
    await page.goto(`${app.url}/embed/${doc}?key=${key}&name=Ivy`);
    await expect(page.locator('.tandem-status')).toHaveText('All changes saved');
    // The app comes back with another secret, at the same address (the embed keeps asking it): the key no longer opens anything.
    await stop(app.child);
    app = await startApp(sync.url, `${dataDir}.app.log`, { ...env, TANDEM_AUTH_SECRET: newSecret }, app.port);
    children.push(app.child);
    await expectRefused(page, /no longer opens/);
  } finally {
    await Promise.all(children.map(stop));
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.log`, { force: true });
    rmSync(`${dataDir}.app.log`, { force: true });
  }
});
