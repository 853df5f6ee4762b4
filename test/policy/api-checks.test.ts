import { checkApiRules, checkConformance, KubeObject } from '../../lib';

const pod = (spec: Record<string, unknown>, labels: Record<string, string> = { app: 'x' }) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'ns' },
  spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels }, spec } },
});

const messages = (obj: KubeObject) => checkApiRules(obj).map((v) => `${v.rule} ${v.path}: ${v.message}`);

describe('checkApiRules', () => {
  test('a well-formed workload has no violations', () => {
    expect(messages(pod({ containers: [{ name: 'c', image: 'i:1', ports: [{ name: 'http', containerPort: 80 }], volumeMounts: [{ name: 'data', mountPath: '/d' }] }], volumes: [{ name: 'data', emptyDir: {} }] }))).toEqual([]);
  });

  test('a selector that misses its template is reported', () => {
    expect(messages(pod({ containers: [{ name: 'c', image: 'i:1' }] }, { app: 'y' }))).toEqual([
      'api/selector-matches-template spec.selector.matchLabels: selector app=x does not match the template label app=y at spec.template.metadata.labels; make them equal',
    ]);
  });

  test('match expressions are evaluated against the template labels', () => {
    const obj = pod({ containers: [{ name: 'c', image: 'i:1' }] });
    (obj.spec.selector as Record<string, unknown>).matchExpressions = [{ key: 'tier', operator: 'Exists' }];
    expect(messages(obj)).toEqual([
      'api/selector-matches-template spec.selector.matchExpressions: selector expression tier Exists [] does not match the template labels at spec.template.metadata.labels',
    ]);
  });

  test('an empty selector is reported', () => {
    const obj = pod({ containers: [{ name: 'c', image: 'i:1' }] });
    (obj.spec as Record<string, unknown>).selector = { matchLabels: {} };
    expect(messages(obj)).toEqual(['api/selector-matches-template spec.selector: selector is empty; it must select the pod template\'s labels']);
  });

  test('a mount of an unknown volume is reported', () => {
    expect(messages(pod({ containers: [{ name: 'c', image: 'i:1', volumeMounts: [{ name: 'cache', mountPath: '/c' }] }], volumes: [{ name: 'data', emptyDir: {} }] }))).toEqual([
      'api/volume-mount spec.template.spec.containers[0].volumeMounts[0].name: mounts volume "cache", which the pod does not define (volumes: data); add the volume or fix the name',
    ]);
  });

  test('a StatefulSet may mount its volume claim templates', () => {
    const sts = {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' },
      spec: {
        serviceName: 's', selector: { matchLabels: { a: 'b' } }, volumeClaimTemplates: [{ metadata: { name: 'data' } }],
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i:1', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] } },
      },
    };
    expect(messages(sts)).toEqual([]);
  });

  test('container names must be DNS labels and unique, init containers included', () => {
    expect(messages(pod({ initContainers: [{ name: 'c', image: 'i:1' }], containers: [{ name: 'c', image: 'i:1' }, { name: 'Bad_Name', image: 'i:1' }] }))).toEqual([
      'api/container-name spec.template.spec.containers[0].name: container name "c" is used twice in the pod; names must be unique',
      'api/container-name spec.template.spec.containers[1].name: container name "Bad_Name" must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit',
    ]);
  });

  test('container port names are at most 15 characters and contain a letter', () => {
    expect(messages(pod({ containers: [{ name: 'c', image: 'i:1', ports: [{ name: 'metrics-endpoint-x', containerPort: 1 }, { name: '8080', containerPort: 2 }] }] }))).toEqual([
      'api/port-name spec.template.spec.containers[0].ports[0].name: port name "metrics-endpoint-x" must be at most 15 characters (got 18)',
      'api/port-name spec.template.spec.containers[0].ports[1].name: port name "8080" must contain at least one letter',
    ]);
  });

  test('object names, namespaces, label keys and values are checked', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'My_Config', namespace: 'a.b', labels: { 'bad key': 'v', ok: 'x'.repeat(64) } } };
    expect(messages(obj)).toEqual([
      'api/name metadata.name: name "My_Config" must consist of lowercase letters, digits, \'-\' and \'.\', and start and end with a letter or digit',
      'api/name metadata.namespace: namespace "a.b" must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit',
      'api/label metadata.labels.bad key: label key "bad key" name part must consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric',
      'api/label metadata.labels.ok: label value "' + 'x'.repeat(64) + '" must be at most 63 characters (got 64)',
    ]);
  });

  test('a Service name is a DNS label; a dotted one fails', () => {
    expect(messages({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a.b' }, spec: { ports: [{ port: 80 }] } })).toEqual([
      'api/name metadata.name: name "a.b" must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit',
    ]);
  });

  test('multi-port Services need unique port names', () => {
    expect(messages({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }, { port: 81, name: 'a' }, { port: 82, name: 'a', targetPort: 'Not-Valid' }] } })).toEqual([
      'api/port-name spec.ports[0].name: every port of a multi-port Service needs a name',
      'api/port-name spec.ports[2].name: port name "a" is used twice in the Service',
      'api/port-name spec.ports[2].targetPort: named target port "Not-Valid" must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit',
    ]);
  });

  test('an object without a name is reported', () => {
    expect(messages({ apiVersion: 'v1', kind: 'ConfigMap' })).toEqual(['api/name metadata.name: every object needs metadata.name']);
  });

  test('checkConformance without a registry runs only the API rules', () => {
    expect(checkConformance([{ apiVersion: 'nope/v9', kind: 'Nothing', metadata: { name: 'fine' } }])).toEqual([]);
  });
});
