#!/bin/bash
# Since the step began: the pod client and this node were both answered (the pod at least 3 times), each by one pod.
svc=clusterip-hostname-service
if ! kubectl get pod client >/dev/null 2>&1; then
  echo 'pod/client not found'
  exit 2
fi
if ! kubelab traffic svc/$svc --since step --client pod/default/client --expect-answered 3 >/dev/null; then
  exit 3
fi
if ! kubelab traffic svc/$svc --since step --client node/master --expect-answered 1 >/dev/null; then
  exit 4
fi
affinity=$(kubectl get service $svc -o jsonpath='{.spec.sessionAffinity}')
if [ "$affinity" != "ClientIP" ]; then
  echo "sessionAffinity: ${affinity:-None}"
  exit 5
fi
kubelab traffic svc/$svc --since step --expect-pinned >/dev/null || exit 5
