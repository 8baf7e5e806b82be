/** The kubelet's in-memory view of one pod and its containers; status.ts renders it, pod-worker.ts drives it. */
import type { Container, Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { ResolvedImage } from '../images/catalogue.ts';
import type { RunningProgram } from '../images/types.ts';
import type { ContainerLog } from './logs.ts';
import type { ProbeWorker } from './probes.ts';

/** One run of a container: what containerd calls a container, with its own ID and log. */
export interface ContainerInstance {
  id: string;
  imageName: string;
  imageID: string;
  startedAt: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
  message?: string;
  program?: RunningProgram;
  log: ContainerLog;
  files: Map<string, string>;
  /** The process environment the kubelet gave it (service links included), fixed when it started. */
  env?: Record<string, string>;
  killTimer?: number;
}

export interface ContainerRecord {
  spec: Container;
  restartCount: number;
  current?: ContainerInstance;
  previous?: ContainerInstance;
  /** Set while the container is not running and the kubelet is holding it back (pull errors, back-off). */
  waiting?: { reason: string; message?: string };
  image?: ResolvedImage;
  /** containerd's text from the last failed pull, repeated in the ImagePullBackOff message. */
  lastPullError?: string;
  ready: boolean;
  started: boolean;
  probes: ProbeWorker[];
}

export interface PodState {
  pod: Pod;
  uid: string;
  namespace: string;
  name: string;
  podIP?: string;
  sandboxReady: boolean;
  createdAt: number;
  containers: ContainerRecord[];
  conditionTimes: Map<string, { status: string; time: number }>;
  scheduledCondition?: PodCondition;
  terminating: boolean;
  /** All containers stopped after deletion; the final status has been reported. */
  terminated: boolean;
}

export function isRunning(rec: ContainerRecord): boolean {
  return !!rec.current && rec.current.finishedAt === undefined;
}
