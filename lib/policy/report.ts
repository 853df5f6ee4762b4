/**
 * How `fleetcraft validate` reports what it found: grouped text for people, SARIF 2.1.0 for code-scanning tools.
 * Pure: problems in, lines or a document out.
 */

/** One problem found in the input: a finding on an object, or a file that cannot be read as manifests. */
export interface ReportProblem {
  readonly file: string;
  /** 1-based line of the offending field (or of its object, or of a YAML error); absent for a missing file. */
  readonly line?: number;
  /** 1-based column of a YAML error. */
  readonly column?: number;
  readonly severity: 'error' | 'warning';
  readonly rule: string;
  /** `Kind namespace/name`, for problems of an object. */
  readonly object?: string;
  /** 1-based line where the object starts, for problems of an object. */
  readonly objectLine?: number;
  /** Dotted path in the object, for problems of an object. */
  readonly path?: string;
  readonly message: string;
}

/** A rule or check as reports describe it. */
export interface ReportRule {
  readonly id: string;
  readonly severity: 'error' | 'warning';
  /** One line: what it requires. */
  readonly doc: string;
}

/** Errors and warnings per rule, in the order the text report lists them (errors first, most frequent first). */
export function countByRule(problems: readonly ReportProblem[]): Array<{ rule: string; errors: number; warnings: number }> {
  const counts = new Map<string, { rule: string; errors: number; warnings: number }>();
  for (const p of problems) {
    const c = counts.get(p.rule) ?? { rule: p.rule, errors: 0, warnings: 0 };
    if (p.severity === 'error') c.errors++;
    else c.warnings++;
    counts.set(p.rule, c);
  }
  return [...counts.values()].sort((a, b) => (b.errors > 0 ? 1 : 0) - (a.errors > 0 ? 1 : 0) || b.errors + b.warnings - (a.errors + a.warnings) || a.rule.localeCompare(b.rule));
}

/** What a message says is wrong, without how to fix it (the part before its first `; `). */
export function shortMessage(message: string): string {
  const at = message.indexOf('; ');
  return at < 0 ? message : message.slice(0, at);
}

/**
 * The text report: problems grouped by file, then by object (in input order, each object's findings by line), one
 * line per finding. The first finding of each rule shows its whole message (what is wrong, and the fix); later ones
 * only what is wrong. Then the count of findings per rule. Errors and warnings are interleaved, in order.
 */
export function textReport(problems: readonly ReportProblem[]): string[] {
  const out: string[] = [];
  const explained = new Set<string>();
  const line = (p: ReportProblem): string => {
    const where = `${p.line ?? '-'}${p.column !== undefined ? `:${p.column}` : ''}`;
    const message = explained.has(p.rule) ? shortMessage(p.message) : p.message;
    explained.add(p.rule);
    const path = p.path !== undefined && p.path !== '(root)' ? `${p.path}: ` : '';
    return `${where}: ${p.severity}: ${path}${message} [${p.rule}]`;
  };
  const files = [...new Set(problems.map((p) => p.file))];
  for (const file of files) {
    if (out.length > 0) out.push('');
    out.push(file);
    const here = problems.filter((p) => p.file === file);
    const groups: Array<{ object?: string; objectLine?: number; items: ReportProblem[] }> = [];
    for (const p of here) {
      const key = p.object === undefined ? undefined : `${p.object}@${p.objectLine ?? ''}`;
      const group = key === undefined ? undefined : groups.find((g) => g.object !== undefined && `${g.object}@${g.objectLine ?? ''}` === key);
      if (group) group.items.push(p);
      else groups.push({ object: p.object, objectLine: p.objectLine, items: [p] });
    }
    for (const g of groups) {
      const items = [...g.items].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      if (g.object === undefined) {
        for (const p of items) out.push(`  ${line(p)}`);
        continue;
      }
      out.push(`  ${g.object}${g.objectLine !== undefined ? ` (line ${g.objectLine})` : ''}`);
      for (const p of items) out.push(`    ${line(p)}`);
    }
  }
  const counts = countByRule(problems);
  if (counts.length > 0) {
    out.push('', 'findings by rule (the first finding of each shows the fix; fleetcraft validate --explain RULE says more):');
    const width = Math.max(...counts.map((c) => c.rule.length));
    for (const c of counts) {
      const parts = [c.errors > 0 ? `${c.errors} error(s)` : '', c.warnings > 0 ? `${c.warnings} warning(s)` : ''].filter((x) => x !== '');
      out.push(`  ${c.rule.padEnd(width)}  ${parts.join(', ')}`);
    }
  }
  return out;
}

/** A file path as a SARIF artifact URI: forward slashes, each segment percent-encoded. */
function artifactUri(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  const encoded = slashed.split('/').map((s) => encodeURIComponent(s)).join('/');
  return slashed.startsWith('/') ? `file://${encoded}` : encoded;
}

/**
 * The problems as one SARIF 2.1.0 log (what code-scanning UIs read): one run of the tool `fleetcraft`, every rule it
 * knows with its doc and default level, and one result per problem, located at its file, line and (for objects) the
 * object and field as a logical location.
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function sarifReport(problems: readonly ReportProblem[], rules: readonly ReportRule[], version: string): Record<string, unknown> {
  const known = [...rules, ...problems.filter((p) => !rules.some((r) => r.id === p.rule)).map((p) => ({ id: p.rule, severity: p.severity, doc: p.rule }))]
    .filter((r, i, all) => all.findIndex((x) => x.id === r.id) === i);
  const index = new Map(known.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'fleetcraft', version,
          rules: known.map((r) => ({
            id: r.id, shortDescription: { text: r.doc }, defaultConfiguration: { level: r.severity },
          })),
        },
      },
      columnKind: 'unicodeCodePoints',
      results: problems.map((p) => ({
        ruleId: p.rule, ruleIndex: index.get(p.rule), level: p.severity,
        message: { text: p.object !== undefined ? `${p.object}: ${p.path !== undefined && p.path !== '(root)' ? `${p.path}: ` : ''}${p.message}` : p.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: artifactUri(p.file) },
            ...(p.line !== undefined ? { region: { startLine: p.line, ...(p.column !== undefined ? { startColumn: p.column } : {}) } } : {}),
          },
          ...(p.object !== undefined ? { logicalLocations: [{ fullyQualifiedName: `${p.object}${p.path !== undefined && p.path !== '(root)' ? `/${p.path}` : ''}`, kind: 'object' }] } : {}),
        }],
      })),
    }],
  };
}
