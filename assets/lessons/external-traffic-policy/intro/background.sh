#!/bin/bash
# Lesson 3's end state: the hostname Deployment and its NodePort Service on 30080 (assets in ~/k8s_lab/service).
cd ~/k8s_lab/service
kubectl apply -f hostname-deployment.yaml -f nodeport-service.yaml
kubectl rollout status deployment/hostname-server
