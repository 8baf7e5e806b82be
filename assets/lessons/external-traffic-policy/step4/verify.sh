#!/bin/bash
# Since the step began: the laptop answered at least 4 times, every connection reached its pod from 192.168.56.1,
# and every pod that answered was on the node that took the request.
svc=nodeport-hostname-service
kubelab traffic svc/$svc --since step --client laptop --expect-answered 4 >/dev/null || exit 2
kubelab traffic svc/$svc --since step --client laptop --expect-seen-as 192.168.56.1 >/dev/null || exit 3
crossed=$(kubelab traffic svc/$svc --since step --client laptop -o json | jq -r '.endpoints[] | select(.answered > 0 and (.entryNodes != [.node])) | "\(.pod) on \(.node) via \(.entryNodes | join(","))"')
if [ -n "$crossed" ]; then
  echo "answered by another node's pod: $crossed"
  exit 4
fi
