/**
 * A subgraph that revoked something (sessions, an account, a tenant) and waited for the event
 * to reach the broker says so in this response header; the gateway then reads its revocation
 * feed up to the topics' end before it answers, so the caller's very next request is refused.
 * Subgraphs answer every other request without it, and the gateway fences nothing then.
 */
export const REVOCATION_SIGNAL_HEADER = 'x-messngr-revoked';
