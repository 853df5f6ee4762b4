/**
 * The API's smoke test: an Argo CD PostSync hook of each cluster's `api` Application that asks the API's readiness
 * endpoint, through its Service, whether it answers, and fails the sync when it does not.
 */
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ADDONS, AddonName, AutoscaledService, NetworkPeer } from '../lib';
import { ISTIO_INJECT_LABEL, ISTIOD_XDS_PORT, NATIVE_SIDECAR_ANNOTATION } from '../lib/k8s/autoscaled-service/mesh';
import { dnsEgress } from '../lib/private/network-policy';
import { applyCapabilities, applyRuntimeDefaultSeccomp, restrictedContainerSecurity, restrictedPodSecurity } from '../lib/private/security';

/** The name of the smoke test's Job, ServiceAccount and NetworkPolicy. */
export const SMOKE_TEST_NAME = 'api-smoke-test';
/** curl, pinned: its image has no shell, and curl's own options give the bounded retries. */
export const SMOKE_TEST_IMAGE = 'docker.io/curlimages/curl:8.11.1';
/** Attempts after the first, `RETRY_DELAY` apart, each bounded by `ATTEMPT_TIMEOUT`: about two minutes in all. */
export const SMOKE_TEST_RETRIES = 12;
const RETRY_DELAY = Duration.seconds(5);
const ATTEMPT_TIMEOUT = Duration.seconds(5);
/** The Job gives up after this long whatever curl does; Argo CD then marks the sync failed. */
const DEADLINE = Duration.minutes(5);

/** The labels of the smoke test's pods; the API admits callers carrying them. */
export function smokeTestSelector(partOf: string): Record<string, string> {
  return { 'app.kubernetes.io/name': SMOKE_TEST_NAME, 'app.kubernetes.io/component': 'smoke-test', 'app.kubernetes.io/part-of': partOf };
}

/**
 * Who the API must admit for the smoke test: its pods in the API's namespace, and in the mesh only its service
 * account's identity (the AuthorizationPolicy checks the principal; the NetworkPolicy the pod labels).
 */
export function smokeTestPeer(namespace: string, partOf: string, mesh: boolean): NetworkPeer {
  return { namespace, podLabels: smokeTestSelector(partOf), serviceAccount: mesh ? SMOKE_TEST_NAME : undefined };
}

/** What the smoke test needs to know. */
export interface ApiSmokeTestOptions {
  /** The API of this cluster: its Service, port and readiness path are read from it. */
  readonly api: AutoscaledService;
  readonly partOf: string;
  /**
   * Whether the API is in the Istio mesh (STRICT mTLS): the Job's pod then gets a native sidecar, which speaks
   * mutual TLS with the mesh's certificates (istiod's CA, which the API's sidecars trust), and may reach istiod.
   */
  readonly mesh: boolean;
}

/** The smoke test's objects. */
export interface ApiSmokeTest {
  readonly job: kplus.Job;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly networkPolicy: kplus.k8s.KubeNetworkPolicy;
  /** The URL the Job asks. */
  readonly url: string;
}

/** The URL of the API's readiness endpoint through its Service (cluster DNS name, Service port, probe path). */
export function readinessUrl(api: AutoscaledService): string {
  // The path of the readiness probe the Deployment really has (its default applied), not a second copy of it.
  const deployment = ApiObject.of(api.deployment).toJson() as { spec?: { template?: { spec?: { containers?: Array<{ readinessProbe?: { httpGet?: { path?: string } } }> } } } };
  const path = deployment.spec?.template?.spec?.containers?.[0]?.readinessProbe?.httpGet?.path;
  if (path === undefined) throw new Error(`the API "${api.name}" has no HTTP readiness probe; give it readinessPath so the smoke test has an endpoint to ask`);
  return `http://${api.service.name}.${api.namespace}.svc.cluster.local:${api.service.port}${path}`;
}

/**
 * The PostSync hook Job: `curl --fail` on the API's readiness URL, retried on every error ({@link SMOKE_TEST_RETRIES}
 * times, 5 s apart, 5 s per attempt), one pod only (`backoffLimit` 0) and a 5-minute deadline. A failed Job fails the
 * sync; Argo CD re-creates it on the next sync (`BeforeHookCreation`) and deletes it once it succeeds
 * (`HookSucceeded`), so a failed one stays for `kubectl logs job/api-smoke-test -n api`. Restricted Pod Security,
 * its own service account without a token, and a NetworkPolicy allowing only DNS and the API's pods on their port
 * (plus istiod in the mesh).
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/resource_hooks/
 */
export function addApiSmokeTest(scope: Construct, options: ApiSmokeTestOptions): ApiSmokeTest {
  const { api, partOf, mesh } = options;
  const namespace = api.namespace;
  if (namespace === undefined) throw new Error(`the API "${api.name}" has no namespace; the smoke test runs next to it and needs one`);
  const servicePort = api.service.ports[0];
  const targetPort = servicePort?.targetPort ?? servicePort?.port;
  if (targetPort === undefined) throw new Error(`the API "${api.name}" Service has no port; the smoke test calls its first port`);
  const url = readinessUrl(api);
  const selector = smokeTestSelector(partOf);
  const labels = { ...selector, 'app.kubernetes.io/instance': SMOKE_TEST_NAME, 'app.kubernetes.io/managed-by': 'fleetcraft' };
  const meta = { name: SMOKE_TEST_NAME, namespace, labels };

  const c = new Construct(scope, 'SmokeTest');
  const serviceAccount = new kplus.ServiceAccount(c, 'ServiceAccount', { metadata: meta, automountToken: false });
  const job = new kplus.Job(c, 'Resource', {
    metadata: {
      ...meta,
      annotations: {
        'argocd.argoproj.io/hook': 'PostSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
      },
    },
    backoffLimit: 0,
    activeDeadline: DEADLINE,
    select: false,
    podMetadata: {
      labels: { ...labels, ...(mesh ? { [ISTIO_INJECT_LABEL]: 'true' } : {}) },
      annotations: mesh ? { [NATIVE_SIDECAR_ANNOTATION]: 'true' } : undefined,
    },
    serviceAccount,
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurity(),
    containers: [{
      name: 'smoke-test',
      image: SMOKE_TEST_IMAGE,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: [
        'curl', '--fail', '--silent', '--show-error', '--output', '/dev/null', '--write-out', '%{url} answered %{http_code}\\n',
        '--max-time', String(ATTEMPT_TIMEOUT.toSeconds()), '--retry', String(SMOKE_TEST_RETRIES),
        '--retry-delay', String(RETRY_DELAY.toSeconds()), '--retry-all-errors', '--retry-connrefused', url,
      ],
      securityContext: restrictedContainerSecurity(),
      resources: { cpu: { request: kplus.Cpu.millis(10) }, memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) } },
    }],
  });
  applyCapabilities(job, '/spec/template/spec/containers/0');
  applyRuntimeDefaultSeccomp(job);
  // cdk8s-plus's hashed address label follows the construct path; the pods are found by the standard labels.
  ApiObject.of(job).addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));

  const tcp = (port: number): kplus.k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(port) });
  const istiod = ADDONS[AddonName.ISTIOD].namespace;
  const networkPolicy = new kplus.k8s.KubeNetworkPolicy(c, 'NetworkPolicy', {
    metadata: meta,
    spec: {
      podSelector: { matchLabels: { ...selector } },
      policyTypes: ['Ingress', 'Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { ...api.podSelector } } }], ports: [tcp(targetPort)] },
        ...(mesh ? [{
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': istiod } }, podSelector: { matchLabels: { app: 'istiod' } } }],
          ports: [tcp(ISTIOD_XDS_PORT)],
        }] : []),
        dnsEgress(),
      ],
    },
  });
  return { job, serviceAccount, networkPolicy, url };
}
