#!/bin/bash
# Since the step began, the laptop's connection to master's NodePort failed, dropped by master's "no local endpoints" rule.
svc=nodeport-hostname-service
failed=$(kubelab traffic svc/$svc --since step --client laptop -o json | jq '[.endpoints[] | select(.via | index("192.168.56.10:30080")) | .failed] | add // 0')
if [ "$failed" -lt 1 ]; then
  echo "failed connections from the laptop to 192.168.56.10:30080 since the step began: 0"
  exit 2
fi
kubelab traffic rules --node master -t filter --match "default/$svc has no local endpoints" --since step --expect-packets 1 >/dev/null || exit 3
