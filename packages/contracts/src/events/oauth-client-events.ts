import { z } from 'zod';
import { defineEvent } from '../event-contract';
import { fieldChangesSchema } from './shared-schemas';

/** A client of a tenant's authorization server as events carry it: its settings, never its secret. */
export const oauthClientSchema = z.object({
  id: z.string().min(1).max(100).describe('The client id (`client_id`).'),
  tenantId: z.string().min(1).max(100),
  name: z.string().min(1),
  kind: z.enum(['PUBLIC', 'CONFIDENTIAL', 'DEVICE']),
  applicationType: z.enum(['WEB', 'NATIVE']),
  firstParty: z
    .boolean()
    .default(false)
    .describe('Made by the tenant itself: no consent page. False on events from before the field existed.'),
  redirectUris: z.array(z.string()),
  postLogoutRedirectUris: z.array(z.string()),
  grantTypes: z.array(z.enum(['AUTHORIZATION_CODE', 'REFRESH_TOKEN', 'CLIENT_CREDENTIALS', 'DEVICE_CODE'])),
  scopes: z.array(z.string()),
});

export const OAuthClientRegistered = defineEvent({
  type: 'identity.oauth_client.registered',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary:
    'A tenant administrator registered a client of the tenant’s authorization server (registerOAuthClient). Never carries the client’s secret.',
  data: z.object({ client: oauthClientSchema }),
  consumers: ['audit'],
});

export const OAuthClientUpdated = defineEvent({
  type: 'identity.oauth_client.updated',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary:
    'A client’s settings changed (updateOAuthClient): `data.client` is the settings now; `data.changes` maps each changed field to {before, after}.',
  data: z.object({ client: oauthClientSchema, changes: fieldChangesSchema }),
  consumers: ['audit'],
});

export const OAuthClientSecretRotated = defineEvent({
  type: 'identity.oauth_client.secret_rotated',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary:
    'A confidential client got a new secret (rotateOAuthClientSecret); the previous one stopped working at the event’s `time`. Carries neither secret.',
  data: z.object({ client: oauthClientSchema }),
  consumers: ['audit'],
});

export const OAuthClientRemoved = defineEvent({
  type: 'identity.oauth_client.removed',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary:
    'A client was removed (removeOAuthClient): it can no longer sign anyone in or get tokens, and its id is never reused. The gateway refuses the access tokens issued to it from then on.',
  data: z.object({ client: oauthClientSchema }),
  consumers: ['audit', 'gateway'],
});
