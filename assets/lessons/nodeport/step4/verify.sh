#!/bin/bash
# Since the step began, the laptop was answered through the NodePort of at least two different nodes.
svc=nodeport-hostname-service
if ! kubelab traffic svc/$svc --since step --client laptop --expect-answered 1 >/dev/null; then
  exit 2
fi
entries=$(kubelab traffic svc/$svc --since step --client laptop -o json | jq -r '[.endpoints[] | select(.answered > 0) | .entryNodes[]] | unique | join(" ")')
if [ "$(echo $entries | wc -w)" -lt 2 ]; then
  echo "nodes that took the laptop's requests: $entries"
  exit 3
fi
