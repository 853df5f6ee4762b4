import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AutoscalerKind } from './pod';
import { AuthorizationPolicy, DestinationRule, PeerAuthentication, Telemetry, VirtualService } from '../resources/istio';
import { ScaledObject } from '../resources/keda';
import { ServiceMonitor } from '../resources/prometheus';
import { resolveAutoscaledService } from './config';
import { buildExposure, egressJson } from './exposure';
import type { EgressRule } from './network';
import type { IConsensusClient } from '../consensus/props';
import { propError } from '../../private/errors';
import { canonicalJson } from '../../private/network-policy';
import { AUTOSCALED_SERVICE, checkAutoscaledService, egressRuleViolation } from './rules';
import { guardProps } from '../../private/prop-guard';
import { AUTOSCALED_SERVICE_PROP_SHAPES } from './props-shape';
import { buildTrack } from './track';
import { AutoscaledServiceProps, AutoscaledTrack, IScalableWorkload } from './props';
import { enablePolicyChecks } from '../../policy/app-checks';

/**
 * A stateless service that scales, rolls out safely and drains cleanly: Deployment(s), Service,
 * HorizontalPodAutoscaler (or KEDA ScaledObject), PodDisruptionBudget, ServiceAccount and NetworkPolicy, with
 * probes, a preStop drain, topology spread and a restricted security context; optionally an Ingress, a
 * ServiceMonitor, VerticalPodAutoscalers in recommendation mode, Istio canary routing, and the Istio mesh (STRICT
 * mTLS, authorization, circuit breaking, retries, tracing).
 *
 * When an autoscaler owns the replica count, the Deployments carry no `replicas` field, so a GitOps sync never
 * fights the autoscaler.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export class AutoscaledService extends Construct implements IScalableWorkload, IConsensusClient {
  /** The props as given (plain data: spread them with overrides to build a variant). */
  public readonly props: AutoscaledServiceProps;
  /** `props.name`, or the construct id: the Service's name and the base of every child's. */
  public readonly name: string;
  public readonly namespace?: string;
  /** Fewest replicas (of the stable, or each coloured, Deployment). */
  public readonly minReplicas: number;
  /** The autoscaler's upper bound (the canary's too). */
  public readonly maxReplicas: number;
  /** What owns the replica count: the HPA, a KEDA ScaledObject, or nothing (a fixed `minReplicas`). */
  public readonly autoscaler: AutoscalerKind;
  /** Labels selecting every pod of the service (all tracks). */
  public readonly podSelector: Readonly<Record<string, string>>;
  /** The Deployment receiving traffic: the only one, the stable track of a canary, or the active colour. */
  public readonly deployment: kplus.Deployment;
  /** The autoscaler of {@link deployment}, with the HPA. */
  public readonly hpa?: kplus.HorizontalPodAutoscaler;
  /** The ScaledObject of {@link deployment}, with KEDA. */
  public readonly scaledObject?: ScaledObject;
  /** The PodDisruptionBudget of {@link deployment}, if any. */
  public readonly pdb?: kplus.k8s.KubePodDisruptionBudget;
  /** Every track's objects, in a stable order (stable, canary; or blue, green). */
  public readonly tracks: readonly AutoscaledTrack[];
  /** The Service, selecting the traffic track's pods on `servicePort`. */
  public readonly service: kplus.Service;
  /** The ServiceAccount (its token is not mounted). */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The NetworkPolicy admitting callers and allowing egress. */
  public readonly networkPolicy: kplus.k8s.KubeNetworkPolicy;
  /** The ConfigMap holding `config`, if set. */
  public readonly configMap?: kplus.ConfigMap;
  /** The Ingress, with `ingress`. */
  public readonly ingress?: kplus.Ingress;
  /** The ServiceMonitor, with `serviceMonitor`. */
  public readonly serviceMonitor?: ServiceMonitor;
  /** The Istio VirtualService, with a canary (its weights) or `mesh` (retries and timeout): one for both. */
  public readonly virtualService?: VirtualService;
  /** The Istio DestinationRule, with a canary (its subsets) or `mesh` (the traffic policy): one for both. */
  public readonly destinationRule?: DestinationRule;
  /** The Istio PeerAuthentication (STRICT mTLS on the service's pods), with `mesh`. */
  public readonly peerAuthentication?: PeerAuthentication;
  /** The Istio AuthorizationPolicy derived from `allowFrom`, with `mesh`. */
  public readonly authorizationPolicy?: AuthorizationPolicy;
  /** The Istio Telemetry resource (trace sampling), with `mesh`. */
  public readonly telemetry?: Telemetry;
  private readonly egress: kplus.k8s.NetworkPolicyEgressRule[];

  constructor(scope: Construct, id: string, props: AutoscaledServiceProps) {
    guardProps(AUTOSCALED_SERVICE, id, props, AUTOSCALED_SERVICE_PROP_SHAPES);
    super(scope, id);
    enablePolicyChecks(this);
    const config = resolveAutoscaledService(id, props, props.mesh ? Chart.of(this).namespace : undefined);
    checkAutoscaledService(config);
    this.props = props;
    this.name = config.name;
    this.namespace = config.namespace;
    this.minReplicas = config.minReplicas;
    this.maxReplicas = config.maxReplicas;
    this.autoscaler = config.autoscaler;
    this.podSelector = config.selector;

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: config.name, namespace: config.namespace, labels: config.labels },
      automountToken: false,
    });
    if (config.config) {
      this.configMap = new kplus.ConfigMap(this, 'Config', {
        metadata: { name: `${config.name}-config`, namespace: config.namespace, labels: config.labels },
        data: { ...config.config },
      });
    }
    const secrets = config.envFromSecrets.length > 0 ? new Construct(this, 'EnvFromSecrets') : undefined;
    const envFrom = [
      ...(this.configMap ? [kplus.Env.fromConfigMap(this.configMap)] : []),
      ...config.envFromSecrets.map((s) => kplus.Env.fromSecret(kplus.Secret.fromSecretName(secrets as Construct, s, s))),
    ];

    this.tracks = config.tracks.map((track) => {
      const trackScope = track.scopeId ? new Construct(this, track.scopeId) : this;
      return buildTrack(trackScope, config, track, { serviceAccount: this.serviceAccount, envFrom });
    });
    const primary = this.tracks.find((t) => t.track === config.trafficTrack) ?? this.tracks[0];
    this.deployment = primary.deployment;
    this.hpa = primary.hpa;
    this.scaledObject = primary.scaledObject;
    this.pdb = primary.pdb;

    const exposure = buildExposure(this, config);
    this.service = exposure.service;
    this.networkPolicy = exposure.networkPolicy;
    this.egress = exposure.egress;
    this.ingress = exposure.ingress;
    this.serviceMonitor = exposure.serviceMonitor;
    this.virtualService = exposure.virtualService;
    this.destinationRule = exposure.destinationRule;
    this.peerAuthentication = exposure.peerAuthentication;
    this.authorizationPolicy = exposure.authorizationPolicy;
    this.telemetry = exposure.telemetry;
  }

  /**
   * Lets the pods call `rule`'s peer on its TCP ports: one more egress rule of {@link networkPolicy}, which then
   * restricts egress, as `allowEgressTo` in the props does. The same rule twice is one rule.
   * `ConsensusStatefulSet.allowClient` calls it with the members' client port.
   */
  public allowEgressTo(rule: EgressRule): void {
    const prop = 'allowEgressTo(rule)';
    if (typeof rule !== 'object' || rule === null || !Array.isArray(rule.ports)) {
      throw propError(AUTOSCALED_SERVICE, this.node.id, prop, rule, 'must be an egress rule with a list of ports', 'pass e.g. { namespace: \'consensus\', podLabels: { app: \'etcd\' }, ports: [2379] }');
    }
    const violation = egressRuleViolation(prop, rule);
    if (violation) throw propError(AUTOSCALED_SERVICE, this.node.id, ...violation);
    const json = egressJson(rule);
    if (!this.egress.some((r) => canonicalJson(r) === canonicalJson(json))) this.egress.push(json);
  }
}
