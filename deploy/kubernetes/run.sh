#!/usr/bin/env bash
# deploy/kubernetes/run.sh [--namespace NS] [--timeout SECONDS]: the shards, then the merge.
#
# Creates the volume (pvc.yaml) if it is missing, replaces any earlier pva-shards and pva-merge
# Jobs (a Job cannot be changed once created), creates the Indexed Job pva-shards.yaml, waits
# until it is Complete, then creates pva-merge.yaml and waits until that is Complete. This
# script is the dependency Kubernetes lacks (SLURM's --dependency=afterok): the merge Job exists
# only once every shard pod has succeeded. If either Job fails (a shard failed more often than
# its backoffLimit allows, or the deadline passed) the script prints the failed pods' logs
# and exits 1 without merging; the shards already written stay on the volume.
#
# kubectl wait --for=condition=complete alone would sit out its whole timeout when a Job fails,
# so the script polls the Job's conditions for Complete or Failed (every 10 s; --timeout, default
# 86400 s, bounds each wait). Edit the manifests first: see pva-shards.yaml. The results are on
# the volume, RESULTS in pva-shards.yaml; copy them out through any pod that mounts it, e.g.
#   kubectl run pva-fetch --image=busybox --restart=Never --overrides='{"spec":{"containers":[{"name":"f",
#     "image":"busybox","command":["sleep","3600"],"volumeMounts":[{"name":"r","mountPath":"/results"}]}],
#     "volumes":[{"name":"r","persistentVolumeClaim":{"claimName":"pva-results"}}]}}'
#   kubectl cp pva-fetch:/results/amur-8000 ./amur-8000 && kubectl delete pod pva-fetch
#
# UNTESTED against a real cluster (there was none to test on); see README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

kubectl=(kubectl)
timeout=86400
while [ $# -gt 0 ]; do
  case "$1" in
    --namespace|-n) kubectl+=(--namespace "$2"); shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    *) echo "usage: $0 [--namespace NS] [--timeout SECONDS]" >&2; exit 2 ;;
  esac
done
say() { echo "run.sh: $*" >&2; }

# completions and SHARDS must agree: pod K runs --shard K/SHARDS for K < completions.
read -r completions shards < <("${kubectl[@]}" create --dry-run=client -f "$here/pva-shards.yaml" \
  -o jsonpath='{.spec.completions} {.spec.template.spec.containers[0].env[?(@.name=="SHARDS")].value}{"\n"}')
if [ -z "$completions" ] || [ "$completions" != "$shards" ]; then
  say "pva-shards.yaml: completions ($completions) and SHARDS ($shards) must be the same number"; exit 2
fi

# wait_job NAME: until the Job has the condition Complete (return 0) or Failed (return 1)
wait_job() {
  local deadline=$(( $(date +%s) + timeout )) conditions
  while :; do
    conditions=$("${kubectl[@]}" get job "$1" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type} {end}')
    case " $conditions " in
      *" Complete "*) return 0 ;;
      *" Failed "*) say "job $1 failed: $conditions"; return 1 ;;
    esac
    if [ "$(date +%s)" -ge "$deadline" ]; then say "job $1 not finished after $timeout s"; return 1; fi
    sleep 10
  done
}
logs() { "${kubectl[@]}" logs --selector "step=$1" --prefix --tail=20 || true; }

"${kubectl[@]}" get pvc pva-results > /dev/null 2>&1 || "${kubectl[@]}" apply -f "$here/pvc.yaml"
"${kubectl[@]}" delete job pva-shards pva-merge --ignore-not-found --wait=true
"${kubectl[@]}" apply -f "$here/pva-shards.yaml"
say "pva-shards: $completions shards; waiting for it to complete"
wait_job pva-shards || { logs shards; exit 1; }
say "pva-shards complete; merging"
"${kubectl[@]}" apply -f "$here/pva-merge.yaml"
wait_job pva-merge || { logs merge; exit 1; }
logs merge
say "done: the results folder is on the volume pva-results (RESULTS in pva-shards.yaml)"
