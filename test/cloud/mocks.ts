/** Shared helpers of the Pulumi tests, over the mock runtime (stacks/mock-runtime.ts): the mock monitor does not see resource options, so record them here. */
import * as pulumi from '@pulumi/pulumi';
import { ProgramRun, runUnderMocks } from '../../stacks/mock-runtime';

/** Each resource's `dependsOn`, as `type::name` keys, filled in as resources register. */
export type DependsOnRecord = Map<string, string[]>;

/**
 * Registers a stack transformation (call it inside a program under the mocks) that records each resource's
 * `dependsOn` into `record` as `type::name` keys; `keys` receives each resource's key too.
 */
export function recordDependsOn(record: DependsOnRecord, keys = new Map<pulumi.Resource, string>()): void {
  pulumi.runtime.registerStackTransformation((t) => {
    const key = `${t.type}::${t.name}`;
    keys.set(t.resource, key);
    const deps = t.opts.dependsOn === undefined ? [] : Array.isArray(t.opts.dependsOn) ? t.opts.dependsOn : [t.opts.dependsOn];
    record.set(key, (deps as pulumi.Resource[]).map((d) => keys.get(d) ?? '<unregistered>'));
    return undefined;
  });
}

/** Runs `fn` under the mocks and returns what registered, with each resource's `dependsOn`. */
export async function runRecordingDependsOn(fn: () => void): Promise<ProgramRun & { dependsOn: ReadonlyMap<string, string[]> }> {
  const dependsOn: DependsOnRecord = new Map();
  const run = await runUnderMocks('test', {}, () => {
    recordDependsOn(dependsOn);
    fn();
    return {};
  });
  return { ...run, dependsOn };
}
