import { describe, expect, it } from 'vitest';
import { ConfigError, OPTIONS, helpText, parseConfig } from './config.js';

const configOf = (argv: string[], env: Record<string, string> = {}) => {
  const result = parseConfig(argv, env);
  if (result.help) throw new Error('unexpected help');
  return result.config;
};

describe('configuration', () => {
  it('uses the documented defaults and binds to loopback in open mode', () => {
    // Stated here, not read from DEFAULTS: a changed default must change this test (and --help, and the README).
    expect(configOf([])).toEqual({
      host: '127.0.0.1',
      port: 1234,
      dataDir: './data',
      fsync: false,
      authSecret: undefined,
      logLevel: 'info',
      pingIntervalMs: 30_000,
      compactAfterUpdates: 256,
      compactAfterBytes: 1_048_576,
      maxMessageBytes: 16_777_216,
      maxMessagesPerSecond: 300,
      maxConnectionsPerIp: 512,
      maxLoadedDocs: 10_000,
      maxDocBytes: 67_108_864,
      maxAwarenessBytes: 16_384,
      maxSendBacklogBytes: 33_554_432,
      maxTotalSendBacklogBytes: 268_435_456,
      handshakeTimeoutMs: 10_000,
      allowedOrigins: [],
      trustProxy: false,
      maxTokenLifetimeSeconds: 86_400,
      maxDocsCreatedPerToken: 100,
      authMessageTimeoutMs: 10_000,
      trashRetentionDays: 30,
      trashSweepIntervalMs: 3_600_000,
      redisUrl: undefined,
      redisAllowVolatile: false,
      redisKeyPrefix: 'tandem',
      versionPauseMs: 180_000,
      versionRetentionDays: 30,
      maxFileBytes: 10_485_760,
      uploadTimeoutMs: 120_000,
    });
  });

  it('states every numeric default in --help as it is', () => {
    const defaults = configOf([]);
    for (const option of OPTIONS) {
      const value = defaults[option.key];
      if (typeof value === 'number') expect(option.help, option.flag).toMatch(new RegExp(`default ${value}\\b`));
    }
  });

  it('binds to every interface by default once auth is on', () => {
    expect(configOf(['--auth-secret', 'a-long-enough-secret']).host).toBe('0.0.0.0');
    expect(configOf(['--auth-secret', 'a-long-enough-secret', '--host', '127.0.0.1']).host).toBe('127.0.0.1');
  });

  it('reads every option from its environment variable, and flags win', () => {
    const config = configOf(['--port', '4000'], { TANDEM_PORT: '5000', TANDEM_DATA_DIR: '/tmp/x', TANDEM_FSYNC: 'true', TANDEM_ALLOWED_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.port).toBe(4000);
    expect(config.dataDir).toBe('/tmp/x');
    expect(config.fsync).toBe(true);
    expect(config.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('accepts --flag=value and bare boolean flags', () => {
    expect(configOf(['--port=99', '--fsync', '--trust-proxy'])).toMatchObject({ port: 99, fsync: true, trustProxy: true });
  });

  it.each([
    [['--port', 'abc'], /--port .* whole number/],
    [['--port', '70000'], /at most 65535/],
    [['--nope'], /unknown option --nope/],
    [['--data-dir'], /needs a value/],
    [['--log-level', 'loud'], /must be one of/],
    [['--auth-secret', 'short'], /at least 16/],
    [['--max-message-bytes', '10'], /at least 1024/],
    [['--allowed-origins', ''], /--allowed-origins .* needs at least one value/],
    [['--allowed-origins=,'], /--allowed-origins .* needs at least one value/],
    [['--max-token-lifetime', '0'], /at least 1/],
    [['--redis-url', 'localhost:6379'], /--redis-url .* must look like redis:\/\/host:port or unix:/],
    [['--redis-key-prefix', 'a b'], /--redis-key-prefix .* 1-64 characters/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseConfig(argv)).toThrow(ConfigError);
    expect(() => parseConfig(argv)).toThrow(message);
  });

  it('turns cluster mode on with --redis-url or TANDEM_REDIS_URL; off, and durable-only, by default', () => {
    expect(configOf([])).toMatchObject({ redisUrl: undefined, redisAllowVolatile: false, redisKeyPrefix: 'tandem' });
    expect(configOf([], { TANDEM_REDIS_URL: 'redis://10.0.0.5:6379' }).redisUrl).toBe('redis://10.0.0.5:6379');
    expect(configOf(['--redis-url', 'rediss://cache:6380/2', '--redis-allow-volatile', '--redis-key-prefix', 'staging'])).toMatchObject({
      redisUrl: 'rediss://cache:6380/2',
      redisAllowVolatile: true,
      redisKeyPrefix: 'staging',
    });
  });

  it('serves an office behind one NAT by default: 512 connections per address', () => {
    expect(configOf([]).maxConnectionsPerIp).toBe(512);
  });

  it('--help lists every flag with its environment variable', () => {
    expect(parseConfig(['--help'])).toEqual({ help: true });
    const text = helpText();
    for (const option of OPTIONS) {
      expect(text).toContain(option.flag);
      expect(text).toContain(option.env);
    }
  });
});
