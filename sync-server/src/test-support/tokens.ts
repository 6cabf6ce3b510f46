/** Test helper: mint HS256 tokens the way a self-hoster's app would (see README, Security). */
import { SignJWT } from 'jose';

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';

export interface TokenClaims {
  sub?: string;
  name?: string;
  doc?: string;
  /** 'read' or 'write'; any other string, to test refusals. */
  access?: string;
  /** Seconds since the epoch; default one hour from now. */
  exp?: number;
  /** The share link the token was minted from (`{ purpose, generation }`); any value, to test refusals. */
  link?: unknown;
}

/** Sign `claims` (defaults: sub "alice", doc "*", access "write", one hour) with `secret`. */
export async function mintToken(claims: TokenClaims = {}, secret: string = TEST_SECRET): Promise<string> {
  const { sub = 'alice', name, doc = '*', access = 'write', exp = Math.floor(Date.now() / 1000) + 3600, link } = claims;
  const jwt = new SignJWT({ doc, access, ...(name !== undefined ? { name } : {}), ...(link !== undefined ? { link } : {}) }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** Sign any payload, claims of any type included (what a careless or hostile minter could make). */
export async function signPayload(payload: Record<string, unknown>, secret: string = TEST_SECRET): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
}
