/** Entry of a node's worker thread: one Kubernetes node (kubelet, kube-proxy, network stack). */
import { parentPort, workerData } from 'node:worker_threads';
import type { HostToNode, NodeToHost, WorkerInit } from './protocol.ts';
import { NodeAgent } from './agent.ts';
import { MessageBatcher } from './message-batcher.ts';

if (!parentPort) throw new Error('node worker must run in a worker thread');
const port = parentPort;
const out = new MessageBatcher<NodeToHost>((msgs, transfer) => port.postMessage(msgs, transfer as never));
const agent = new NodeAgent(workerData as WorkerInit, (msg, transfer) => out.post(msg, transfer));
port.on('message', (msgs: HostToNode[]) => {
  for (const msg of msgs) agent.receive(msg);
});
agent.start();
