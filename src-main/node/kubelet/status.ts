/** Renders PodStatus the way the kubelet's generateAPIPodStatus does (pkg/kubelet/kubelet_pods.go, status/generate.go). */
import type { ContainerState, ContainerStatus, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import { isoTime } from '../../clock/clock.ts';
import { type ContainerInstance, type ContainerRecord, isRunning, type PodState } from './model.ts';

function terminatedState(i: ContainerInstance): ContainerState {
  return {
    terminated: {
      exitCode: i.exitCode ?? 0,
      reason: i.reason ?? (i.exitCode ? 'Error' : 'Completed'),
      ...(i.message ? { message: i.message } : {}),
      startedAt: isoTime(i.startedAt),
      finishedAt: isoTime(i.finishedAt ?? i.startedAt),
      containerID: `containerd://${i.id}`,
    },
  };
}

export function containerStatus(rec: ContainerRecord, imageFallback: string): ContainerStatus {
  const cur = rec.current;
  let state: ContainerState;
  let lastState: ContainerState = {};
  if (rec.waiting || !cur) {
    state = { waiting: { reason: rec.waiting?.reason ?? 'ContainerCreating', ...(rec.waiting?.message ? { message: rec.waiting.message } : {}) } };
    if (cur?.finishedAt !== undefined) lastState = terminatedState(cur);
    else if (rec.previous) lastState = terminatedState(rec.previous);
  } else if (cur.finishedAt === undefined) {
    state = { running: { startedAt: isoTime(cur.startedAt) } };
    if (rec.previous) lastState = terminatedState(rec.previous);
  } else {
    state = terminatedState(cur);
    if (rec.previous) lastState = terminatedState(rec.previous);
  }
  const s: ContainerStatus = {
    name: rec.spec.name,
    state,
    lastState,
    ready: rec.ready,
    restartCount: rec.restartCount,
    image: cur?.imageName ?? rec.image?.name ?? imageFallback,
    imageID: cur?.imageID ?? '',
    started: isRunning(rec) && rec.started,
  };
  if (cur) s.containerID = `containerd://${cur.id}`;
  return s;
}

function shouldRestart(policy: string, exitCode: number): boolean {
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

/** getPhase: Pending until every container has run, Running while any runs or will restart, then Succeeded/Failed. */
export function podPhase(state: PodState): PodStatus['phase'] {
  const policy = state.pod.spec?.restartPolicy ?? 'Always';
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const rec of state.containers) {
    const cur = rec.current;
    if (isRunning(rec)) running++;
    else if (cur?.finishedAt !== undefined) { stopped++; if (cur.exitCode === 0) succeeded++; }
    else waiting++;
  }
  if (state.terminated) return stopped > 0 && succeeded === state.containers.length ? 'Succeeded' : 'Failed';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === state.containers.length && stopped > 0) {
    if (state.terminating) return succeeded === stopped ? 'Succeeded' : 'Failed';
    const willRestart = state.containers.some(r => shouldRestart(policy, r.current?.exitCode ?? 0));
    if (willRestart) return 'Running';
    return succeeded === stopped ? 'Succeeded' : 'Failed';
  }
  return 'Pending';
}

export function qosClass(state: PodState): string {
  const cs = state.pod.spec?.containers ?? [];
  const has = (c: (typeof cs)[number], k: 'requests' | 'limits') => Object.keys(c.resources?.[k] ?? {}).length > 0;
  if (cs.every(c => !has(c, 'requests') && !has(c, 'limits'))) return 'BestEffort';
  const guaranteed = cs.every(c => ['cpu', 'memory'].every(r => {
    const lim = c.resources?.limits?.[r];
    const req = c.resources?.requests?.[r] ?? lim;
    return lim !== undefined && String(lim) === String(req);
  }));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function buildPodStatus(state: PodState, nodeIP: string, now: number): PodStatus {
  const phase = podPhase(state);
  const statuses = state.containers.map(r => containerStatus(r, r.spec.image ?? ''));
  const unready = state.containers.filter(r => !r.ready).map(r => r.spec.name);
  const completed = phase === 'Succeeded' || phase === 'Failed';
  const cond = (type: string, status: 'True' | 'False', reason?: string, message?: string): PodCondition => {
    const prev = state.conditionTimes.get(type);
    let time = prev?.time ?? now;
    if (!prev || prev.status !== status) {
      time = now;
      state.conditionTimes.set(type, { status, time });
    }
    return { type, status, lastProbeTime: null as unknown as undefined, lastTransitionTime: isoTime(time), ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
  };
  const readyReason = completed ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage = completed ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const allReady = unready.length === 0 && !completed;
  const conditions: PodCondition[] = [
    cond('PodReadyToStartContainers', state.sandboxReady ? 'True' : 'False'),
    cond('Initialized', 'True'),
    allReady ? cond('Ready', 'True') : cond('Ready', 'False', readyReason, readyMessage),
    allReady ? cond('ContainersReady', 'True') : cond('ContainersReady', 'False', readyReason, readyMessage),
    state.scheduledCondition ?? cond('PodScheduled', 'True'),
  ];
  const status: PodStatus = {
    phase,
    conditions,
    hostIP: nodeIP,
    hostIPs: [{ ip: nodeIP }],
    startTime: isoTime(state.createdAt),
    containerStatuses: statuses,
    qosClass: qosClass(state),
  };
  if (state.podIP) {
    status.podIP = state.podIP;
    status.podIPs = [{ ip: state.podIP }];
  }
  return status;
}
