import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';

/**
 * The layering rules of eslint.config.mjs catch what they claim: a planted import circle under lib/, and lib/
 * reaching into stacks/. The planted files live in a scratch folder under lib/ for the length of the test only.
 */
const ROOT = path.resolve(__dirname, '..');

function lintPlanted(files: Record<string, string>): string[] {
  const dir = fs.mkdtempSync(path.join(ROOT, 'lib', '.planted-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    // The CLI in a child process: jest cannot load the flat config (an ES module) in its own VM.
    const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', ...Object.keys(files).map((name) => path.join(dir, name))],
      { cwd: ROOT, encoding: 'utf8' });
    const results = JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null }> }>;
    return results.flatMap((r) => r.messages.map((m) => `${path.basename(r.filePath)}: ${m.ruleId}`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('lint enforces the layering', () => {
  test('an import circle under lib/ fails lint', () => {
    expect(lintPlanted({
      'a.ts': "import { b } from './b';\nexport const a = (): number => b() + 1;\n",
      'b.ts': "import { a } from './a';\nexport const b = (): number => a() - 1;\n",
    })).toEqual(['a.ts: import-x/no-cycle', 'b.ts: import-x/no-cycle']);
  });

  test('lib/ importing stacks/ fails lint', () => {
    expect(lintPlanted({
      'c.ts': "import { ARGOCD_NAMESPACE } from '../../stacks/argocd';\nexport const c = ARGOCD_NAMESPACE;\n",
    })).toEqual(['c.ts: import-x/no-restricted-paths']);
  });
});

describe('no file under lib/ imports a file that imports it back', () => {
  // import-x/no-cycle skips type-only imports; this walk counts them too.
  test('the import graph of lib/, type imports included, has no circle', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(path.join(ROOT, 'lib'));
    const deps = new Map(files.map((f) => [f, [...fs.readFileSync(f, 'utf8').matchAll(/from\s+'(\.[^']*)'/g)]
      .map((m) => path.resolve(path.dirname(f), m[1]))
      .map((base) => [`${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c)))
      .filter((c): c is string => c !== undefined)]));
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        circles.push([...trail.slice(trail.indexOf(f)), f].map((p) => path.relative(ROOT, p)).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const d of deps.get(f) ?? []) visit(d, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(circles).toEqual([]);
  });
});
