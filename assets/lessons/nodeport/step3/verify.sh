#!/bin/bash
# Since the step began, through worker1's port 30080: a pod on worker1 (local) and a pod on another node (remote) answered.
node_ip=$(kubectl get node worker1 -o jsonpath='{.status.addresses[?(@.type=="InternalIP")].address}')
via="$node_ip:30080"
nodes=$(kubelab traffic svc/nodeport-hostname-service --since step -o json | jq -r --arg via "$via" '.endpoints[] | select(.answered > 0 and (.via | index($via))) | .node')
if [ -z "$nodes" ]; then
  echo "answered through $via since the step began: none"
  exit 2
fi
local_=$(echo "$nodes" | grep -cx worker1)
remote=$(echo "$nodes" | grep -vcx worker1)
if [ "$local_" -eq 0 ] || [ "$remote" -eq 0 ]; then
  echo "pods that answered through $via on: $(echo $nodes)"
  exit 3
fi
