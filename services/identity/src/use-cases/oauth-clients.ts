import { randomBytes } from 'node:crypto';
import { requireTenantAdmin, type Caller } from '@messngr/kit/auth';
import { newId, type Clock, type SecretBox, type TenantId } from '@messngr/kit/core';
import { BadUserInputError, DomainError, NotFoundError } from '@messngr/kit/errors';
import type { EventActor } from '@messngr/kit/events';
import { pageRequest, toPage, type Page } from '@messngr/kit/graphql';
import { checkClientSettings, type OAuthClientSettings, type SettingsInput } from '../domain/oauth-client';
import {
  oauthClientRegistered,
  oauthClientRemoved,
  oauthClientSecretRotated,
  oauthClientUpdated,
} from '../events/oauth-client-events-publisher';
import type { OAuthClientDocument } from '../persistence/oauth-client.model';
import type { OAuthClientRepository } from '../persistence/oauth-client.repository';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';
import type { SessionDependencies } from '../dependencies';
import { endSessionsOfClient, REVOCATION_PUBLISH_WAIT_MS } from './end-sessions';

export interface OAuthClientDependencies {
  oauthClients: OAuthClientRepository;
  tenants: Pick<TenantReplicaRepository, 'findCached'>;
  secretBox: SecretBox;
  clock: Clock;
}

/** 256 random bits, base64url, with a prefix that secret scanners and people recognise. */
const SECRET_PREFIX = 'mcs_';
const SECRET_BYTES = 32;

/** A client and, once only (registration of a confidential client, a rotation), its secret in clear. */
export interface ClientWithSecret {
  client: OAuthClientDocument;
  clientSecret: string | null;
}

export interface RegisterOAuthClientCommand extends SettingsInput {
  tenantId: TenantId;
  name: string;
}

/** registerOAuthClient: the tenant's administrators; a confidential client's secret is answered this once. */
export async function registerOAuthClient(
  deps: OAuthClientDependencies,
  caller: Caller,
  command: RegisterOAuthClientCommand,
): Promise<ClientWithSecret> {
  const admin = requireTenantAdmin(caller, command.tenantId);
  const settings = checked(checkClientSettings(command));
  if (!(await deps.tenants.findCached(command.tenantId))) throw new NotFoundError('Tenant');
  const now = deps.clock.now();
  const id = newId('cli', now.getTime());
  const clientSecret = settings.kind === 'CONFIDENTIAL' ? newSecret() : null;
  const client = {
    _id: id,
    tenantId: command.tenantId,
    ...settings,
    status: 'ACTIVE' as const,
    secret: clientSecret ? deps.secretBox.seal(clientSecret, secretBinding(command.tenantId, id)) : null,
    secretRotatedAt: clientSecret ? now : null,
    createdAt: now,
    updatedAt: now,
    removedAt: null,
  };
  const stored = await deps.oauthClients.insert(client, [oauthClientRegistered(client, actorOf(admin), now)]);
  return { client: stored, clientSecret };
}

/** What is omitted stays as it is; the kind never changes. */
export interface UpdateOAuthClientCommand extends Omit<SettingsInput, 'kind'> {
  tenantId: TenantId;
  clientId: string;
}

const SETTINGS_FIELDS = [
  'name',
  'applicationType',
  'firstParty',
  'redirectUris',
  'postLogoutRedirectUris',
  'grantTypes',
  'scopes',
] as const;

/** updateOAuthClient: the given settings laid over the current ones and checked whole; the kind never changes. */
export async function updateOAuthClient(
  deps: OAuthClientDependencies,
  caller: Caller,
  command: UpdateOAuthClientCommand,
): Promise<OAuthClientDocument> {
  const admin = requireTenantAdmin(caller, command.tenantId);
  const now = deps.clock.now();
  const updated = await deps.oauthClients.change(command.tenantId, command.clientId, (current) => {
    requireActive(current);
    const given = Object.fromEntries(
      SETTINGS_FIELDS.flatMap((field) => (command[field] == null ? [] : [[field, command[field]]])),
    );
    const next = checked(checkClientSettings({ ...settingsOf(current), ...given, kind: current.kind }));
    const changes = Object.fromEntries(
      SETTINGS_FIELDS.filter((field) => JSON.stringify(current[field]) !== JSON.stringify(next[field])).map((field) => [
        field,
        { before: current[field], after: next[field] },
      ]),
    );
    if (Object.keys(changes).length === 0) return undefined;
    const after = { ...current, ...next, updatedAt: now };
    return { changes: { ...next, updatedAt: now }, events: [oauthClientUpdated(after, changes, actorOf(admin), now)] };
  });
  if (!updated) throw new NotFoundError('OAuth client');
  return updated;
}

/** rotateOAuthClientSecret: a confidential client's new secret, answered this once; the previous one stops working at once. */
export async function rotateOAuthClientSecret(
  deps: OAuthClientDependencies,
  caller: Caller,
  command: { tenantId: TenantId; clientId: string },
): Promise<ClientWithSecret> {
  const admin = requireTenantAdmin(caller, command.tenantId);
  const now = deps.clock.now();
  const clientSecret = newSecret();
  const rotated = await deps.oauthClients.change(command.tenantId, command.clientId, (current) => {
    requireActive(current);
    if (current.kind !== 'CONFIDENTIAL') {
      throw new DomainError('OAUTH_CLIENT_HAS_NO_SECRET', 'Only a confidential client has a secret.', 409);
    }
    const secret = deps.secretBox.seal(clientSecret, secretBinding(current.tenantId, current._id));
    return {
      changes: { secret, secretRotatedAt: now, updatedAt: now },
      events: [oauthClientSecretRotated(current, actorOf(admin), now)],
    };
  });
  if (!rotated) throw new NotFoundError('OAuth client');
  return { client: rotated, clientSecret };
}

/**
 * removeOAuthClient: the client stops working; it is kept, without its secret, so its id is
 * never reused. Answered once its event is on the broker: the gateway refuses the client's
 * access tokens from the next request on. The sessions signed in to it end too (each with its
 * `identity.session.revoked`), so no refresh token of theirs works through any door.
 */
export async function removeOAuthClient(
  deps: OAuthClientDependencies & SessionDependencies,
  caller: Caller,
  command: { tenantId: TenantId; clientId: string },
): Promise<OAuthClientDocument> {
  const admin = requireTenantAdmin(caller, command.tenantId);
  const now = deps.clock.now();
  const removed = await deps.oauthClients.change(command.tenantId, command.clientId, (current) => {
    requireActive(current);
    return {
      changes: { status: 'REMOVED', secret: null, removedAt: now, updatedAt: now },
      events: [oauthClientRemoved(current, actorOf(admin), now)],
    };
  });
  if (!removed) throw new NotFoundError('OAuth client');
  const events = removed.pendingEvents.filter((event) => event.type === 'identity.oauth_client.removed').map((event) => event.id);
  if (events.length > 0) await deps.oauthClients.whenPublished(removed.tenantId, removed._id, events, REVOCATION_PUBLISH_WAIT_MS);
  // The sessions its users signed in to it end with it, whichever door would refresh them.
  await endSessionsOfClient(deps, removed.tenantId, removed._id, actorOf(admin), now);
  return removed;
}

/** oauthClients: a page of the tenant's active clients, oldest first, for its administrators. */
export async function listOAuthClients(
  deps: OAuthClientDependencies,
  caller: Caller,
  query: { tenantId: TenantId; first?: number | null; after?: string | null },
): Promise<Page<OAuthClientDocument>> {
  requireTenantAdmin(caller, query.tenantId);
  const page = pageRequest(query.first, query.after);
  const found = await deps.oauthClients.activeOf(query.tenantId, { first: page.limit + 1, after: page.after });
  return toPage(found, page.limit, (client) => client._id);
}

/** What a client's sealed secret is bound to: moved to another record, it does not open. */
export function secretBinding(tenantId: TenantId, clientId: string): string {
  return `oauth-client:${tenantId}:${clientId}`;
}

function settingsOf(client: OAuthClientDocument): OAuthClientSettings {
  const { name, kind, applicationType, firstParty, redirectUris, postLogoutRedirectUris, grantTypes, scopes } = client;
  return { name, kind, applicationType, firstParty, redirectUris, postLogoutRedirectUris, grantTypes, scopes };
}

function checked(result: ReturnType<typeof checkClientSettings>): OAuthClientSettings {
  if ('problem' in result) throw new BadUserInputError(result.problem, { field: result.field });
  return result.settings;
}

function requireActive(client: OAuthClientDocument): void {
  if (client.status !== 'ACTIVE') throw new NotFoundError('OAuth client');
}

function newSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

function actorOf(admin: { accountId: string; clientIp?: string; userAgent?: string }): EventActor {
  return { id: admin.accountId, type: 'tenant_admin', clientIp: admin.clientIp, userAgent: admin.userAgent };
}
