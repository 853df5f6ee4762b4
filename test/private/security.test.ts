import { ApiObject, Chart, Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  applyCapabilities, applyRuntimeDefaultSeccomp, DEFAULT_RUN_AS, restrictedContainerSecurity, restrictedPodSecurity,
} from '../../lib/private/security';
import { field, findObject, synth, testChart } from '../util';

const CONTAINER = '/spec/template/spec/containers/0';

/** A Deployment with the restricted contexts; `user` overrides the run-as ids of both. */
function deployment(chart: Chart, opts: { user?: number; group?: number } = {}): kplus.Deployment {
  return new kplus.Deployment(chart, 'Resource', {
    metadata: { name: 'web' },
    replicas: 1,
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurity(opts),
    containers: [{
      name: 'app',
      image: 'registry.example.com/web:1.2.3',
      portNumber: 8080,
      securityContext: restrictedContainerSecurity(opts),
      resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } },
    }],
  });
}

describe('restrictedContainerSecurity', () => {
  test('defaults: non-root 65532, read-only root, no escalation, not privileged', () => {
    expect(DEFAULT_RUN_AS).toBe(65532);
    expect(restrictedContainerSecurity()).toEqual({
      ensureNonRoot: true, user: 65532, group: 65532, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false,
    });
  });

  test('takes user and group', () => {
    expect(restrictedContainerSecurity({ user: 1000, group: 2000 })).toEqual(expect.objectContaining({ user: 1000, group: 2000 }));
  });

  test('group defaults separately from user', () => {
    expect(restrictedContainerSecurity({ user: 1000 })).toEqual(expect.objectContaining({ user: 1000, group: 65532 }));
  });

  test('sets no capabilities (applyCapabilities does)', () => {
    expect(restrictedContainerSecurity()).not.toHaveProperty('capabilities');
  });
});

describe('restrictedPodSecurity', () => {
  test('defaults: non-root 65532, fsGroup 65532, OnRootMismatch', () => {
    expect(restrictedPodSecurity()).toEqual({
      ensureNonRoot: true, user: 65532, group: 65532, fsGroup: 65532, fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
    });
  });

  test('fsGroup follows group, not user', () => {
    expect(restrictedPodSecurity({ user: 1000, group: 3000 })).toEqual(expect.objectContaining({ user: 1000, group: 3000, fsGroup: 3000 }));
    expect(restrictedPodSecurity({ user: 1000 })).toEqual(expect.objectContaining({ user: 1000, group: 65532, fsGroup: 65532 }));
  });
});

describe('emitted security context', () => {
  test('a Deployment with the restricted contexts, capabilities and seccomp synthesizes as restricted', () => {
    const chart = testChart();
    const d = deployment(chart);
    applyCapabilities(d, CONTAINER);
    applyRuntimeDefaultSeccomp(d);
    const obj = findObject(synth(chart), 'Deployment', 'web');
    expect(field(obj, 'spec.template.spec.securityContext')).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(field(obj, 'spec.template.spec.containers.0.securityContext')).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  test('user and group overrides reach the manifest', () => {
    const chart = testChart();
    deployment(chart, { user: 1001, group: 2002 });
    const obj = findObject(synth(chart), 'Deployment', 'web');
    expect(field(obj, 'spec.template.spec.securityContext')).toEqual(expect.objectContaining({ runAsUser: 1001, runAsGroup: 2002, fsGroup: 2002 }));
    expect(field(obj, 'spec.template.spec.containers.0.securityContext')).toEqual(expect.objectContaining({ runAsUser: 1001, runAsGroup: 2002 }));
  });
});

describe('applyCapabilities', () => {
  test('without additions drops ALL and adds nothing (no empty add list)', () => {
    const chart = testChart();
    applyCapabilities(deployment(chart), CONTAINER);
    const caps = field(findObject(synth(chart), 'Deployment', 'web'), 'spec.template.spec.containers.0.securityContext.capabilities');
    expect(caps).toEqual({ drop: ['ALL'] });
  });

  test('adds exactly the given capabilities in Kubernetes spelling (no CAP_ prefix)', () => {
    const chart = testChart();
    applyCapabilities(deployment(chart), CONTAINER, ['NET_ADMIN', 'NET_RAW']);
    const caps = field(findObject(synth(chart), 'Deployment', 'web'), 'spec.template.spec.containers.0.securityContext.capabilities');
    expect(caps).toEqual({ drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW'] });
  });

  test('copies the add list (later changes to the caller\'s array do not leak in)', () => {
    const chart = testChart();
    const add = ['NET_ADMIN'];
    applyCapabilities(deployment(chart), CONTAINER, add);
    add.push('SYS_ADMIN');
    const caps = field(findObject(synth(chart), 'Deployment', 'web'), 'spec.template.spec.containers.0.securityContext.capabilities');
    expect(caps).toEqual({ drop: ['ALL'], add: ['NET_ADMIN'] });
  });

  test('accepts an ApiObject and targets the container the pointer names', () => {
    const chart = testChart();
    const d = new kplus.Deployment(chart, 'Resource', {
      metadata: { name: 'two' },
      containers: [
        { name: 'app', image: 'registry.example.com/web:1.2.3', securityContext: restrictedContainerSecurity() },
        { name: 'sidecar', image: 'registry.example.com/proxy:2.0.0', securityContext: restrictedContainerSecurity() },
      ],
    });
    applyCapabilities(ApiObject.of(d), '/spec/template/spec/containers/1', ['NET_BIND_SERVICE']);
    const obj = findObject(synth(chart), 'Deployment', 'two');
    expect(field(obj, 'spec.template.spec.containers.1.securityContext.capabilities')).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(field(obj, 'spec.template.spec.containers.0.securityContext.capabilities')).toBeUndefined();
  });
});

describe('applyRuntimeDefaultSeccomp', () => {
  test('sets seccompProfile RuntimeDefault at the default pod template path', () => {
    const chart = testChart();
    applyRuntimeDefaultSeccomp(deployment(chart));
    const obj = findObject(synth(chart), 'Deployment', 'web');
    expect(field(obj, 'spec.template.spec.securityContext.seccompProfile')).toEqual({ type: 'RuntimeDefault' });
  });

  test('takes another template path (a CronJob\'s job template)', () => {
    const chart = testChart();
    const job = new kplus.CronJob(chart, 'Job', {
      metadata: { name: 'nightly' },
      schedule: Cron.daily(),
      securityContext: restrictedPodSecurity(),
      containers: [{ name: 'job', image: 'registry.example.com/job:1.0.0', securityContext: restrictedContainerSecurity() }],
    });
    applyRuntimeDefaultSeccomp(job, '/spec/jobTemplate/spec/template/spec');
    const obj = findObject(synth(chart), 'CronJob', 'nightly');
    expect(field(obj, 'spec.jobTemplate.spec.template.spec.securityContext.seccompProfile')).toEqual({ type: 'RuntimeDefault' });
  });

  test('accepts an ApiObject', () => {
    const chart = testChart();
    applyRuntimeDefaultSeccomp(ApiObject.of(deployment(chart)));
    const obj = findObject(synth(chart), 'Deployment', 'web');
    expect(field(obj, 'spec.template.spec.securityContext.seccompProfile')).toEqual({ type: 'RuntimeDefault' });
  });
});
