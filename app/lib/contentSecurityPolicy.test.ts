import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isEmbedPath, newNonce, syncSource } from './contentSecurityPolicy';

/** The policy as directive → sources. */
function parse(policy: string): Record<string, string[]> {
  return Object.fromEntries(policy.split('; ').map((d) => {
    const [name, ...sources] = d.split(' ');
    return [name!, sources];
  }));
}

describe('contentSecurityPolicy', () => {
  const base = { nonce: 'abc123==', syncUrl: 'wss://sync.example.com/tandem', embed: false, dev: false };

  it('runs only scripts with the nonce (or loaded by them), and no inline styles without it', () => {
    const p = parse(contentSecurityPolicy(base));
    expect(p['script-src']).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(p['style-src']).toEqual(["'self'", "'nonce-abc123=='"]);
    expect(JSON.stringify(p)).not.toContain('unsafe');
    expect(p['object-src']).toEqual(["'none'"]);
    expect(p['base-uri']).toEqual(["'none'"]);
    expect(p['worker-src']).toEqual(["'self'"]);
  });

  it('lets pages connect to the app and the sync server, by origin', () => {
    // The WebSocket, and the HTTP API on the same port (images and exports).
    expect(parse(contentSecurityPolicy(base))['connect-src']).toEqual(["'self'", 'wss://sync.example.com', 'https://sync.example.com']);
    expect(parse(contentSecurityPolicy({ ...base, syncUrl: 'ws://localhost:1234' }))['connect-src']).toEqual(["'self'", 'ws://localhost:1234', 'http://localhost:1234']);
    expect(parse(contentSecurityPolicy({ ...base, syncUrl: 'https://sync.example.com' }))['connect-src']).toEqual(["'self'", 'https://sync.example.com']);
  });

  it('lets any site frame the embed page, and only the app frame the others', () => {
    expect(parse(contentSecurityPolicy(base))['frame-ancestors']).toEqual(["'self'"]);
    expect(parse(contentSecurityPolicy({ ...base, embed: true }))['frame-ancestors']).toEqual(['*']);
  });

  it('allows eval and inline styles in development only', () => {
    const p = parse(contentSecurityPolicy({ ...base, dev: true }));
    expect(p['script-src']).toContain("'unsafe-eval'");
    expect(p['style-src']).toContain("'unsafe-inline'");
  });

  it('cannot be extended through a malformed sync URL', () => {
    for (const bad of ["ws://x; script-src 'unsafe-inline'", 'javascript:alert(1)', 'not a url', '']) {
      const policy = contentSecurityPolicy({ ...base, syncUrl: bad });
      expect(parse(policy)['connect-src'], bad).toEqual(["'self'"]);
      expect(policy).not.toContain('unsafe-inline');
    }
  });
});

describe('helpers', () => {
  it('make a fresh 128-bit nonce every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });

  it('know the embed path and the sync origin', () => {
    expect(isEmbedPath('/embed/plans')).toBe(true);
    expect(isEmbedPath('/d/embed')).toBe(false);
    expect(isEmbedPath('/embedded')).toBe(false);
    expect(syncSource('https://sync.example.com:8443/x?y')).toBe('https://sync.example.com:8443');
    expect(syncSource('ftp://x')).toBeUndefined();
  });
});
