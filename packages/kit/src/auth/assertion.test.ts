import { AssertionSigner, AssertionVerifier } from './assertion';
import { asTenantId } from '../core/tenant-id';
import { generateSharedSecrets } from '../config/development-secrets';

describe('internal assertion', () => {
  const secrets = generateSharedSecrets();
  const caller = { accountId: 'acc_1', tenantId: asTenantId('ten_1'), sessionId: 'ses_1', roles: ['tenant_admin'] };

  it('carries the caller to the subgraph it names', async () => {
    const signer = await AssertionSigner.fromJwk(secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
    const verifier = await AssertionVerifier.fromJwk(secrets.GATEWAY_ASSERTION_PUBLIC_KEY, 'device');
    expect(await verifier.verify(await signer.sign(caller, 'device'))).toEqual(caller);
  });

  it('is refused by another subgraph, after expiry, and when signed by another key', async () => {
    const signer = await AssertionSigner.fromJwk(secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
    const verifier = await AssertionVerifier.fromJwk(secrets.GATEWAY_ASSERTION_PUBLIC_KEY, 'device');
    await expect(verifier.verify(await signer.sign(caller, 'identity'))).rejects.toThrow();
    const issuedLongAgo = await signer.sign(caller, 'device', Date.now() - 120_000);
    await expect(verifier.verify(issuedLongAgo)).rejects.toThrow();
    const stranger = await AssertionSigner.fromJwk(generateSharedSecrets().GATEWAY_ASSERTION_PRIVATE_KEY);
    await expect(verifier.verify(await stranger.sign(caller, 'device'))).rejects.toThrow();
  });

  it('takes an assertion it verified before without checking it again, until it expires', async () => {
    const signer = await AssertionSigner.fromJwk(secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
    const verifier = await AssertionVerifier.fromJwk(secrets.GATEWAY_ASSERTION_PUBLIC_KEY, 'device');
    const assertion = await signer.sign(caller, 'device');
    const first = await verifier.verify(assertion);
    first.roles.push('platform_admin');
    expect(await verifier.verify(assertion)).toEqual(caller);
    await expect(verifier.verify(assertion, new Date(Date.now() + 70_000))).rejects.toThrow();
    // A forged signature on a verified assertion's claims is a different token, checked afresh.
    const [header, payload] = assertion.split('.');
    await expect(verifier.verify(`${header}.${payload}.${'A'.repeat(86)}`)).rejects.toThrow();
  });

  it('reuses a fresh assertion for the same caller and audience, and never across callers', async () => {
    const signer = await AssertionSigner.fromJwk(secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
    const first = await signer.sign(caller, 'device');
    expect(await signer.sign(caller, 'device')).toBe(first);
    expect(await signer.sign({ ...caller, accountId: 'acc_2' }, 'device')).not.toBe(first);
    expect(await signer.sign({ ...caller, roles: [] }, 'device')).not.toBe(first);
  });
});
