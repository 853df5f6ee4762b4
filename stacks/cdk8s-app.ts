/**
 * The entry `cdk8s synth` runs (see cdk8s.yaml): every environment into one cdk8s App, one file per chart
 * (`<env>-<cluster>-<component>.k8s.yaml`; cdk8s' file-per-resource mode names files `<Kind>.<name>` and silently
 * overwrites same-named objects of different namespaces).
 * `cdk8s synth` empties its output folder first, so point it at a scratch folder, never at a GitOps repo;
 * `fleetcraft synth` is the command that writes a GitOps tree safely.
 */
import { App, YamlOutputType } from 'cdk8s';
import { ENVIRONMENTS, validateEnvironment } from '../environments';
import { buildEnvironment } from './platform';

/** Builds the cdk8s App holding every environment's charts. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  for (const env of ENVIRONMENTS) buildEnvironment(app, validateEnvironment(env));
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
