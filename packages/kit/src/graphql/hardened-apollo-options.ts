import type { GraphQLFormattedError, ValidationRule } from 'graphql';
import { createErrorFormatter } from './error-formatter';
import { requestLimitRules, type RequestLimits } from './request-limits';

export interface HardenedApolloOptions {
  introspection: boolean;
  hideSchemaDetailsFromClientErrors: boolean;
  includeStacktraceInErrorResponses: false;
  allowBatchedHttpRequests: false;
  csrfPrevention: true;
  parseOptions: { maxTokens: number };
  validationRules: ValidationRule[];
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/**
 * The Apollo Server settings every GraphQL door shares, gateway and subgraphs alike: no
 * introspection or field suggestions in production, no stack traces, no HTTP batching, CSRF
 * prevention, the request limits, and unknown errors masked (and handed to `onUnexpected`).
 */
export function hardenedApolloOptions(options: {
  production: boolean;
  limits: RequestLimits;
  onUnexpected: (error: unknown) => void;
}): HardenedApolloOptions {
  return {
    introspection: !options.production,
    hideSchemaDetailsFromClientErrors: options.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    parseOptions: { maxTokens: options.limits.maxTokens },
    validationRules: requestLimitRules(options.limits),
    formatError: createErrorFormatter(options.onUnexpected),
  };
}
