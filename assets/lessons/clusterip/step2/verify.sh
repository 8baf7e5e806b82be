#!/bin/bash
# The Service clusterip-hostname-service, of type ClusterIP, with both pods as endpoints on port 80.
svc=clusterip-hostname-service
if ! kubectl get service $svc >/dev/null 2>&1; then
  echo "service/$svc not found"
  exit 2
fi
type=$(kubectl get service $svc -o jsonpath='{.spec.type}')
if [ "$type" != "ClusterIP" ]; then
  echo "type: $type"
  exit 3
fi
ips=$(kubectl get endpoints $svc -o jsonpath='{.subsets[*].addresses[*].ip}')
count=$(echo $ips | wc -w)
if [ "$count" -lt 2 ]; then
  echo "endpoints: ${ips:-<none>}"
  exit 4
fi
port=$(kubectl get endpoints $svc -o jsonpath='{.subsets[0].ports[0].port}')
if [ "$port" != "80" ]; then
  echo "endpoint port: $port"
  exit 5
fi
