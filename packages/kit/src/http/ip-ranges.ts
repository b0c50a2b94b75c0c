import { isIP } from 'node:net';

/**
 * Pure address rules for outbound requests to URLs that tenants configure: which IP
 * addresses a request may connect to. Addresses are compared as integers (IPv4 32 bits,
 * IPv6 128 bits) so that every textual form of one address meets the same rule.
 */

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface IpNetwork {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

/**
 * Parses an IP literal: dotted-quad IPv4 or any IPv6 form, with or without [brackets]
 * and a %zone. IPv4-mapped IPv6 (::ffff:a.b.c.d, also written ::ffff:7f00:1) comes back
 * as IPv4, so the IPv4 rules (allow-list included) apply to it. Anything else: undefined.
 */
export function parseIp(text: string): IpAddress | undefined {
  const ip = parseLiteral(text);
  return ip && isMapped(ip) ? { family: 4, value: ip.value & 0xffffffffn } : ip;
}

const isMapped = (ip: IpAddress) => ip.family === 6 && ip.value >> 32n === 0xffffn;

function parseLiteral(text: string): IpAddress | undefined {
  let literal = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = literal.indexOf('%');
  if (zone !== -1) literal = literal.slice(0, zone);
  const family = isIP(literal);
  if (family === 4) return { family: 4, value: ipv4Value(literal) };
  if (family === 6) return { family: 6, value: ipv6Value(literal) };
  return undefined;
}

function ipv4Value(dotted: string): bigint {
  return dotted.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

/** Expands an IPv6 literal that `net.isIP` has already accepted. */
function ipv6Value(literal: string): bigint {
  // A trailing dotted quad (::ffff:1.2.3.4) becomes its two 16-bit groups.
  const text = literal.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (dotted) => {
    const v4 = ipv4Value(dotted);
    return `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  });
  const [left = '', right] = text.split('::');
  const head = left === '' ? [] : left.split(':');
  const tail = right === undefined || right === '' ? [] : right.split(':');
  const groups = right === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/**
 * Parses a CIDR ('10.0.0.0/8', 'fd00::/8') or a bare IP ('::1'). Throws a plain Error
 * naming the entry when it is not one, or when bits are set beyond the prefix
 * ('10.0.0.1/8' is refused as ambiguous). An IPv4-mapped network with a prefix of at
 * least 96 becomes the IPv4 network it covers, matching how addresses are mapped.
 */
export function parseNetwork(entry: string): IpNetwork {
  const problem = (why: string) => new Error(`Invalid entry in allowedNetworks: "${entry}" (${why})`);
  const [address = '', prefixText, ...rest] = entry.trim().split('/');
  const ip = parseLiteral(address);
  if (!ip || rest.length > 0 || (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))) {
    throw problem('expected an IP address or CIDR');
  }
  const prefix = prefixText === undefined ? BITS[ip.family] : Number(prefixText);
  if (prefix > BITS[ip.family]) throw problem('prefix too long');
  const network: IpNetwork =
    isMapped(ip) && prefix >= 96
      ? { family: 4, base: ip.value & 0xffffffffn, prefix: prefix - 96 }
      : { family: ip.family, base: ip.value, prefix };
  if ((network.base & ~mask(network)) !== 0n) throw problem('address has bits set beyond the prefix');
  return network;
}

function mask(network: IpNetwork): bigint {
  const bits = BigInt(BITS[network.family]);
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(network.prefix))) - 1n);
}

export function networkContains(network: IpNetwork, ip: IpAddress): boolean {
  return network.family === ip.family && (ip.value & mask(network)) === network.base;
}

const networks = (cidrs: string[]): IpNetwork[] => cidrs.map(parseNetwork);

/**
 * IPv4 blocks that are not globally reachable, or that relay into other networks:
 * RFC 6890 and the IANA IPv4 Special-Purpose Address Registry
 * (https://www.iana.org/assignments/iana-ipv4-special-registry), plus multicast
 * (224/4, RFC 5771) and the deprecated 6to4 relay anycast block (192.88.99/24, RFC 7526).
 */
export const SPECIAL_IPV4 = networks([
  '0.0.0.0/8', // "this network" (RFC 791)
  '10.0.0.0/8', // private (RFC 1918)
  '100.64.0.0/10', // carrier-grade NAT shared space (RFC 6598)
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, cloud metadata endpoints (RFC 3927)
  '172.16.0.0/12', // private (RFC 1918)
  '192.0.0.0/24', // IETF protocol assignments (RFC 6890)
  '192.0.2.0/24', // documentation TEST-NET-1 (RFC 5737)
  '192.88.99.0/24', // deprecated 6to4 relay anycast (RFC 7526)
  '192.168.0.0/16', // private (RFC 1918)
  '198.18.0.0/15', // benchmarking (RFC 2544)
  '198.51.100.0/24', // documentation TEST-NET-2 (RFC 5737)
  '203.0.113.0/24', // documentation TEST-NET-3 (RFC 5737)
  '224.0.0.0/4', // multicast (RFC 5771)
  '240.0.0.0/4', // reserved (RFC 1112), includes limited broadcast 255.255.255.255
]);

/**
 * IPv6 is allow-by-exception: only global unicast 2000::/3 (RFC 4291) is reachable.
 * That already excludes ::/128, ::1, IPv4-compatible, NAT64 64:ff9b::/96 (it would
 * reach IPv4 through a translator), 100::/64, ULA fc00::/7, link-local fe80::/10 and
 * multicast ff00::/8. Inside 2000::/3, these blocks from the IANA IPv6 Special-Purpose
 * Address Registry (https://www.iana.org/assignments/iana-ipv6-special-registry) are
 * refused too: tunnels that embed an IPv4 address, documentation, and blocks marked
 * not globally reachable.
 */
export const GLOBAL_UNICAST_IPV6 = parseNetwork('2000::/3');
export const SPECIAL_IPV6 = networks([
  '2001::/32', // Teredo, embeds an IPv4 address (RFC 4380)
  '2001:2::/48', // benchmarking (RFC 5180)
  '2001:10::/28', // deprecated ORCHID (RFC 4843)
  '2001:db8::/32', // documentation (RFC 3849)
  '2002::/16', // 6to4, embeds an IPv4 address (RFC 3056)
  '3fff::/20', // documentation (RFC 9637)
  '5f00::/16', // SRv6 SIDs (RFC 9602)
]);

/** True when the address is publicly routable under the rules above. */
export function isPublicAddress(ip: IpAddress): boolean {
  if (ip.family === 4) return !SPECIAL_IPV4.some((network) => networkContains(network, ip));
  return networkContains(GLOBAL_UNICAST_IPV6, ip) && !SPECIAL_IPV6.some((network) => networkContains(network, ip));
}

/**
 * Compiles an operator's allow-list (validated now, throws naming a bad entry) into a
 * predicate: may a request connect to this address? Public addresses always may;
 * others only inside an allowed network. Text that is not an IP literal never may.
 */
export function createAddressRule(allowedNetworks: readonly string[]): (address: string) => boolean {
  const allowed = allowedNetworks.map(parseNetwork);
  return (address) => {
    const ip = parseIp(address);
    if (!ip) return false;
    return isPublicAddress(ip) || allowed.some((network) => networkContains(network, ip));
  };
}
