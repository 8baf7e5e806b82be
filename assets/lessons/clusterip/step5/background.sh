#!/bin/bash
# The pods there are as this step begins: the check looks for one that was not.
mkdir -p /tmp/kubelab-lessons
kubectl get pods -l app=hostname-server -o jsonpath='{.items[*].metadata.name}' > /tmp/kubelab-lessons/clusterip-pods
