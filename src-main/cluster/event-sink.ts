/** Turns reports from kubelets into core/v1 Events, the way client-go's recorder does. */
import type { Clock } from '../clock/clock.ts';
import type { Registry } from '../registry/registry.ts';
import type { PodEventReport } from '../node/protocol.ts';
import { recordEvent } from '../controllers/events.ts';

export class EventSink {
  constructor(
    private readonly registry: Registry,
    private readonly clock: Clock,
  ) {}

  record(involved: PodEventReport['involved'], type: 'Normal' | 'Warning', reason: string, message: string, source: { component: string; host?: string }): void {
    recordEvent(this.registry, this.clock, involved, type, reason, message, source);
  }
}
