import { createHmac, KeyObject, sign as nodeSign, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/**
 * Building blocks for crafted JWS tokens: any header, any payload, signed (or not) any way,
 * without a library that would refuse to produce something malformed.
 */

export function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** `header.payload`, the JWS signing input. */
export function signingInput(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  return `${base64url(header)}.${base64url(payload)}`;
}

/** An ES256 signature (raw r‖s, 64 bytes, as JWS wants it) of `input` with a P-256 private key (WebCrypto or node:crypto). */
export async function es256Signature(input: string, key: CryptoKey | KeyObject): Promise<Buffer> {
  if (key instanceof KeyObject) return nodeSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return Buffer.from(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, Buffer.from(input)));
}

/** A compact ES256 JWS of exactly this header and payload. */
export async function signEs256(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: CryptoKey | KeyObject,
): Promise<string> {
  const input = signingInput(header, payload);
  return `${input}.${(await es256Signature(input, key)).toString('base64url')}`;
}

/** A compact HS256 JWS keyed with `secret`: what a verifier confusing algorithms would accept. */
export function signHs256(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string | Buffer): string {
  const input = signingInput(header, payload);
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** The same ECDSA signature as ASN.1 DER (`SEQUENCE { INTEGER r, INTEGER s }`), the encoding JWS does not use. */
export function derEncodedSignature(raw: Buffer): Buffer {
  const integer = (bytes: Buffer) => {
    let value = bytes;
    while (value.length > 1 && value[0] === 0 && (value[1]! & 0x80) === 0) value = value.subarray(1);
    if ((value[0]! & 0x80) !== 0) value = Buffer.concat([Buffer.from([0]), value]);
    return der(0x02, value);
  };
  return der(0x30, integer(raw.subarray(0, 32)), integer(raw.subarray(32)));
}

export interface AttackerKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** A self-signed X.509 certificate of the key, base64 DER, as `x5c` carries it. */
  certificate: string;
}

/** A P-256 key pair of the attacker's, with its JWK, thumbprint kid and a self-signed certificate. */
export async function attackerKey(): Promise<AttackerKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const certificate = selfSignedCertificate(KeyObject.from(publicKey), KeyObject.from(privateKey));
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' }, certificate };
}

/** A minimal, valid self-signed X.509 v3 certificate (ecdsa-with-SHA256), built by hand. */
function selfSignedCertificate(publicKey: KeyObject, privateKey: KeyObject): string {
  const ecdsaWithSha256 = der(0x30, oid('1.2.840.10045.4.3.2'));
  const name = der(0x30, der(0x31, der(0x30, oid('2.5.4.3'), der(0x0c, Buffer.from('attacker.example')))));
  const utcTime = (date: Date) => der(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`));
  const now = Date.now();
  const tbs = der(
    0x30,
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, Buffer.from([0x01, 0x23, 0x45, 0x67])),
    ecdsaWithSha256,
    name,
    der(0x30, utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = nodeSign('sha256', tbs, privateKey);
  const certificate = der(0x30, tbs, ecdsaWithSha256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  // Proof that it is a real certificate a careless verifier could honour.
  if (!new X509Certificate(certificate).verify(publicKey)) throw new Error('the self-signed certificate does not verify');
  return certificate.toString('base64');
}

function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const length =
    body.length < 0x80
      ? Buffer.from([body.length])
      : body.length < 0x100
        ? Buffer.from([0x81, body.length])
        : Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) groups.unshift((value & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
}

export interface AttackerServer {
  /** Base URL; `/jwks.json` serves the attacker's JWKS and `/cert.pem` its certificate. */
  url: string;
  /** Every request it received, as `METHOD path`. */
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP server on loopback serving the attacker's key, counting who comes to fetch it. */
export async function startAttackerServer(key: AttackerKey): Promise<AttackerServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url === '/cert.pem') {
      res.setHeader('content-type', 'application/pem-certificate-chain');
      res.end(`-----BEGIN CERTIFICATE-----\n${key.certificate.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`);
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [key.publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the attacker server has no TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
