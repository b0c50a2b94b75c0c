import { createHash, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { Caller } from '@messngr/kit/auth';
import { newId, tenantIssuer, type TenantId } from '@messngr/kit/core';
import { ConflictError, DomainError, NotFoundError } from '@messngr/kit/errors';
import { PROVIDER_FLOW_TTL_MS, stateParameter } from '../domain/provider-flow';
import { isAllowedReturnUrl, policyOf, providerRefusal } from '../domain/tenant-rules';
import type { ProviderLoginDependencies } from '../dependencies';
import type { ProviderFlowDocument } from '../persistence/provider-flow.model';
import type { FlowChecks } from '../upstream/relying-party';
import { UpstreamFailure } from '../upstream/upstream-failure';
import { upstreamProviderOf } from './upstream-provider-lookup';

export interface StartProviderLoginCommand {
  tenantId: TenantId;
  providerId: string;
  returnTo: string;
}

export interface StartedProviderLogin {
  flow: ProviderFlowDocument;
  authorizeUrl: string;
  /** Shown once, to the client that started the flow: completeProviderLogin needs it (it is never in a URL). */
  completionSecret: string;
}

/**
 * Begins a sign-in through one of the tenant's upstream providers: a persisted flow holding
 * the state, nonce and PKCE verifier (sealed), and the provider's authorization URL with our
 * callback `{issuer}/callback` as redirect URI.
 */
export async function startProviderLogin(
  deps: ProviderLoginDependencies,
  caller: Caller,
  command: StartProviderLoginCommand,
): Promise<StartedProviderLogin> {
  const now = deps.clock.now();
  const tenant = await deps.tenants.findCached(command.tenantId);
  if (!tenant) throw new NotFoundError('Tenant');
  if (tenant.status !== 'ACTIVE') throw new ConflictError('TENANT_SUSPENDED', 'The tenant is suspended.');
  const provider = await upstreamProviderOf(deps.providers, tenant._id, command.providerId);
  if (!provider) throw new NotFoundError('Identity provider');
  const policy = policyOf(tenant);
  const refusal = providerRefusal(policy, provider);
  if (refusal)
    throw new ConflictError(
      refusal,
      refusal === 'PROVIDER_DISABLED' ? 'The provider is disabled.' : "The tenant's policy does not allow this provider.",
    );
  if (!isAllowedReturnUrl(policy, command.returnTo)) {
    throw new DomainError('RETURN_URL_NOT_ALLOWED', "returnTo is not one of the tenant's allowed return URLs.", 400, {
      field: 'returnTo',
    });
  }

  const id = newId('pfl', now.getTime());
  const checks: FlowChecks = {
    state: stateParameter(id, client.randomState()),
    nonce: provider.kind === 'OIDC' ? client.randomNonce() : null,
    codeVerifier: client.randomPKCECodeVerifier(),
  };
  const redirectUri = `${tenantIssuer(deps.publicUrl, tenant.slug)}/callback`;
  let authorizeUrl: string;
  try {
    authorizeUrl = await deps.relyingParty.authorizationUrl(provider, { redirectUri, checks });
  } catch (error) {
    const code = error instanceof UpstreamFailure ? error.code : 'UPSTREAM_UNAVAILABLE';
    throw new DomainError(code, 'The provider could not be prepared for sign-in; try again later.');
  }
  const completionSecret = randomBytes(32).toString('base64url');
  const flow = await deps.providerFlows.insert(
    {
      _id: id,
      tenantId: tenant._id,
      purpose: 'SIGN_IN',
      providerId: provider._id,
      state: 'STARTED',
      failure: null,
      returnTo: command.returnTo,
      redirectUri,
      checks: deps.secretBox.seal(JSON.stringify(checks), providerFlowChecksContext(id)),
      completionSecretHash: completionSecretHash(completionSecret),
      upstream: null,
      outcome: null,
      clientIp: caller.clientIp ?? null,
      userAgent: caller.userAgent ?? null,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + PROVIDER_FLOW_TTL_MS),
    },
    [],
  );
  return { flow, authorizeUrl, completionSecret };
}

export function providerFlowChecksContext(flowId: string): string {
  return `provider-flow-checks:${flowId}`;
}

export function completionSecretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
