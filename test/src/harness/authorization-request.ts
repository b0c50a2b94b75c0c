import * as client from 'openid-client';
import { s256Challenge } from './pkce-challenge';

export interface AuthorizationRequest {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

/** An authorization request as a relying party builds it with openid-client: code flow, PKCE S256, state and nonce. */
export function authorizationRequest(
  config: client.Configuration,
  redirectUri: string,
  scope: string,
  extra: Record<string, string> = {},
): AuthorizationRequest {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: s256Challenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, verifier, state, nonce };
}

/** The code of the authorization response redeemed, with the request's verifier, state and nonce checked. */
export function redeemCode(config: client.Configuration, callback: URL, request: AuthorizationRequest) {
  return client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
}
