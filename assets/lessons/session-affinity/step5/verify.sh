#!/bin/bash
# timeoutSeconds: 10 on the Service, and kube-proxy's --rcheck rules on this node use it.
svc=clusterip-hostname-service
affinity=$(kubectl get service $svc -o jsonpath='{.spec.sessionAffinity}' 2>/dev/null)
if [ "$affinity" != "ClientIP" ]; then
  echo "sessionAffinity: ${affinity:-None}"
  exit 2
fi
timeout=$(kubectl get service $svc -o jsonpath='{.spec.sessionAffinityConfig.clientIP.timeoutSeconds}')
if [ "$timeout" != "10" ]; then
  echo "timeoutSeconds: $timeout"
  exit 3
fi
rules=$(iptables-save -t nat | grep "default/$svc -> " | grep -c -e '--rcheck --seconds 10 ')
if [ "$rules" -lt 2 ]; then
  echo "--rcheck --seconds 10 rules for $svc on $(hostname): $rules"
  exit 4
fi
