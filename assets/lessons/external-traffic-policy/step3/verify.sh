#!/bin/bash
# externalTrafficPolicy: Local on the Service, and kube-proxy's KUBE-SVL chain for it on worker1.
svc=nodeport-hostname-service
if ! kubectl get service $svc >/dev/null 2>&1; then
  echo "service/$svc not found"
  exit 4
fi
policy=$(kubectl get service $svc -o jsonpath='{.spec.externalTrafficPolicy}')
if [ "$policy" != "Local" ]; then
  echo "externalTrafficPolicy: ${policy:-<none>}"
  exit 2
fi
if ! ssh worker1 iptables-save -t nat | grep -q "^-A KUBE-SVL-.*default/$svc -> "; then
  echo "worker1: no KUBE-SVL rule for $svc yet"
  exit 3
fi
