import { dnsLabelError } from '../../private/names';
import { checkRules, Rule } from '../../private/rules';

/** The construct name every NamespaceBaseline message starts with. */
export const NAMESPACE_BASELINE = 'NamespaceBaseline';

/** The facts the rules look at (defaults applied). */
export interface NamespaceBaselineFacts {
  readonly name: string;
  readonly podSecurityVersion: string;
}

/** The rules, in the order they are checked; the first broken one is thrown. */
export const NAMESPACE_BASELINE_RULES: readonly Rule<NamespaceBaselineFacts>[] = [
  (f) => {
    const error = dnsLabelError(f.name);
    return error ? ['name', f.name, error, 'use a DNS-1123 label such as "api"'] : undefined;
  },
  (f) => (!/^v1\.\d+$/.test(f.podSecurityVersion) && f.podSecurityVersion !== 'latest'
    ? ['podSecurityVersion', f.podSecurityVersion, 'is not a Kubernetes minor version', 'use the cluster\'s minor, e.g. "v1.36"']
    : undefined),
];

/** Throws the first rule a NamespaceBaseline's props break. */
export function validateNamespaceBaseline(id: string, facts: NamespaceBaselineFacts): void {
  checkRules(NAMESPACE_BASELINE, id, NAMESPACE_BASELINE_RULES, facts);
}
