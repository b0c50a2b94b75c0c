import { BUILT_IN_SHARED_DEFINITIONS, builtInSharedProvider } from '../domain/built-in-shared-definitions';
import { identityProviderEvent } from '../events/tenant-events-publisher';
import type { TenantDependencies } from '../dependencies';

/**
 * The built-in shared definitions exist from first start, each registered (and its event
 * published) exactly once: the insert claims the definition's fixed `_id`, and the event rides
 * in the same document's outbox, so a restart or a second instance starting at the same moment
 * loses the claim and writes nothing. An existing definition is never overwritten, nor a
 * removed one brought back.
 */
export async function ensureSharedDefinitions(
  deps: Pick<TenantDependencies, 'sharedProviders' | 'clock' | 'providerSecretBoxes'>,
): Promise<void> {
  const now = deps.clock.now();
  for (const definition of BUILT_IN_SHARED_DEFINITIONS) {
    const provider = builtInSharedProvider(definition, now);
    const { id, ...fields } = provider;
    await deps.sharedProviders.insertIfAbsent({ _id: id, ...fields, removed: false }, [
      identityProviderEvent('registered', provider, null, undefined, now, deps.providerSecretBoxes),
    ]);
  }
}
