// A redis-server of the benchmark's own: a free port, a temporary folder, the AOF on (as cluster
// mode requires), killed when the orchestrator exits.
import { spawn, execFileSync } from 'node:child_process';
import { freePort, makeTempDir, removeDir } from '../servers.mjs';

const live = new Set();
process.once('exit', () => { for (const child of live) child.kill('SIGKILL'); });

export async function startRedis() {
  const port = await freePort();
  const dir = await makeTempDir('redis');
  const socket = `${dir}/redis.sock`;
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--unixsocket', socket, '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxclients', '20000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) { clearTimeout(timer); child.stdout.resume(); resolve(); }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${out}`)));
  });
  return {
    port,
    pid: child.pid,
    url: `redis://127.0.0.1:${port}`,
    /** The same Redis over its Unix socket: what instances on Redis's own machine would use. */
    socketUrl: `unix://${socket}`,
    /** Redis's own figure for the memory it uses (INFO memory used_memory), in bytes. */
    usedMemory() {
      const info = execFileSync('redis-cli', ['-p', String(port), 'info', 'memory'], { encoding: 'utf8' });
      return Number(/used_memory:(\d+)/.exec(info)?.[1]);
    },
    async stop() {
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
      await removeDir(dir);
    },
  };
}
