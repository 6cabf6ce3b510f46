// A round-robin TCP load balancer for the benchmark (what nginx or HAProxy would be in front of a
// cluster): each new connection goes to the next backend that accepts it, skipping dead ones. No
// stickiness: a client that reconnects lands on whichever instance is next.
import net from 'node:net';

export function startBalancer(backendPorts) {
  let next = 0;
  const server = net.createServer((client) => {
    client.pause();
    let backend;
    client.on('error', () => {});
    client.once('close', () => backend?.destroy());
    const attempt = (tried) => {
      if (tried >= backendPorts.length) return client.destroy();
      let connected = false;
      backend = net.connect(backendPorts[next++ % backendPorts.length], '127.0.0.1');
      backend.once('connect', () => {
        connected = true;
        client.pipe(backend).pipe(client);
        client.resume();
      });
      backend.on('error', () => (connected ? client.destroy() : attempt(tried + 1)));
      backend.once('close', () => connected && client.destroy());
    };
    attempt(0);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, close: () => server.close() })));
}
