import { describe, expect, it } from 'vitest';
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, httpServerOptions, listeningMessage, readServerOptions } from './serverOptions.mjs';

const SECRET = 'a-test-secret-of-enough-length-0123456789';

describe('readServerOptions', () => {
  it('binds to loopback in open mode, and says why', () => {
    const options = readServerOptions({});
    expect(options.host).toBe('127.0.0.1');
    expect(options.hostReason).toMatch(/open mode/);
    expect(options.hostReason).toMatch(/TANDEM_APP_HOST=0\.0\.0\.0/);
  });

  it('binds to every interface with a secret, as before', () => {
    const options = readServerOptions({ TANDEM_AUTH_SECRET: SECRET });
    expect(options.host).toBeUndefined();
    expect(options.hostReason).toMatch(/every interface/);
  });

  it('refuses a secret too short to sign with, and takes an empty one for open mode', () => {
    expect(() => readServerOptions({ TANDEM_AUTH_SECRET: 'x'.repeat(15) })).toThrow('TANDEM_AUTH_SECRET must be at least 16 characters');
    expect(readServerOptions({ TANDEM_AUTH_SECRET: '' }).hostReason).toMatch(/open mode/);
  });

  it('binds where TANDEM_APP_HOST says, in either mode', () => {
    expect(readServerOptions({ TANDEM_APP_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(readServerOptions({ TANDEM_APP_HOST: ' 192.0.2.5 ', TANDEM_AUTH_SECRET: SECRET }).host).toBe('192.0.2.5');
    expect(readServerOptions({ TANDEM_APP_HOST: '::1' }).hostReason).toMatch(/TANDEM_APP_HOST/);
  });

  it('reads the port and the timeouts, with defaults', () => {
    expect(readServerOptions({}, { dev: true })).toMatchObject({
      dev: true,
      port: 3000,
      headersTimeoutMs: DEFAULT_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    });
    expect(readServerOptions({ APP_PORT: '0', TANDEM_APP_HEADERS_TIMEOUT: '500', TANDEM_APP_REQUEST_TIMEOUT: '2000' })).toMatchObject({
      dev: false,
      port: 0,
      headersTimeoutMs: 500,
      requestTimeoutMs: 2000,
    });
  });

  it('refuses bad values with the variable named', () => {
    expect(() => readServerOptions({ APP_PORT: '70000' })).toThrow(/APP_PORT/);
    expect(() => readServerOptions({ APP_PORT: 'http' })).toThrow(/APP_PORT/);
    expect(() => readServerOptions({ TANDEM_APP_HEADERS_TIMEOUT: '10s' })).toThrow(/TANDEM_APP_HEADERS_TIMEOUT/);
    expect(() => readServerOptions({ TANDEM_APP_HEADERS_TIMEOUT: '5' })).toThrow(/TANDEM_APP_HEADERS_TIMEOUT/);
    expect(() => readServerOptions({ TANDEM_APP_REQUEST_TIMEOUT: '-1' })).toThrow(/TANDEM_APP_REQUEST_TIMEOUT/);
    expect(() => readServerOptions({ TANDEM_APP_HEADERS_TIMEOUT: '5000', TANDEM_APP_REQUEST_TIMEOUT: '1000' })).toThrow(/at least TANDEM_APP_HEADERS_TIMEOUT/);
  });
});

describe('httpServerOptions', () => {
  it('sets both timeouts and checks them often enough to act on time', () => {
    expect(httpServerOptions(readServerOptions({}))).toEqual({ headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1000 });
    expect(httpServerOptions(readServerOptions({ TANDEM_APP_HEADERS_TIMEOUT: '400' })).connectionsCheckingInterval).toBe(100);
  });
});

describe('listeningMessage', () => {
  it('names the address (IPv6 in brackets) and the reason', () => {
    const open = readServerOptions({});
    expect(listeningMessage(open, { address: '127.0.0.1', port: 3000 })).toBe(`Tandem app listening on http://127.0.0.1:3000 (${open.hostReason})`);
    expect(listeningMessage(readServerOptions({ TANDEM_AUTH_SECRET: SECRET }), { address: '::', port: 80 })).toMatch(/^Tandem app listening on http:\/\/\[::\]:80 \(every interface/);
  });
});
