import { EVENT_CONTRACTS, parseEnvelope, parseEventData, producerTopic, type EventEnvelope } from '@messngr/contracts';
import { eventually } from './harness/eventually';
import { useStack } from './harness/stack';
import { ok, tenantApi, unique } from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';

/**
 * Every event type the system publishes, caused through the API, read back from the real
 * broker by a plain consumer and parsed with its contract: what producers write is what
 * the catalogue promises consumers.
 */
describe('every published event parses with its contract', () => {
  const env = useStack();
  const reader = useTopicReader([producerTopic('tenant'), producerTopic('identity'), producerTopic('device')]);

  it('covers each type of the catalogue, one of each at least', async () => {
    const api = tenantApi(env);
    const tenant = ok(await api.createTenant({ name: unique('Contracts') })).createTenant.tenant;
    ok(await api.updateTenant({ id: tenant.id, name: unique('Contracts renamed') }));
    ok(await api.suspendTenant({ id: tenant.id, reason: 'contract test' }));
    ok(await api.reactivateTenant(tenant.id));
    ok(await api.updatePolicy({ tenantId: tenant.id, allowSignUp: false }));
    const provider = ok(
      await api.registerProvider({
        tenantId: tenant.id,
        kind: 'OAUTH2',
        displayName: 'GitHub',
        badgeKey: 'github',
        authorizationEndpoint: 'https://github.com/login/oauth/authorize',
        tokenEndpoint: 'https://github.com/login/oauth/access_token',
        userinfoEndpoint: 'https://api.github.com/user',
        clientId: 'Iv1.contracts',
        claimMapping: { subject: 'id', username: 'login' },
      }),
    ).registerIdentityProvider.identityProvider;
    ok(await api.updateProvider({ id: provider.id, displayName: 'GitHub (corporate)' }));
    ok(await api.disableProvider(provider.id));
    ok(await api.enableProvider(provider.id));
    ok(await api.setDefaultProvider({ tenantId: tenant.id, providerId: provider.id }));
    ok(await api.setDefaultProvider({ tenantId: tenant.id, providerId: tenant.defaultIdentityProvider.id }));
    ok(await api.removeProvider(provider.id));
    const account = await eventually(async () => {
      const response = await env.stack.graphql<{ createAccount: { account: { id: string } } }>(
        `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }`,
        { input: { tenantId: tenant.id, displayName: 'Contract Person' } },
        env.adminToken,
      );
      return ok(response).createAccount.account;
    });
    await eventually(async () => {
      const response = await env.stack.graphql(
        `mutation ($input: RegisterDeviceInput!) { registerDevice(input: $input) { device { id } } }`,
        { input: { accountId: account.id, name: 'Pixel 8', platform: 'ANDROID' } },
        env.adminToken,
      );
      ok(response);
    });

    // Other test files share the topics (some publish garbage on purpose): only this test's keys count.
    const ourKeys = new Set([tenant.id, account.id]);
    const ours = (event: EventEnvelope) => event.tenantid === tenant.id;
    const parsed = await eventually(
      async () => {
        const events = reader.messages
          .filter((message) => message.key !== null && ourKeys.has(message.key))
          .map((message) => parseEnvelope(JSON.parse(message.value)))
          .filter(ours);
        const types = new Set(events.map((event) => event.type));
        const missing = EVENT_CONTRACTS.map((contract) => contract.type).filter((type) => !types.has(type));
        if (missing.length > 0) throw new Error(`not seen yet: ${missing.join(', ')}`);
        return events;
      },
      { timeoutMs: 30_000 },
    );
    for (const event of parsed) {
      // Throws EventContractViolation, naming the path, if `data` fails the type's contract.
      const typed = parseEventData({ ...event, type: event.type as (typeof EVENT_CONTRACTS)[number]['type'] });
      expect(typed.data).toEqual(event.data);
      expect(event.sequence).toMatch(/^\d+$/);
    }
  });
});
