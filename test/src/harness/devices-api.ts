import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { GraphQLResponse, Stack } from './stack';

export const DEVICE_FIELDS = `id name platform appVersion publicKey { kty crv x } publicKeyFingerprint status registeredAt
  lastHandshakeAt lastHandshakeClientIp lastHandshakeUserAgent revokedAt
  revokedBy { kind accountId sessionId sessionEndReason } revocationReason`;

export interface DeviceView {
  id: string;
  name: string;
  platform: string;
  appVersion: string | null;
  publicKey: { kty: string; crv: string; x: string } | null;
  publicKeyFingerprint: string | null;
  status: 'ACTIVE' | 'REVOKED';
  registeredAt: string;
  lastHandshakeAt: string | null;
  lastHandshakeClientIp: string | null;
  lastHandshakeUserAgent: string | null;
  revokedAt: string | null;
  revokedBy: { kind: string; accountId: string | null; sessionId: string | null; sessionEndReason: string | null } | null;
  revocationReason: string | null;
}

/** A device's Ed25519 key pair as a client holds it: the public JWK to register, and a signer. */
export interface DeviceKey {
  publicJwk: { kty: string; crv: string; x: string };
  sign(message: string): string;
}

export function deviceKey(): DeviceKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { publicJwk: { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x! }, sign: (message) => signWith(privateKey, message) };
}

function signWith(privateKey: KeyObject, message: string): string {
  return sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64url');
}

export interface RegisterDeviceInput {
  accountId?: string;
  name: string;
  platform: string;
  appVersion?: string;
  publicKey?: Record<string, unknown>;
}

/** The device subgraph's API as a client calls it through the gateway. */
export function devicesApi(stack: Stack) {
  const mutate = <Data>(field: string, inputType: string, selection: string, token: string | undefined, input: unknown) =>
    stack.graphql<Data>(`mutation ($input: ${inputType}!) { ${field}(input: $input) { ${selection} } }`, { input }, token);
  return {
    registerDevice: (token: string | undefined, input: RegisterDeviceInput) =>
      mutate<{ registerDevice: { device: DeviceView } }>(
        'registerDevice',
        'RegisterDeviceInput',
        `device { ${DEVICE_FIELDS} }`,
        token,
        input,
      ),
    revokeDevice: (token: string | undefined, input: { deviceId: string; tenantId?: string; reason?: string }) =>
      mutate<{ revokeDevice: { device: DeviceView } }>(
        'revokeDevice',
        'RevokeDeviceInput',
        `device { ${DEVICE_FIELDS} }`,
        token,
        input,
      ),
    startHandshake: (token: string | undefined, deviceId: string) =>
      mutate<{ startDeviceHandshake: { nonce: string; message: string; expiresAt: string } }>(
        'startDeviceHandshake',
        'StartDeviceHandshakeInput',
        'nonce message expiresAt',
        token,
        { deviceId },
      ),
    completeHandshake: (token: string | undefined, input: { deviceId: string; nonce: string; signature: string }) =>
      mutate<{ completeDeviceHandshake: { device: DeviceView } }>(
        'completeDeviceHandshake',
        'CompleteDeviceHandshakeInput',
        `device { ${DEVICE_FIELDS} }`,
        token,
        input,
      ),
    myDevices: (token: string, includeRevoked = false): Promise<GraphQLResponse<{ me: { devices: DeviceView[] } | null }>> =>
      stack.graphql(
        `query ($includeRevoked: Boolean) { me { id devices(includeRevoked: $includeRevoked) { ${DEVICE_FIELDS} } } }`,
        { includeRevoked },
        token,
      ),
    /** Another account's devices, as its tenant's administrators and support see them (`account(id)`). */
    accountDevices: (token: string, accountId: string, tenantId?: string) =>
      stack.graphql<{ account: { id: string; devices: DeviceView[] } | null }>(
        `query ($id: ID!, $tenantId: ID) { account(id: $id, tenantId: $tenantId) { id devices(includeRevoked: true) { ${DEVICE_FIELDS} } } }`,
        { id: accountId, ...(tenantId ? { tenantId } : {}) },
        token,
      ),
  };
}

export type DevicesApi = ReturnType<typeof devicesApi>;
