#!/bin/bash
# The seed's Deployment of two hostname pods (~/k8s_lab/service/hostname-deployment.yaml), one on each worker.
cd ~/k8s_lab/service
kubectl apply -f hostname-deployment.yaml
kubectl rollout status deployment/hostname-server
