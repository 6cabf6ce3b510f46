import { describe, expect, it } from 'vitest';
import { mintToken, readAuthConfig } from './auth';
import { embedRefusal } from './embedAccess';

const config = readAuthConfig({ TANDEM_AUTH_SECRET: 'a-test-secret-of-enough-length-0123456789' })!;
const other = readAuthConfig({ TANDEM_AUTH_SECRET: 'another-secret-of-enough-length-xyz' })!;
const mint = (doc: string, now = Date.now(), signer = config) => mintToken(signer, { sub: 'u-x', doc, access: 'write' }, now).then((t) => t.token);

describe('embedRefusal', () => {
  it('refuses nothing in open mode, or when the embed carries a link key (the page checks keys)', async () => {
    expect(await embedRefusal(undefined, 'plans', undefined, undefined)).toBeUndefined();
    expect(await embedRefusal(config, 'plans', undefined, 'some-key')).toBeUndefined();
  });

  it('says an auth-mode embed without a key or token will be refused', async () => {
    expect(await embedRefusal(config, 'plans', undefined, undefined)).toBe('no-credentials');
    expect(await embedRefusal(config, 'plans', '', undefined)).toBe('no-credentials');
  });

  it('lets a token signed with the secret, unexpired, for this document (or a prefix covering it) through', async () => {
    expect(await embedRefusal(config, 'plans', await mint('plans'), undefined)).toBeUndefined();
    expect(await embedRefusal(config, 'team-plans', await mint('team-*'), undefined)).toBeUndefined();
  });

  it('tells an invalid, expired or other-document token apart', async () => {
    expect(await embedRefusal(config, 'plans', 'not-a-token', undefined)).toBe('token-invalid');
    expect(await embedRefusal(config, 'plans', await mint('plans', Date.now(), other), undefined)).toBe('token-invalid');
    expect(await embedRefusal(config, 'plans', await mint('plans', Date.now() - 2 * config.ttlSeconds * 1000), undefined)).toBe('token-expired');
    expect(await embedRefusal(config, 'plans', await mint('drafts'), undefined)).toBe('token-other-document');
  });
});
