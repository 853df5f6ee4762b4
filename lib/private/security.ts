import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/** The non-root user and group fleetcraft runs containers as unless a construct's props say otherwise. */
export const DEFAULT_RUN_AS = 65532;

/**
 * A container security context for the `restricted` Pod Security level: non-root, read-only root filesystem, no
 * privilege escalation. Capabilities are not set here: cdk8s-plus-27 has no `ALL` and spells capabilities with a
 * `CAP_` prefix that Pod Security admission does not recognise; use {@link applyCapabilities}.
 */
export function restrictedContainerSecurity(opts: { user?: number; group?: number } = {}): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: opts.user ?? DEFAULT_RUN_AS,
    group: opts.group ?? DEFAULT_RUN_AS,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
  };
}

/**
 * Drops every capability of one container and adds exactly `add` (Kubernetes spelling, e.g. `NET_ADMIN`).
 * `containerPointer` is the container's JSON pointer, e.g. `/spec/template/spec/containers/0`.
 */
export function applyCapabilities(resource: kplus.Resource | ApiObject, containerPointer: string, add: readonly string[] = []): void {
  const api = resource instanceof ApiObject ? resource : ApiObject.of(resource);
  const capabilities = add.length > 0 ? { drop: ['ALL'], add: [...add] } : { drop: ['ALL'] };
  api.addJsonPatch(JsonPatch.add(`${containerPointer}/securityContext/capabilities`, capabilities));
}

/** A pod security context for restricted pods: non-root, with the same user and group, fsGroup for volumes. */
export function restrictedPodSecurity(opts: { user?: number; group?: number } = {}): kplus.PodSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: opts.user ?? DEFAULT_RUN_AS,
    group: opts.group ?? DEFAULT_RUN_AS,
    fsGroup: opts.group ?? DEFAULT_RUN_AS,
    fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
  };
}

/**
 * Sets `seccompProfile: RuntimeDefault` on a pod template (cdk8s-plus-27 has no prop for it, and `restricted`
 * requires it). `templatePath` is the JSON pointer of the pod spec, e.g. `/spec/template/spec`.
 */
export function applyRuntimeDefaultSeccomp(resource: kplus.Resource | ApiObject, templatePath = '/spec/template/spec'): void {
  const api = resource instanceof ApiObject ? resource : ApiObject.of(resource);
  api.addJsonPatch(JsonPatch.add(`${templatePath}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }));
}
