import { BlockList } from 'node:net';
import { createAddressRule, isPublicAddress, parseIp, parseNetwork } from './ip-ranges';

const noExceptions = createAddressRule([]);

describe('address rules', () => {
  // [address, reachable with an empty allow-list]
  const table: [string, boolean][] = [
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['93.184.216.34', true],
    ['0.0.0.0', false],
    ['0.255.255.255', false],
    ['1.0.0.0', true],
    ['10.0.0.1', false],
    ['10.255.255.255', false],
    ['11.0.0.0', true],
    ['100.63.255.255', true],
    ['100.64.0.1', false],
    ['100.127.255.255', false],
    ['100.128.0.0', true],
    ['127.0.0.1', false],
    ['127.255.255.254', false],
    ['169.254.169.254', false],
    ['169.255.0.0', true],
    ['172.15.255.255', true],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.0', true],
    ['192.0.0.8', false],
    ['192.0.1.0', true],
    ['192.0.2.1', false],
    ['192.88.99.1', false],
    ['192.168.1.1', false],
    ['192.169.0.0', true],
    ['198.17.255.255', true],
    ['198.18.0.1', false],
    ['198.19.255.255', false],
    ['198.20.0.0', true],
    ['198.51.100.7', false],
    ['203.0.113.9', false],
    ['224.0.0.1', false],
    ['239.255.255.255', false],
    ['240.0.0.1', false],
    ['255.255.255.255', false],
    ['223.255.255.255', true],
    // IPv6: only global unicast 2000::/3, minus the special blocks inside it
    ['2606:4700:4700::1111', true],
    ['2a00:1450:4001:82a::200e', true],
    ['2001:4860:4860::8888', true],
    ['2001:3::1', true],
    ['::', false],
    ['::1', false],
    ['[::1]', false],
    ['fe80::1', false],
    ['fe80::1%eth0', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['ff02::1', false],
    ['64:ff9b::a9fe:a9fe', false],
    ['100::1', false],
    ['1fff:ffff::1', false],
    ['4000::1', false],
    ['2001::1', false],
    ['2001:0:ffff::1', false],
    ['2001:1::1', true],
    ['2001:2::1', false],
    ['2001:10::1', false],
    ['2001:db8::1', false],
    ['2001:db9::1', true],
    ['2002:7f00:1::1', false],
    ['2003::1', true],
    ['3fff::1', false],
    ['5f00::1', false],
    // IPv4-mapped IPv6 is judged as the IPv4 address it carries
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['[::ffff:169.254.169.254]', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['::ffff:808:808', true],
    // IPv4-compatible (deprecated) is outside 2000::/3
    ['::8.8.8.8', false],
    // not IP literals
    ['localhost', false],
    ['example.com', false],
    ['0x7f000001', false],
    ['127.1', false],
    ['010.0.0.1', false],
    ['', false],
  ];

  it.each(table)('%s reachable: %s', (address, reachable) => {
    expect(noExceptions(address)).toBe(reachable);
  });

  it('agrees with node:net BlockList on the IPv4 table (which also maps ::ffff: addresses)', () => {
    const blocked = new BlockList();
    for (const cidr of ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12']) {
      const [address, prefix] = cidr.split('/');
      blocked.addSubnet(address!, Number(prefix), 'ipv4');
    }
    for (const address of ['10.0.0.1', '100.64.0.1', '127.0.0.1', '169.254.169.254', '172.16.0.1', '8.8.8.8', '172.32.0.0']) {
      expect(noExceptions(address)).toBe(!blocked.check(address, 'ipv4'));
      expect(noExceptions(`::ffff:${address}`)).toBe(!blocked.check(`::ffff:${address}`, 'ipv6'));
    }
  });
});

describe('parseIp', () => {
  it.each([
    ['127.0.0.1', 4, 0x7f000001n],
    ['::ffff:7f00:1', 4, 0x7f000001n],
    ['::ffff:127.0.0.1', 4, 0x7f000001n],
    ['[::1]', 6, 1n],
    ['::', 6, 0n],
    ['1::', 6, 1n << 112n],
    ['fe80::1%25eth0', 6, (0xfe80n << 112n) | 1n],
    ['1:2:3:4:5:6:7:8', 6, 0x00010002000300040005000600070008n],
    ['1:2:3::6:7:8', 6, 0x00010002000300000000000600070008n],
    ['64:ff9b::192.0.2.33', 6, (0x64ff9bn << 96n) | 0xc0000221n],
  ] as const)('%s is IPv%s %s', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value });
  });

  it('returns undefined for names and malformed literals', () => {
    for (const text of ['localhost', '1.2.3', '1.2.3.256', '::g', '1:2:3:4:5:6:7:8:9', '[127.0.0.1', '']) {
      expect(parseIp(text)).toBeUndefined();
    }
  });
});

describe('allow-list', () => {
  it('lets operators reach listed private networks and nothing else private', () => {
    const rule = createAddressRule(['127.0.0.0/8', '::1', '10.1.0.0/16', 'fd00::/8']);
    expect(rule('127.0.0.1')).toBe(true);
    expect(rule('127.9.9.9')).toBe(true);
    expect(rule('::1')).toBe(true);
    expect(rule('[::1]')).toBe(true);
    expect(rule('10.1.200.3')).toBe(true);
    expect(rule('fd12::1')).toBe(true);
    expect(rule('10.2.0.1')).toBe(false);
    expect(rule('169.254.169.254')).toBe(false);
    expect(rule('::2')).toBe(false);
    expect(rule('fe80::1')).toBe(false);
    expect(rule('8.8.8.8')).toBe(true);
  });

  it('maps IPv4-mapped addresses to IPv4 before the allow-list too', () => {
    const rule = createAddressRule(['127.0.0.0/8']);
    expect(rule('::ffff:127.0.0.1')).toBe(true);
    expect(rule('::ffff:7f00:1')).toBe(true);
    // an IPv6 loopback entry does not open IPv4 loopback, nor the reverse
    expect(createAddressRule(['::1'])('127.0.0.1')).toBe(false);
    expect(createAddressRule(['127.0.0.1'])('::1')).toBe(false);
  });

  it('reads IPv4-mapped entries as the IPv4 network they cover', () => {
    expect(parseNetwork('::ffff:10.0.0.0/104')).toEqual(parseNetwork('10.0.0.0/8'));
    expect(parseNetwork('::ffff:127.0.0.1')).toEqual(parseNetwork('127.0.0.1/32'));
    expect(createAddressRule(['::ffff:10.0.0.0/104'])('10.9.9.9')).toBe(true);
  });

  it.each([
    '',
    'localhost',
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0/8/8',
    '10.0.0.0/-1',
    '10.0.0.0/ 8',
    '10.0.0.1/8',
    'fd00::1/8',
    '10.0.0/8',
  ])('refuses the entry %j and names it', (entry) => {
    expect(() => createAddressRule(['127.0.0.1', entry])).toThrow(`"${entry}"`);
  });

  it('isPublicAddress works on parsed addresses', () => {
    expect(isPublicAddress(parseIp('8.8.4.4')!)).toBe(true);
    expect(isPublicAddress(parseIp('192.168.0.1')!)).toBe(false);
  });
});
