#!/bin/bash
# Both endpoints of the Service answered since this step began: the ClusterIP spreads connections over its pods.
kubelab traffic svc/clusterip-hostname-service --since step --expect-endpoints 2 >/dev/null
