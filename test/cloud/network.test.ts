import { pickZones, subnetLayout } from '../../lib/cloud/network';

describe('subnetLayout', () => {
  test('a /16 over three zones: /18 private subnets, /20 public ones in the last quarter', () => {
    expect(subnetLayout('c', '10.0.0.0/16', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'])).toEqual([
      { zone: 'eu-west-1a', privateCidr: '10.0.0.0/18', publicCidr: '10.0.192.0/20' },
      { zone: 'eu-west-1b', privateCidr: '10.0.64.0/18', publicCidr: '10.0.208.0/20' },
      { zone: 'eu-west-1c', privateCidr: '10.0.128.0/18', publicCidr: '10.0.224.0/20' },
    ]);
  });

  test('a /20 over two zones', () => {
    expect(subnetLayout('c', '172.16.16.0/20', ['z1', 'z2'])).toEqual([
      { zone: 'z1', privateCidr: '172.16.16.0/22', publicCidr: '172.16.28.0/24' },
      { zone: 'z2', privateCidr: '172.16.20.0/22', publicCidr: '172.16.29.0/24' },
    ]);
  });

  test('refuses a CIDR outside /16–/20 or not a network address', () => {
    const message = 'EksCluster \'c\': vpcCidr ("10.0.0.0/24") must be an IPv4 network address with a prefix from /16 to /20; use e.g. "10.0.0.0/16"';
    expect(() => subnetLayout('c', '10.0.0.0/24', ['a', 'b'])).toThrow(message);
    expect(() => subnetLayout('c', '10.0.1.0/16', ['a', 'b'])).toThrow('vpcCidr ("10.0.1.0/16") must be an IPv4 network address');
  });

  test('refuses one zone or four', () => {
    expect(() => subnetLayout('c', '10.0.0.0/16', ['a']))
      .toThrow('EksCluster \'c\': availabilityZones (["a"]) must list two or three zones (EKS needs two; the layout has room for three); list three zones of the region');
    expect(() => subnetLayout('c', '10.0.0.0/16', ['a', 'b', 'c', 'd'])).toThrow('must list two or three zones');
  });
  test('pickZones takes the first three zones the account reports, and refuses fewer than two', () => {
    expect(pickZones('us-east-1', ['us-east-1a', 'us-east-1b', 'us-east-1d', 'us-east-1f'])).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1d']);
    expect(pickZones('x', ['x-a', 'x-b'])).toEqual(['x-a', 'x-b']);
    expect(() => pickZones('x', ['x-a'])).toThrow('EksCluster \'x\': availabilityZones (["x-a"]) must offer at least two available zones (EKS needs two)');
  });
});
