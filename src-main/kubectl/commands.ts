/** Command path -> implementation. */
import type { Ctx } from './context.ts';
import { runGet } from './get.ts';
import { runDescribe } from './describe.ts';
import { runApply } from './apply/apply.ts';
import {
  createConfigMap, createDeployment, createNamespace, createServiceClusterIP, createServiceExternalName,
  createServiceLoadBalancer, createServiceNodePort, runCreate, runExpose, runRun,
} from './create.ts';
import { runDelete } from './delete.ts';
import { runAnnotate, runCordon, runLabel, runScale, runSetImage, runUncordon } from './mutate.ts';
import { runRolloutHistory, runRolloutRestart, runRolloutStatus, runRolloutUndo } from './rollout.ts';
import { runLogs } from './logs.ts';
import { runExec } from './exec.ts';
import { runPortForward } from './port-forward.ts';
import { runEdit } from './edit.ts';
import { runExplain } from './explain.ts';
import { runApiResources, runClusterInfo, runConfigView, runVersion } from './info.ts';

export type CommandFn = (ctx: Ctx) => Promise<number>;

export const COMMANDS: Record<string, CommandFn> = {
  get: runGet,
  describe: runDescribe,
  apply: runApply,
  create: runCreate,
  'create deployment': createDeployment,
  'create service clusterip': createServiceClusterIP,
  'create service nodeport': createServiceNodePort,
  'create service loadbalancer': createServiceLoadBalancer,
  'create service externalname': createServiceExternalName,
  'create namespace': createNamespace,
  'create configmap': createConfigMap,
  expose: runExpose,
  run: runRun,
  delete: runDelete,
  scale: runScale,
  'set image': runSetImage,
  'rollout status': runRolloutStatus,
  'rollout history': runRolloutHistory,
  'rollout undo': runRolloutUndo,
  'rollout restart': runRolloutRestart,
  label: runLabel,
  annotate: runAnnotate,
  edit: runEdit,
  logs: runLogs,
  exec: runExec,
  'port-forward': runPortForward,
  explain: runExplain,
  'api-resources': runApiResources,
  'cluster-info': runClusterInfo,
  'config view': runConfigView,
  version: runVersion,
  cordon: runCordon,
  uncordon: runUncordon,
};
