import { z } from 'zod';

const id = z.string().min(1).max(100);

/** Field-by-field changes: `{ before, after }`, or `{ changed: true }` for secret fields. */
export const fieldChangesSchema = z.record(
  z.string(),
  z.union([z.strictObject({ changed: z.literal(true) }), z.object({ before: z.unknown(), after: z.unknown() })]),
);

/** How long sessions of a tenant live (its session settings, as far as other services need them). */
export const sessionLifetimesSchema = z.object({
  sessionTtlSeconds: z.number().int().positive(),
  refreshTokenAbsoluteLifetimeSeconds: z.number().int().positive(),
});

/** The cookie web clients of a tenant receive their refresh token in (set and read by the gateway). */
export const sessionCookieSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  domain: z.string().min(1).max(253).nullable(),
});

export const tenantStateSchema = z.object({
  id,
  name: z.string().min(1),
  slug: z.string().min(1),
  status: z.enum(['ACTIVE', 'SUSPENDED']),
  /** Absent in events published before sessions existed. */
  sessionLifetimes: sessionLifetimesSchema.optional(),
  /** Absent in events published before web sessions existed. */
  sessionCookie: sessionCookieSchema.optional(),
});

export const tenantReferenceSchema = z.object({ id });

export const providerKindSchema = z.enum(['NATIVE', 'OIDC', 'OAUTH2']);

export const tenantPolicySchema = z.object({
  allowedProviderKinds: z.array(providerKindSchema),
  allowedProviderIds: z.array(id).nullable(),
  allowPersonalProviders: z.boolean(),
  allowPhoneIdentities: z.boolean(),
  allowSignUp: z.boolean(),
  /**
   * Where a browser may be sent back to after signing in or linking through an upstream
   * provider: exact absolute URLs. Absent in events published before provider sign-in.
   */
  allowedReturnUrls: z.array(z.string().min(1).max(2000)).max(20).optional(),
  /**
   * How recently, in seconds, a session must have authenticated before it may link or remove
   * an identity (step-up); the tenant subgraph keeps it within 60 to 86,400. Absent in events
   * published before step-up existed: read absent as `STARTING_TENANT_POLICY`'s 600.
   */
  reauthenticationMaxAgeSeconds: z.number().int().positive().optional(),
  /**
   * How many days the audit subgraph keeps the tenant's audit entries (1 to 3,650). Absent in
   * events published before retention existed: read absent as `STARTING_TENANT_POLICY`'s 365.
   */
  auditRetentionDays: z.number().int().positive().optional(),
  otpSendLimits: z.object({
    perIdentifierPerHour: z.number().int().positive(),
    perIpPerHour: z.number().int().positive(),
    perTenantPerHour: z.number().int().positive(),
  }),
});

export type TenantPolicyData = z.infer<typeof tenantPolicySchema>;

/** The public description of a provider: never endpoints' secrets, never the client secret. */
export const identityProviderSchema = z.object({
  id,
  /** null for shared definitions. */
  tenantId: id.nullable(),
  kind: providerKindSchema,
  displayName: z.string().min(1),
  badgeKey: z.string().min(1),
  enabled: z.boolean(),
  personal: z.boolean(),
});

/** An AES-256-GCM ciphertext as the kit's SecretBox seals it, with the id of the key that sealed it. */
export const sealedSecretSchema = z.object({
  keyId: z.string().min(1),
  iv: z.string().min(1),
  tag: z.string().min(1),
  ciphertext: z.string().min(1),
});

/** Which upstream claim (OIDC) or user field (OAuth 2.0) carries each value. */
export const claimMappingSchema = z.object({
  subject: z.string().min(1),
  email: z.string().nullable(),
  emailVerified: z.string().nullable(),
  name: z.string().nullable(),
  username: z.string().nullable(),
});

/**
 * How the identity subgraph talks to an upstream provider (OIDC or OAuth 2.0) as its relying
 * party. The client secret travels only sealed with the keys the tenant and identity
 * subgraphs share for this (`PROVIDER_SECRETS_KEYS`, associated data `idp-client-secret:<provider id>`):
 * other consumers see ciphertext.
 */
export const providerConnectionSchema = z.object({
  issuer: z.string().nullable(),
  useDiscovery: z.boolean(),
  authorizationEndpoint: z.string().nullable(),
  tokenEndpoint: z.string().nullable(),
  userinfoEndpoint: z.string().nullable(),
  jwksUri: z.string().nullable(),
  clientId: z.string().nullable(),
  sealedClientSecret: sealedSecretSchema.nullable(),
  scopes: z.array(z.string()),
  claimMapping: claimMappingSchema,
  pkceRequired: z.boolean(),
  /**
   * OIDC only (Google Workspace): when set, only people whose ID token carries `hd` equal to
   * this domain (lower-case) may sign in. Null when unrestricted; absent in events published
   * before it existed (read as null).
   */
  requiredHostedDomain: z.string().nullable().optional(),
});

export type ProviderConnectionData = z.infer<typeof providerConnectionSchema>;

/**
 * The associated data `connection.sealedClientSecret` is sealed with (under `PROVIDER_SECRETS_KEYS`):
 * it binds the ciphertext to its provider, so a secret copied into another provider's event does not open.
 */
export function providerSecretTransportContext(providerId: string): string {
  return `idp-client-secret:${providerId}`;
}

export const accountSchema = z.object({ id, tenantId: id, displayName: z.string().min(1), handle: z.string().min(1) });

export const deviceSchema = z.object({
  id,
  accountId: id,
  name: z.string().min(1),
  platform: z.enum(['IOS', 'ANDROID', 'WEB', 'DESKTOP']),
  registeredAt: z.iso.datetime({ offset: true }),
});

export const identityKindSchema = z.enum(['EMAIL', 'PHONE', 'OIDC', 'OAUTH2']);

export const accountReferenceSchema = z.object({ id, tenantId: id });

/** An identity as events carry it: what people see (masked for email and phone), never the value itself. */
export const identityViewSchema = z.object({
  id,
  kind: identityKindSchema,
  /** The upstream provider (OIDC, OAUTH2), or the tenant's NATIVE provider where known; null otherwise. */
  providerId: id.nullable(),
  /** The provider's badge (github, google…), `email` or `phone`. */
  badgeKey: z.string().min(1),
  displayValue: z.string(),
  verified: z.boolean(),
});

/** An account's profile as events carry it: never an identity's full value. */
export const accountProfileSchema = accountSchema.extend({
  preferredLocale: z.string().nullable(),
  timeZone: z.string().nullable(),
  status: z.enum(['ACTIVE', 'DISABLED']),
});

/** What a session is, as its events carry it: no token, no hash. */
export const sessionSchema = z.object({
  id,
  accountId: id,
  tenantId: id,
  /** How the session signed in: an identity's kind, or RECOVERY_CODE for a (restricted) recovery session. */
  identityKind: z.enum([...identityKindSchema.options, 'RECOVERY_CODE']),
  /** The identity used to sign in, masked for people (`k***@example.com`). */
  identityDisplay: z.string(),
  providerId: id.nullable(),
  authenticatedAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
});

/** An Ed25519 public key as a JWK (RFC 8037): its three public members, never `d`. */
export const devicePublicKeySchema = z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().length(43) });

/**
 * The device a client named at sign-in. `appVersion` and `publicKey` came later: absent from
 * the first events, and null when the client gave none.
 */
export const sessionDeviceSchema = z.object({
  id,
  name: z.string().min(1),
  platform: deviceSchema.shape.platform,
  appVersion: z.string().min(1).max(32).nullish(),
  publicKey: devicePublicKeySchema.nullish(),
});
export type SessionDevice = z.input<typeof sessionDeviceSchema>;

/**
 * What every tenant starts with; services that keep a copy of a tenant assume it until they hear
 * otherwise, and read a field absent from an older event as this policy's value.
 */
export const STARTING_TENANT_POLICY: Required<TenantPolicyData> = {
  allowedProviderKinds: ['NATIVE', 'OIDC', 'OAUTH2'],
  allowedProviderIds: null,
  allowPersonalProviders: true,
  allowPhoneIdentities: true,
  allowSignUp: true,
  allowedReturnUrls: [],
  reauthenticationMaxAgeSeconds: 600,
  auditRetentionDays: 365,
  otpSendLimits: { perIdentifierPerHour: 5, perIpPerHour: 20, perTenantPerHour: 1000 },
};

export const STARTING_SESSION_COOKIE: z.infer<typeof sessionCookieSchema> = { name: 'messngr_session', domain: null };

export const STARTING_SESSION_LIFETIMES: z.infer<typeof sessionLifetimesSchema> = {
  sessionTtlSeconds: 14 * 24 * 3600,
  refreshTokenAbsoluteLifetimeSeconds: 90 * 24 * 3600,
};
