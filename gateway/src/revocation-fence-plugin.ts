import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@messngr/kit/logging';
import type { GatewayContext } from './gateway-context';
import { REVOCATION_FENCE_TIMEOUT_MS, type RevocationFeed } from './revocation-feed';

/**
 * When a subgraph signalled that the request revoked something (published before it
 * answered), the gateway fences its revocation feed before it answers: the revocation is in
 * the list when the client makes its next request. Other requests are not held up. A fence
 * that times out is logged and the response goes out anyway: the revocation arrives a moment later.
 */
export function revocationFencePlugin(
  feed: Pick<RevocationFeed, 'fence'>,
  logger: Pick<Logger, 'warn'>,
  timeoutMs = REVOCATION_FENCE_TIMEOUT_MS,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue }) {
          if (!contextValue.revocation?.signalled) return;
          if (!(await feed.fence(timeoutMs)))
            logger.warn({ timeoutMs }, 'answered a revocation before the revocation feed caught up');
        },
      };
    },
  };
}
