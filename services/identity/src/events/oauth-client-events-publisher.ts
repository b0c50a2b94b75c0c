import { OAuthClientRegistered, OAuthClientRemoved, OAuthClientSecretRotated, OAuthClientUpdated } from '@messngr/contracts';
import { actorFields, createEvent, type EventActor } from '@messngr/kit/events';
import type { NewAggregate } from '@messngr/kit/mongo';
import type { OAuthClientDocument } from '../persistence/oauth-client.model';

type ClientFacts = Omit<NewAggregate<OAuthClientDocument>, 'secret'>;

/** The client as its events carry it: its settings, never its secret. */
function clientData(client: ClientFacts) {
  return {
    id: client._id,
    tenantId: client.tenantId,
    name: client.name,
    kind: client.kind,
    applicationType: client.applicationType,
    firstParty: client.firstParty,
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    grantTypes: client.grantTypes,
    scopes: client.scopes,
  };
}

const aboutClient = (client: ClientFacts, actor: EventActor, time: Date) => ({
  subject: client._id,
  tenantId: client.tenantId,
  ...actorFields(actor),
  time,
});

export function oauthClientRegistered(client: ClientFacts, actor: EventActor, time: Date) {
  return createEvent(OAuthClientRegistered, { ...aboutClient(client, actor, time), data: { client: clientData(client) } });
}

export function oauthClientUpdated(
  client: ClientFacts,
  changes: Record<string, { before: unknown; after: unknown }>,
  actor: EventActor,
  time: Date,
) {
  return createEvent(OAuthClientUpdated, { ...aboutClient(client, actor, time), data: { client: clientData(client), changes } });
}

export function oauthClientSecretRotated(client: ClientFacts, actor: EventActor, time: Date) {
  return createEvent(OAuthClientSecretRotated, { ...aboutClient(client, actor, time), data: { client: clientData(client) } });
}

export function oauthClientRemoved(client: ClientFacts, actor: EventActor, time: Date) {
  return createEvent(OAuthClientRemoved, { ...aboutClient(client, actor, time), data: { client: clientData(client) } });
}
