import { checkPodSecurity, PodInput, PodSecurityFinding } from '../../policy/pod-security';
import { PodSecurityLevel } from '../../policy/pod-security-level';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The security opt-outs of a rendered agent pod template, in the order the `fleetcraft.io/security-opt-outs`
 * annotation lists them. Read off the template with the Pod Security checker the policy rules run, so the
 * annotation can never disagree with what admission (and `pss/*`) will see.
 */
export function agentOptOuts(template: PodInput): string[] {
  const spec = obj(template.spec);
  const baseline = checkPodSecurity(template, PodSecurityLevel.BASELINE);
  const restricted = checkPodSecurity(template, PodSecurityLevel.RESTRICTED);
  const found = (findings: PodSecurityFinding[], check: string, pathPrefix = '') =>
    findings.filter((f) => f.check === check && f.path.startsWith(pathPrefix));
  const agent = obj(list(spec.containers)[0]);
  const added = list(obj(obj(agent.securityContext).capabilities).add).map(String);
  const privilegedInit = found(baseline, 'baseline-privileged', 'spec.initContainers[')
    .map((f) => String(obj(list(spec.initContainers)[Number(/\[(\d+)\]/.exec(f.path)?.[1])]).name));
  const hostPaths = found(baseline, 'baseline-host-path').map((f) => String(obj(f.path.startsWith('spec.volumes[')
    ? obj(list(spec.volumes)[Number(/\[(\d+)\]/.exec(f.path)?.[1])]).hostPath : undefined).path));
  const tokenProjected = list(spec.volumes).some((v) => list(obj(obj(v).projected).sources).some((s) => obj(s).serviceAccountToken !== undefined));
  return [
    ...(found(baseline, 'baseline-host-namespaces', 'spec.hostNetwork').length > 0 ? ['hostNetwork'] : []),
    ...(found(baseline, 'baseline-privileged', 'spec.containers[').length > 0 ? ['privileged'] : []),
    ...(added.length > 0 ? [`capabilities=${added.join('+')}`] : []),
    ...(found(restricted, 'restricted-run-as-user', 'spec.containers[').length > 0 ? ['runAsRoot'] : []),
    ...(privilegedInit.length > 0 ? [`privilegedInitContainer=${privilegedInit.join('+')}`] : []),
    ...(hostPaths.length > 0 ? [`hostPath=${hostPaths.join('+')}`] : []),
    ...(spec.hostNetwork !== true && found(baseline, 'baseline-host-ports').length > 0 ? ['hostPort'] : []),
    ...(tokenProjected ? ['serviceAccountToken'] : []),
  ];
}
