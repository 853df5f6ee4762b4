import { dev } from './dev';
import { production } from './production';
import { EnvironmentSpec } from './schema';
import { staging } from './staging';
import { validateEnvironment } from './validate';

export * from './schema';
export * from './validate';
export { dev, staging, production };

/** Every environment, in the order they are rendered. */
export const ENVIRONMENTS: readonly EnvironmentSpec[] = [dev, staging, production];

/** The names of every environment. */
export const ENVIRONMENT_NAMES: readonly string[] = ENVIRONMENTS.map((e) => e.name);

/** Looks an environment up by name and validates it; an unknown name throws with the valid ones. */
export function getEnvironment(name: string): EnvironmentSpec {
  const env = ENVIRONMENTS.find((e) => e.name === name);
  if (!env) throw new Error(`unknown environment "${name}"; valid names: ${ENVIRONMENT_NAMES.join(', ')}`);
  return validateEnvironment(env);
}
