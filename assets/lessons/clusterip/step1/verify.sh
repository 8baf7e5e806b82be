#!/bin/bash
# A Deployment hostname-server of 2 ready takytaky/hostname pods. Exit statuses pick the hint (index.json).
if ! kubectl get deployment hostname-server >/dev/null 2>&1; then
  echo 'deployment.apps/hostname-server not found'
  exit 2
fi
image=$(kubectl get deployment hostname-server -o jsonpath='{.spec.template.spec.containers[0].image}')
if [ "$image" != "takytaky/hostname" ]; then
  echo "image: $image"
  exit 3
fi
replicas=$(kubectl get deployment hostname-server -o jsonpath='{.spec.replicas}')
if [ "$replicas" != "2" ]; then
  echo "replicas: $replicas"
  exit 4
fi
ready=$(kubectl get deployment hostname-server -o jsonpath='{.status.readyReplicas}')
if [ "${ready:-0}" != "2" ]; then
  echo "ready: ${ready:-0}/2"
  exit 5
fi
