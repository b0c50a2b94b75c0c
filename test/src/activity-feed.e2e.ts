import { randomBytes } from 'node:crypto';
import { auditApi, FEED_ENTRY_FIELDS, type AuditApi, type FeedEntryView } from './harness/audit-api';
import { eventually } from './harness/eventually';
import { githubProviderInput, RETURN_TO } from './harness/provider-sign-in';
import { signInApi, type SignedIn, type SignInApi } from './harness/sign-in';
import { useStack } from './harness/stack';
import { ok, tenantApi, unique } from './harness/tenant-api';

const OSLO = 'Europe/Oslo';
const NEW_YORK = 'America/New_York';

/**
 * The activity feed through the gateway on the real stack: the account overview in one request,
 * each entry in the viewer's language and on the viewer's clock, with who did it, from where
 * and in which request, and changes that never show a secret.
 */
describe('the activity feed, through the gateway', () => {
  const env = useStack();
  let signIn: SignInApi;
  let audit: AuditApi;
  let tenantId: string;

  const email = (label: string) => `${label}.${Date.now()}.${randomBytes(3).toString('hex')}@example.com`;

  /** Signs in with a device, from a client network and user agent, under a correlation id of the test's choosing. */
  async function signInFrom(address: string, client: { ip: string; userAgent: string; correlationId: string; device: string }) {
    const headers = { 'x-forwarded-for': client.ip, 'user-agent': client.userAgent, 'x-correlation-id': client.correlationId };
    const since = env.stack.mailbox.messages.length;
    const flow = ok(await signIn.startLogin({ tenantId, email: address }, headers)).startLogin.flow;
    const { code } = await signIn.codeFor(address, since);
    const device = { name: client.device, platform: 'ANDROID' };
    return ok(await signIn.completeLogin({ flowId: flow.id, code, device }, headers)).completeLogin;
  }

  async function personWith(label: string, profile: { displayName: string; preferredLocale: string; timeZone: string }) {
    const address = email(label);
    const first = await eventually(() => signIn.signIn(tenantId, { email: address }), { timeoutMs: 30_000, intervalMs: 250 });
    ok(
      await env.stack.graphql(
        `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { account { id } } }`,
        { input: profile },
        first.accessToken,
      ),
    );
    return { address, first };
  }

  /** The entry of `type` in the account's feed, once the audit subgraph has recorded it. */
  async function feedEntry(person: SignedIn, where: (entry: FeedEntryView) => boolean, locale?: string) {
    return eventually(
      async () => {
        const feed = ok(await audit.activity(person.accessToken, { first: 50, ...(locale ? { locale } : {}) })).me!.activity;
        const entry = feed.edges.map((edge) => edge.node).find(where);
        if (!entry) throw new Error('not in the feed yet');
        return entry;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  }

  const clock = (time: string, locale: string, timeZone: string) =>
    new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(new Date(time));

  let kari: SignedIn;
  let ola: SignedIn;
  const kariClient = {
    ip: '203.0.113.7',
    userAgent: 'Messngr/4.2.1 (Android 15; Pixel 8)',
    correlationId: `feed-${randomBytes(6).toString('hex')}`,
    device: 'Pixel 8',
  };

  beforeAll(async () => {
    signIn = signInApi(env.stack);
    audit = auditApi(env.stack);
    const tenants = tenantApi({ stack: env.stack, adminToken: env.adminToken });
    tenantId = ok(await tenants.createTenant({ name: unique('Feed') })).createTenant.tenant.id;
    ok(
      await tenants.updatePolicy({
        tenantId,
        allowedReturnUrls: [RETURN_TO],
        otpSendLimits: { perIdentifierPerHour: 50, perIpPerHour: 500 },
      }),
    );
    const [kariSetup, olaSetup] = await Promise.all([
      personWith('kari', { displayName: 'Kari Nordmann', preferredLocale: 'nb-NO', timeZone: OSLO }),
      personWith('ola', { displayName: 'Ola Smith', preferredLocale: 'en-US', timeZone: NEW_YORK }),
    ]);
    kari = await signInFrom(kariSetup.address, kariClient);
    ola = await signInFrom(olaSetup.address, {
      ...kariClient,
      ip: '198.51.100.23',
      correlationId: `feed-${randomBytes(6).toString('hex')}`,
      device: 'iPhone 16',
    });
  });

  it('answers the account overview in one request: profile, devices, identities and the feed in Norwegian for an nb account', async () => {
    await feedEntry(
      kari,
      (entry) => entry.correlationId === kariClient.correlationId && entry.type === 'identity.session.started',
    );
    const overview = ok(
      await env.stack.graphql<{
        me: {
          displayName: string;
          preferredLocale: string;
          devices: { name: string; lastHandshakeAt: string | null }[];
          identities: {
            kind: string;
            displayValue: string;
            verified: boolean;
            lastUsedAt: string | null;
            provider: { badgeKey: string } | null;
          }[];
          activity: { edges: { node: FeedEntryView }[] };
        };
      }>(
        `{ me {
            displayName preferredLocale
            devices { name lastHandshakeAt }
            identities { kind displayValue verified lastUsedAt provider { badgeKey } }
            activity(first: 20) { edges { node { ${FEED_ENTRY_FIELDS} } } }
        } }`,
        {},
        kari.accessToken,
      ),
    ).me;
    expect(overview.displayName).toBe('Kari Nordmann');
    expect(overview.preferredLocale).toBe('nb-NO');
    expect(overview.devices.map((device) => device.name)).toContain('Pixel 8');
    expect(overview.identities).toEqual([
      expect.objectContaining({ kind: 'EMAIL', verified: true, displayValue: expect.stringMatching(/^k\*+@example\.com$/) }),
    ]);
    expect(overview.identities[0]!.lastUsedAt).not.toBeNull();

    const signedIn = overview.activity.edges
      .map((edge) => edge.node)
      .find((entry) => entry.correlationId === kariClient.correlationId && entry.type === 'identity.session.started')!;
    expect(signedIn).toMatchObject({
      type: 'identity.session.started',
      sentence: 'Logget inn på Pixel 8',
      summary: 'Signed in on Pixel 8',
      timeZone: OSLO,
      actor: { kind: 'USER', id: kari.account.id, displayName: 'Kari Nordmann', reason: null },
      clientIp: kariClient.ip,
      userAgent: kariClient.userAgent,
    });
    expect(signedIn.relativeTime).toMatch(/^(nå|for \d+ (sekund|sekunder|minutt|minutter) siden)$/);
    expect(signedIn.localTime).toContain(clock(signedIn.occurredAt, 'nb-NO', OSLO));
    expect(signedIn.localTime).toMatch(/CET|CEST|GMT\+1|GMT\+2/);
  }, 120_000);

  it('writes an en account’s feed in English on its own clock', async () => {
    const entry = await feedEntry(ola, (e) => e.type === 'identity.session.started' && e.sentence.includes('iPhone 16'));
    expect(entry).toMatchObject({
      sentence: 'Signed in on iPhone 16',
      timeZone: NEW_YORK,
      actor: { kind: 'USER', id: ola.account.id, displayName: 'Ola Smith' },
      clientIp: '198.51.100.23',
    });
    expect(entry.relativeTime).toMatch(/^(now|\d+ (second|seconds|minute|minutes) ago)$/);
    expect(entry.localTime).toContain(clock(entry.occurredAt, 'en-US', NEW_YORK));
    expect(entry.localTime).toMatch(/EST|EDT/);
  }, 120_000);

  it('lets a locale argument override the account’s own', async () => {
    const entry = await feedEntry(
      kari,
      (e) => e.correlationId === kariClient.correlationId && e.type === 'identity.session.started',
      'en',
    );
    expect(entry.sentence).toBe('Signed in on Pixel 8');
    expect(entry.relativeTime).toMatch(/ago|now/);
    expect(entry.timeZone).toBe(OSLO);
  }, 120_000);

  it('shows a profile change as before/after fields, and the account created', async () => {
    const updated = await feedEntry(kari, (e) => e.type === 'identity.account.updated');
    expect(updated.sentence).toBe('Profilen ble endret');
    expect(updated.changes).toEqual(
      expect.arrayContaining([
        { field: 'preferredLocale', before: null, after: 'nb-NO' },
        { field: 'timeZone', before: null, after: OSLO },
      ]),
    );
    const created = await feedEntry(kari, (e) => e.type === 'identity.account.created');
    expect(created.sentence).toBe('Kontoen ble opprettet');
  }, 120_000);

  it('never shows a provider connection or a secret, in the sentence, the changes or anywhere in the answer', async () => {
    const tenants = tenantApi({ stack: env.stack, adminToken: env.adminToken });
    const endpoints = {
      authorizationEndpoint: 'http://127.0.0.1:9/login/oauth/authorize',
      tokenEndpoint: 'http://127.0.0.1:9/login/oauth/access_token',
      userEndpoint: 'http://127.0.0.1:9/user',
    };
    const provider = ok(
      await tenants.registerProvider(
        githubProviderInput(tenantId, endpoints, {
          clientSecret: 'first-sekrit-value',
          claimMapping: { subject: 'id', username: 'login' },
        }),
      ),
    ).registerIdentityProvider.identityProvider;
    ok(
      await tenants.updateProvider({ id: provider.id, clientSecret: 'second-sekrit-value', scopes: ['read:user', 'user:email'] }),
    );
    const log = await eventually(async () => {
      const response = await audit.auditLog(env.adminToken, {
        tenant: tenantId,
        filter: { types: ['tenant.identity_provider.registered', 'tenant.identity_provider.updated'] },
      });
      const entries = ok(response).auditLog.edges.map((edge) => edge.node);
      if (entries.length < 2) throw new Error('not recorded yet');
      return { entries, raw: JSON.stringify(response) };
    });
    const updated = log.entries.find((entry) => entry.type === 'tenant.identity_provider.updated')!;
    expect(updated.sentence).toBe('Sign-in provider “GitHub” changed');
    expect(updated.changes.map((change) => change.field)).toContain('scopes');
    expect(updated.changes.map((change) => change.field)).not.toContain('clientSecret');
    expect(log.raw).not.toMatch(/sekrit|ciphertext|sealedClientSecret|connection|clientSecret/i);
  }, 120_000);
});
