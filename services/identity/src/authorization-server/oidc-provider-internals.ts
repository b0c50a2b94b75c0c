// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the helpers' types must reach every program that compiles this file
/// <reference path="./oidc-provider-helpers.d.ts" />
import type { AuthorizationCode, DeviceCode, Grant, KoaContextWithOIDC, Provider } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { issueIdToken as issueIdTokenOf, validateAccount } from 'oidc-provider/lib/helpers/grant_common.js';
import { findGrantSource, validateGrant } from 'oidc-provider/lib/helpers/grant_source.js';
import checkPKCE from 'oidc-provider/lib/helpers/pkce.js';
import revoke from 'oidc-provider/lib/helpers/revoke.js';
import presence from 'oidc-provider/lib/helpers/validate_presence.js';

/*
 * The few oidc-provider helpers the token endpoint's grants are built from, the same ones its
 * own grant handlers use, typed in one place. They are not its public API: the version is
 * pinned in package.json, and the end-to-end tests of the token endpoint cover each of them.
 */

export const { InvalidGrant } = errors;

export function requireParameters(ctx: KoaContextWithOIDC, ...names: string[]): void {
  presence(ctx, ...names);
}

/** The code, of this client (`invalid_grant` "client mismatch" otherwise); expired ones too, checked by the caller. */
export async function findAuthorizationCode(
  provider: Provider,
  ctx: KoaContextWithOIDC,
  value: string,
): Promise<AuthorizationCode> {
  return (await findGrantSource(provider, ctx, provider.AuthorizationCode, value, 'authorization code')) as AuthorizationCode;
}

/** The grant, unexpired and of this client. */
export async function findValidGrant(provider: Provider, ctx: KoaContextWithOIDC, grantId: string | undefined): Promise<Grant> {
  return (await validateGrant(provider, ctx, grantId)) as Grant;
}

/** RFC 7636 with S256, the only method accepted; `invalid_grant` when the verifier does not match. */
export function verifyPkce(verifier: unknown, challenge: unknown, method: unknown): void {
  checkPKCE(verifier, challenge, method);
}

/** Revokes the grant and everything issued from it (the adapter's hooks end its sessions). */
export function revokeGrant(ctx: KoaContextWithOIDC, grantId: string | undefined): Promise<void> {
  return revoke(ctx, grantId);
}

/** Loads the code's account into the context (claims come from it), as oidc-provider's own grants do. */
export async function loadAccount(
  provider: Provider,
  ctx: KoaContextWithOIDC,
  code: AuthorizationCode | DeviceCode,
): Promise<void> {
  const account = await validateAccount(provider, ctx, code, 'code');
  ctx.oidc.entity('Account', account);
}

/** The ID token for a code or device code, signed with the provider's key (the tenant's active signing key). */
export function issueIdToken(
  provider: Provider,
  ctx: KoaContextWithOIDC,
  code: AuthorizationCode | DeviceCode,
  grant: Grant,
): Promise<string | undefined> {
  return issueIdTokenOf(provider, ctx, code, {}, grant);
}
