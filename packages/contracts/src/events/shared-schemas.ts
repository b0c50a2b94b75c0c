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

export const accountSchema = z.object({ id, tenantId: id, displayName: z.string().min(1), handle: z.string().min(1) });

export const deviceSchema = z.object({
  id,
  accountId: id,
  name: z.string().min(1),
  platform: z.enum(['IOS', 'ANDROID', 'WEB', 'DESKTOP']),
  registeredAt: z.iso.datetime({ offset: true }),
});

export const identityKindSchema = z.enum(['EMAIL', 'PHONE', 'OIDC', 'OAUTH2']);

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
  identityKind: identityKindSchema,
  /** The identity used to sign in, masked for people (`k***@example.com`). */
  identityDisplay: z.string(),
  providerId: id.nullable(),
  authenticatedAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
});

export const sessionDeviceSchema = z.object({ id, name: z.string().min(1), platform: deviceSchema.shape.platform });

/** What every tenant starts with; services that keep a copy of a tenant assume it until they hear otherwise. */
export const STARTING_TENANT_POLICY: TenantPolicyData = {
  allowedProviderKinds: ['NATIVE', 'OIDC', 'OAUTH2'],
  allowedProviderIds: null,
  allowPersonalProviders: true,
  allowPhoneIdentities: true,
  allowSignUp: true,
  otpSendLimits: { perIdentifierPerHour: 5, perIpPerHour: 20, perTenantPerHour: 1000 },
};

export const STARTING_SESSION_COOKIE: z.infer<typeof sessionCookieSchema> = { name: 'messngr_session', domain: null };

export const STARTING_SESSION_LIFETIMES: z.infer<typeof sessionLifetimesSchema> = {
  sessionTtlSeconds: 14 * 24 * 3600,
  refreshTokenAbsoluteLifetimeSeconds: 90 * 24 * 3600,
};
