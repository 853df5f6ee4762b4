import { imageParts, imagePinProblem } from '../../lib/private/images';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('imagePinProblem', () => {
  test.each([
    ['nginx:1.27', undefined],
    ['registry.example.com:5000/team/api:1.4.2', undefined],
    [`quay.io/coreos/etcd@${DIGEST}`, undefined],
    [`api:latest@${DIGEST}`, undefined],
    ['nginx', 'unpinned'],
    ['registry.example.com:5000/team/api', 'unpinned'],
    ['cilium/cilium:', 'unpinned'],
    ['registry.example.com/api@sha256:abc', 'unpinned'],
    ['quay.io/coreos/etcd@sha256:', 'unpinned'],
    ['api:latest@sha256:abc', 'unpinned'],
    ['api:-bad', 'unpinned'],
    ['nginx:latest', 'latest'],
    ['registry.example.com:5000/api:latest', 'latest'],
  ])('%s → %s', (image, problem) => {
    expect(imagePinProblem(image)).toBe(problem);
  });
});

describe('imageParts', () => {
  test('separates the tag from a registry port and the digest', () => {
    expect(imageParts('registry.example.com:5000/api:1.0@sha256:ab')).toEqual({ tag: '1.0', digest: 'sha256:ab' });
    expect(imageParts('registry.example.com:5000/api')).toEqual({ tag: undefined, digest: undefined });
  });
});
