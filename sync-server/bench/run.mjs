// `npm run bench [-- fanout|trace|quiet|listing|smoke] [--quick] [--servers tandem,reference,relay] [--profile] [--save]`
// Runs each workload against Tandem, the y-websocket reference server and a bare relay in the
// same run, and prints one table per workload with ratios against the references.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EXTRA_SERVER_KINDS, SERVER_KINDS, tandemBuildStatus, makeTempDir } from './servers.mjs';
import { renderReport } from './table.mjs';
import { loadavg } from './lib/stats.mjs';
import { fanout } from './workloads/fanout.mjs';
import { trace } from './workloads/trace.mjs';
import { quiet } from './workloads/quiet.mjs';
import { cluster, clusterFanout } from './workloads/cluster.mjs';
import { listing } from './workloads/listing.mjs';
import { summarizeProfiles } from './profile-summary.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
// Exit through process.exit on signals, so the 'exit' hooks kill the servers and drivers.
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));
const WORKLOADS = { fanout, trace, quiet };
// Run only when named: `cluster` needs redis-server and takes minutes; `listing` measures Tandem's
// own document list (no reference server has one).
const ON_REQUEST = { cluster, 'cluster-fanout': clusterFanout, listing };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  allowNegative: true,
  options: {
    quick: { type: 'boolean', default: false },
    servers: { type: 'string' },
    profile: { type: 'boolean', default: false },
    save: { type: 'boolean', default: false },
    scan: { type: 'boolean' },
    reps: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`usage: npm run bench -- [fanout|trace|quiet|smoke ...] [options]
  (no workload)      all three workloads, full size (about 8 minutes)
  cluster            cluster mode on Redis: fan-out over 3 instances vs one, 100,000 connections
                     over 7 instances, killing an instance under load (only when named)
  cluster-fanout     only the cluster's fan-out comparison (about 4 minutes; --profile works)
  listing            GET /api/docs pages at 10,000 documents (only when named; about a minute)
  smoke              all three, tiny (same as --quick; well under a minute)
  --quick            tiny sizes
  --servers a,b      subset of ${SERVER_KINDS.join(',')}, or of the A/B variants ${EXTRA_SERVER_KINDS.join(',')}
  --scan / --no-scan quiet: raise the connection count until it bends (default: on in full runs)
  --reps N           runs per server for fanout and trace (default 3; 1 with --profile or --quick)
  --profile          run servers under node --cpu-prof and print their hottest functions
  --save             write the output to bench/RESULTS.md`);
  process.exit(0);
}

let names = positionals.length ? positionals : Object.keys(WORKLOADS);
let quick = values.quick;
if (names.includes('smoke')) {
  quick = true;
  names = Object.keys(WORKLOADS);
}
for (const n of names) if (!WORKLOADS[n] && !ON_REQUEST[n]) throw new Error(`unknown workload "${n}" (fanout, trace, quiet, cluster, cluster-fanout, listing, smoke)`);

let kinds = values.servers ? values.servers.split(',') : [...SERVER_KINDS];
const build = tandemBuildStatus();
if (kinds.includes('tandem') && !build.built) {
  console.error(`tandem skipped: ${build.note}`);
  kinds = kinds.filter((k) => k !== 'tandem');
} else if (build.note && kinds.includes('tandem')) {
  console.error(build.note);
}

const log = (line) => console.error(`  · ${line}`);
const cpuProfDir = values.profile ? await makeTempDir('profiles') : undefined;

function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  let nproc = os.availableParallelism();
  try { nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()); } catch { /* os value */ }
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${nproc} CPUs (${cpu}) · ${Math.round(os.totalmem() / 2 ** 30)} GiB · Node ${process.version} · ${os.type()} ${os.release()}`;
}

/**
 * Which code was measured: the newest commit that changed what the server runs (its sources and the
 * packages it imports), and whether the working tree differs from it. Tests and docs committed later
 * do not change the figures.
 */
function measuredCode() {
  const git = (...args) => execFileSync('git', args, { cwd: benchDir, encoding: 'utf8' }).trim();
  try {
    const runs = ['../src', '../../packages/protocol/src', '../../packages/document/src', ':(exclude,glob)**/*.test.ts', ':(exclude)../src/test-support'];
    const commit = git('log', '-1', '--format=%h %cd', '--date=format:%Y-%m-%d %H:%M', '--', ...runs);
    const dirty = git('status', '--porcelain', '--', ...runs) !== '';
    return `server code at commit ${commit}${dirty ? ' plus uncommitted changes' : ''}`;
  } catch {
    return 'server code: not a git checkout';
  }
}

const header = `# Tandem benchmark\n\n${machine()} · ${measuredCode()}\n\nCommand: \`npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}\`` +
  ' (the browser figures are in [RESULTS-browser.md](RESULTS-browser.md): `npm run bench:browser -- --save`)\n';
console.log(header);
const out = [header];
const started = performance.now();
// The write-before-relay floor answers one question, what CPU per relayed update storage costs:
// it runs in the fan-out only.
const kindsFor = (name) => (name === 'fanout' ? kinds : kinds.filter((k) => k !== 'stored-relay' && k !== 'wal-relay'));
for (const name of names) {
  const t0 = performance.now();
  const load0 = loadavg();
  console.error(`${name}: running (${kindsFor(name).join(', ')})`);
  const reps = values.reps ? Number(values.reps) : cpuProfDir ? 1 : undefined;
  const report = await (WORKLOADS[name] ?? ON_REQUEST[name])({ kinds: kindsFor(name), quick, cpuProfDir, log, reps, scan: values.scan ?? !quick });
  report.notes = [...(report.notes ?? []), `Load average (1/5/15 min) before: ${load0}; after: ${loadavg()} (this machine has ${os.availableParallelism()} CPUs and is shared).`];
  const text = renderReport(report);
  console.log(text);
  out.push(text);
  console.error(`${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
if (cpuProfDir) {
  const text = await summarizeProfiles(cpuProfDir);
  console.log(text);
  out.push(text);
}
const footer = `Total time: ${((performance.now() - started) / 1000).toFixed(0)} s.\n`;
console.log(footer);
out.push(footer);
if (values.save) {
  const notes = fs.readFileSync(path.join(benchDir, 'RESULTS.notes.md'), 'utf8');
  fs.writeFileSync(path.join(benchDir, 'RESULTS.md'), `${out.join('\n')}\n${notes}`);
  console.error('wrote bench/RESULTS.md');
}
