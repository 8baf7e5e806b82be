#!/bin/bash
# Since the step began, worker1's MASQUERADE rule rewrote connections, and worker1's NodePort answered this node.
if ! kubelab traffic rules --node worker1 --chain KUBE-POSTROUTING --match MASQUERADE --since step --expect-packets 1 >/dev/null; then
  exit 2
fi
kubelab traffic svc/nodeport-hostname-service --since step --client node/master --expect-answered 1 >/dev/null || exit 2
