import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { POLICY_RULES } from '../../lib/policy/rules';
import { formatProblem, runValidate, ValidateProblem, VALIDATE_USAGE } from '../../stacks/validate';
import { shippedSchemaBundle } from '../../stacks/schemas';
import { describeWithSchemas, SCHEMA_DIR } from '../util';

const FIXTURES = path.relative(process.cwd(), path.join(__dirname, '..', 'fixtures'));
const VALID = `${FIXTURES}/valid`;
const BROKEN = `${FIXTURES}/broken`;
const THIRD_PARTY = `${FIXTURES}/third-party`;
const NO_SCHEMAS_NOTE = 'warning: schema checks disabled (--no-schemas); policy and API-server rules still run';

function capture() {
  const log: string[] = [];
  const error: string[] = [];
  return { log, error, out: { log: (l: string) => log.push(l), error: (l: string) => error.push(l) } };
}

function validate(...args: string[]) {
  const c = capture();
  const code = runValidate(args, c.out);
  return { code, log: c.log, error: c.error };
}

/** Runs validate with `--format json`: its problems one `file:line: severity: object: path: message [rule]` line each. */
function flat(...args: string[]) {
  const r = validate(...args, '--format', 'json');
  const report = JSON.parse(r.log[0]) as { problems: ValidateProblem[]; errors: number; warnings: number };
  return { code: r.code, lines: report.problems.map(formatProblem), notes: r.error, report };
}

/** A temporary folder with these files in it. */
function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-validate-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: app\ndata:\n  mode: fast\n';

describe('fleetcraft validate', () => {
  test('the valid fixtures pass: one summary line, exit 0', () => {
    const r = validate(VALID, '--no-schemas');
    expect(r.error).toEqual([NO_SCHEMAS_NOTE]);
    expect(r.log).toEqual(['validate passed: 5 file(s), 14 object(s), 0 error(s), 0 warning(s)']);
    expect(r.code).toBe(0);
  });

  test('the broken fixtures fail: every file is reported, errors and warnings together on stdout, exit 1', () => {
    const r = validate(BROKEN, '--no-schemas');
    expect(r.code).toBe(1);
    const files = fs.readdirSync(BROKEN).filter((f) => !f.startsWith('schema-')).map((f) => `${BROKEN}/${f}`);
    for (const file of files) expect(r.log).toContain(file);
    expect(r.error).toEqual([NO_SCHEMAS_NOTE]);
    expect(r.log.some((l) => / warning: /.test(l)) && r.log.some((l) => / error: /.test(l))).toBe(true);
    expect(r.log[r.log.length - 1]).toMatch(/^validate failed: 35 file\(s\), \d+ object\(s\), \d+ error\(s\), 8 warning\(s\)$/);
  });

  test('text groups findings by file and object, one line each; a rule\'s first finding shows its fix, the rest only what is wrong; counts per rule close it', () => {
    const file = `${THIRD_PARTY}/env-credentials.yaml`;
    const r = validate(file, '--no-schemas', '--skip', 'pss/restricted-privilege-escalation', '--skip', 'pss/restricted-run-as-non-root',
      '--skip', 'pss/restricted-seccomp', '--skip', 'pss/restricted-capabilities');
    expect(r.log).toEqual([
      file,
      '  Pod creds/db (line 2)',
      '    2: error: namespace creds runs pods (Pod creds/db) but no NetworkPolicy there denies all Ingress and Egress traffic by default; add one with podSelector: {}, policyTypes: [Ingress, Egress] and no rules (NamespaceBaseline does), then allow what each workload needs [security/default-deny]',
      '    7: error: spec.containers[0].resources: container "mysql" does not set resources.requests.cpu, resources.requests.memory, resources.limits.memory; set CPU and memory requests so the scheduler can place it, and a memory limit so a leak cannot starve the node [reliability/resources]',
      '    7: warning: spec.containers[0].securityContext.readOnlyRootFilesystem: container "mysql" does not set securityContext.readOnlyRootFilesystem: true, so a compromised process can rewrite its own files; set it, and mount an emptyDir where it must write (e.g. /tmp) [security/read-only-root-fs]',
      '    11: error: spec.containers[0].env[1].value: container "mysql" sets MYSQL_PASSWORD to a literal value, so the credential sits in Git and in every kubectl get -o yaml; read it from a Secret (valueFrom.secretKeyRef) that an ExternalSecret or the Pulumi program delivers [security/env-credentials]',
      '    12: error: spec.containers[0].env[2].value: container "mysql" sets MYSQL_ROOT_PASSWORD to a literal value, so the credential sits in Git and in every kubectl get -o yaml [security/env-credentials]',
      '',
      'findings by rule (the first finding of each shows the fix; fleetcraft validate --explain RULE says more):',
      '  security/env-credentials    2 error(s)',
      '  reliability/resources       1 error(s)',
      '  security/default-deny       1 error(s)',
      '  security/read-only-root-fs  1 warning(s)',
      'validate failed: 1 file(s), 1 object(s), 4 error(s), 1 warning(s)',
    ]);
  });

  test('warnings alone exit 0', () => {
    const r = validate(`${BROKEN}/pull-always.yaml`, '--no-schemas');
    expect(r.code).toBe(0);
    expect(r.log[r.log.length - 1]).toBe('validate passed: 1 file(s), 2 object(s), 0 error(s), 1 warning(s)');
  });

  test('--format json prints one document with every problem, at the line of its field, and the counts per rule', () => {
    const r = validate(`${BROKEN}/image-latest.yaml`, `${BROKEN}/missing.yaml`, '--no-schemas', '--format', 'json');
    expect(r.code).toBe(1);
    expect(r.log).toHaveLength(1);
    expect(JSON.parse(r.log[0])).toEqual({
      ok: false, files: 1, objects: 2, errors: 2, warnings: 0, schemas: null,
      problems: [
        {
          file: `${BROKEN}/image-latest.yaml`, line: 36, severity: 'error', rule: 'reliability/image-tag', object: 'Deployment image-latest/app',
          path: 'spec.template.spec.containers[0].image',
          message: 'image "ghcr.io/example/app:latest" uses the mutable tag latest, so two nodes can run different code; pin a version tag or a digest',
        },
        { file: `${BROKEN}/missing.yaml`, severity: 'error', rule: 'validate/missing', message: 'no such file or folder; check the path' },
      ],
      rules: [{ rule: 'reliability/image-tag', errors: 1, warnings: 0 }, { rule: 'validate/missing', errors: 1, warnings: 0 }],
    });
  });

  test('--format sarif prints a SARIF 2.1.0 log: every rule, one result per problem at its file and field line', () => {
    const r = validate(`${BROKEN}/image-latest.yaml`, `${BROKEN}/missing.yaml`, '--no-schemas', '--format', 'sarif');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.log[0]);
    expect(log).toMatchObject({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json' });
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('fleetcraft');
    const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
    for (const id of [...POLICY_RULES.map((x) => x.id), 'schema', 'api/name', 'validate/ambiguous-scalar', 'validate/missing']) expect(ids).toContain(id);
    expect(run.results).toEqual([
      {
        ruleId: 'reliability/image-tag', ruleIndex: ids.indexOf('reliability/image-tag'), level: 'error',
        message: { text: 'Deployment image-latest/app: spec.template.spec.containers[0].image: image "ghcr.io/example/app:latest" uses the mutable tag latest, so two nodes can run different code; pin a version tag or a digest' },
        locations: [{
          physicalLocation: { artifactLocation: { uri: `${BROKEN}/image-latest.yaml` }, region: { startLine: 36 } },
          logicalLocations: [{ fullyQualifiedName: 'Deployment image-latest/app/spec.template.spec.containers[0].image', kind: 'object' }],
        }],
      },
      {
        ruleId: 'validate/missing', ruleIndex: ids.indexOf('validate/missing'), level: 'error', message: { text: 'no such file or folder; check the path' },
        locations: [{ physicalLocation: { artifactLocation: { uri: `${BROKEN}/missing.yaml` } } }],
      },
    ]);
    expect(run.tool.driver.rules[ids.indexOf('reliability/image-tag')]).toEqual({
      id: 'reliability/image-tag', shortDescription: { text: 'Every image is pinned by a tag or a digest, and no tag is `latest`.' }, defaultConfiguration: { level: 'error' },
    });
  });

  test('multi-document files skip empty documents; List items are objects, located at their own line', () => {
    const dir = folder({
      'list.yaml': `---\n---\n# only a comment\n---\napiVersion: v1\nkind: List\nitems:\n  - ${CONFIG_MAP.trimEnd().split('\n').join('\n    ')}\n  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: s\n      namespace: app\n    data:\n      k: dg==\n`,
    });
    const r = flat(dir, '--no-schemas');
    expect(r.lines).toEqual([
      `${dir}/list.yaml:20: error: Secret app/s: data: carries literal secret values (keys: k), which would be committed to Git; deliver them through an ExternalSecret or the Pulumi program instead [security/secret-data]`,
    ]);
    expect(r.report).toMatchObject({ objects: 2, errors: 1, warnings: 0 });
  });

  test('folders are read recursively, in name order, skipping dot-files, other extensions and linked folders; a file named twice counts once', () => {
    const dir = folder({
      'b/deep/one.yml': CONFIG_MAP, 'a.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'app' } }),
      '.fleetcraft-manifest.json': '{"generator":"fleetcraft","files":[]}', '.git/config.yaml': 'not: [valid', 'README.md': '# hi',
    });
    fs.symlinkSync(path.join(dir, 'b/deep/one.yml'), path.join(dir, 'link.yaml'));
    fs.symlinkSync(path.join(dir, 'b'), path.join(dir, 'c-loop'));
    const r = flat(dir, path.join(dir, 'a.json'), '--no-schemas');
    expect(r.lines).toEqual([expect.stringMatching(/link\.yaml:1: error: ConfigMap app\/settings: is defined twice/)]);
    expect(r.report).toMatchObject({ files: 3 });
  });

  test('the same object twice is reported at the second, pointing at the first', () => {
    const dir = folder({ 'a.yaml': CONFIG_MAP, 'b.yaml': CONFIG_MAP });
    const r = flat(dir, '--no-schemas');
    expect(r.lines).toContain(`${dir}/b.yaml:1: error: ConfigMap app/settings: is defined twice (first at ${dir}/a.yaml:1); applying both to one cluster keeps only one: remove or rename one, or validate each cluster\'s manifests separately [validate/duplicate]`);
  });

  test('--skip leaves a rule out', () => {
    const r = validate(`${BROKEN}/secret-data.yaml`, '--no-schemas', '--skip', 'security/secret-data');
    expect(r.code).toBe(0);
  });

  test('--skip takes every id: the schema and API-server checks and what validate finds reading files too', () => {
    const dir = folder({ 'a.yaml': CONFIG_MAP.replace('name: settings', 'name: Settings').replace('data:', 'dta:'), 'b.yaml': 'not: [valid' });
    expect(flat(dir, '--no-schemas').lines.map((l) => /\[(.+)\]$/.exec(l)?.[1])).toEqual(['api/name', 'validate/yaml']);
    expect(flat(dir, '--no-schemas', '--skip', 'api/name', '--skip', 'validate/yaml')).toMatchObject({ code: 0, lines: [] });
    expect(validate(dir, '--skip', 'api/nmae').error[0]).toBe('fleetcraft validate: unknown rule "api/nmae" in --skip; list the rules with fleetcraft validate --list-rules');
  });

  test('one object is exempted, with a reason, from any rule or check its annotation names (several ids may share a reason)', () => {
    const annotated = (ids: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: Debug\n  namespace: app\n  annotations:\n    fleetcraft.io/skip-rules: "${ids}: a throwaway debug pod"\n  labels:\n    enabled: on\nspec:\n  containers: [{name: c, image: busybox}]\n`;
    const ids = (file: string) => flat(path.join(folder({ 'pod.yaml': file }), 'pod.yaml'), '--no-schemas', '--pod-security', 'privileged').lines
      .filter((l) => !l.includes(': warning: ')).map((l) => /\[([^\]]+)\]$/.exec(l)?.[1]);
    expect(ids(annotated('security/default-deny'))).toEqual(['validate/ambiguous-scalar', 'api/name', 'reliability/resources', 'reliability/image-tag']);
    expect(ids(annotated('validate/ambiguous-scalar, api/name, reliability/resources, reliability/image-tag, security/default-deny'))).toEqual([]);
    expect(ids(annotated('api/nmae'))).toContain('integrity/skip-rules');
  });

  test('--list-rules prints every rule and check; --explain RULE says what one requires and how to skip it', () => {
    const text = validate('--list-rules');
    expect(text.log.length).toBeGreaterThan(POLICY_RULES.length);
    expect(text.log[0]).toMatch(/^pss\/namespace-level +error +A Namespace's/);
    expect(text.log.some((l) => /^schema +error +The object matches its upstream schema/.test(l))).toBe(true);
    const json = validate('--list-rules', '--format', 'json');
    expect(JSON.parse(json.log[0]).slice(0, POLICY_RULES.length)).toEqual(POLICY_RULES.map((r) => ({ id: r.id, severity: r.severity, doc: r.doc })));
    expect(validate('--explain', 'security/host-mounts').log).toEqual([
      'security/host-mounts (error)',
      `  ${POLICY_RULES.find((r) => r.id === 'security/host-mounts')?.doc}`,
      '  skip it in one run: fleetcraft validate PATH --skip security/host-mounts',
      '  exempt one object, with a reason: annotate it fleetcraft.io/skip-rules: "security/host-mounts: <why this object is exempt>"',
    ]);
    expect(validate('--explain', 'validate/unrendered').log[3]).toBe('  it is reported on files, so it cannot be exempted per object');
    expect(validate('--explain', 'nope').code).toBe(2);
  });

  test('usage errors print the message and the usage, and exit 2', () => {
    const r = validate();
    expect(r.code).toBe(2);
    expect(r.error).toEqual(['fleetcraft validate: no PATH given; name the files or folders to check', VALIDATE_USAGE]);
  });

  test('problems format as file:line[:column]: severity: object: path: message [rule]', () => {
    const p: ValidateProblem = { file: 'a.yaml', line: 3, column: 7, severity: 'error', rule: 'validate/yaml', message: 'malformed YAML: x' };
    expect(formatProblem(p)).toBe('a.yaml:3:7: error: malformed YAML: x [validate/yaml]');
    expect(formatProblem({ file: 'b', severity: 'warning', rule: 'r', object: 'Pod a/b', path: '(root)', message: 'm' })).toBe('b: warning: Pod a/b: m [r]');
  });
});

describeWithSchemas('fleetcraft validate with schemas', () => {
  test('the valid fixtures pass the upstream schemas too', () => {
    const r = validate(VALID, '--schemas', SCHEMA_DIR);
    expect(r.error).toEqual([]);
    expect(r.log).toEqual(['validate passed: 5 file(s), 14 object(s), 0 error(s), 0 warning(s)']);
  });

  test('every broken fixture is reported, schema ones included', () => {
    const r = flat(BROKEN, '--schemas', SCHEMA_DIR);
    expect(r.code).toBe(1);
    for (const f of fs.readdirSync(BROKEN)) expect(r.lines.some((l) => l.startsWith(`${BROKEN}/${f}:`))).toBe(true);
  });

  test('the JSON report names the schema folder', () => {
    const r = validate(VALID, '--schemas', SCHEMA_DIR, '--format', 'json');
    expect(JSON.parse(r.log[0]).schemas).toMatchObject({ extra: SCHEMA_DIR });
  });

  test('null fields are unset, not schema errors; a wrong type still is', () => {
    expect(validate(`${THIRD_PARTY}/null-fields.yaml`, '--schemas', SCHEMA_DIR).log).toEqual(['validate passed: 1 file(s), 3 object(s), 0 error(s), 0 warning(s)']);
    const dir = folder({ 'a.yaml': fs.readFileSync(`${THIRD_PARTY}/null-fields.yaml`, 'utf8').replace('    rollingUpdate: null', '    rollingUpdate: fast') });
    expect(validate(dir, '--schemas', SCHEMA_DIR, '--format', 'json').log[0]).toContain('"path": "spec.strategy.rollingUpdate",\n      "message": "must be object"');
  });

  test('merge keys are merged before the schema check', () => {
    expect(validate(`${THIRD_PARTY}/merge-keys.yaml`, '--schemas', SCHEMA_DIR).code).toBe(0);
  });

  test('an unknown group is said to be unknown; --ignore-missing-schemas skips its schema check with a note', () => {
    const file = `${THIRD_PARTY}/gateway-api.yaml`;
    const r = flat(file, '--schemas', SCHEMA_DIR);
    expect(r.lines).toEqual([
      `${file}:2: error: Gateway edge/web: no schema for apiVersion gateway.networking.k8s.io/v1 kind Gateway: API group gateway.networking.k8s.io is unknown to the schemas (a custom resource?); add its CustomResourceDefinition to the schema folder or the input [schema]`,
    ]);
    const ignored = validate(file, '--schemas', SCHEMA_DIR, '--ignore-missing-schemas');
    expect(ignored.code).toBe(0);
    expect(ignored.error).toEqual(['note: no schema for gateway.networking.k8s.io/v1 Gateway; not schema-checked (--ignore-missing-schemas)']);
  });

  test('an unquoted scalar in a field only the schema knows takes a string is reported with the fix, not as a type error', () => {
    const file = path.join(folder({ 'a.yaml': `${CONFIG_MAP.replace('data:\n  mode: fast', 'immutable: on\ndata:\n  mode: fast')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: app\nspec:\n  ports:\n  - port: 80\n    appProtocol: 1.1\n` }), 'a.yaml');
    const r = flat(file, '--schemas', SCHEMA_DIR, '--skip', 'integrity/service-selector');
    // `immutable: on` is the boolean kubectl reads; `appProtocol: 1.1` the number where a string belongs.
    expect(r.lines).toEqual([
      `${file}:18: error: Service app/s: spec.ports[0].appProtocol: unquoted 1.1 is read by kubectl (YAML 1.1) as the number 1.1, but this field takes a string, so the API server rejects it; quote it: "1.1" [validate/ambiguous-scalar]`,
    ]);
  });

  test('a custom resource is checked against a CustomResourceDefinition among the inputs', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    const widget = (size: unknown) => JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'app' }, spec: { size } });
    expect(validate(folder({ 'crd.json': JSON.stringify(crd), 'w.json': widget(3) }), '--schemas', SCHEMA_DIR).code).toBe(0);
    const dir = folder({ 'crd.json': JSON.stringify(crd), 'w.json': widget('big') });
    expect(flat(dir, '--schemas', SCHEMA_DIR).lines).toContain(`${dir}/w.json:1: error: Widget app/w: spec.size: must be integer [schema]`);
  });
});

/** The problems of a JSON report as `severity rule object path`. */
function problemsOf(r: { log: string[] }): string[] {
  const report = JSON.parse(r.log[r.log.length - 1]) as { problems: Array<{ severity: string; rule: string; object?: string; path?: string }> };
  return report.problems.map((p) => [p.severity, p.rule, p.object, p.path].filter((x) => x !== undefined).join(' '));
}

describe('fleetcraft validate on third-party manifests: no false alarms', () => {
  test.each(['null-fields.yaml', 'merge-keys.yaml', 'name-only-volume.yaml'])('%s is clean', (file) => {
    const r = validate(`${THIRD_PARTY}/${file}`, '--no-schemas', '--format', 'json');
    expect(problemsOf(r)).toEqual([]);
    expect(r.code).toBe(0);
  });

  test('a namespace the input does not label is checked at --pod-security (default baseline); what only restricted forbids warns', () => {
    const file = `${THIRD_PARTY}/unlabelled-namespace.yaml`;
    const restrictedOnly = ['allowPrivilegeEscalation', 'runAsNonRoot', 'seccompProfile', 'capabilities.drop']
      .map((f) => `Deployment vendor/app spec.template.spec.containers[0].securityContext.${f}`);
    const rules = ['pss/restricted-privilege-escalation', 'pss/restricted-run-as-non-root', 'pss/restricted-seccomp', 'pss/restricted-capabilities'];
    const byDefault = validate(file, '--no-schemas', '--format', 'json', '--skip', 'security/read-only-root-fs');
    expect(problemsOf(byDefault)).toEqual(rules.map((rule, i) => `warning ${rule} ${restrictedOnly[i]}`));
    expect(byDefault.code).toBe(0);
    expect(JSON.parse(byDefault.log[0]).problems[0].message).toBe('container "app" does not set securityContext.allowPrivilegeEscalation=false; only Pod Security level restricted forbids it, and namespace vendor is checked at baseline (no Namespace object in the set labels it): to meet restricted, set it to false');
    const strict = validate(file, '--no-schemas', '--format', 'json', '--pod-security', 'restricted', '--skip', 'security/read-only-root-fs');
    expect(problemsOf(strict)).toEqual(rules.map((rule, i) => `error ${rule} ${restrictedOnly[i]}`));
    expect(strict.code).toBe(1);
    expect(problemsOf(validate(file, '--no-schemas', '--format', 'json', '--pod-security', 'privileged')).every((p) => p.startsWith('warning '))).toBe(true);
    expect(validate(file, '--pod-security', 'strict').error[0]).toBe('fleetcraft validate: unknown Pod Security level "strict" in --pod-security; use restricted, baseline, privileged');
  });

  test('security/declared-privilege: once, where a labelled namespace admits the pods; never on top of the pss/* errors', () => {
    const r = validate(`${THIRD_PARTY}/declared-privilege-once.yaml`, '--no-schemas', '--format', 'json');
    const found = problemsOf(r);
    expect(found.filter((p) => p.includes('declared-privilege'))).toEqual(['error security/declared-privilege Job baseline-ns/root-job metadata.annotations']);
    expect(found.filter((p) => p.includes('strict-ns')).every((p) => p.startsWith('error pss/restricted-'))).toBe(true);
    expect(found.filter((p) => p.includes('strict-ns'))).toHaveLength(4);
  });

  test.each([
    ['kustomize/kustomization.yaml', 2, 'is a kustomization, not manifests: render it first (kubectl kustomize <its folder> > rendered.yaml) and validate the output (this file was not checked)'],
    ['helm-template.yaml', 2, 'is an unrendered Helm template ("{{- if .Values.enabled }}"): render it first (helm template <release> <chart> > rendered.yaml) and validate the output (this file was not checked)'],
  ])('%s is reported once, with the command that renders it', (file, line, message) => {
    const r = flat(`${THIRD_PARTY}/${file}`, '--no-schemas');
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([`${THIRD_PARTY}/${file}:${line}: error: ${message} [validate/unrendered]`]);
    expect(r.report).toMatchObject({ objects: 0, errors: 1, warnings: 0 });
  });

  test('Go templates carried as data (alert annotations) are not taken for Helm', () => {
    const dir = folder({ 'rule.yaml': `${CONFIG_MAP}  summary: "{{ $labels.instance }} is down"
  body: |
    {{ if gt $value 1.0 }}high{{ end }}
` });
    expect(validate(dir, '--no-schemas').code).toBe(0);
  });
});

/** The problems of a JSON report of some rules, as `line severity rule object path`. */
function linesOf(r: { log: string[] }, rules: readonly string[]): string[] {
  const report = JSON.parse(r.log[r.log.length - 1]) as { problems: Array<{ line?: number; severity: string; rule: string; object?: string; path?: string }> };
  return report.problems.filter((p) => rules.includes(p.rule)).map((p) => `${p.line} ${p.severity} ${p.rule} ${p.object} ${p.path}`);
}

describe('fleetcraft validate on third-party manifests: the dangerous things are caught', () => {
  const json = (file: string, ...args: string[]) => validate(`${THIRD_PARTY}/${file}`, '--no-schemas', '--format', 'json', ...args);

  test('credentials in plain env values, never echoing them; a Secret reference or a file path is fine', () => {
    const r = json('env-credentials.yaml');
    expect(linesOf(r, ['security/env-credentials'])).toEqual([
      '11 error security/env-credentials Pod creds/db spec.containers[0].env[1].value',
      '12 error security/env-credentials Pod creds/db spec.containers[0].env[2].value',
    ]);
    expect(r.log.join('\n')).not.toMatch(/hunter2|supersecret/);
  });

  test('RBAC: wildcards, cluster-admin for every authenticated identity, a cluster-wide Secret reader', () => {
    const r = json('rbac.yaml');
    expect(linesOf(r, POLICY_RULES.map((x) => x.id))).toEqual([
      '6 error security/rbac-wildcard ClusterRole example-operator rules[0]',
      '13 error security/rbac-cluster-admin ClusterRoleBinding everyone-admin roleRef',
      '21 error security/rbac-secrets ClusterRole log-shipper rules[0]',
    ]);
    expect(JSON.parse(r.log[0]).problems[1].message).toBe('grants cluster-admin, every action on every resource in every namespace, to every authenticated user and service account of the cluster (Group/system:authenticated); bind a role with only the verbs and resources needed, or, if it truly needs it, say why in its fleetcraft.io/skip-rules annotation ("security/rbac-cluster-admin: <why>")');
  });

  test('sensitive host mounts, even in a privileged namespace with the opt-outs recorded', () => {
    const r = json('host-mounts.yaml');
    expect(linesOf(r, POLICY_RULES.map((x) => x.id))).toEqual([
      '42 error security/host-mounts DaemonSet agents/log-agent spec.template.spec.volumes[1].hostPath.path',
      '43 error security/host-mounts DaemonSet agents/log-agent spec.template.spec.volumes[2].hostPath.path',
    ]);
  });

  test('unquoted YAML 1.1 booleans and numbers where the API takes a string, at their own line, with the fix', () => {
    const file = `${THIRD_PARTY}/yaml-1.1-scalars.yaml`;
    const r = flat(file, '--no-schemas');
    expect(r.lines).toEqual([
      `${file}:9: error: ConfigMap scalars/settings: metadata.labels.enabled: unquoted on is read by kubectl (YAML 1.1) as the boolean true, but this field takes a string, so the API server rejects it; quote it: "on" [validate/ambiguous-scalar]`,
      `${file}:12: error: ConfigMap scalars/settings: metadata.annotations.version: unquoted 1.10 is read by kubectl (YAML 1.1) as the number 1.1, but this field takes a string, so the API server rejects it; quote it: "1.10" [validate/ambiguous-scalar]`,
      `${file}:14: error: ConfigMap scalars/settings: data.FEATURE_X: unquoted y is read by kubectl (YAML 1.1) as the boolean true, but this field takes a string, so the API server rejects it; quote it: "y" [validate/ambiguous-scalar]`,
    ]);
  });

  test('a bare Pod a Service routes to needs probes; identical probes and a writable root file system warn', () => {
    expect(linesOf(json('served-pod.yaml'), POLICY_RULES.map((x) => x.id))).toEqual([
      '24 error reliability/probes Pod served/cache spec.containers[0]',
      '54 warning reliability/identical-probes Deployment served/api spec.template.spec.containers[0].livenessProbe',
      '56 warning security/read-only-root-fs Deployment served/api spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
    ]);
  });
});

describe('fleetcraft validate on hostile inputs', () => {
  const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: app\ndata:\n  mode: fast\n`;
  const rulesOf = (r: { lines: string[] }) => r.lines.map((l) => /\[([^\]]+)\]$/.exec(l)?.[1]);

  test('a file over the size limit is refused without being read', () => {
    const dir = folder({});
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 65 * 1024 * 1024); // sparse: no memory or disk used
    const r = flat(big, '--no-schemas');
    expect(r.code).toBe(1);
    expect(r.lines[0]).toBe(`${big}: error: is 68157440 bytes, more than the 64 MiB validate reads from one file; split it (one object is at most about 1.5 MiB) [validate/too-large]`);
  });

  test('a document over the API server\'s object size is refused by line', () => {
    const file = path.join(folder({ 'a.yaml': `${CM('small')}---\n${CM('huge')}  blob: ${'x'.repeat(3.5 * 1024 * 1024)}\n` }), 'a.yaml');
    const r = flat(file, '--no-schemas');
    expect(r.lines[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:9: error: document is \\d+ bytes; the API server refuses objects over about 1.5 MiB`));
    expect(r.report).toMatchObject({ objects: 1, errors: 1, warnings: 0 });
  });

  test('a FIFO or a device is reported, never read (no hang)', () => {
    const dir = folder({});
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(flat(fifo, '--no-schemas').lines[0]).toBe(`${fifo}: error: is not a regular file or folder (a pipe, socket or device); validate reads files and folders only [validate/not-a-file]`);
    expect(rulesOf(flat('/dev/zero', '--no-schemas'))).toEqual(['validate/not-a-file']);
    expect(flat(dir, '--no-schemas').lines[0]).toContain('folder holds no .yaml, .yml or .json files');
  });

  test.each([
    ['UTF-16 with a byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CM('u16'), 'utf16le')]), 'is UTF-16 (it starts with a UTF-16 byte-order mark)'],
    ['UTF-16 without one', Buffer.from(CM('u16'), 'utf16le'), 'holds a NUL byte at offset 1, so it is binary or UTF-16/32, not text'],
    ['Latin-1', Buffer.from(`${CM('latin')}  note: caf\xe9\n`, 'latin1'), 'is not valid UTF-8 (Latin-1 or another single-byte encoding?)'],
    ['binary', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]), 'holds a NUL byte at offset 6, so it is binary or UTF-16/32, not text'],
  ])('%s is an encoding problem, its bytes never echoed', (_name, bytes, message) => {
    const dir = folder({});
    const file = path.join(dir, 'x.yaml');
    fs.writeFileSync(file, bytes);
    const r = flat(file, '--no-schemas');
    expect(r.code).toBe(1);
    expect(r.lines[0]).toBe(`${file}: error: ${message}; Kubernetes manifests are UTF-8: convert it (e.g. iconv -t UTF-8) and validate again [validate/encoding]`);
  });

  test('a UTF-8 byte-order mark is accepted', () => {
    const file = path.join(folder({}), 'bom.yaml');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CM('bom'))]));
    expect(validate(file, '--no-schemas').code).toBe(0);
  });

  test('an empty file is treated like an empty folder', () => {
    const file = path.join(folder({ 'empty.yaml': '\n\n' }), 'empty.yaml');
    expect(flat(file, '--no-schemas').lines[0]).toBe(`${file}: error: file is empty; point validate at rendered manifests [validate/no-manifests]`);
  });

  test('deep but valid nesting is checked; nesting beyond what validate follows is said so, never called malformed', () => {
    const deep = (n: number) => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: app\nspec:\n  x: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    expect(validate(path.join(folder({ 'a.yaml': deep(200) }), 'a.yaml'), '--no-schemas').code).toBe(0);
    for (const n of [300, 5000]) {
      const r = flat(path.join(folder({ 'a.yaml': deep(n) }), 'a.yaml'), '--no-schemas');
      expect(rulesOf(r)).toEqual(['validate/too-deep']);
      expect(r.lines.join('\n')).not.toContain('malformed');
    }
  });
});

describeWithSchemas('fleetcraft validate finds the schemas from any directory', () => {
  const ROOT = path.resolve(__dirname, '..', '..');
  const file = path.join(folder({ 'typo.yaml': CONFIG_MAP.replace('data:', 'dta:') }), 'typo.yaml');
  const run = (cwd: string) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'fleetcraft.js'), 'validate', file, '--format', 'json'], { cwd, encoding: 'utf8' });

  test('the same verdict and schema folder from the project root, its parent and /', () => {
    const runs = [ROOT, path.dirname(ROOT), '/'].map(run);
    expect(runs.map((r) => r.status)).toEqual([1, 1, 1]);
    expect(JSON.parse(runs[0].stdout)).toMatchObject({ schemas: { bundle: shippedSchemaBundle()?.hash.slice(0, 12), extra: null } });
    expect(JSON.parse(runs[0].stdout).problems.map((p: { rule: string }) => p.rule)).toContain('schema');
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);
  });
});
