// Summarises the .cpuprofile files `--profile` collects (node --cpu-prof, one per server
// process): self time by function and by package, as a share of the busy (non-idle) time.
// Standalone: node bench/profile-summary.mjs <dir-or-file>...
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, num } from './table.mjs';

function where(url) {
  if (!url) return '(native/vm)';
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/sync-server/dist/');
  if (dist >= 0) return 'tandem';
  if (url.includes('/bench/')) return 'bench';
  return path.basename(url);
}

/** Self time per function and per package of one profile. */
export async function summarizeProfile(file, top = 15) {
  const profile = JSON.parse(await fs.readFile(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0; // a sample lasts until the next one
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const fns = new Map();
  const pkgs = new Map();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    if (functionName === '(idle)') { idle += us; continue; }
    busy += us;
    const short = url ? `${url.replace(/^.*\/node_modules\//, '').replace(/^.*\/sync-server\//, '').replace(/^file:\/\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${short}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
    const pkg = url ? where(url) : functionName;
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const rows = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => [k, num(us / 1000, 0), `${num((100 * us) / busy, 1)}%`]);
  return [
    `**${path.relative(path.dirname(path.dirname(file)), file)}**: ${num(busy / 1e6, 2)} s busy, ${num(idle / 1e6, 2)} s idle`,
    '',
    formatTable(['package', 'self ms', 'share'], rows(pkgs).slice(0, 8)),
    '',
    formatTable(['function (self time)', 'self ms', 'share'], rows(fns)),
    '',
  ].join('\n');
}

async function profilesUnder(p) {
  const st = await fs.stat(p);
  if (st.isFile()) return [p];
  const out = [];
  for (const e of await fs.readdir(p, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.cpuprofile')) out.push(path.join(e.parentPath ?? e.path, e.name));
  }
  return out.sort();
}

/** Every profile under `dir`, summarised (the section `run.mjs --profile` prints). */
export async function summarizeProfiles(dir) {
  const files = await profilesUnder(dir);
  const parts = ['## CPU profiles (node --cpu-prof)', '', `Raw profiles: ${dir} (open in Chrome DevTools → Performance).`, ''];
  for (const f of files) parts.push(await summarizeProfile(f));
  return parts.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const p of process.argv.slice(2)) console.log(await summarizeProfiles(p));
}
