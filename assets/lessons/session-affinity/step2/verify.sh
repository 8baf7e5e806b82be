#!/bin/bash
# sessionAffinity: ClientIP on the Service, and kube-proxy's recent rules for it in this node's nat table.
svc=clusterip-hostname-service
if ! kubectl get service $svc >/dev/null 2>&1; then
  echo "service/$svc not found"
  exit 2
fi
affinity=$(kubectl get service $svc -o jsonpath='{.spec.sessionAffinity}')
if [ "$affinity" != "ClientIP" ]; then
  echo "sessionAffinity: ${affinity:-None}"
  exit 3
fi
checks=$(iptables-save -t nat | grep "default/$svc -> " | grep -c -e '--rcheck')
if [ "$checks" -lt 2 ]; then
  echo "recent --rcheck rules for $svc on $(hostname): $checks"
  exit 4
fi
