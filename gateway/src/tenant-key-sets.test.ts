import { exportJWK, generateKeyPair, type FlattenedJWSInput, type JWK, type JWTHeaderParameters } from 'jose';
import { TenantKeySets, UnknownIssuerError } from './tenant-key-sets';

const TENANT = 'ten_a';

async function publicJwk(kid: string): Promise<JWK> {
  const { publicKey } = await generateKeyPair('ES256');
  return { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
}

/** Identity's JWKS route: `acme` has the keys the test sets, every other slug is unknown (404); fetches counted per slug. */
function identity(initial: JWK[]) {
  const state = { keys: initial, fetches: 0, otherFetches: 0, status: 200 };
  const fetch = (async (url: string | URL | Request) => {
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (!String(url).includes('/t/acme/')) {
      state.otherFetches += 1;
      return new Response(JSON.stringify({ error: 'not_found' }), { status: 404 });
    }
    state.fetches += 1;
    if (state.status !== 200) return new Response(JSON.stringify({ error: 'unavailable' }), { status: state.status });
    return new Response(JSON.stringify({ keys: state.keys, messngr_tenant_id: TENANT }), { status: 200 });
  }) as typeof globalThis.fetch;
  return { state, fetch };
}

async function knows(sets: TenantKeySets, kid: string): Promise<boolean> {
  const { verify } = await sets.keysFor('acme', kid);
  const header: JWTHeaderParameters = { alg: 'ES256', kid };
  try {
    await verify(header, {} as FlattenedJWSInput);
    return true;
  } catch {
    return false;
  }
}

describe('tenant key sets at the gateway', () => {
  it('refetches for a kid it has not seen, and lets a token within the cooldown wait for that fetch instead of refusing it', async () => {
    const [k1, k2] = await Promise.all([publicJwk('k1'), publicJwk('k2')]);
    const { state, fetch } = identity([k1]);
    const sets = new TenantKeySets({ identityUrl: 'http://identity', fetch, refetchCooldownMs: 300 });
    expect(await knows(sets, 'k1')).toBe(true);
    expect(state.fetches).toBe(1);
    // A forged kid costs a refetch ...
    expect(await knows(sets, 'forged')).toBe(false);
    expect(state.fetches).toBe(2);
    // ... and a rotation publishes k2 just after it, well within the cooldown: a k2 token must still verify.
    state.keys = [k1, k2];
    expect(await knows(sets, 'k2')).toBe(true);
    expect(state.fetches).toBe(3);
    expect(await knows(sets, 'k2')).toBe(true);
    expect(state.fetches).toBe(3);
  });

  it('fetches at most once per cooldown for any number of unknown kids (forged tokens)', async () => {
    const { state, fetch } = identity([await publicJwk('k1')]);
    const sets = new TenantKeySets({ identityUrl: 'http://identity', fetch, refetchCooldownMs: 100 });
    await knows(sets, 'k1');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => knows(sets, `forged-${i}`)));
    expect(results.every((known) => !known)).toBe(true);
    expect(state.fetches).toBe(2);
  });

  it('keeps the set it has when identity fails during an unknown-kid refetch, and asks again only after the cooldown', async () => {
    const { state, fetch } = identity([await publicJwk('k1')]);
    const sets = new TenantKeySets({ identityUrl: 'http://identity', fetch, refetchCooldownMs: 100 });
    await knows(sets, 'k1');
    state.status = 503;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await knows(sets, 'forged')).toBe(false);
    expect(state.fetches).toBe(2);
    const started = Date.now();
    const [forged, real] = await Promise.all([knows(sets, 'forged-again'), knows(sets, 'k1')]);
    expect({ forged, real }).toEqual({ forged: false, real: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
    expect(state.fetches).toBe(3);
  });

  it('remembers issuers identity does not know, one look-up each, without evicting or refetching the sets it knows', async () => {
    const { state, fetch } = identity([await publicJwk('k1')]);
    const sets = new TenantKeySets({ identityUrl: 'http://identity', fetch, maxKnown: 10, maxUnknown: 1_000 });
    await knows(sets, 'k1');
    const slugs = Array.from({ length: 200 }, (_, i) => `rnd-${i}`);
    for (const slug of [...slugs, ...slugs]) {
      await expect(sets.keysFor(slug, 'k1')).rejects.toBeInstanceOf(UnknownIssuerError);
    }
    expect(state.otherFetches).toBe(slugs.length);
    expect(await knows(sets, 'k1')).toBe(true);
    expect(state.fetches).toBe(1);
  });
});
