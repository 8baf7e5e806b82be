#!/bin/bash
# With affinity still on (timeout <= 60 s): since the step began, connections from this node were pinned (--rcheck
# matched) and yet both pods answered this one client: the pin expired and a new pick chose the other pod.
svc=clusterip-hostname-service
affinity=$(kubectl get service $svc -o jsonpath='{.spec.sessionAffinity}' 2>/dev/null)
timeout=$(kubectl get service $svc -o jsonpath='{.spec.sessionAffinityConfig.clientIP.timeoutSeconds}' 2>/dev/null)
if [ "$affinity" != "ClientIP" ] || [ "${timeout:-10800}" -gt 60 ]; then
  echo "sessionAffinity: ${affinity:-None}, timeoutSeconds: ${timeout:-<none>}"
  exit 2
fi
pinned=$(kubelab traffic rules --node master --match "default/$svc -> " --since step -o json | jq '[.rules[] | select(.text | contains("--rcheck")) | .packets] | add // 0')
if [ "$pinned" -lt 1 ]; then
  echo "pinned connections since the step began: 0"
  exit 3
fi
kubelab traffic svc/$svc --since step --client node/master --expect-endpoints 2 >/dev/null || exit 4
