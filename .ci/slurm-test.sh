#!/usr/bin/env bash
# The SLURM workflow of deploy/slurm/ tested on a real cluster: starts a private single-node
# SLURM (.ci/slurm/start.sh; Debian's slurm and munge packages, installed with apt-get when
# missing), runs a short spatial scenario with genetics and threats unsharded on this machine,
# submits the same command through deploy/slurm/submit.sh as a 4-task job array plus its
# dependent merge job (with an sbatch option, --time, that must reach every job), waits for
# both (with a deadline), checks that every task and the merge ended COMPLETED with exit code
# 0:0 and that the node is still idle (a job that never ran can be reported COMPLETED), and
# compares the merged folder with the unsharded one byte for byte (diff -r); the same for the
# shipped sensitivity study (pva sensitivity) as a 3-task array. Then it submits a
# command that fails in every task and checks that SLURM cancels the merge job
# (DependencyNeverSatisfied) instead of leaving it pending, and cancels a running array with
# scancel: the tasks must end with pva's exit code for SIGTERM (143), leaving no temporary
# file, and the merge job must be cancelled. The cluster is stopped by its pids whatever
# happens (trap), its daemons must be gone and its dir and the work dir removed.
#
#   .ci/slurm-test.sh          CI calls it from .ci/run
#
# It needs root and Debian (apt-get) to install and run the daemons. Elsewhere (a developer's
# machine) it prints "SKIPPED: ..." and exits 0; that is the only case in which it exits 0
# without running. On a Debian machine as root every failure fails it.
#
# Environment: PVA (the pva binary, default .build/release/pva, built when missing),
# CI_SLURM_TEST_TIMEOUT (seconds for each submission's jobs to end, default 300).
set -euo pipefail
cd "$(dirname "$0")/.."

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
say() { echo "slurm test: $*"; }
fail() { echo "slurm test: FAILED: $*" >&2; exit 1; }
t_total=$(now)

# -------------------------------------------------------------- can this machine run it?
skip() { echo "slurm test: SKIPPED: $* (the test needs root on Debian with apt-get, as .ci/run has; it did not run)"; exit 0; }
export PATH=$PATH:/usr/sbin:/sbin
have_slurm=true
for binary in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
  command -v "$binary" > /dev/null || have_slurm=false
done
[ "$(id -u)" -eq 0 ] || skip "not root (SLURM's daemons run as root here)"
if ! $have_slurm; then
  [ -r /etc/debian_version ] || skip "not Debian and SLURM is not installed"
  command -v apt-get > /dev/null || skip "no apt-get to install SLURM with"
fi

pva=${PVA:-.build/release/pva}
if [ ! -x "$pva" ]; then
  [ -z "${PVA:-}" ] || fail "PVA=$pva is not executable"
  swift build -c release
fi
pva=$(cd "$(dirname "$pva")" && pwd)/$(basename "$pva")
deadline_seconds=${CI_SLURM_TEST_TIMEOUT:-300}

work=$(mktemp -d "${TMPDIR:-/tmp}/pva-slurm-test.XXXXXX")
chmod 755 "$work"
cluster_pidfile=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$cluster_pidfile" ]; then
    if [ "$status" -ne 0 ] && [ -d "$work" ]; then
      for f in "$work"/*.logs/*; do [ -f "$f" ] && { echo "===== $f" >&2; tail -n 30 "$f" >&2; }; done
      [ -n "${CI_SLURM_DIR:-}" ] && [ -f "$CI_SLURM_DIR/log/slurmctld.log" ] && { echo "===== slurmctld.log (end)" >&2; tail -n 30 "$CI_SLURM_DIR/log/slurmctld.log" >&2; }
    fi
    t_stop=$(now)
    local pids pid cluster_dir
    pids=$(sed -n 's/^[A-Z]*_PID=//p' "$cluster_pidfile")
    cluster_dir=$(dirname "$(dirname "$cluster_pidfile")")
    local clean=true
    .ci/slurm/stop.sh "$cluster_pidfile" || { echo "slurm test: FAILED: the cluster did not stop cleanly" >&2; clean=false; }
    # nothing may outlive the test: no daemon (a zombie waiting for pid 1 to reap it is gone)
    for pid in $pids; do
      if [ -r "/proc/$pid/stat" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2> /dev/null)" != Z ]; then
        echo "slurm test: FAILED: daemon $pid still running after stop: $(tr '\0' ' ' < "/proc/$pid/cmdline")" >&2; clean=false
      fi
    done
    [ ! -e "$cluster_dir" ] || { echo "slurm test: FAILED: $cluster_dir left behind" >&2; clean=false; }
    if $clean; then
      say "cluster stopped in $(since "$t_stop"): daemons $(echo $pids) gone, $cluster_dir removed"
    else
      status=1
    fi
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# -------------------------------------------------------------- start the cluster
t_start=$(now)
cluster=$(.ci/slurm/start.sh) || fail "the cluster did not start (its logs are above)"
eval "$cluster"                   # SLURM_CONF, CI_SLURM_PIDFILE, CI_SLURM_DIR
cluster_pidfile=$CI_SLURM_PIDFILE
[ -f "$cluster_pidfile" ] && [ -f "$SLURM_CONF" ] || fail "start.sh gave no cluster: $cluster"
say "cluster up in $(since "$t_start") ($(sinfo -h -o '%N, %c CPUs, %t'), SLURM $(sinfo -V | awk '{print $2}'))"

# -------------------------------------------------------------- helpers
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< " $2"; }

# wait_for JOB...: until no job is pending, running, completing, configuring or suspended
wait_for() {
  local ids deadline active
  ids=$(IFS=,; echo "$*")
  deadline=$(( $(date +%s) + deadline_seconds ))
  while :; do
    active=$(squeue -h -j "$ids" -t PD,R,CG,CF,S -o '%i %T %r') || fail "squeue failed for jobs $ids"
    [ -z "$active" ] && return 0
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "$active" >&2
      scancel "$@" || true
      fail "jobs $ids still active after ${deadline_seconds} s"
    fi
    sleep 0.25
  done
}

# states JOB: "STATE EXITCODE REASON", for an array one line per task with "TASK:" in front
# (there is no accounting, so no sacct: scontrol keeps finished jobs for MinJobAge=600 s)
states() {
  local text line task
  text=$(scontrol -o show job "$1") || fail "scontrol show job $1 failed"
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    task=$(field ArrayTaskId "$line")
    echo "${task:+$task:}$(field JobState "$line") $(field ExitCode "$line") $(field Reason "$line")"
  done <<< "$text" | sort -n
}

node_idle() {
  local node
  node=$(sinfo -h -o '%t %E')
  [ "$node" = "idle none" ] || fail "the node is '$node' after the jobs, not 'idle none'"
}

# sharded NAME N -- PVA COMMAND [ARG...]: run the command unsharded here and as N shards through
# deploy/slurm/submit.sh, and require every job COMPLETED 0:0 and identical folders.
sharded() {
  local name=$1 shards=$2 t ids array merge line completed=0 st
  shift 3
  t=$(now)
  "$@" --quiet --out "$work/$name-single" > /dev/null
  say "$name: unsharded run here in $(since "$t")"

  t=$(now)
  # --time reaches the jobs: an sbatch option given to submit.sh (checked below)
  ids=$(deploy/slurm/submit.sh "$shards" "$work/$name" --time=10 -- "$@" --quiet) || fail "$name: submit.sh failed"
  read -r array merge <<< "$ids"
  [[ "$array $merge" =~ ^[0-9]+\ [0-9]+$ ]] || fail "$name: submit.sh printed '$array $merge', not two job ids"
  wait_for "$array" "$merge"
  while IFS= read -r line; do
    say "$name: array $array task $line"
    [[ "$line" =~ ^[0-9]+:COMPLETED\ 0:0\  ]] || fail "$name: array task ${line%%:*} did not complete with exit code 0"
    completed=$((completed + 1))
  done < <(states "$array")
  [ "$completed" -eq "$shards" ] || fail "$name: $completed of $shards array tasks reported"
  st=$(states "$merge")
  say "$name: merge job $merge $st"
  [[ "$st" =~ ^COMPLETED\ 0:0\  ]] || fail "$name: the merge job did not complete with exit code 0"
  node_idle
  say "$name: $shards-task array + merge through sbatch in $(since "$t")"
  [ "$( { scontrol -o show job "$array"; scontrol -o show job "$merge"; } | grep -c ' TimeLimit=00:10:00 ')" -eq $((shards + 1)) ] \
    || fail "$name: not every job has the time limit given to submit.sh (--time=10)"

  ls "$work/$name.shards"/*.pva-shard > /dev/null || fail "$name: no shard files"
  diff -r "$work/$name-single" "$work/$name" > "$work/$name.diff" \
    || { head -n 40 "$work/$name.diff" >&2; fail "$name: the merged folder differs from the unsharded run"; }
  say "$name: merged folder identical to the unsharded run ($(find "$work/$name" -type f | wc -l) files, diff -r)"
}

# -------------------------------------------------------------- the sharded runs
# Any pva command that takes --shard K/N and --out: one line each. The name set (spaces, a
# semicolon, parentheses, a quote and a dollar, all written into the results) shows that the
# arguments reach the jobs unchanged.
sharded run 4 -- "$pva" run scenarios/amur-leopard.json --replicates 24 --years 20 \
  --set 'threats.poaching.probability=0.05' --set "name=Amur leopard (sharded; \"\$HOME\" 'x')"
# The shipped sensitivity study (19 runs of the Amur default with releases, to 2125) at 2
# replicates a run, its runs split into 3 shards.
sharded study 3 -- "$pva" sensitivity scenarios/sensitivity/amur-default.json --replicates 2

# -------------------------------------------------------------- a failing shard cancels the merge
t=$(now)
ids=$(deploy/slurm/submit.sh 2 "$work/broken" -- "$pva" run "$work/no-such-scenario.json" --quiet) \
  || fail "broken: submit.sh failed"
read -r array merge <<< "$ids"
wait_for "$array" "$merge"
failed=0
while IFS= read -r line; do
  say "broken: array $array task $line"
  [[ "$line" =~ ^[0-9]+:FAILED\ [1-9] ]] || fail "broken: array task ${line%%:*} should have FAILED"
  failed=$((failed + 1))
done < <(states "$array")
[ "$failed" -eq 2 ] || fail "broken: $failed of 2 array tasks reported"
# the tasks failed because pva refused the scenario, not for a reason of SLURM's
for task in 0 1; do
  grep -q 'no-such-scenario.json' "$work/broken.logs/shard-${array}_$task.out" \
    || fail "broken: task $task's output does not hold pva's error"
done
st=$(states "$merge")
say "broken: merge job $merge $st"
[[ "$st" =~ ^CANCELLED\ .*DependencyNeverSatisfied ]] || fail "broken: the merge job is '$st', not CANCELLED for DependencyNeverSatisfied"
[ ! -e "$work/broken" ] || fail "broken: a results folder was written"
node_idle
say "broken: every task FAILED and the merge job was CANCELLED (DependencyNeverSatisfied) in $(since "$t")"

# -------------------------------------------------------------- scancel stops the shards cleanly
# SLURM stops a task (scancel, its time limit) with SIGTERM: pva removes its temporary shard
# file and exits 143, and the merge job is cancelled.
t=$(now)
ids=$(deploy/slurm/submit.sh 2 "$work/cancelled" -- "$pva" run scenarios/amur-leopard.json --replicates 2000 --years 100 --quiet) \
  || fail "cancelled: submit.sh failed"
read -r array merge <<< "$ids"
deadline=$(( $(date +%s) + deadline_seconds ))
until [ "$(find "$work/cancelled.shards" -name '.shard-*.tmp' | wc -l)" -eq 2 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "cancelled: the two tasks did not start writing their shards"
  sleep 0.1
done
scancel "$array"
wait_for "$array" "$merge"
cancelled=0
while IFS= read -r line; do
  say "cancelled: array $array task $line"
  [[ "$line" =~ ^[0-9]+:CANCELLED\ 143:0\  ]] || fail "cancelled: array task ${line%%:*} should be CANCELLED with exit code 143"
  cancelled=$((cancelled + 1))
done < <(states "$array")
[ "$cancelled" -eq 2 ] || fail "cancelled: $cancelled of 2 array tasks reported"
st=$(states "$merge")
say "cancelled: merge job $merge $st"
[[ "$st" =~ ^CANCELLED\ .*DependencyNeverSatisfied ]] || fail "cancelled: the merge job is '$st', not CANCELLED for DependencyNeverSatisfied"
[ -z "$(ls -A "$work/cancelled.shards")" ] || fail "cancelled: files left in the shards folder: $(ls -A "$work/cancelled.shards")"
grep -q 'interrupted' "$work/cancelled.logs/shard-${array}_0.out" || fail "cancelled: task 0's output does not say pva was interrupted"
node_idle
say "cancelled: scancel stopped both tasks (exit 143, no file left) and the merge job was CANCELLED in $(since "$t")"

say "passed in $(since "$t_total") (without stopping the cluster)"
