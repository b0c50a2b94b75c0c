/**
 * Every `extensions.code` a client can receive, with what it means. Clients and tests match
 * on these, never on messages. The README's table is generated from this list.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: 'The input is invalid; `extensions.field` names the field.',
  UNAUTHENTICATED: 'No valid access token (or, on a subgraph, no valid gateway assertion).',
  FORBIDDEN: 'Authenticated, but not allowed to do this.',
  NOT_FOUND: 'Nothing by that id that the caller may see.',
  CONCURRENT_MODIFICATION: 'Someone else changed the record at the same moment; try again.',
  SLUG_TAKEN: 'Another tenant has that slug.',
  HANDLE_TAKEN: 'Another account of the tenant has that handle.',
  TENANT_SUSPENDED: 'The tenant is suspended.',
  TENANT_ALREADY_SUSPENDED: 'The tenant is suspended already.',
  TENANT_NOT_SUSPENDED: 'The tenant is not suspended.',
  PLATFORM_TENANT_PROTECTED: 'The platform tenant cannot be suspended.',
  DEFAULT_PROVIDER_REQUIRED: 'The default identity provider cannot be disabled or removed; choose another default first.',
  PROVIDER_DISABLED: 'The identity provider is disabled.',
  POLICY_FORBIDS_PROVIDER: "The tenant's policy does not allow that identity provider.",
  TOO_MANY_PROVIDERS: 'The tenant has the most identity providers it may have.',
  NOT_AN_UPSTREAM_PROVIDER: 'A NATIVE provider has nothing upstream to test.',
  INVALID_CODE: 'The code is wrong, used, replaced by a newer one, or not for this sign-in.',
  TOO_MANY_ATTEMPTS: 'Five wrong codes: this code is dead; ask for a new one.',
  FLOW_EXPIRED: 'The sign-in (or other flow) expired; start again.',
  RATE_LIMITED: 'Too many codes sent lately (to this address, from this network, or for this tenant); `extensions.retryAfterSeconds` says when to try again.',
  LOCKED_OUT: 'Too many wrong codes for this address; sign-in with it is locked for `extensions.retryAfterSeconds`.',
  PHONE_NOT_ALLOWED: "The tenant's policy does not allow phone numbers.",
  ACCOUNT_DISABLED: 'The account is disabled.',
  INVALID_REFRESH_TOKEN: 'The refresh token is unknown, expired or of an ended session.',
  REFRESH_TOKEN_REUSED: 'A refresh token that was already used came back: the whole session was revoked.',
  SESSION_NOT_FOUND: 'No such session of the caller.',
  RETURN_URL_NOT_ALLOWED: "`returnTo` is not exactly one of the tenant's allowed return URLs.",
  INVALID_STATE: 'The provider callback (or completion) does not belong to a waiting sign-in: state missing, wrong or already used.',
  ISSUER_MISMATCH: "The authorization response names another issuer than the flow's provider (RFC 9207; a mix-up).",
  INVALID_ID_TOKEN: 'The ID token failed validation (signature, algorithm, issuer, audience, expiry, issue time or nonce).',
  UPSTREAM_DENIED: 'The user (or the provider) declined the sign-in at the provider.',
  UPSTREAM_REFUSED: 'The provider refused the request (e.g. a code already used or a wrong PKCE verifier).',
  UPSTREAM_UNAVAILABLE: 'The provider could not be reached or answered with a server error in time.',
  UPSTREAM_INVALID_RESPONSE: 'The provider answered something unusable (not JSON, or without the subject).',
  HOSTED_DOMAIN_NOT_ALLOWED: "The provider's ID token is not from the Google Workspace domain the tenant requires (`hd`).",
  SIGN_UP_NOT_ALLOWED: "Nobody has signed in with this identity yet and the tenant's policy does not allow sign-up.",
  RESTRICTED_SESSION: 'A recovery session may only link a new identity and make new recovery codes.',
  REAUTH_REQUIRED: 'This needs a recent sign-in: confirm it is you (startReauthentication) and try again.',
  IDENTITY_ALREADY_LINKED: 'That email, phone number or provider account is already linked (to this account or another).',
  LAST_VERIFIED_IDENTITY: 'The account must keep at least one verified identity; link another first (or revoke it if compromised).',
  PROVIDER_FLOW_PENDING: 'The sign-in has not come back from the provider yet.',
  QUERY_TOO_DEEP: 'The operation is nested deeper than the limit.',
  TOO_MANY_ALIASES: 'The operation uses more aliases than the limit.',
  TOO_MANY_TOKENS: 'The document is longer (in GraphQL tokens) than the limit.',
  REQUEST_TOO_LARGE: 'The request body is larger than the limit.',
  GRAPHQL_PARSE_FAILED: 'The document is not valid GraphQL syntax.',
  GRAPHQL_VALIDATION_FAILED: 'The document does not fit the schema.',
  BAD_REQUEST: 'The HTTP request is malformed (e.g. no query, or a CSRF-unsafe request).',
  OPERATION_RESOLUTION_FAILURE: 'The named operation is not in the document.',
  PERSISTED_QUERY_NOT_FOUND: 'Persisted queries are not used here.',
  PERSISTED_QUERY_NOT_SUPPORTED: 'Persisted queries are not supported.',
  INTERNAL_SERVER_ERROR: 'Something unexpected failed; it is logged, and the message says nothing more.',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}
