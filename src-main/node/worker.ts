/** Entry of a node's worker thread: one Kubernetes node (kubelet, kube-proxy, network stack). */
import { parentPort, workerData } from 'node:worker_threads';
import type { HostToNode, NodeToHost, WorkerInit } from './protocol.ts';
import { NodeAgent } from './agent.ts';

if (!parentPort) throw new Error('node worker must run in a worker thread');
const port = parentPort;
const agent = new NodeAgent(workerData as WorkerInit, (msg: NodeToHost, transfer?: Transferable[]) => port.postMessage(msg, transfer as never));
port.on('message', (msg: HostToNode) => agent.receive(msg));
agent.start();
