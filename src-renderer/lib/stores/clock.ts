/**
 * The cluster clock between snapshots: a snapshot carries the cluster time and speed when it was taken, and nothing
 * is sent while nothing changes, so the status bar runs the clock on from there.
 */
export function clusterTimeNow(snapshotClock: { now: number; speed: number }, receivedAt: number, localNow: number): number {
  return snapshotClock.now + Math.max(0, localNow - receivedAt) * snapshotClock.speed;
}
