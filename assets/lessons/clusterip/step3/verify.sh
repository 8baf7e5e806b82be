#!/bin/bash
# At least one request went through the Service and was answered since this step began.
kubelab traffic svc/clusterip-hostname-service --since step --expect-answered 1 >/dev/null
