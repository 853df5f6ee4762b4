/**
 * How the preStop drain waits, so that endpoints controllers and load balancers stop sending requests before the
 * container gets SIGTERM. Named after the Kubernetes `LifecycleHandler` field each writes.
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-implementations
 */
export enum DrainMethod {
  /** The kubelet's built-in `sleep` action (Kubernetes 1.30+): works in distroless images that have no `sleep` binary. */
  SLEEP = 'sleep',
  /** Runs `sleep <seconds>` in the container: for older clusters; the image must ship a `sleep` binary. */
  EXEC = 'exec',
}

/**
 * What the scheduler does when a topology spread constraint cannot be met, as `whenUnsatisfiable` spells it.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 */
export enum SpreadPolicy {
  /** Prefer an even spread but still schedule (a zone outage or a full zone cannot block scaling). */
  SCHEDULE_ANYWAY = 'ScheduleAnyway',
  /** Leave the pod pending rather than skew the spread beyond `maxSkew`. */
  DO_NOT_SCHEDULE = 'DoNotSchedule',
}

/** Which autoscaler owns an `AutoscaledService`'s replica count (the kind of object emitted). */
export enum AutoscalerKind {
  /** An `autoscaling/v2` HorizontalPodAutoscaler. */
  HPA = 'HorizontalPodAutoscaler',
  /** A KEDA ScaledObject (which creates and owns its own HPA). */
  KEDA = 'ScaledObject',
  /** No autoscaler: the Deployment runs `minReplicas` replicas. */
  NONE = 'None',
}
