import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ENVIRONMENTS, production } from '../../environments';
import { KubeObject } from '../../lib';
import { buildApps } from '../../stacks/cdk8s-app';
import { main } from '../../stacks/cli';
import { renderEnvironment } from '../../stacks/render';
import { synthEnvironments } from '../../stacks/synth';
import { expectConformant, findObject, SCHEMA_DIR } from '../util';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-synth-'));

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) } };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string) => {
    for (const e of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

function readObjects(dir: string): KubeObject[] {
  return listFiles(dir).filter((f) => f.endsWith('.yaml')).flatMap((f) =>
    parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as KubeObject));
}

const rendered = ENVIRONMENTS.map((e) => renderEnvironment(e));
const TOTAL = rendered.reduce((n, r) => n + r.objects.length, 0);
const PRODUCTION = rendered[2].objects.length;

const schemaArgs = fs.existsSync(SCHEMA_DIR) ? ['--schemas', SCHEMA_DIR] : ['--no-schemas'];

describe('fleetcraft synth', () => {
  const dir = tmp();
  const first = capture();
  const code = main(['synth', '--out', dir, ...schemaArgs], first.out);
  const firstFiles = Object.fromEntries(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

  test('renders every environment, production into three cluster folders and argocd', () => {
    expect(first.errors.filter((e) => !e.startsWith('warning'))).toEqual([]);
    expect(code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['dev', 'production', 'staging']);
    expect(fs.readdirSync(path.join(dir, 'production')).filter((f) => !f.startsWith('.')).sort()).toEqual(['argocd', 'prod-apse1', 'prod-euw1', 'prod-use1']);
    expect(fs.readdirSync(path.join(dir, 'dev'))).toContain('dev-use1');
  });

  test('prints a line per environment and a summary', () => {
    expect(first.lines).toContain(`production: 3 cluster(s), ${PRODUCTION} objects`);
    expect(first.lines[first.lines.length - 1]).toMatch(new RegExp(`^wrote ${TOTAL} objects for 3 environment\\(s\\) and 5 cluster\\(s\\) to ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
  });

  test('every object written passes the conformance harness', () => {
    const objects = readObjects(dir);
    expect(objects).toHaveLength(TOTAL);
    expectConformant(objects);
  });

  test('each cluster gets the namespace baseline with restricted Pod Security', () => {
    const objects = readObjects(path.join(dir, 'production/prod-euw1'));
    const ns = findObject(objects, 'Namespace', 'api');
    expect(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(findObject(objects, 'NetworkPolicy', 'consensus-default-deny-all', 'consensus').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('a second run produces byte-identical files and changes nothing', () => {
    const second = capture();
    expect(main(['synth', '--out', dir, ...schemaArgs], second.out)).toBe(0);
    const secondFiles = Object.fromEntries(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    expect(secondFiles).toEqual(firstFiles);
    expect(second.lines[second.lines.length - 1]).toContain(`(0 changed, ${TOTAL + 3} unchanged, 0 removed)`);
  });

  test('--check passes on the folder, then fails with a diff after a hand edit', () => {
    const ok = capture();
    expect(main(['synth', '--out', dir, '--check', ...schemaArgs], ok.out)).toBe(0);
    const file = path.join(dir, 'dev/dev-use1/baseline/namespace-api.yaml');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace('restricted', 'privileged'));
    const drift = capture();
    expect(main(['synth', '--out', dir, '--check', ...schemaArgs], drift.out)).toBe(1);
    expect(drift.lines.join('\n')).toContain('-    pod-security.kubernetes.io/audit: privileged');
    expect(drift.errors.join('\n')).toContain('check failed: 1 file(s) differ');
    fs.writeFileSync(file, original);
  });

  test('--env renders one environment', () => {
    const one = tmp();
    expect(main(['synth', '--env', 'staging', '--out', one, '--no-schemas'], capture().out)).toBe(0);
    expect(fs.readdirSync(one)).toEqual(['staging']);
  });

  test('an unknown environment is a usage error naming the valid ones', () => {
    const bad = capture();
    expect(main(['synth', '--env', 'prod', '--out', tmp()], bad.out)).toBe(2);
    expect(bad.errors[0]).toBe('fleetcraft synth: unknown environment "prod"; valid names: dev, staging, production, all');
  });

  test('an unknown option and an unknown command are usage errors', () => {
    const bad = capture();
    expect(main(['synth', '--outt', 'x'], bad.out)).toBe(2);
    expect(bad.errors[0]).toContain("Unknown option '--outt'");
    expect(main(['deploy'], bad.out)).toBe(2);
    expect(bad.errors).toContain('fleetcraft: unknown command "deploy"; commands: synth, validate, plan, graph');
  });

  test('an output path synth cannot use is refused before anything is rendered', () => {
    const file = path.join(tmp(), 'file');
    fs.writeFileSync(file, 'x');
    const empty = capture();
    expect(main(['synth', '--out', '', '--no-schemas'], empty.out)).toBe(2);
    expect(empty.errors[0]).toBe("fleetcraft synth: --out '' names no folder; give a folder, e.g. --out dist");
    for (const [out, message] of [
      [file, `fleetcraft synth: the output folder ${file} is a file, not a folder; nothing was rendered. Point --out at a folder`],
      [path.join(file, 'sub'), `fleetcraft synth: the output folder ${path.join(file, 'sub')} lies below ${file}, which is a file; nothing was rendered. Point --out at a folder`],
    ]) {
      const bad = capture();
      expect(main(['synth', '--out', out, '--no-schemas'], bad.out)).toBe(1);
      expect(bad.errors).toEqual([message]);
      expect(bad.lines).toEqual([]);
    }
    const lock = capture();
    expect(main(['synth', '--out', tmp(), '--lock-timeout', 'soon'], lock.out)).toBe(2);
    expect(lock.errors[0]).toBe('fleetcraft synth: --lock-timeout "soon" is not a number of seconds from 0 to 3600; e.g. --lock-timeout 120');
  });

  test('an invalid environment leaves the output folder byte-identical', () => {
    const before = Object.fromEntries(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    const broken = { ...production, regions: [production.regions[0], { ...production.regions[1], clusterName: 'prod-use1' }] };
    expect(() => synthEnvironments([broken], { outDir: dir, check: false }, capture().out)).toThrow(
      'cluster name "prod-use1" is used by two regions; give each cluster its own name');
    const after = Object.fromEntries(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    expect(after).toEqual(before);
  });
});

describe('cdk8s app (cdk8s.yaml)', () => {
  test('synthesizes every environment, one file per chart', () => {
    const dir = tmp();
    for (const app of buildApps(dir)) app.synth();
    expect(listFiles(dir)).toContain('production-prod-apse1/production-prod-apse1-baseline.k8s.yaml');
    const objects = readObjects(dir);
    expect(objects).toHaveLength(TOTAL);
    expectConformant(objects);
  });
});
