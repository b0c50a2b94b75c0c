import { hkdfSync } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { providerSecretTransportContext } from '@messngr/contracts';
import { SecretBox, type Clock, type EncryptionKey } from '@messngr/kit/core';
import { createOutboundFetch } from '@messngr/kit/http';
import type { OutboxRegistry } from '@messngr/kit/events';
import type { Logger } from '@messngr/kit/logging';
import type { ServiceMetrics } from '@messngr/kit/metrics';
import type { BackgroundWorker } from '@messngr/kit/subgraph';
import type { IdentityConfig } from './config';
import { createCodeDelivery } from './delivery/code-delivery';
import { identityMetrics, UNCOUNTED, type IdentityMetrics } from './identity-metrics';
import { createSmtpEmailSender } from './delivery/email-sender';
import { createHttpSmsSender } from './delivery/sms-sender';
import { accountModel } from './persistence/account.model';
import { AccountRepository } from './persistence/account.repository';
import { identityClaimModel } from './persistence/identity-claim.model';
import { identityRemovalModel } from './persistence/identity-removal.model';
import { IdentityRemovalRepository } from './persistence/identity-removal.repository';
import { IdentityClaimRepository } from './persistence/identity-claim.repository';
import { loginFlowModel } from './persistence/login-flow.model';
import { LoginFlowRepository } from './persistence/login-flow.repository';
import { loginLockoutModel } from './persistence/login-lockout.model';
import { LoginLockoutRepository } from './persistence/login-lockout.repository';
import { sendSlotModel } from './persistence/send-slot.model';
import { SendSlotRepository } from './persistence/send-slot.repository';
import { sessionModel } from './persistence/session.model';
import { SessionRepository } from './persistence/session.repository';
import { signingKeyringModel } from './persistence/signing-keyring.model';
import { providerFlowModel } from './persistence/provider-flow.model';
import { ProviderFlowRepository } from './persistence/provider-flow.repository';
import { tenantReplicaModel } from './persistence/tenant-replica.model';
import { TenantReplicaRepository } from './persistence/tenant-replica.repository';
import { upstreamProviderModel } from './persistence/upstream-provider.model';
import { UpstreamProviderRepository } from './persistence/upstream-provider.repository';
import { AccessTokenIssuer } from './tokens/access-token-issuer';
import { SigningKeys } from './tokens/signing-keys';
import { LoginCodeCourier } from './use-cases/login-code-courier';
import { sendSlotSweep } from './use-cases/send-slot-sweep';
import { oauthClientModel } from './persistence/oauth-client.model';
import { OAuthClientRepository } from './persistence/oauth-client.repository';
import { RelyingParty } from './upstream/relying-party';
import { signingKeySchedule } from './use-cases/signing-key-schedule';
import { authorizationRecordModel, type AuthorizationRecordDocument } from './persistence/authorization-record.model';
import { browserSignInModel } from './persistence/browser-sign-in.model';
import { BrowserSignInRepository } from './persistence/browser-sign-in.repository';

export interface IdentityDependencies {
  accounts: AccountRepository;
  claims: IdentityClaimRepository;
  tenants: TenantReplicaRepository;
  keys: SigningKeys;
  tokens: AccessTokenIssuer;
  sessions: SessionRepository;
  loginFlows: LoginFlowRepository;
  lockouts: LoginLockoutRepository;
  sendSlots: SendSlotRepository;
  secretBox: SecretBox;
  /** The HMAC key of one-time codes, derived from the active encryption key. */
  otpKey: Buffer;
  /** HMAC keys of recovery codes, one derived from each encryption key by its id; `active` makes new sets. */
  recoveryKeys: { active: string; byId: ReadonlyMap<string, Buffer> };
  identityRemovals: IdentityRemovalRepository;
  oauthClients: OAuthClientRepository;
  courier: LoginCodeCourier;
  keySchedule: BackgroundWorker;
  sendSlotSweep: BackgroundWorker;
  accessTokenTtlSeconds: number;
  /** The tenant's upstream providers, from the tenant subgraph's events. */
  providers: UpstreamProviderRepository;
  providerFlows: ProviderFlowRepository;
  relyingParty: RelyingParty;
  /** Where the gateway is reached from outside: issuers and callback URLs are under it. */
  publicUrl: string;
  /** Sign-ins on the hosted pages, which the browser session cookie stands for. */
  browserSignIns: BrowserSignInRepository;
  /** What each tenant's OAuth 2.0 / OpenID Connect provider keeps (authorization-server/store-adapter.ts). */
  authorizationRecords: Model<AuthorizationRecordDocument>;
  /** Keys that sign the providers' cookies (newest first), and whether the cookies are Secure. */
  providerCookies: { keys: string[]; secure: boolean };
  /** Keys the hosted pages' CSRF tokens are made with. */
  hostedPageCsrfKey: Buffer;
  logger: Logger;
  metrics: IdentityMetrics;
  clock: Clock;
}

/** What the session use-cases need; every door that signs people in goes through these. */
export type SessionDependencies = Pick<
  IdentityDependencies,
  'sessions' | 'tenants' | 'tokens' | 'secretBox' | 'accessTokenTtlSeconds' | 'clock'
>;

/** What sign-in by one-time code needs. */
export type LoginDependencies = SessionDependencies &
  Pick<IdentityDependencies, 'accounts' | 'claims' | 'loginFlows' | 'lockouts' | 'sendSlots' | 'otpKey' | 'courier'>;

/** What sign-in through an upstream provider needs. */
export type ProviderLoginDependencies = SessionDependencies &
  Pick<IdentityDependencies, 'accounts' | 'claims' | 'providers' | 'providerFlows' | 'relyingParty' | 'publicUrl' | 'metrics'>;

/** Wires repositories and token machinery on a connection; shared by the subgraph and the operator CLI. */
export function createIdentityDependencies(
  runtime: { connection: Connection; clock: Clock; outboxes: OutboxRegistry; logger: Logger; metrics?: ServiceMetrics },
  config: IdentityConfig,
): IdentityDependencies {
  const { connection, outboxes, clock } = runtime;
  const secretBox = new SecretBox(config.encryptionKeys);
  const tenants = new TenantReplicaRepository(tenantReplicaModel(connection));
  const sendSlots = new SendSlotRepository(sendSlotModel(connection));
  const keys = new SigningKeys(signingKeyringModel(connection), secretBox, clock, outboxes, {
    overlapMs: config.signingKeyOverlapSeconds * 1000,
    // Past the longest token's life, with room for clock skew.
    retainMs: (config.accessTokenTtlSeconds + 300) * 1000,
  });
  const loginFlows = new LoginFlowRepository(loginFlowModel(connection), outboxes);
  const delivery = createCodeDelivery({
    email: createSmtpEmailSender({ url: config.delivery.smtpUrl, from: config.delivery.mailFrom }),
    sms: createHttpSmsSender({ url: config.delivery.smsGatewayUrl, token: config.delivery.smsGatewayToken }),
  });
  const metrics = runtime.metrics ? identityMetrics(runtime.metrics) : UNCOUNTED;
  return {
    accounts: new AccountRepository(accountModel(connection), outboxes),
    claims: new IdentityClaimRepository(identityClaimModel(connection)),
    tenants,
    keys,
    tokens: new AccessTokenIssuer({
      keys,
      tenants,
      clock,
      publicUrl: config.publicUrl,
      audience: config.accessTokenAudience,
      ttlSeconds: config.accessTokenTtlSeconds,
    }),
    sessions: new SessionRepository(sessionModel(connection), outboxes),
    oauthClients: new OAuthClientRepository(oauthClientModel(connection), outboxes),
    loginFlows,
    lockouts: new LoginLockoutRepository(loginLockoutModel(connection), outboxes),
    sendSlots,
    secretBox,
    otpKey: keyFor(config.encryptionKeys, 'messngr one-time codes v1'),
    recoveryKeys: {
      active: config.encryptionKeys[0]?.id ?? '',
      byId: new Map(config.encryptionKeys.map((key) => [key.id, keyFor([key], 'messngr recovery codes v1')])),
    },
    identityRemovals: new IdentityRemovalRepository(identityRemovalModel(connection), outboxes),
    courier: new LoginCodeCourier({ loginFlows, tenants, delivery, secretBox, logger: runtime.logger, metrics }),
    keySchedule: signingKeySchedule({
      keys,
      clock,
      rotateAfterMs: config.signingKeyRotationDays * 86_400_000,
      logger: runtime.logger,
    }),
    sendSlotSweep: sendSlotSweep({ sendSlots, clock, logger: runtime.logger }),
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    providers: new UpstreamProviderRepository(upstreamProviderModel(connection)),
    providerFlows: new ProviderFlowRepository(providerFlowModel(connection), outboxes),
    relyingParty: new RelyingParty({
      fetch: createOutboundFetch({ httpsOnly: config.production, allowedNetworks: config.outboundAllowedNetworks }),
      providerSecrets: new SecretBox(config.providerSecretsKeys),
      secretContext: providerSecretTransportContext,
    }),
    publicUrl: config.publicUrl,
    browserSignIns: new BrowserSignInRepository(browserSignInModel(connection), outboxes),
    hostedPageCsrfKey: keyFor(config.encryptionKeys, 'messngr hosted page csrf v1'),
    authorizationRecords: authorizationRecordModel(connection),
    providerCookies: {
      keys: config.encryptionKeys.map((key) => keyFor([key], 'messngr provider cookies v1').toString('base64url')),
      // Secure outside loopback development: the public URL is https there.
      secure: new URL(config.publicUrl).protocol === 'https:',
    },
    logger: runtime.logger,
    metrics,
    clock,
  };
}

/** A key of its own for each kind of code, so the encryption key is used for one purpose only. */
function keyFor(keys: EncryptionKey[], purpose: string): Buffer {
  const [active] = keys;
  if (!active) throw new Error('no encryption key');
  return Buffer.from(hkdfSync('sha256', active.key, Buffer.alloc(0), purpose, 32));
}
