/**
 * The entry `cdk8s synth` runs (see cdk8s.yaml): every environment, one cdk8s App per cluster written to
 * `<outdir>/<env>-<cluster>/`, one file per chart (`<env>-<cluster>-<component>.k8s.yaml`; cdk8s' file-per-resource mode names files `<Kind>.<name>` and silently
 * overwrites same-named objects of different namespaces).
 * `cdk8s synth` empties its output folder first, so point it at a scratch folder, never at a GitOps repo;
 * `fleetcraft synth` is the command that writes a GitOps tree safely.
 */
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { ENVIRONMENTS, validateEnvironment } from '../environments';
import { buildEnvironment } from './platform';

/** Builds the cdk8s Apps of every environment: one per cluster (and one per environment's Argo CD objects). */
export function buildApps(outdir = process.env.CDK8S_OUTDIR ?? 'cdk8s.out'): App[] {
  const apps: App[] = [];
  for (const env of ENVIRONMENTS) {
    buildEnvironment(validateEnvironment(env), (name) => {
      const app = new App({ outdir: path.join(outdir, name), yamlOutputType: YamlOutputType.FILE_PER_CHART });
      apps.push(app);
      return app;
    });
  }
  return apps;
}

if (require.main === module) {
  for (const app of buildApps()) app.synth();
}
