import { ApiObject, JsonPatch } from 'cdk8s';

const LATE_PATCHES = Symbol('fleetcraft.latePatches');

type Patched = ApiObject & { [LATE_PATCHES]?: JsonPatch[] };

/**
 * Adds JSON patches applied to an object's final JSON, after cdk8s-plus-27's typed `toJson` mapping.
 *
 * `ApiObject.addJsonPatch` runs before that mapping, which copies only the fields Kubernetes 1.27 knew and silently
 * drops newer ones (e.g. `lifecycle.preStop.sleep`, Kubernetes 1.30+). Use this for such fields only.
 */
export function addLatePatch(obj: ApiObject, ...patches: JsonPatch[]): void {
  const target = obj as Patched;
  let list = target[LATE_PATCHES];
  if (!list) {
    const pending: JsonPatch[] = [];
    list = pending;
    target[LATE_PATCHES] = pending;
    const typed = obj.toJson.bind(obj);
    obj.toJson = () => JsonPatch.apply(typed(), ...pending);
  }
  list.push(...patches);
}
