#!/bin/bash
# Lesson 1's end state: the seed's Deployment of two hostname pods and its ClusterIP Service (assets in ~/k8s_lab/service).
cd ~/k8s_lab/service
kubectl apply -f hostname-deployment.yaml -f clusterip-service.yaml
kubectl rollout status deployment/hostname-server
