import { randomBytes } from 'node:crypto';
import { producerTopic } from '@messngr/contracts';
import { eventually } from './harness/eventually';
import { useStack } from './harness/stack';
import { expectError, ok, tenantApi, tenantWithPeople, unique, waitForEvent, type TenantFixture } from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';

/**
 * The tenant aggregate through the gateway: creation with its defaults and slugs, changes,
 * suspension, who may read and change what, listing, and the events each change publishes.
 */
describe('tenants', () => {
  const env = useStack();
  const api = tenantApi(env);
  const reader = useTopicReader([producerTopic('tenant')]);
  /** A tenant with an admin and a member, and a second one whose admin is a stranger to the first. */
  let org: TenantFixture;
  let other: TenantFixture;

  beforeAll(async () => {
    [org, other] = await Promise.all([tenantWithPeople(env, api), tenantWithPeople(env, api)]);
  });

  describe('createTenant', () => {
    it('creates an active tenant with the documented defaults and one NATIVE default provider', async () => {
      const name = unique('Defaults AS');
      const tenant = ok(await api.createTenant({ name })).createTenant.tenant;

      expect(tenant.id).toMatch(/^ten_/);
      expect(tenant).toMatchObject({
        name,
        status: 'ACTIVE',
        locales: ['en'],
        defaultLocale: 'en',
        defaultTimezone: 'UTC',
        settings: {
          session: {
            cookieName: 'messngr_session',
            cookieDomain: null,
            sessionTtlSeconds: 1_209_600,
            refreshTokenAbsoluteLifetimeSeconds: 7_776_000,
          },
          metadata: {},
          suspensionReason: null,
        },
      });
      expect(tenant.identityProviders).toHaveLength(1);
      const native = tenant.identityProviders[0]!;
      expect(native).toMatchObject({
        tenantId: tenant.id,
        kind: 'NATIVE',
        displayName: 'Email or phone',
        badgeKey: 'email',
        enabled: true,
        isDefault: true,
        sharedDefinitionId: null,
      });
      expect(native.id).toMatch(/^idp_/);
      expect(tenant.defaultIdentityProvider).toEqual({ id: native.id, kind: 'NATIVE', isDefault: true });
      expect(Date.parse(tenant.createdAt)).not.toBeNaN();
    });

    it('keeps chosen locales, time zone, session settings and metadata', async () => {
      const name = unique('Chosen AS');
      const metadata = { plan: 'pro', seats: 25, pilot: true, note: null };
      const tenant = ok(
        await api.createTenant({
          name,
          locales: ['en', 'nb-NO'],
          defaultLocale: 'nb-NO',
          defaultTimezone: 'Europe/Oslo',
          session: {
            cookieName: 'fjord_sid',
            cookieDomain: 'chat.fjord.example',
            sessionTtlSeconds: 3600,
            refreshTokenAbsoluteLifetimeSeconds: 86_400,
          },
          metadata,
        }),
      ).createTenant.tenant;

      expect(tenant.defaultLocale).toBe('nb-NO');
      expect(tenant.locales[0]).toBe('nb-NO');
      expect([...tenant.locales].sort()).toEqual(['en', 'nb-NO']);
      expect(tenant.defaultTimezone).toBe('Europe/Oslo');
      expect(tenant.settings?.session).toEqual({
        cookieName: 'fjord_sid',
        cookieDomain: 'chat.fjord.example',
        sessionTtlSeconds: 3600,
        refreshTokenAbsoluteLifetimeSeconds: 86_400,
      });
      expect(tenant.settings?.metadata).toEqual(metadata);
    });

    it.each([
      ['Fjord Café', 'fjord-cafe'],
      ['Ærlig Øl', 'aerlig-ol'],
    ])('derives a lower-case transliterated slug from “%s”', async (name, slug) => {
      const suffix = randomBytes(3).toString('hex');
      const tenant = ok(await api.createTenant({ name: `${name} ${suffix}` })).createTenant.tenant;
      expect(tenant.slug).toBe(`${slug}-${suffix}`);
    });

    it('suffixes a colliding derived slug with -2, -3', async () => {
      const name = unique('Samme Navn');
      const base = name.toLowerCase().replace(/ /g, '-');
      const slugs: string[] = [];
      for (let i = 0; i < 3; i += 1) slugs.push(ok(await api.createTenant({ name })).createTenant.tenant.slug);
      expect(slugs).toEqual([base, `${base}-2`, `${base}-3`]);
    });

    it('refuses a chosen slug that is taken with SLUG_TAKEN', async () => {
      const response = await api.createTenant({ name: unique('Copycat AS'), slug: org.tenant.slug });
      expectError(response, 'SLUG_TAKEN');
      expect(response.data?.createTenant ?? null).toBeNull();
    });

    it.each(invalidTenantInputs())('refuses %s with BAD_USER_INPUT on %s', async (_label, field, input) => {
      const response = await api.createTenant({ name: unique('Invalid AS'), ...input });
      expectError(response, 'BAD_USER_INPUT', field);
    });

    it('is for platform admins only', async () => {
      const input = { name: unique('Not Allowed AS') };
      expectError(await api.createTenant(input, null), 'UNAUTHENTICATED');
      expectError(await api.createTenant(input, org.admin.token), 'FORBIDDEN');
      expectError(await api.createTenant(input, org.member.token), 'FORBIDDEN');
      expect(ok(await api.tenants({ filter: { text: input.name } })).tenants.edges).toEqual([]);
    });

    it('publishes tenant.tenant.created keyed by the tenant id', async () => {
      const event = await waitForEvent(reader, org.tenant.id, 'tenant.tenant.created');
      expect(event).toMatchObject({
        key: org.tenant.id,
        subject: org.tenant.id,
        tenantid: org.tenant.id,
        data: { tenant: { id: org.tenant.id, name: org.tenant.name, slug: org.tenant.slug, status: 'ACTIVE' } },
      });
    });
  });

  describe('updateTenant', () => {
    it('lets a tenant admin change fields and publishes only what changed', async () => {
      const { tenant, admin } = await tenantWithPeople(env, api);
      const name = unique('Renamed AS');
      const updated = ok(
        await api.updateTenant(
          // locales are sent unchanged: they must not appear among the changes
          { id: tenant.id, name, defaultTimezone: 'Europe/Oslo', locales: ['en'] },
          admin.token,
        ),
      ).updateTenant.tenant;

      expect(updated).toMatchObject({ id: tenant.id, name, defaultTimezone: 'Europe/Oslo', locales: ['en'], slug: tenant.slug });
      expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(tenant.updatedAt));
      expect(ok(await api.tenant(tenant.id)).tenant?.name).toBe(name);

      const event = await waitForEvent(reader, tenant.id, 'tenant.tenant.updated');
      expect(event).toMatchObject({
        key: tenant.id,
        subject: tenant.id,
        tenantid: tenant.id,
        data: { tenant: { id: tenant.id } },
      });
      expect(event.data['changes']).toEqual({
        name: { before: tenant.name, after: name },
        defaultTimezone: { before: 'UTC', after: 'Europe/Oslo' },
      });
    });

    it('changes slug, locales, session settings and metadata; the old slug no longer resolves', async () => {
      const tenant = ok(await api.createTenant({ name: unique('Moving AS'), metadata: { old: 'yes' } })).createTenant.tenant;
      const slug = `moved-${randomBytes(4).toString('hex')}`;
      const updated = ok(
        await api.updateTenant({
          id: tenant.id,
          slug,
          locales: ['nb-NO', 'en'],
          defaultLocale: 'nb-NO',
          session: { sessionTtlSeconds: 7200 },
          metadata: { region: 'north' },
        }),
      ).updateTenant.tenant;

      expect(updated).toMatchObject({ slug, defaultLocale: 'nb-NO', locales: ['nb-NO', 'en'] });
      // omitted session fields keep their value; metadata is replaced, not merged
      expect(updated.settings?.session).toMatchObject({
        sessionTtlSeconds: 7200,
        cookieName: 'messngr_session',
        refreshTokenAbsoluteLifetimeSeconds: 7_776_000,
      });
      expect(updated.settings?.metadata).toEqual({ region: 'north' });
      expect(ok(await api.tenantBySlug(slug, null)).tenantBySlug?.id).toBe(tenant.id);
      expect(ok(await api.tenantBySlug(tenant.slug, null)).tenantBySlug).toBeNull();

      const event = await waitForEvent(reader, tenant.id, 'tenant.tenant.updated');
      const changes = event.data['changes'] as Record<string, unknown>;
      expect(changes).toMatchObject({
        slug: { before: tenant.slug, after: slug },
        defaultLocale: { before: 'en', after: 'nb-NO' },
        metadata: { before: { old: 'yes' }, after: { region: 'north' } },
      });
      expect(Object.keys(changes)).not.toContain('name');
      expect(Object.keys(changes)).not.toContain('defaultTimezone');
    });

    it('refuses a slug another tenant has with SLUG_TAKEN', async () => {
      expectError(await api.updateTenant({ id: org.tenant.id, slug: other.tenant.slug }, org.admin.token), 'SLUG_TAKEN');
      expect(ok(await api.tenant(org.tenant.id)).tenant?.slug).toBe(org.tenant.slug);
    });

    it.each(invalidTenantInputs())('refuses %s with BAD_USER_INPUT on %s', async (_label, field, input) => {
      expectError(await api.updateTenant({ id: org.tenant.id, ...input }, org.admin.token), 'BAD_USER_INPUT', field);
    });

    it('refuses callers who do not administer the tenant, and leaves it unchanged', async () => {
      const input = { id: org.tenant.id, name: unique('Hijacked AS') };
      expectError(await api.updateTenant(input, null), 'UNAUTHENTICATED');
      expectError(await api.updateTenant(input, org.member.token), 'FORBIDDEN');
      expectError(await api.updateTenant(input, other.admin.token), 'FORBIDDEN');
      expect(ok(await api.tenant(org.tenant.id)).tenant?.name).toBe(org.tenant.name);
    });

    it('answers NOT_FOUND for a tenant that does not exist', async () => {
      expectError(await api.updateTenant({ id: 'ten_doesnotexist', name: 'Nobody AS' }), 'NOT_FOUND');
    });
  });

  describe('suspendTenant and reactivateTenant', () => {
    it('suspends with a reason, reactivates, refuses repeats, and publishes both', async () => {
      const tenant = ok(await api.createTenant({ name: unique('Suspended AS') })).createTenant.tenant;
      const reason = 'Unpaid invoice 2026-11';

      const suspended = ok(await api.suspendTenant({ id: tenant.id, reason })).suspendTenant.tenant;
      expect(suspended.status).toBe('SUSPENDED');
      expect(suspended.settings?.suspensionReason).toBe(reason);
      expectError(await api.suspendTenant({ id: tenant.id, reason: 'again' }), 'TENANT_ALREADY_SUSPENDED');
      expect(ok(await api.tenant(tenant.id)).tenant?.settings?.suspensionReason).toBe(reason);

      const reactivated = ok(await api.reactivateTenant(tenant.id)).reactivateTenant.tenant;
      expect(reactivated.status).toBe('ACTIVE');
      expect(reactivated.settings?.suspensionReason).toBeNull();
      expectError(await api.reactivateTenant(tenant.id), 'TENANT_NOT_SUSPENDED');
      // a later change, so that anything the refused repeats published would have arrived before it
      ok(await api.updateTenant({ id: tenant.id, defaultTimezone: 'Europe/Oslo' }));

      const suspendedEvent = await waitForEvent(reader, tenant.id, 'tenant.tenant.suspended');
      expect(suspendedEvent).toMatchObject({
        key: tenant.id,
        subject: tenant.id,
        tenantid: tenant.id,
        data: { tenant: { id: tenant.id } },
      });
      const reactivatedEvent = await waitForEvent(reader, tenant.id, 'tenant.tenant.reactivated');
      expect(reactivatedEvent).toMatchObject({ key: tenant.id, subject: tenant.id, data: { tenant: { id: tenant.id } } });
      await waitForEvent(reader, tenant.id, 'tenant.tenant.updated');
      // each refused repeat published nothing
      const lifecycle = reader.messages.filter(
        (m) => m.key === tenant.id && /tenant\.tenant\.(suspended|reactivated)/.test(m.value),
      );
      expect(lifecycle).toHaveLength(2);
    });

    it('stops and restarts account creation in the identity subgraph through the events', async () => {
      const { tenant } = await tenantWithPeople(env, api);
      const createAccount = () =>
        env.stack.graphql(
          `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }`,
          { input: { tenantId: tenant.id, displayName: 'Late Joiner', handle: `late_${randomBytes(4).toString('hex')}` } },
          env.adminToken,
        );

      ok(await api.suspendTenant({ id: tenant.id, reason: 'Security review' }));
      await eventually(async () => {
        const response = await createAccount();
        if (response.errors?.[0]?.extensions?.code !== 'TENANT_SUSPENDED') throw new Error(JSON.stringify(response));
      });

      ok(await api.reactivateTenant(tenant.id));
      const created = await eventually(async () => ok(await createAccount()));
      expect(created).toMatchObject({ createAccount: { account: { id: expect.stringMatching(/^acc_/) } } });
    });

    it('is for platform admins only: a tenant admin may not suspend or reactivate their own tenant', async () => {
      expectError(await api.suspendTenant({ id: org.tenant.id, reason: 'self' }, org.admin.token), 'FORBIDDEN');
      expectError(await api.suspendTenant({ id: org.tenant.id, reason: 'anon' }, null), 'UNAUTHENTICATED');
      expectError(await api.reactivateTenant(org.tenant.id, org.admin.token), 'FORBIDDEN');
      expect(ok(await api.tenant(org.tenant.id)).tenant?.status).toBe('ACTIVE');
    });

    it.each([
      ['an empty reason', ''],
      ['a reason over 500 characters', 'x'.repeat(501)],
    ])('refuses %s with BAD_USER_INPUT on reason', async (_label, reason) => {
      expectError(await api.suspendTenant({ id: org.tenant.id, reason }), 'BAD_USER_INPUT', 'reason');
    });

    it('answers NOT_FOUND for a tenant that does not exist', async () => {
      expectError(await api.suspendTenant({ id: 'ten_doesnotexist', reason: 'none' }), 'NOT_FOUND');
      expectError(await api.reactivateTenant('ten_doesnotexist'), 'NOT_FOUND');
    });
  });

  describe('tenant and tenantBySlug', () => {
    it('show settings to the platform admin and to the tenant’s own admin', async () => {
      for (const token of [env.adminToken, org.admin.token]) {
        const tenant = ok(await api.tenant(org.tenant.id, token)).tenant;
        expect(tenant?.settings?.session.cookieName).toBe('messngr_session');
        expect(tenant?.settings?.policy.allowedProviderKinds).toContain('NATIVE');
      }
    });

    it.each([
      ['an anonymous caller', () => null],
      ['a plain member', () => org.member.token],
      ['another tenant’s admin', () => other.admin.token],
    ])('show %s the public fields only', async (_label, token) => {
      const tenant = ok(await api.tenant(org.tenant.id, token())).tenant;
      expect(tenant).toMatchObject({
        id: org.tenant.id,
        name: org.tenant.name,
        slug: org.tenant.slug,
        locales: ['en'],
        settings: null,
      });
      expect(tenant?.identityProviders.map((p) => [p.kind, p.displayName, p.badgeKey])).toEqual([
        ['NATIVE', 'Email or phone', 'email'],
      ]);
    });

    it('serve login screens by slug without a token', async () => {
      const tenant = ok(await api.tenantBySlug(org.tenant.slug, null)).tenantBySlug;
      expect(tenant).toMatchObject({
        id: org.tenant.id,
        name: org.tenant.name,
        locales: ['en'],
        defaultLocale: 'en',
        settings: null,
      });
      expect(tenant?.defaultIdentityProvider.id).toBe(org.tenant.defaultIdentityProvider.id);
      expect(tenant?.identityProviders.every((p) => p.configuration === null)).toBe(true);
    });

    it('answer null for an id or slug that does not exist', async () => {
      expect(ok(await api.tenant('ten_doesnotexist')).tenant).toBeNull();
      expect(ok(await api.tenantBySlug(`nobody-${randomBytes(4).toString('hex')}`, null)).tenantBySlug).toBeNull();
    });
  });

  describe('tenants', () => {
    const marker = randomBytes(4).toString('hex');
    let listed: { id: string; name: string }[];

    beforeAll(async () => {
      listed = [];
      // one at a time: the list is oldest first
      for (const letter of ['A', 'B', 'C']) {
        listed.push(ok(await api.createTenant({ name: `Paging ${marker} ${letter}` })).createTenant.tenant);
      }
      ok(await api.suspendTenant({ id: listed[1]!.id, reason: 'paging test' }));
    });

    it('pages through the matching tenants, oldest first', async () => {
      const first = ok(await api.tenants({ first: 2, filter: { text: marker } })).tenants;
      expect(first.edges.map((edge) => edge.node.id)).toEqual([listed[0]!.id, listed[1]!.id]);
      expect(first.pageInfo.hasNextPage).toBe(true);
      expect(first.pageInfo.endCursor).toBe(first.edges[1]!.cursor);

      const second = ok(await api.tenants({ first: 2, after: first.pageInfo.endCursor, filter: { text: marker } })).tenants;
      expect(second.edges.map((edge) => edge.node.id)).toEqual([listed[2]!.id]);
      expect(second.pageInfo.hasNextPage).toBe(false);
    });

    it('filters by text in name or slug, case-insensitively', async () => {
      const byName = ok(await api.tenants({ filter: { text: `PAGING ${marker.toUpperCase()}` } })).tenants;
      expect(byName.edges.map((edge) => edge.node.id)).toEqual(listed.map((tenant) => tenant.id));

      const slugOnly = `so-${randomBytes(4).toString('hex')}`;
      const tenant = ok(await api.createTenant({ name: 'Slug Only Org', slug: slugOnly })).createTenant.tenant;
      const bySlug = ok(await api.tenants({ filter: { text: slugOnly.slice(3) } })).tenants;
      expect(bySlug.edges.map((edge) => edge.node.id)).toEqual([tenant.id]);
    });

    it('filters by status', async () => {
      const suspended = ok(await api.tenants({ filter: { status: 'SUSPENDED', text: marker } })).tenants;
      expect(suspended.edges.map((edge) => [edge.node.id, edge.node.status])).toEqual([[listed[1]!.id, 'SUSPENDED']]);
      const active = ok(await api.tenants({ filter: { status: 'ACTIVE', text: marker } })).tenants;
      expect(active.edges.map((edge) => edge.node.id)).toEqual([listed[0]!.id, listed[2]!.id]);
    });

    it('shows a tenant admin only their own tenant', async () => {
      const page = ok(await api.tenants({ first: 100 }, org.admin.token)).tenants;
      expect(page.edges.map((edge) => edge.node.id)).toEqual([org.tenant.id]);
      const filtered = ok(await api.tenants({ filter: { text: marker } }, org.admin.token)).tenants;
      expect(filtered.edges).toEqual([]);
    });

    it('is FORBIDDEN to plain members', async () => {
      expectError(await api.tenants({}, org.member.token), 'FORBIDDEN');
    });

    it('is UNAUTHENTICATED for anonymous callers', async () => {
      expectError(await api.tenants({}, null), 'UNAUTHENTICATED');
    });

    it.each([
      ['first: 0', 'first', { first: 0 }],
      ['first: 101', 'first', { first: 101 }],
      ['a cursor it did not issue', 'after', { after: 'not-a-cursor' }],
    ])('refuses %s with BAD_USER_INPUT on %s', async (_label, field, args) => {
      expectError(await api.tenants(args), 'BAD_USER_INPUT', field);
    });
  });
});

/** [label, field named in the error, input] for createTenant and updateTenant alike. */
function invalidTenantInputs(): [string, string, Record<string, unknown>][] {
  const manyKeys = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`key${i}`, i]));
  return [
    ['a one-letter name', 'name', { name: 'x' }],
    ['a name over 100 characters', 'name', { name: 'N'.repeat(101) }],
    ['a slug with spaces and capitals', 'slug', { slug: 'Not A Slug' }],
    ['a two-letter slug', 'slug', { slug: 'ab' }],
    ['the reserved slug platform', 'slug', { slug: 'platform' }],
    ['a locale that is not BCP 47', 'locales', { locales: ['xx_YY!'] }],
    ['no locales at all', 'locales', { locales: [] }],
    ['a default locale outside the locales', 'defaultLocale', { locales: ['en', 'nb-NO'], defaultLocale: 'de' }],
    ['a time zone that is not IANA', 'defaultTimezone', { defaultTimezone: 'Mars/Olympus' }],
    ['a session under 5 minutes', 'session.sessionTtlSeconds', { session: { sessionTtlSeconds: 299 } }],
    ['a session over 90 days', 'session.sessionTtlSeconds', { session: { sessionTtlSeconds: 7_776_001 } }],
    [
      'a refresh lifetime under an hour',
      'session.refreshTokenAbsoluteLifetimeSeconds',
      { session: { refreshTokenAbsoluteLifetimeSeconds: 3599 } },
    ],
    [
      'a refresh lifetime over 365 days',
      'session.refreshTokenAbsoluteLifetimeSeconds',
      { session: { refreshTokenAbsoluteLifetimeSeconds: 31_536_001 } },
    ],
    [
      'a refresh lifetime shorter than the session',
      'session.refreshTokenAbsoluteLifetimeSeconds',
      { session: { sessionTtlSeconds: 2_592_000, refreshTokenAbsoluteLifetimeSeconds: 604_800 } },
    ],
    ['a cookie name with a semicolon', 'session.cookieName', { session: { cookieName: 'sid;evil' } }],
    ['a cookie name over 64 characters', 'session.cookieName', { session: { cookieName: 'c'.repeat(65) } }],
    ['51 metadata keys', 'metadata', { metadata: manyKeys }],
    ['a metadata key over 64 characters', 'metadata', { metadata: { ['k'.repeat(65)]: 'v' } }],
    ['a nested metadata object', 'metadata', { metadata: { nested: { a: 1 } } }],
    ['a metadata array', 'metadata', { metadata: { list: [1, 2] } }],
  ];
}
