import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { Caller } from '@messngr/kit/auth';
import { newId, tenantIssuer, type TenantId } from '@messngr/kit/core';
import { ConflictError, DomainError, NotFoundError } from '@messngr/kit/errors';
import { secretHash } from '../domain/flow-secrets';
import {
  bindingCookieName,
  isHostedPageReturn,
  PROVIDER_FLOW_TTL_MS,
  stateParameter,
  type ProviderFlowPurpose,
} from '../domain/provider-flow';
import { isAllowedReturnUrl, policyOf, providerRefusal } from '../domain/tenant-rules';
import type { ProviderLoginDependencies } from '../dependencies';
import type { FlowOwner } from '../persistence/login-flow.model';
import type { ProviderFlowDocument } from '../persistence/provider-flow.model';
import type { FlowChecks } from '../upstream/relying-party';
import { UpstreamFailure } from '../upstream/upstream-failure';
import { upstreamProviderOf } from './upstream-provider-lookup';

export interface BeginProviderFlowCommand {
  tenantId: TenantId;
  providerId: string;
  returnTo: string;
  purpose: ProviderFlowPurpose;
  owner: FlowOwner | null;
  /** Sign-in flows hand tokens to whoever proves this; the others need none. */
  completionSecretHash: string | null;
}

/** A cookie the gateway sets in the starting browser; only the tenant's callback receives it. */
export interface BrowserBinding {
  name: string;
  value: string;
  callbackPath: string;
  maxAgeSeconds: number;
}

export interface BegunProviderFlow {
  flow: ProviderFlowDocument;
  authorizeUrl: string;
  browserBinding: BrowserBinding;
}

/**
 * The start of every round trip through an upstream provider (sign-in, link, re-authentication):
 * a persisted flow holding the state, nonce and PKCE verifier (sealed), the provider's
 * authorization URL with our callback `{issuer}/callback` as redirect URI, and a cookie that
 * binds the flow to the browser starting it, so a callback carried to another browser (a
 * forged link, an account-linking CSRF) finds no flow of its own.
 */
export async function beginProviderFlow(
  deps: ProviderLoginDependencies,
  caller: Caller,
  command: BeginProviderFlowCommand,
): Promise<BegunProviderFlow> {
  const now = deps.clock.now();
  const tenant = await deps.tenants.findCached(command.tenantId);
  if (!tenant) throw new NotFoundError('Tenant');
  if (tenant.status !== 'ACTIVE') throw new ConflictError('TENANT_SUSPENDED', 'The tenant is suspended.');
  const provider = await upstreamProviderOf(deps.providers, tenant._id, command.providerId);
  if (!provider) throw new NotFoundError('Identity provider');
  const policy = policyOf(tenant);
  const refusal = providerRefusal(policy, provider);
  if (refusal) {
    throw new ConflictError(
      refusal,
      refusal === 'PROVIDER_DISABLED' ? 'The provider is disabled.' : "The tenant's policy does not allow this provider.",
    );
  }
  const issuer = tenantIssuer(deps.publicUrl, tenant.slug);
  if (!isAllowedReturnUrl(policy, command.returnTo) && !isHostedPageReturn(issuer, command.returnTo)) {
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
  const redirectUri = `${issuer}/callback`;
  let authorizeUrl: string;
  try {
    authorizeUrl = await deps.relyingParty.authorizationUrl(provider, { redirectUri, checks });
  } catch (error) {
    const code = error instanceof UpstreamFailure ? error.code : 'UPSTREAM_UNAVAILABLE';
    throw new DomainError(code, 'The provider could not be prepared for sign-in; try again later.');
  }
  const binding = randomBytes(32).toString('base64url');
  const flow = await deps.providerFlows.insert(
    {
      _id: id,
      tenantId: tenant._id,
      purpose: command.purpose,
      owner: command.owner,
      providerId: provider._id,
      state: 'STARTED',
      failure: null,
      returnTo: command.returnTo,
      redirectUri,
      checks: deps.secretBox.seal(JSON.stringify(checks), providerFlowChecksContext(id)),
      browserBindingHash: secretHash(binding),
      completionSecretHash: command.completionSecretHash,
      linkedIdentityId: null,
      upstream: null,
      outcome: null,
      clientIp: caller.clientIp ?? null,
      userAgent: caller.userAgent ?? null,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + PROVIDER_FLOW_TTL_MS),
    },
    [],
  );
  return {
    flow,
    authorizeUrl,
    browserBinding: {
      name: bindingCookieName(id),
      value: binding,
      callbackPath: new URL(redirectUri).pathname,
      maxAgeSeconds: PROVIDER_FLOW_TTL_MS / 1000,
    },
  };
}

export function providerFlowChecksContext(flowId: string): string {
  return `provider-flow-checks:${flowId}`;
}
