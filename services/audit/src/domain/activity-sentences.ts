import type { EventType } from '@messngr/contracts';

export type FeedLanguage = 'en' | 'nb';

/** Reads a stored event's data defensively: entries outlive the contract version that wrote them. */
export interface DataReader {
  /** The text at a dotted path (`identity.displayValue`), or null. */
  text(path: string): string | null;
}

type Sentence = (data: DataReader) => string;

const PROVIDER_NAMES: Record<string, string> = {
  github: 'GitHub',
  google: 'Google',
  facebook: 'Facebook',
  microsoft: 'Microsoft',
  apple: 'Apple',
};

/** "GitHub (mikalv)", "email k***@example.com", "phone +47 ••• •• 567": what people recognise an identity by. */
function identityPhrase(data: DataReader, language: FeedLanguage): string {
  const badge = data.text('identity.badgeKey') ?? 'generic';
  const shown = masked(data.text('identity.displayValue') ?? '');
  if (badge === 'email') return `${language === 'nb' ? 'e-post' : 'email'} ${shown}`.trim();
  if (badge === 'phone') return `${language === 'nb' ? 'telefon' : 'phone'} ${shown}`.trim();
  const provider = PROVIDER_NAMES[badge] ?? (language === 'nb' ? 'innloggingstjeneste' : 'sign-in provider');
  return shown ? `${provider} (${shown})` : provider;
}

/**
 * Events carry identities masked already (`k***@example.com`); an address that arrives whole
 * (an older producer, a bug) is masked here too, so the feed never shows one.
 */
function masked(shown: string): string {
  const at = shown.indexOf('@');
  if (at <= 0 || shown.slice(0, at).includes('*')) return shown;
  return `${shown.charAt(0)}***${shown.slice(at)}`;
}

const named = (data: DataReader, path: string) => {
  const value = data.text(path);
  return value ? `“${value}”` : '(unnamed)';
};

/**
 * A sentence for every event type the system publishes, in English and Norwegian Bokmål. The
 * record is keyed by the contracts' closed list of types, so a new event type does not compile
 * until it has its sentences.
 */
export const ACTIVITY_SENTENCES: Record<EventType, Record<FeedLanguage, Sentence>> = {
  'tenant.tenant.created': {
    en: (d) => `Tenant ${named(d, 'tenant.name')} created`,
    nb: (d) => `Leietaker ${named(d, 'tenant.name')} opprettet`,
  },
  'tenant.tenant.updated': { en: () => 'Tenant settings changed', nb: () => 'Innstillingene for leietakeren ble endret' },
  'tenant.tenant.suspended': { en: () => 'Tenant suspended', nb: () => 'Leietakeren ble suspendert' },
  'tenant.tenant.reactivated': { en: () => 'Tenant reactivated', nb: () => 'Leietakeren ble aktivert igjen' },
  'tenant.tenant.policy_updated': { en: () => 'Sign-in policy changed', nb: () => 'Reglene for innlogging ble endret' },
  'tenant.tenant.default_provider_changed': {
    en: () => 'Default sign-in provider changed',
    nb: () => 'Standard innloggingstjeneste ble endret',
  },
  'tenant.identity_provider.registered': {
    en: (d) => `Sign-in provider ${named(d, 'identityProvider.displayName')} added`,
    nb: (d) => `Innloggingstjenesten ${named(d, 'identityProvider.displayName')} ble lagt til`,
  },
  'tenant.identity_provider.updated': {
    en: (d) => `Sign-in provider ${named(d, 'identityProvider.displayName')} changed`,
    nb: (d) => `Innloggingstjenesten ${named(d, 'identityProvider.displayName')} ble endret`,
  },
  'tenant.identity_provider.enabled': {
    en: (d) => `Sign-in provider ${named(d, 'identityProvider.displayName')} enabled`,
    nb: (d) => `Innloggingstjenesten ${named(d, 'identityProvider.displayName')} ble slått på`,
  },
  'tenant.identity_provider.disabled': {
    en: (d) => `Sign-in provider ${named(d, 'identityProvider.displayName')} disabled`,
    nb: (d) => `Innloggingstjenesten ${named(d, 'identityProvider.displayName')} ble slått av`,
  },
  'tenant.identity_provider.removed': {
    en: (d) => `Sign-in provider ${named(d, 'identityProvider.displayName')} removed`,
    nb: (d) => `Innloggingstjenesten ${named(d, 'identityProvider.displayName')} ble fjernet`,
  },
  'identity.account.created': { en: () => 'Account created', nb: () => 'Kontoen ble opprettet' },
  'identity.account.updated': { en: () => 'Profile changed', nb: () => 'Profilen ble endret' },
  'identity.account.disabled': { en: () => 'Account disabled', nb: () => 'Kontoen ble deaktivert' },
  'identity.account.enabled': { en: () => 'Account enabled again', nb: () => 'Kontoen ble aktivert igjen' },
  'identity.account.roles_changed': { en: () => 'Roles changed', nb: () => 'Rollene ble endret' },
  'identity.account.recovery_started': {
    en: (d) => (d.text('method') === 'OPERATOR' ? 'Support started recovering the account' : 'Signed in with a recovery code'),
    nb: (d) =>
      d.text('method') === 'OPERATOR'
        ? 'Kundestøtten startet gjenoppretting av kontoen'
        : 'Logget inn med en gjenopprettingskode',
  },
  'identity.session.started': {
    en: (d) => (d.text('device.name') ? `Signed in on ${d.text('device.name')}` : 'Signed in'),
    nb: (d) => (d.text('device.name') ? `Logget inn på ${d.text('device.name')}` : 'Logget inn'),
  },
  'identity.session.revoked': {
    en: (d) => (d.text('reason') === 'SIGNED_OUT' ? 'Signed out' : 'A session was ended'),
    nb: (d) => (d.text('reason') === 'SIGNED_OUT' ? 'Logget ut' : 'En økt ble avsluttet'),
  },
  'identity.login.locked_out': {
    en: () => 'Sign-in locked after too many wrong codes',
    nb: () => 'Innloggingen ble sperret etter for mange feil koder',
  },
  'identity.signing_keys.rotated': { en: () => 'Signing keys rotated', nb: () => 'Signeringsnøklene ble byttet' },
  'identity.identity.linked': {
    en: (d) => `Linked ${identityPhrase(d, 'en')}`,
    nb: (d) => `Koblet til ${identityPhrase(d, 'nb')}`,
  },
  'identity.identity.verified': {
    en: (d) => `Verified ${identityPhrase(d, 'en')}`,
    nb: (d) => `Bekreftet ${identityPhrase(d, 'nb')}`,
  },
  'identity.identity.removal_requested': {
    en: (d) => `Asked to remove ${identityPhrase(d, 'en')}`,
    nb: (d) => `Ba om å fjerne ${identityPhrase(d, 'nb')}`,
  },
  'identity.identity.removed': {
    en: (d) => `Removed ${identityPhrase(d, 'en')}`,
    nb: (d) => `Fjernet ${identityPhrase(d, 'nb')}`,
  },
  'identity.identity.revoked': {
    en: (d) => `Revoked ${identityPhrase(d, 'en')} identity`,
    nb: (d) => `Tilbakekalte identiteten ${identityPhrase(d, 'nb')}`,
  },
  'identity.oauth_client.registered': {
    en: (d) => `OAuth client ${named(d, 'client.name')} registered`,
    nb: (d) => `OAuth-klienten ${named(d, 'client.name')} ble registrert`,
  },
  'identity.oauth_client.updated': {
    en: (d) => `OAuth client ${named(d, 'client.name')} changed`,
    nb: (d) => `OAuth-klienten ${named(d, 'client.name')} ble endret`,
  },
  'identity.oauth_client.secret_rotated': {
    en: (d) => `Secret of OAuth client ${named(d, 'client.name')} replaced`,
    nb: (d) => `Hemmeligheten til OAuth-klienten ${named(d, 'client.name')} ble byttet`,
  },
  'identity.oauth_client.removed': {
    en: (d) => `OAuth client ${named(d, 'client.name')} removed`,
    nb: (d) => `OAuth-klienten ${named(d, 'client.name')} ble fjernet`,
  },
  'device.device.registered': {
    en: (d) => `Device ${named(d, 'device.name')} registered`,
    nb: (d) => `Enheten ${named(d, 'device.name')} ble registrert`,
  },
  'device.device.revoked': {
    en: (d) => `Device ${named(d, 'device.name')} revoked`,
    nb: (d) => `Enheten ${named(d, 'device.name')} ble tilbakekalt`,
  },
  'device.device.handshake_completed': {
    en: (d) => `Device ${named(d, 'device.name')} connected`,
    nb: (d) => `Enheten ${named(d, 'device.name')} koblet til`,
  },
  // The feed shows the device subgraph's handshake_completed for it; this is for anyone rendering the raw topic.
  'messaging.device.handshake_observed': {
    en: () => 'A device connected to the messaging service',
    nb: () => 'En enhet koblet til meldingstjenesten',
  },
};

export function dataReader(data: Record<string, unknown>): DataReader {
  return {
    text(path) {
      let value: unknown = data;
      for (const key of path.split('.')) {
        value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
      }
      return typeof value === 'string' && value.length > 0 ? value : null;
    },
  };
}
