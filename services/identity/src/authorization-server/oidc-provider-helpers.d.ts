// oidc-provider exports no types for the helpers its own grant handlers are built from; the
// token endpoint's grants here are built from the same ones (see oidc-provider-internals.ts).
declare module 'oidc-provider/lib/helpers/pkce.js' {
  export default function checkPKCE(verifier: unknown, challenge: unknown, method: unknown): void;
}
declare module 'oidc-provider/lib/helpers/validate_presence.js' {
  export default function presence(ctx: unknown, ...names: string[]): void;
}
declare module 'oidc-provider/lib/helpers/revoke.js' {
  export default function revoke(ctx: unknown, grantId: string | undefined): Promise<void>;
}
declare module 'oidc-provider/lib/helpers/grant_source.js' {
  export function findGrantSource(
    provider: unknown,
    ctx: unknown,
    model: unknown,
    value: unknown,
    label: string,
  ): Promise<unknown>;
  export function validateGrant(provider: unknown, ctx: unknown, grantId: string | undefined): Promise<unknown>;
}
declare module 'oidc-provider/lib/helpers/grant_common.js' {
  export function validateAccount(provider: unknown, ctx: unknown, source: unknown, label: string): Promise<unknown>;
  export function issueIdToken(
    provider: unknown,
    ctx: unknown,
    source: unknown,
    at: unknown,
    grant: unknown,
  ): Promise<string | undefined>;
}
