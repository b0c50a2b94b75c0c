import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import type { Clock } from '@messngr/kit/core';
import { eventually } from './harness/eventually';
import { signInApi } from './harness/sign-in';
import { useStack, type GraphQLResponse } from './harness/stack';
import { ok, tenantApi, unique } from './harness/tenant-api';

/** How long a rotated key is published before it signs, in this file's stack. */
const OVERLAP_SECONDS = 2;
/** `accessTokenTtlSeconds` of the test stack: the longest life of an access token. */
const ACCESS_TOKEN_TTL_SECONDS = 600;
/** The gateway's clock tolerance when it checks `exp`. */
const GATEWAY_CLOCK_TOLERANCE_SECONDS = 30;
const LOAD_LOOPS = 8;

const ROTATE = `mutation ($input: RotateSigningKeysInput!) {
  rotateSigningKeys(input: $input) { keys { kid signsFrom signsUntil droppedAt } }
}`;

interface KeyView {
  kid: string;
  signsFrom: string;
  signsUntil: string | null;
  droppedAt: string | null;
}

interface Timeline {
  kid: string;
  signsFrom: number;
  /** Infinity while it signs on. */
  signsUntil: number;
  droppedAt: number;
}

interface ObtainedToken {
  token: string;
  kid: string;
  exp: number;
  /** When the request that returned it was sent and answered (ms). */
  requestedAt: number;
  receivedAt: number;
}

interface JwksSnapshot {
  startedAt: number;
  doneAt: number;
  keys: JWK[];
}

/** The identity subgraph's clock, moved by the test; the gateway keeps real time. */
function movableClock(): Clock & { offsetMs: number } {
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  return clock;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('signing-key rotation under load', () => {
  const identityClock = movableClock();
  const env = useStack({ signingKeyOverlapSeconds: OVERLAP_SECONDS, identityClock });
  let tenantId: string;
  let issuer: string;
  let jwksUrl: string;
  let accountId: string;
  let refreshToken: string;
  /** Every access token obtained, in order; the first one from sign-in. */
  const tokens: ObtainedToken[] = [];
  /** Each key's timeline, as the last rotation answered it. */
  const timelines = new Map<string, Timeline>();

  const fetchJwks = async (): Promise<JwksSnapshot> => {
    const startedAt = Date.now();
    const response = await fetch(jwksUrl);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: JWK[] };
    return { startedAt, doneAt: Date.now(), keys };
  };
  const obtained = (token: string, requestedAt: number): ObtainedToken => {
    env.stack.handledSecrets.add(token);
    return { token, kid: decodeProtectedHeader(token).kid!, exp: decodeJwt(token).exp!, requestedAt, receivedAt: Date.now() };
  };

  beforeAll(async () => {
    const tenant = ok(await tenantApi(env).createTenant({ name: unique('Key Rotation') })).createTenant.tenant;
    tenantId = tenant.id;
    issuer = `${env.stack.publicUrl}/t/${tenant.slug}`;
    jwksUrl = `${issuer}/jwks.json`;
    const requestedAt = Date.now();
    // Sign-in works once identity has read the tenant's creation event.
    const signedIn = await eventually(() =>
      signInApi(env.stack).signIn(tenantId, { email: `rotation.${Date.now()}@example.com` }, { name: 'Load', platform: 'WEB' }),
    );
    accountId = signedIn.account.id;
    tokens.push(obtained(signedIn.accessToken, requestedAt));
    refreshToken = signedIn.refreshToken;
  });

  it('serves every request through several rotations, new keys published before they sign, old ones kept', async () => {
    const api = signInApi(env.stack);
    const snapshots: JwksSnapshot[] = [await fetchJwks()];
    const failures: string[] = [];
    let requests = 0;
    let stopping = false;

    const queries: [string, (data: Record<string, unknown>) => boolean][] = [
      [`{ me { id } }`, (data) => (data['me'] as { id?: string } | null)?.id === accountId],
      [`{ me { id devices { id name } } }`, (data) => (data['me'] as { id?: string } | null)?.id === accountId],
      [`{ tenant(id: "${tenantId}") { id } }`, (data) => (data['tenant'] as { id?: string } | null)?.id === tenantId],
    ];
    const load = async (loop: number) => {
      for (let i = loop; !stopping; i += 1) {
        // Old tokens and new ones alike, all through the run.
        const { token, kid } = tokens[i % tokens.length]!;
        const [query, answers] = queries[i % queries.length]!;
        const response: GraphQLResponse = await env.stack.graphql(query, undefined, token).catch((error: unknown) => ({
          status: 0,
          errors: [{ message: String(error) }],
        }));
        requests += 1;
        if (response.status !== 200 || response.errors || !response.data || !answers(response.data)) {
          failures.push(
            `${kid.slice(0, 8)} ${query}: HTTP ${response.status} ${JSON.stringify(response.errors ?? response.data)}`,
          );
        }
      }
    };
    const refresh = async () => {
      while (!stopping) {
        const requestedAt = Date.now();
        const response = await api.refreshSession(refreshToken);
        if (response.errors || !response.data) {
          failures.push(`refreshSession: HTTP ${response.status} ${JSON.stringify(response.errors)}`);
          return;
        }
        refreshToken = response.data.refreshSession.refreshToken;
        tokens.push(obtained(response.data.refreshSession.accessToken, requestedAt));
        await sleep(250);
      }
    };
    const poll = async () => {
      while (!stopping) {
        snapshots.push(await fetchJwks());
        await sleep(100);
      }
    };
    const rotate = async () => {
      const response = await env.stack.graphql<{ rotateSigningKeys: { keys: KeyView[] } }>(
        ROTATE,
        { input: { tenantId } },
        env.adminToken,
      );
      const keys = ok(response).rotateSigningKeys.keys;
      for (const key of keys) {
        timelines.set(key.kid, {
          kid: key.kid,
          signsFrom: Date.parse(key.signsFrom),
          signsUntil: key.signsUntil ? Date.parse(key.signsUntil) : Infinity,
          droppedAt: key.droppedAt ? Date.parse(key.droppedAt) : Infinity,
        });
      }
      const next = keys.reduce((newest, key) => (Date.parse(key.signsFrom) > Date.parse(newest.signsFrom) ? key : newest));
      // The next key is in the JWKS as soon as the rotation answers, before it signs.
      const published = await fetchJwks();
      snapshots.push(published);
      expect(published.keys.map((key) => key.kid)).toContain(next.kid);
      return next;
    };

    const background = [...Array.from({ length: LOAD_LOOPS }, (_, loop) => load(loop)), refresh(), poll()];
    const rotated: KeyView[] = [];
    const superseded: string[] = [];
    try {
      await sleep(1_000);
      rotated.push(await rotate());
      await sleep(3_500);
      // Twice within the overlap: the second supersedes the key the first published, which never signs.
      const pending = await rotate();
      await sleep(200);
      rotated.push(await rotate());
      superseded.push(pending.kid);
      await sleep(3_500);
      rotated.push(await rotate());
      // Long enough for the last key to sign a few tokens.
      await sleep(OVERLAP_SECONDS * 1000 + 2_000);
    } finally {
      stopping = true;
      await Promise.all(background);
    }

    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(100);

    // Every key that was to sign did, and only within its window: never before it was due (so never
    // before it was published), never after it retired; the superseded key never.
    const signers = new Set(tokens.map((token) => token.kid));
    for (const key of rotated) expect(signers).toContain(key.kid);
    for (const kid of superseded) {
      // It stops signing when it would have started.
      expect(timelines.get(kid)!.signsUntil).toBe(timelines.get(kid)!.signsFrom);
      expect(signers).not.toContain(kid);
    }
    for (const token of tokens.slice(1)) {
      const window = timelines.get(token.kid);
      expect(window).toBeDefined();
      expect(window!.signsFrom).toBeLessThanOrEqual(token.receivedAt);
      expect(window!.signsUntil).toBeGreaterThanOrEqual(token.requestedAt);
    }

    // Published before it signs: each rotated key was in a JWKS fetched before it was due to sign, and before
    // the first token it signed was asked for.
    for (const { kid } of rotated) {
      const firstToken = tokens.find((token) => token.kid === kid)!;
      const firstSeen = snapshots.find((snapshot) => snapshot.keys.some((key) => key.kid === kid));
      expect(firstSeen).toBeDefined();
      expect(firstSeen!.doneAt).toBeLessThanOrEqual(timelines.get(kid)!.signsFrom);
      expect(firstSeen!.doneAt).toBeLessThanOrEqual(firstToken.requestedAt);
    }

    // Kept: every token verifies against every JWKS fetched after it was obtained, the superseded key stays published too.
    for (const snapshot of snapshots) {
      const keySet = createLocalJWKSet({ keys: snapshot.keys });
      for (const token of tokens.filter((candidate) => candidate.receivedAt <= snapshot.startedAt)) {
        const verified = jwtVerify(token.token, keySet, {
          issuer,
          audience: 'messngr',
          typ: 'at+jwt',
          algorithms: ['ES256'],
          currentDate: new Date(snapshot.doneAt),
        });
        await expect(verified).resolves.toBeDefined();
      }
    }
    const last = snapshots[snapshots.length - 1]!.keys.map((key) => key.kid);
    for (const kid of [...signers, ...superseded]) expect(last).toContain(kid);
  });

  it('verifies tokens of every key still published at a gateway that starts cold (no cached keys or tokens)', async () => {
    await env.stack.restartGateway();
    for (const { token, kid } of tokens) {
      const response = await env.stack.graphql<{ me: { id: string } | null }>(`{ me { id } }`, undefined, token);
      expect({ kid, status: response.status, me: response.data?.me }).toEqual({ kid, status: 200, me: { id: accountId } });
    }
  });

  it('keeps a retired key published past the longest token lifetime, then drops it (identity’s clock moved)', async () => {
    const retired = [...timelines.values()].filter((key) => key.signsUntil !== Infinity);
    expect(retired.length).toBeGreaterThanOrEqual(4);
    const current = [...timelines.values()].find((key) => key.signsUntil === Infinity)!;
    expect(current.droppedAt).toBe(Infinity);
    for (const key of retired) {
      // A key signs until signsUntil; its last token lives ttl more, and the gateway allows its clock tolerance.
      expect(key.droppedAt - key.signsUntil).toBeGreaterThanOrEqual(
        (ACCESS_TOKEN_TTL_SECONDS + GATEWAY_CLOCK_TOLERANCE_SECONDS) * 1000,
      );
    }
    for (const token of tokens) {
      expect(token.exp * 1000 + GATEWAY_CLOCK_TOLERANCE_SECONDS * 1000).toBeLessThanOrEqual(
        timelines.get(token.kid)?.droppedAt ?? Infinity,
      );
    }

    const publishedAt = async (time: number) => {
      identityClock.offsetMs = time - Date.now();
      return (await fetchJwks()).keys.map((key) => key.kid);
    };
    try {
      for (const key of retired) {
        expect(await publishedAt(key.droppedAt - 1_000)).toEqual(expect.arrayContaining([key.kid, current.kid]));
        const after = await publishedAt(key.droppedAt + 1_000);
        expect(after).not.toContain(key.kid);
        expect(after).toContain(current.kid);
      }
      // Once identity dropped them, a gateway that fetches the JWKS anew refuses the tokens of dropped keys
      // (though, by the gateway's clock, they have not expired) and still takes the current key's.
      const everyDrop = Math.max(...retired.map((key) => key.droppedAt));
      await publishedAt(everyDrop + 1_000);
      await env.stack.restartGateway();
      const newest = tokens.filter((token) => token.kid === current.kid).at(-1)!;
      const accepted = await env.stack.graphql<{ me: { id: string } | null }>(`{ me { id } }`, undefined, newest.token);
      expect(accepted.data?.me).toEqual({ id: accountId });
      const oldest = await env.stack.graphql(`{ me { id } }`, undefined, tokens[0]!.token);
      expect({ status: oldest.status, code: oldest.errors?.[0]?.extensions?.code }).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    } finally {
      identityClock.offsetMs = 0;
    }
  });
});
