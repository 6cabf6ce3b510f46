#!/usr/bin/env node
/**
 * Print the operator link (and, given document names, their edit and view-only links) for an app
 * running with TANDEM_AUTH_SECRET. Run it where the secret is set:
 *
 *   npm run links -w @tandem/app -- [--url https://tandem.example.com] [docName ...]
 *
 * The keys are HMAC-SHA256(secret, …) exactly as app/lib/auth.ts computes them; nothing is sent
 * anywhere.
 */
import { createHmac } from 'node:crypto';

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

const secret = process.env.TANDEM_AUTH_SECRET;
if (!secret) {
  console.error('TANDEM_AUTH_SECRET is not set: the app runs open and needs no links. Set it (the same value as the sync server) and run again.');
  process.exit(1);
}
if (secret.length < 16) {
  console.error('TANDEM_AUTH_SECRET must be at least 16 characters.');
  process.exit(1);
}
const key = (purpose, doc = '') =>
  createHmac('sha256', new TextEncoder().encode(secret)).update(`tandem-link-v1\n${purpose}\n${doc}`).digest().subarray(0, 16).toString('base64url');

console.log(`Operator (document list, New document): ${base}/operator?key=${key('operator')}`);
for (const doc of docs) {
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(doc)) {
    console.error(`not a document name: ${doc}`);
    process.exitCode = 1;
    continue;
  }
  console.log(`${doc}  edit: ${base}/d/${doc}?key=${key('write', doc)}`);
  console.log(`${doc}  view: ${base}/v/${doc}?key=${key('read', doc)}`);
}
