#!/bin/sh
# Runs the sharded job, waits for it, then the merge.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
kubectl apply -f "$HERE/pvc.yaml"
kubectl delete job corridor-shards corridor-merge --ignore-not-found
kubectl apply -f "$HERE/shards.yaml"
kubectl wait --for=condition=complete --timeout=24h job/corridor-shards
kubectl apply -f "$HERE/merge.yaml"
kubectl wait --for=condition=complete --timeout=1h job/corridor-merge
echo "merged result in the corridor-results volume, under run/merged/"
