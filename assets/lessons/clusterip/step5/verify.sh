#!/bin/bash
# A pod that was not there when this step began (background.sh listed those) answered through the ClusterIP since.
before=" $(cat /tmp/kubelab-lessons/clusterip-pods 2>/dev/null) "
now=$(kubectl get pods -l app=hostname-server -o jsonpath='{.items[*].metadata.name}')
new=''
for p in $now; do
  case "$before" in
    *" $p "*) ;;
    *) new="$new $p" ;;
  esac
done
if [ -z "$new" ]; then
  echo "pods: $now"
  exit 2
fi
answered=$(kubelab traffic svc/clusterip-hostname-service --since step -o json | jq -r '.endpoints[] | select(.answered > 0) | .pod')
for p in $new; do
  for a in $answered; do
    if [ "$p" = "$a" ]; then
      exit 0
    fi
  done
done
echo "new pod(s):$new; answered since the step began: $(echo $answered)"
exit 3
