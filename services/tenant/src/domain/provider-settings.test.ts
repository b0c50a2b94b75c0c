import { nativeProvider } from './identity-provider';
import { checkedProviderSettings, EMPTY_SETTINGS, type ProviderSettingsInput } from './provider-settings';

const tenantProvider = { allowInsecureLoopback: false, credentialsRequired: true };
const sharedDefinition = { allowInsecureLoopback: false, credentialsRequired: false };

const OIDC: ProviderSettingsInput = {
  kind: 'OIDC',
  displayName: 'Google Workspace',
  issuer: 'https://accounts.google.com',
  clientId: 'tenant-client',
};
const OAUTH2: ProviderSettingsInput = {
  kind: 'OAUTH2',
  displayName: 'GitHub',
  authorizationEndpoint: 'https://github.com/login/oauth/authorize',
  tokenEndpoint: 'https://github.com/login/oauth/access_token',
  userinfoEndpoint: 'https://api.github.com/user',
  clientId: 'tenant-client',
  claimMapping: { subject: 'id' },
};

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('accepted');
}

const onHostedDomain = expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'requiredHostedDomain' } });

describe('a provider’s required hosted domain', () => {
  it('is none unless given', () => {
    expect(checkedProviderSettings(EMPTY_SETTINGS, OIDC, tenantProvider).requiredHostedDomain).toBeNull();
  });

  it('is kept lower-cased on a tenant’s OIDC provider', () => {
    const settings = checkedProviderSettings(EMPTY_SETTINGS, { ...OIDC, requiredHostedDomain: ' Example.COM ' }, tenantProvider);
    expect(settings.requiredHostedDomain).toBe('example.com');
  });

  it('stays when an update omits it, and is cleared by null or an empty string', () => {
    const base = checkedProviderSettings(EMPTY_SETTINGS, { ...OIDC, requiredHostedDomain: 'example.com' }, tenantProvider);
    expect(checkedProviderSettings(base, { displayName: 'Renamed' }, tenantProvider).requiredHostedDomain).toBe('example.com');
    expect(checkedProviderSettings(base, { requiredHostedDomain: null }, tenantProvider).requiredHostedDomain).toBeNull();
    expect(checkedProviderSettings(base, { requiredHostedDomain: '' }, tenantProvider).requiredHostedDomain).toBeNull();
    expect(checkedProviderSettings(base, { requiredHostedDomain: 'other.example' }, tenantProvider).requiredHostedDomain).toBe(
      'other.example',
    );
  });

  it('reads as none on a provider stored before it existed', () => {
    const { requiredHostedDomain: _absent, ...older } = {
      ...nativeProvider('idp_old', new Date()),
      ...checkedProviderSettings(EMPTY_SETTINGS, OIDC, tenantProvider),
    };
    expect(checkedProviderSettings(older, { displayName: 'Renamed' }, tenantProvider).requiredHostedDomain).toBeNull();
  });

  it('is refused on OAUTH2 and NATIVE providers', () => {
    expect(
      refusal(() => checkedProviderSettings(EMPTY_SETTINGS, { ...OAUTH2, requiredHostedDomain: 'example.com' }, tenantProvider)),
    ).toEqual(onHostedDomain);
    const native = { kind: 'NATIVE' as const, displayName: 'Codes', requiredHostedDomain: 'example.com' };
    expect(refusal(() => checkedProviderSettings(EMPTY_SETTINGS, native, tenantProvider))).toEqual(onHostedDomain);
    // Null is fine anywhere: it restricts nothing.
    expect(
      checkedProviderSettings(EMPTY_SETTINGS, { ...OAUTH2, requiredHostedDomain: null }, tenantProvider).requiredHostedDomain,
    ).toBeNull();
  });

  it('is refused on a shared definition: each tenant’s copy names its own', () => {
    const definition = { ...OIDC, clientId: null, requiredHostedDomain: 'example.com' };
    expect(refusal(() => checkedProviderSettings(EMPTY_SETTINGS, definition, sharedDefinition))).toEqual(onHostedDomain);
  });

  it('is refused when it is not a DNS name', () => {
    for (const domain of ['localhost', 'https://example.com', 'someone@example.com', 'example.com.', '10.0.0.1']) {
      const input = { ...OIDC, requiredHostedDomain: domain };
      expect(refusal(() => checkedProviderSettings(EMPTY_SETTINGS, input, tenantProvider))).toEqual(onHostedDomain);
    }
  });
});
