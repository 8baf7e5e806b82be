/** Colour classes for kubectl's STATUS strings and node conditions. */
export function podStatusClass(status: string): string {
  if (status === 'Running' || status === 'Completed' || status === 'Succeeded') return 'ok';
  if (status === 'Terminating') return 'gone';
  if (status === 'Pending' || status === 'ContainerCreating' || status === 'PodInitializing' || status.startsWith('Init:')) {
    return 'wait';
  }
  return 'bad';
}

export function nodeStatusClass(status: string, running: boolean): string {
  if (!running) return 'gone';
  return status === 'Ready' ? 'ok' : 'bad';
}
