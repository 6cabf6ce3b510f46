#!/usr/bin/env node
// The `tandem-sync-server` command. npm links a package's bin when it installs, before anything is
// built, so the linked file is this committed one (executable in git) and not dist/main.js: it
// runs the compiled server, or says how to build it.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('tandem-sync-server: the server is not built yet (no sync-server/dist/main.js). Run `npm run build` at the repository root first.\n');
  process.exit(1);
}
await import(main.href);
