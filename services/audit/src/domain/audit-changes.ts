/** One changed field as the feed shows it: before and after as text, null where there was none. */
export interface AuditChange {
  field: string;
  before: string | null;
  after: string | null;
}

/**
 * The fields whose values may be shown, by name. Everything else an event's `changes` names is
 * left out: an allow-list, so a secret field added to an event later is not shown by default.
 */
const SHOWN_FIELDS = new Set([
  'displayName',
  'handle',
  'preferredLocale',
  'timeZone',
  'status',
  'name',
  'slug',
  'locales',
  'defaultLocale',
  'defaultTimezone',
  'roles',
  'enabled',
  'personal',
  'badgeKey',
  'kind',
  'issuer',
  'scopes',
  'pkceRequired',
  'useDiscovery',
  'authorizationEndpoint',
  'tokenEndpoint',
  'userinfoEndpoint',
  'jwksUri',
  'requiredHostedDomain',
  'allowedProviderKinds',
  'allowedProviderIds',
  'allowPersonalProviders',
  'allowPhoneIdentities',
  'allowSignUp',
  'allowedReturnUrls',
  'reauthenticationMaxAgeSeconds',
  'auditRetentionDays',
  'otpSendLimits',
  'sessionTtlSeconds',
  'refreshTokenAbsoluteLifetimeSeconds',
  'cookieName',
  'cookieDomain',
  'applicationType',
  'redirectUris',
  'postLogoutRedirectUris',
  'grantTypes',
]);

/** Even inside a shown field (an object value), keys like these are dropped. */
const SECRET_KEY = /secret|password|hash|token|code|connection|cipher|sealed|key$|nonce|verifier/i;

/**
 * The changes an event carries, for people: `data.changes` ({field: {before, after}}, where a
 * secret field is only `{changed: true}` and is left out), or the role sets of a roles change.
 */
export function auditChanges(type: string, data: Record<string, unknown>): AuditChange[] {
  if (type === 'identity.account.roles_changed') {
    return [{ field: 'roles', before: shown(data['before']), after: shown(data['after']) }];
  }
  const changes = data['changes'];
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) return [];
  const result: AuditChange[] = [];
  for (const [field, change] of Object.entries(changes as Record<string, unknown>)) {
    const leaf = field.split('.').at(-1) ?? field;
    if (!SHOWN_FIELDS.has(field) && !SHOWN_FIELDS.has(leaf)) continue;
    if (typeof change !== 'object' || change === null || !('before' in change || 'after' in change)) continue;
    const { before, after } = change as { before?: unknown; after?: unknown };
    result.push({ field, before: shown(before), after: shown(after) });
  }
  return result;
}

function shown(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  return JSON.stringify(withoutSecrets(value));
}

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !SECRET_KEY.test(key))
      .map(([key, inner]) => [key, withoutSecrets(inner)]),
  );
}
