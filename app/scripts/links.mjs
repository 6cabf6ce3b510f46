#!/usr/bin/env node
/**
 * Print the operator link (and, given document names, their edit and view-only links) for an app
 * running with TANDEM_AUTH_SECRET. Run it where the secret is set:
 *
 *   npm run links -w @tandem/app -- [--url https://tandem.example.com] [docName ...]
 *
 * The keys are computed by lib/linkKeys.mjs, as the app computes them. A document's links carry
 * its current link generations (a link reset from the Share menu gets a new key), which only the
 * sync server knows: for document links the script asks it (`GET /api/docs/<doc>`, with a token
 * it mints for itself), at TANDEM_SYNC_INTERNAL_URL or NEXT_PUBLIC_SYNC_URL like the app.
 */
import { SignJWT } from 'jose';
import { linkKey } from '../lib/linkKeys.mjs';

const args = process.argv.slice(2);
let base = process.env.TANDEM_APP_URL || `http://localhost:${process.env.APP_PORT || 3000}`;
const docs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--url') base = args[++i] ?? base;
  else if (args[i] === '-h' || args[i] === '--help') {
    console.log('usage: npm run links -w @tandem/app -- [--url https://tandem.example.com] [docName ...]');
    process.exit(0);
  } else docs.push(args[i]);
}
base = base.replace(/\/+$/, '');

const secretText = process.env.TANDEM_AUTH_SECRET;
if (!secretText) {
  console.error('TANDEM_AUTH_SECRET is not set: the app runs open and needs no links. Set it (the same value as the sync server) and run again.');
  process.exit(1);
}
if (secretText.length < 16) {
  console.error('TANDEM_AUTH_SECRET must be at least 16 characters.');
  process.exit(1);
}
const secret = new TextEncoder().encode(secretText);
const syncHttpUrl = (process.env.TANDEM_SYNC_INTERNAL_URL?.trim() || (process.env.NEXT_PUBLIC_SYNC_URL?.trim() || 'ws://localhost:1234').replace(/^ws(s?):\/\//i, 'http$1://')).replace(/\/+$/, '');

/** The document's link generations, from the sync server. */
async function generationsOf(doc) {
  const token = await new SignJWT({ doc, access: 'read', name: 'npm run links' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('tandem-links-script')
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(secret);
  const response = await fetch(`${syncHttpUrl}/api/docs/${doc}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`the sync server answered ${response.status}`);
  const { links } = await response.json();
  return links;
}

console.log(`Operator (document list, New document): ${base}/operator?key=${linkKey(secret, 'operator')}`);
for (const doc of docs) {
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(doc)) {
    console.error(`not a document name: ${doc}`);
    process.exitCode = 1;
    continue;
  }
  let generations;
  try {
    generations = await generationsOf(doc);
  } catch (error) {
    console.error(`${doc}: cannot read its link generations from the sync server at ${syncHttpUrl} (${error.message}); no link printed`);
    process.exitCode = 1;
    continue;
  }
  console.log(`${doc}  edit: ${base}/d/${doc}?key=${linkKey(secret, 'write', doc, generations.write)}`);
  console.log(`${doc}  view: ${base}/v/${doc}?key=${linkKey(secret, 'read', doc, generations.read)}`);
}
