import { deviceKey, devicesApi } from './harness/devices-api';
import { EVENT_CONTRACTS, parseEnvelope, parseEventData, producerTopic, type EventEnvelope } from '@messngr/contracts';
import { eventually } from './harness/eventually';
import { useMessagingBackend } from './harness/messaging-backend';
import { oauthClientsApi } from './harness/oauth-clients-api';
import { useStack } from './harness/stack';
import { providerSignInApi } from './harness/provider-sign-in';
import { selfServiceApi } from './harness/self-service-api';
import { signInApi } from './harness/sign-in';
import { ok, tenantApi, unique } from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';

/**
 * Every event type the system publishes, caused through the API, read back from the real
 * broker by a plain consumer and parsed with its contract: what producers write is what
 * the catalogue promises consumers.
 */
describe('every published event parses with its contract', () => {
  const env = useStack();
  const reader = useTopicReader([
    producerTopic('tenant'),
    producerTopic('identity'),
    producerTopic('device'),
    producerTopic('messaging'),
  ]);
  const messaging = useMessagingBackend();

  it('covers each type of the catalogue, one of each at least', async () => {
    const api = tenantApi(env);
    const tenant = ok(await api.createTenant({ name: unique('Contracts') })).createTenant.tenant;
    ok(await api.updateTenant({ id: tenant.id, name: unique('Contracts renamed') }));
    ok(await api.suspendTenant({ id: tenant.id, reason: 'contract test' }));
    ok(await api.reactivateTenant(tenant.id));
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
    await causeIdentityCoreEvents(tenant.id);
    await causeSelfServiceEvents(tenant.id);
    await causeOAuthClientEvents(tenant.id);
    // The messaging backend's one type, published as that backend would.
    await messaging.publishHandshake({ tenantId: tenant.id, accountId: account.id, deviceId: 'dev_contracts', at: new Date() });
    // Last: a tenant without sign-up sends no code to a new address.
    ok(await api.updatePolicy({ tenantId: tenant.id, allowSignUp: false }));

    // Other test files share the topics (some publish garbage on purpose): only this tenant's readable events count.
    const parsed = await eventually(
      async () => {
        const events = reader.messages
          .flatMap((message) => readable(message.value))
          .filter((event) => event.tenantid === tenant.id);
        const types = new Set(events.map((event) => event.type));
        const missing = EVENT_CONTRACTS.map((contract) => contract.type).filter((type) => !types.has(type));
        if (missing.length > 0) throw new Error(`not seen yet: ${missing.join(', ')}`);
        return events;
      },
      { timeoutMs: 30_000 },
    );
    for (const event of parsed) {
      expect(event.tenantid).toBe(tenant.id);
      // Throws EventContractViolation, naming the path, if `data` fails the type's contract.
      const typed = parseEventData({ ...event, type: event.type as (typeof EVENT_CONTRACTS)[number]['type'] });
      expect(typed.data).toEqual(event.data);
      // Our producers' outboxes number each aggregate's events; the messaging backend has none.
      if (!event.type.startsWith('messaging.')) expect(event.sequence).toMatch(/^\d+$/);
    }
  });

  /** A client of the tenant's authorization server registered, changed, given a new secret and removed. */
  async function causeOAuthClientEvents(tenantId: string): Promise<void> {
    const clients = oauthClientsApi(env.stack);
    const { client, clientSecret } = ok(
      await clients.register(env.adminToken, {
        tenantId,
        name: 'Contract partner',
        kind: 'CONFIDENTIAL',
        redirectUris: ['https://partner.example/callback'],
      }),
    ).registerOAuthClient;
    env.stack.handledSecrets.add(clientSecret!);
    const target = { tenantId, clientId: client.id };
    ok(await clients.update(env.adminToken, { ...target, name: 'Contract partner (renamed)' }));
    env.stack.handledSecrets.add(ok(await clients.rotateSecret(env.adminToken, target)).rotateOAuthClientSecret.clientSecret);
    ok(await clients.remove(env.adminToken, target));
  }

  /** Sign-in, profile, sign-out, a lockout, disabling and enabling, a key rotation: each event type of the identity core. */
  async function causeIdentityCoreEvents(tenantId: string): Promise<void> {
    const signIn = signInApi(env.stack);
    const email = `contracts.${Date.now()}@example.com`;
    const signedIn = await eventually(() => signIn.signIn(tenantId, { email }, { name: 'Pixel 8', platform: 'ANDROID' }));
    ok(
      await env.stack.graphql(
        `mutation { updateProfile(input: { displayName: "Contract Kari", timeZone: "Europe/Oslo" }) { account { id } } }`,
        {},
        signedIn.accessToken,
      ),
    );
    const devices = devicesApi(env.stack);
    const key = deviceKey();
    const device = ok(
      await devices.registerDevice(signedIn.accessToken, {
        name: 'Contract phone',
        platform: 'ANDROID',
        publicKey: key.publicJwk,
      }),
    ).registerDevice.device;
    const challenge = ok(await devices.startHandshake(signedIn.accessToken, device.id)).startDeviceHandshake;
    ok(
      await devices.completeHandshake(signedIn.accessToken, {
        deviceId: device.id,
        nonce: challenge.nonce,
        signature: key.sign(challenge.message),
      }),
    );
    ok(
      await env.stack.graphql(
        `mutation ($input: SetAccountRolesInput!) { setAccountRoles(input: $input) { account { id } } }`,
        { input: { tenantId, accountId: signedIn.account.id, roles: ['SUPPORT_AGENT'], reason: 'contract test' } },
        env.adminToken,
      ),
    );
    ok(await env.stack.graphql(`mutation { signOut(input: {}) { session { id } } }`, {}, signedIn.accessToken));
    for (let flow = 0; flow < 2; flow += 1) {
      const started = ok(await signIn.startLogin({ tenantId, email: `locked.${email}` })).startLogin.flow;
      for (let attempt = 0; attempt < 5; attempt += 1) await signIn.completeLogin({ flowId: started.id, code: '000000' });
    }
    const input = { tenantId, accountId: signedIn.account.id };
    ok(
      await env.stack.graphql(
        `mutation ($input: DisableAccountInput!) { disableAccount(input: $input) { account { id } } }`,
        { input: { ...input, reason: 'contract test' } },
        env.adminToken,
      ),
    );
    ok(
      await env.stack.graphql(
        `mutation ($input: EnableAccountInput!) { enableAccount(input: $input) { account { id } } }`,
        { input: { ...input, reason: 'contract test' } },
        env.adminToken,
      ),
    );
    ok(
      await env.stack.graphql(
        `mutation ($input: RotateSigningKeysInput!) { rotateSigningKeys(input: $input) { keys { kid } } }`,
        { input: { tenantId } },
        env.adminToken,
      ),
    );
  }

  /** Linking, removing and revoking identities, and recovery: each event type of account self-service. */
  async function causeSelfServiceEvents(tenantId: string): Promise<void> {
    const signIn = signInApi(env.stack);
    const self = selfServiceApi(env.stack, providerSignInApi(env));
    const person = await signIn.signIn(tenantId, { email: `self.${Date.now()}@example.com` });
    const link = async (address: string) => {
      const since = env.stack.mailbox.messages.length;
      const started = ok(await self.startIdentityLink(person.accessToken, { method: 'EMAIL', email: address })).startIdentityLink;
      const { code } = await signIn.codeFor(address, since);
      return ok(await self.verifyIdentityLinkCode(person.accessToken, started.flow.id, code)).verifyIdentityLinkCode.identity;
    };
    const removable = await link(`removable.${Date.now()}@example.com`);
    const request = ok(await self.requestIdentityRemoval(person.accessToken, removable.id)).requestIdentityRemoval;
    ok(await self.confirmIdentityRemoval(person.accessToken, request.removal.id, request.confirmation));
    const compromised = await link(`compromised.${Date.now()}@example.com`);
    ok(await self.revokeIdentity(person.accessToken, { identityId: compromised.id, reason: 'contract test' }));
    const codes = ok(await self.generateRecoveryCodes(person.accessToken)).generateRecoveryCodes.codes;
    const handle = ok(await env.stack.graphql<{ me: { handle: string } }>('{ me { handle } }', {}, person.accessToken)).me.handle;
    ok(await self.signInWithRecoveryCode({ tenantId, handle, code: codes[0] ?? '' }));
  }
});

function readable(value: string): EventEnvelope[] {
  try {
    return [parseEnvelope(JSON.parse(value))];
  } catch {
    return [];
  }
}
