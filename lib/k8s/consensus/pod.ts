import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { applyCapabilities, applyRuntimeDefaultSeccomp } from '../../private/security';

/** JSON pointer of cdk8s-plus's `cdk8s.io/metadata.addr` label inside a `labels` or `selector` map. */
const ADDRESS_LABEL_KEY = 'cdk8s.io~1metadata.addr';

/**
 * Finishes a cdk8s-plus pod template for the `restricted` Pod Security level: seccomp `RuntimeDefault`, every
 * capability of every listed container dropped, and cdk8s-plus's hashed `cdk8s.io/metadata.addr` pod label removed
 * (it follows the construct path, so a refactor would roll every pod; selectors use the standard labels instead).
 *
 * `templatePath` is the JSON pointer of the pod template (e.g. `/spec/template`).
 */
export function finishPodTemplate(
  resource: kplus.Resource,
  templatePath: string,
  containers: { readonly init?: number; readonly main: number },
): void {
  const api = ApiObject.of(resource);
  applyRuntimeDefaultSeccomp(api, `${templatePath}/spec`);
  for (let i = 0; i < (containers.init ?? 0); i++) applyCapabilities(api, `${templatePath}/spec/initContainers/${i}`);
  for (let i = 0; i < containers.main; i++) applyCapabilities(api, `${templatePath}/spec/containers/${i}`);
  api.addJsonPatch(JsonPatch.remove(`${templatePath}/metadata/labels/${ADDRESS_LABEL_KEY}`));
}

/** Removes the `cdk8s.io/metadata.addr` selector cdk8s-plus adds to a Service bound to a workload. */
export function removeAddressSelector(service: kplus.Service): void {
  ApiObject.of(service).addJsonPatch(JsonPatch.remove(`/spec/selector/${ADDRESS_LABEL_KEY}`));
}

/** Requests and a memory limit for the small helper containers of Jobs (snapshot, upload, membership). */
export function helperResources(): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(50) },
    memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
  };
}

/** The selector of one component's pods: `app.kubernetes.io/{name,instance}` from `labels`, plus the component. */
export function componentSelector(labels: Readonly<Record<string, string>>, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': labels['app.kubernetes.io/name'],
    'app.kubernetes.io/instance': labels['app.kubernetes.io/instance'],
    'app.kubernetes.io/component': component,
  };
}

/** What {@link statefulSetPatches} needs. */
export interface StatefulSetPatchOptions {
  readonly memberSelector: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly storage: Size;
  readonly storageClassName?: string;
  readonly dataMountPath: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** `DoNotSchedule` or `ScheduleAnyway`. */
  readonly whenUnsatisfiable: string;
  /** Mount the data volume, read-only, in the first init container too (after its own mounts). */
  readonly initDataMount?: boolean;
  /** The member container's key pair volume (read-only), mounted after the data volume. */
  readonly memberTlsMount?: { readonly name: string; readonly mountPath: string };
}

/**
 * What cdk8s-plus-27's StatefulSet cannot express: the data volume claim template and its mounts, the claim
 * retention policy, required per-node anti-affinity, zone spread and a node selector.
 */
export function statefulSetPatches(o: StatefulSetPatchOptions): JsonPatch[] {
  const spec = '/spec/template/spec';
  const selector = { matchLabels: { ...o.memberSelector } };
  const patches = [
    JsonPatch.add(`${spec}/containers/0/volumeMounts`, [
      { name: 'data', mountPath: o.dataMountPath },
      ...(o.memberTlsMount ? [{ name: o.memberTlsMount.name, mountPath: o.memberTlsMount.mountPath, readOnly: true }] : []),
    ]),
    JsonPatch.add('/spec/volumeClaimTemplates', [{
      metadata: { name: 'data', labels: { ...o.labels } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        // The L1 StatefulSet re-serializes its patched JSON, so a quantity in a patch must be a Quantity.
        resources: { requests: { storage: kplus.k8s.Quantity.fromString(o.storage.asString()) } },
        ...(o.storageClassName ? { storageClassName: o.storageClassName } : {}),
      },
    }]),
    // Keep data when the whole set is deleted; drop it for removed ordinals, so a member re-added later starts
    // empty and joins, instead of booting from the data of a member the cluster has already removed.
    JsonPatch.add('/spec/persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Delete' }),
    JsonPatch.add(`${spec}/affinity`, {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: selector }] },
    }),
    JsonPatch.add(`${spec}/topologySpreadConstraints`, [{
      maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: o.whenUnsatisfiable, labelSelector: selector,
    }]),
  ];
  if (o.initDataMount) patches.push(JsonPatch.add(`${spec}/initContainers/0/volumeMounts/-`, { name: 'data', mountPath: o.dataMountPath, readOnly: true }));
  if (o.nodeSelector) patches.push(JsonPatch.add(`${spec}/nodeSelector`, { ...o.nodeSelector }));
  return patches;
}
