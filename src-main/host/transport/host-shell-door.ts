/**
 * The host shell (a real shell on the learner's machine, in a PTY) is a door of its own: the desktop app's window
 * has it; the browser UI of `kubelab serve` has it only with `--host-shell`. Without it, the browser transport
 * sees a HostService whose `terminal.open` refuses kind "host" before anything is spawned.
 */
import type { HostService } from '../../contract/contract.ts';

export const HOST_SHELL_OFF = 'the host shell is off: start kubelab serve with --host-shell to allow it';

export function withoutHostShell(service: HostService): HostService {
  return {
    handle(name, params) {
      if (name === 'terminal.open' && (params as { kind?: unknown }).kind === 'host') {
        return Promise.reject(Object.assign(new Error(HOST_SHELL_OFF), { reason: 'Forbidden' }));
      }
      return service.handle(name, params);
    },
    on: (event, listener) => service.on(event, listener),
  };
}
