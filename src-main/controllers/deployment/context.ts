/**
 * What the steps of one Deployment sync share (upstream's DeploymentController struct): the caches, the work queue,
 * the event recorder, and the Deployment as this sync last wrote it (each write replaces `d`, so a later step never
 * writes with a stale resourceVersion).
 */
import type { Informer, Runtime, WorkQueue } from '../framework.ts';
import type { Recorder } from '../events.ts';
import type { KubeObject } from '../../api/types.ts';

export interface DeploymentController {
  rt: Runtime;
  dInf: Informer;
  rsInf: Informer;
  podInf: Informer;
  record: Recorder;
  queue: WorkQueue;
}

export interface Ctx {
  dc: DeploymentController;
  d: KubeObject;
}
