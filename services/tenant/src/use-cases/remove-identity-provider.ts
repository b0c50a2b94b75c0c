import { requireAuthenticated, type Caller } from '@messngr/kit/auth';
import { ConflictError, NotFoundError } from '@messngr/kit/errors';
import { identityProviderEvent } from '../events/tenant-events-publisher';
import type { TenantDependencies } from '../dependencies';
import { locateIdentityProvider, requireProviderAdmin } from './locate-identity-provider';

/** Tenants keep their copies of a removed shared definition; the default provider is never removed. */
export async function removeIdentityProvider(deps: TenantDependencies, caller: Caller, command: { id: string }): Promise<string> {
  const actor = requireAuthenticated(caller);
  const located = await locateIdentityProvider(deps, command.id);
  if (!located) throw new NotFoundError('Identity provider');
  requireProviderAdmin(caller, located);
  const now = deps.clock.now();
  if (located.owner === 'shared') {
    await deps.sharedProviders.remove(command.id, [
      identityProviderEvent('removed', located.provider, null, actor, now, deps.providerSecretBoxes),
    ]);
    return command.id;
  }
  const tenant = await deps.tenants.change(located.tenant._id, (current) => {
    const provider = current.identityProviders.find((candidate) => candidate.id === command.id);
    if (!provider) throw new NotFoundError('Identity provider');
    if (current.defaultProviderId === provider.id) {
      throw new ConflictError(
        'DEFAULT_PROVIDER_REQUIRED',
        'The default provider cannot be removed; choose another default first.',
      );
    }
    return {
      changes: {
        identityProviders: current.identityProviders.filter((candidate) => candidate.id !== provider.id),
        updatedAt: now,
      },
      events: [identityProviderEvent('removed', provider, current._id, actor, now, deps.providerSecretBoxes)],
    };
  });
  if (!tenant) throw new NotFoundError('Identity provider');
  return command.id;
}
