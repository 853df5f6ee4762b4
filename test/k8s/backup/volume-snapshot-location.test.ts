import { VeleroCredentials } from '../../../lib/k8s/backup';
import { VolumeSnapshotLocation, VolumeSnapshotLocationProps } from '../../../lib/k8s/backup';
import { field, findObject, synth, testChart } from '../../util';

const build = (props: Partial<VolumeSnapshotLocationProps> = {}) => {
  const chart = testChart();
  const location = new VolumeSnapshotLocation(chart, 'ebs', { region: 'us-east-1', ...props });
  return { location, objects: synth(chart) };
};

describe('VolumeSnapshotLocation', () => {
  describe('defaults', () => {
    const { location, objects } = build();
    const vsl = findObject(objects, 'VolumeSnapshotLocation', 'ebs', 'velero');

    test('name defaults to the construct id; namespace to velero', () => {
      expect(location.name).toBe('ebs');
      expect(location.namespace).toBe('velero');
      expect(vsl.apiVersion).toBe('velero.io/v1');
    });

    test('AWS provider with the region; credentials default to the service-account role', () => {
      expect(vsl.spec).toEqual({ provider: 'aws', config: { region: 'us-east-1' } });
    });

    test('labels; no part-of; metadata none', () => {
      expect(vsl.metadata?.labels).toEqual({
        'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/instance': 'ebs',
        'app.kubernetes.io/component': 'volume-snapshot-location', 'app.kubernetes.io/managed-by': 'fleetcraft',
      });
      expect(vsl.metadata?.annotations).toBeUndefined();
    });
  });

  test('overrides', () => {
    const { location, objects } = build({
      name: 'ebs-eu', namespace: 'backup', region: 'eu-west-1', credentials: VeleroCredentials.fromSecret('cloud-credentials'),
      partOf: 'shop', metadata: { annotations: { owner: 'core' } },
    });
    const vsl = findObject(objects, 'VolumeSnapshotLocation', 'ebs-eu', 'backup');
    expect(location.region).toBe('eu-west-1');
    expect(vsl.spec).toEqual({ provider: 'aws', config: { region: 'eu-west-1' }, credential: { name: 'cloud-credentials', key: 'cloud' } });
    expect(field(vsl, 'metadata.labels')).toEqual(expect.objectContaining({ 'app.kubernetes.io/part-of': 'shop' }));
    expect(vsl.metadata?.annotations).toEqual({ owner: 'core' });
  });

  describe('refuses', () => {
    test('a name that is not a DNS label', () => {
      expect(() => build({ name: 'EBS' })).toThrow(
        'VolumeSnapshotLocation \'ebs\': name ("EBS") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a DNS-1123 label such as "daily"');
    });

    test('an invalid region', () => {
      expect(() => build({ region: 'Frankfurt' })).toThrow(
        'VolumeSnapshotLocation \'ebs\': region ("Frankfurt") is not an AWS region name; use a region such as "us-east-1" or "eu-west-1"');
    });

    test('an invalid credentials key', () => {
      expect(() => build({ credentials: VeleroCredentials.fromSecret('aws', 'a b') })).toThrow(
        'VolumeSnapshotLocation \'ebs\': credentials secret key ("a b") is not a valid Secret key (alphanumerics, \'-\', \'_\' or \'.\'); use a key such as "cloud"');
    });
  });
});
