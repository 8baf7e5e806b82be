/**
 * The lesson engine and the traffic tracker in a running lab: scripts run in the cluster shell (through the terminal
 * manager, as `kubelab shell -c` lines do), "Reset cluster" is the lab's own, progress and packs live in the state
 * directory (a temporary one with --ephemeral, progress then in memory).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster } from '../cluster/cluster.ts';
import { builtinLessonsDir } from '../lessons/catalog.ts';
import { LessonEngine, type ScriptRunner } from '../lessons/engine.ts';
import type { LabControls } from '../shell/commands/index.ts';
import { TrafficTracker } from '../traffic/tracker.ts';
import type { TerminalManager } from './terminals/manager.ts';

export interface Lessons {
  engine: LessonEngine;
  tracker: TrafficTracker;
  stop(): void;
}

/** A script that outlives its time limit is interrupted as Ctrl-C would (exit 130). */
export function terminalRunner(cluster: Cluster, manager: TerminalManager): ScriptRunner {
  return {
    async run(place, script, { timeoutMs }) {
      if (place.kind === 'node' && !cluster.nodes().some((h) => h.name === place.node)) throw new Error(`node "${place.node}" not found`);
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort('SIGINT'), timeoutMs);
      try {
        const r = await manager.runLine(place.kind === 'laptop' ? { kind: 'laptop' } : { kind: 'node', node: place.node }, script, ac.signal);
        if (ac.signal.aborted) return { ...r, status: 124, stderr: `${r.stderr}timed out after ${Math.round(timeoutMs / 1000)} s\n` };
        return r;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export function startLessons(o: { cluster: Cluster; controls: LabControls; terminals: TerminalManager; stateDir?: string }): Lessons {
  const tracker = new TrafficTracker(o.cluster);
  const engine = new LessonEngine({
    runner: terminalRunner(o.cluster, o.terminals),
    resetCluster: () => o.controls.reset(),
    markTraffic: () => tracker.mark('step'),
    nodes: () => o.cluster.nodes().map((h) => h.name),
    builtinDir: builtinLessonsDir(),
    lessonsDir: o.stateDir ? join(o.stateDir, 'lessons') : join(tmpdir(), `kubelab-${process.pid}`, 'lessons'),
    persistProgress: o.stateDir !== undefined,
  });
  o.controls.lessons = engine;
  o.controls.traffic = tracker;
  return { engine, tracker, stop: () => tracker.stop() };
}
