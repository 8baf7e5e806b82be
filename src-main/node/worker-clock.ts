import { ManualClock, RealClock, type ClockSpec } from '../clock/clock.ts';

/** A node's copy of the cluster clock: real time scaled like the host's, or moved by the host's `clock` messages. */
export function clockFromSpec(spec: ClockSpec): RealClock | ManualClock {
  if (spec.kind === 'manual') return new ManualClock(spec.now);
  return new RealClock(spec.speed, spec.baseCluster + (Date.now() - spec.realAt) * spec.speed);
}
