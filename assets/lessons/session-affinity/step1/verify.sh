#!/bin/bash
# Without affinity, one client (this node) was answered by both pods since the step began.
svc=clusterip-hostname-service
affinity=$(kubectl get service $svc -o jsonpath='{.spec.sessionAffinity}' 2>/dev/null)
if [ "$affinity" = "ClientIP" ]; then
  echo "sessionAffinity: ClientIP"
  exit 2
fi
kubelab traffic svc/$svc --since step --client node/master --expect-endpoints 2 >/dev/null
