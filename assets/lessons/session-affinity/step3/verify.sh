#!/bin/bash
# This node was answered at least 5 times since the step began, always by one pod, and the recent --rcheck rules did it.
svc=clusterip-hostname-service
affinity=$(kubectl get service $svc -o jsonpath='{.spec.sessionAffinity}' 2>/dev/null)
if [ "$affinity" != "ClientIP" ]; then
  echo "sessionAffinity: ${affinity:-None}"
  exit 3
fi
if ! kubelab traffic svc/$svc --since step --client node/master --expect-answered 5 >/dev/null; then
  exit 2
fi
if ! kubelab traffic svc/$svc --since step --client node/master --expect-pinned >/dev/null; then
  exit 4
fi
pinned=$(kubelab traffic rules --node master --match "default/$svc -> " --since step -o json | jq '[.rules[] | select(.text | contains("--rcheck")) | .packets] | add // 0')
if [ "$pinned" -lt 4 ]; then
  echo "connections the recent --rcheck rules sent on since the step began: $pinned"
  exit 5
fi
