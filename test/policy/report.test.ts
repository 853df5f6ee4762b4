import { countByRule, ReportProblem, sarifReport, shortMessage, textReport } from '../../lib/policy/report';

const web = { file: 'a.yaml', object: 'Deployment shop/web', objectLine: 1 };
const PROBLEMS: ReportProblem[] = [
  { ...web, line: 9, severity: 'error', rule: 'security/env-credentials', path: 'spec.template.spec.containers[0].env[0].value', message: 'sets DB_PASSWORD to a literal value; read it from a Secret' },
  { ...web, line: 4, severity: 'warning', rule: 'reliability/spread', path: 'spec.template.spec', message: 'does not spread; spread it' },
  { ...web, line: 10, severity: 'error', rule: 'security/env-credentials', path: 'spec.template.spec.containers[0].env[1].value', message: 'sets API_TOKEN to a literal value; read it from a Secret' },
  { file: 'b.yaml', line: 2, column: 3, severity: 'error', rule: 'validate/yaml', message: 'malformed YAML: x; fix the syntax' },
];

describe('the text report', () => {
  test('groups by file and object, sorts an object\'s findings by line, shows a rule\'s fix once, and counts per rule', () => {
    expect(textReport(PROBLEMS)).toEqual([
      'a.yaml',
      '  Deployment shop/web (line 1)',
      '    4: warning: spec.template.spec: does not spread; spread it [reliability/spread]',
      '    9: error: spec.template.spec.containers[0].env[0].value: sets DB_PASSWORD to a literal value; read it from a Secret [security/env-credentials]',
      '    10: error: spec.template.spec.containers[0].env[1].value: sets API_TOKEN to a literal value [security/env-credentials]',
      '',
      'b.yaml',
      '  2:3: error: malformed YAML: x; fix the syntax [validate/yaml]',
      '',
      'findings by rule (the first finding of each shows the fix; fleetcraft validate --explain RULE says more):',
      '  security/env-credentials  2 error(s)',
      '  validate/yaml             1 error(s)',
      '  reliability/spread        1 warning(s)',
    ]);
  });

  test('nothing found, nothing printed', () => {
    expect(textReport([])).toEqual([]);
    expect(countByRule([])).toEqual([]);
  });

  test('a short message is what is wrong, without the fix', () => {
    expect(shortMessage('image "x" has no tag; pin it')).toBe('image "x" has no tag');
    expect(shortMessage('no fix here')).toBe('no fix here');
  });
});

describe('the SARIF report', () => {
  test('lists the rules given and any others found, and locates each result at its file, line and field', () => {
    const log = sarifReport(PROBLEMS, [{ id: 'reliability/spread', severity: 'warning', doc: 'Replicas spread.' }], '1.2.3') as {
      version: string; runs: Array<{ tool: { driver: { version: string; rules: Array<{ id: string }> } }; results: Array<Record<string, unknown>> }>;
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].tool.driver.version).toBe('1.2.3');
    expect(log.runs[0].tool.driver.rules.map((r) => r.id)).toEqual(['reliability/spread', 'security/env-credentials', 'validate/yaml']);
    expect(log.runs[0].results[3]).toEqual({
      ruleId: 'validate/yaml', ruleIndex: 2, level: 'error', message: { text: 'malformed YAML: x; fix the syntax' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'b.yaml' }, region: { startLine: 2, startColumn: 3 } } }],
    });
    expect(log.runs[0].results[0]).toMatchObject({
      level: 'error',
      locations: [{ logicalLocations: [{ fullyQualifiedName: 'Deployment shop/web/spec.template.spec.containers[0].env[0].value', kind: 'object' }] }],
    });
  });

  test('paths become URIs: forward slashes, encoded segments, absolute ones as file URIs', () => {
    const log = sarifReport([{ file: '/tmp/my dir/a b.yaml', severity: 'error', rule: 'validate/missing', message: 'm' }], [], '1') as {
      runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
    };
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('file:///tmp/my%20dir/a%20b.yaml');
  });
});
