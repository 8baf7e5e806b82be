#!/bin/bash
# The Service nodeport-hostname-service: type NodePort, nodePort 30080, both pods as endpoints.
svc=nodeport-hostname-service
if ! kubectl get service $svc >/dev/null 2>&1; then
  echo "service/$svc not found"
  exit 2
fi
type=$(kubectl get service $svc -o jsonpath='{.spec.type}')
if [ "$type" != "NodePort" ]; then
  echo "type: $type"
  exit 3
fi
port=$(kubectl get service $svc -o jsonpath='{.spec.ports[0].nodePort}')
if [ "$port" != "30080" ]; then
  echo "nodePort: $port"
  exit 4
fi
ips=$(kubectl get endpoints $svc -o jsonpath='{.subsets[*].addresses[*].ip}')
if [ "$(echo $ips | wc -w)" -lt 2 ]; then
  echo "endpoints: ${ips:-<none>}; selector: $(kubectl get service $svc -o jsonpath='{.spec.selector}')"
  exit 5
fi
