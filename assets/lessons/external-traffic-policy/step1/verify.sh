#!/bin/bash
# With externalTrafficPolicy: Cluster, the laptop was answered through the NodePort (at least 4 times) since the step began.
svc=nodeport-hostname-service
policy=$(kubectl get service $svc -o jsonpath='{.spec.externalTrafficPolicy}' 2>/dev/null)
if [ "$policy" != "Cluster" ]; then
  echo "externalTrafficPolicy: ${policy:-<none>}"
  exit 3
fi
kubelab traffic svc/$svc --since step --client laptop --expect-answered 4 >/dev/null || exit 2
