import { clientNetwork } from '../../src/platform/http/client-address';

describe('clientNetwork: the part of an address that throttles count', () => {
  it.each([
    ['192.0.2.10', '192.0.2.10'],
    ['::ffff:192.0.2.10', '192.0.2.10'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s → %s', (ip, expected) => {
    expect(clientNetwork(ip)).toBe(expected);
  });

  it('puts every address of one /64 in one bucket, and different /64s in different ones', () => {
    const a = clientNetwork('2001:db8:aa:bb:1::1');
    expect(clientNetwork('2001:db8:aa:bb:ffff:ffff:ffff:ffff')).toBe(a);
    expect(clientNetwork('2001:db8:aa:bc::1')).not.toBe(a);
  });

  it('leaves a missing address missing', () => {
    expect(clientNetwork(undefined)).toBeUndefined();
    expect(clientNetwork('')).toBeUndefined();
  });
});
