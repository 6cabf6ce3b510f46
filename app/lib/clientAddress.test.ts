import { describe, expect, it } from 'vitest';
import { clientAddress, rateLimitKey, readTrustProxy, REMOTE_ADDRESS_HEADER } from './clientAddress';

describe('clientAddress', () => {
  const headers = (init: Record<string, string>) => new Headers(init);

  it('is the socket address server.mjs stamped, ignoring X-Forwarded-For unless the proxy is trusted', () => {
    const h = headers({ [REMOTE_ADDRESS_HEADER]: '203.0.113.9', 'x-forwarded-for': '198.51.100.1, 10.0.0.2' });
    expect(clientAddress(h, false)).toBe('203.0.113.9');
    // Behind a trusted proxy: the entry the proxy appended (the last), never the client's own claims before it.
    expect(clientAddress(h, true)).toBe('10.0.0.2');
    expect(clientAddress(headers({ [REMOTE_ADDRESS_HEADER]: '127.0.0.1' }), true)).toBe('127.0.0.1');
  });

  it('is undefined when nothing stamped the request', () => {
    expect(clientAddress(headers({ 'x-forwarded-for': '1.2.3.4' }), false)).toBeUndefined();
    expect(clientAddress(headers({}), true)).toBeUndefined();
  });
});

describe('readTrustProxy', () => {
  it('reads the sync server variable the way the sync server does', () => {
    expect(readTrustProxy({})).toBe(false);
    for (const on of ['1', 'true', 'yes', 'on', 'TRUE']) expect(readTrustProxy({ TANDEM_TRUST_PROXY: on })).toBe(true);
    for (const off of ['', '0', 'false', 'no', 'off']) expect(readTrustProxy({ TANDEM_TRUST_PROXY: off })).toBe(false);
    expect(() => readTrustProxy({ TANDEM_TRUST_PROXY: 'maybe' })).toThrow(/TANDEM_TRUST_PROXY/);
  });
});

describe('rateLimitKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, and groups IPv6 by /64', () => {
    expect(rateLimitKey('192.0.2.7')).toBe('192.0.2.7');
    expect(rateLimitKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(rateLimitKey('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(rateLimitKey('2001:0db8:0000:0001:ffff:ffff:ffff:ffff')).toBe('2001:db8:0:1::/64');
    expect(rateLimitKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateLimitKey('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(rateLimitKey('unknown')).toBe('unknown');
    expect(rateLimitKey('x'.repeat(500))).toHaveLength(64);
  });
});
