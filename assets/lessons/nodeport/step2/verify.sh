#!/bin/bash
# Since the step began, a packet entered KUBE-NODEPORTS on every node: each node's port 30080 was asked.
missing=''
for n in $(kubectl get nodes -o jsonpath='{.items[*].metadata.name}'); do
  if ! kubelab traffic rules --node "$n" --chain KUBE-NODEPORTS --since step --expect-packets 1 -q; then
    missing="$missing $n"
  fi
done
if [ -n "$missing" ]; then
  echo "no packet entered KUBE-NODEPORTS since the step began on:$missing"
  exit 2
fi
kubelab traffic svc/nodeport-hostname-service --since step --expect-answered 3 >/dev/null || exit 3
