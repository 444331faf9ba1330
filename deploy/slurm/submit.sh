#!/usr/bin/env bash
# deploy/slurm/submit.sh: run a pva command as N shards of a SLURM job array, then merge them.
#
#   deploy/slurm/submit.sh [--max-running M] [--dry-run] N RESULTS [SBATCH_OPTION...] -- PVA COMMAND [ARG...]
#
# e.g.
#   deploy/slurm/submit.sh 16 results/amur --cpus-per-task=4 -- \
#       pva run scenarios/amur-leopard.json --replicates 10000 --threads 4
#   deploy/slurm/submit.sh 8 results/study --partition=short --time=02:00:00 --account=lab \
#       --cpus-per-task=4 -- /opt/pva/bin/pva sensitivity scenarios/sensitivity/amur-default.json --threads 4
#
# It submits two jobs and prints their ids, "ARRAY_JOB_ID MERGE_JOB_ID", as the only line on
# stdout (what it did goes to stderr):
#   1. a job array, sbatch --array=0-(N-1), whose task K runs
#        PVA COMMAND [ARG...] --shard K/N --out RESULTS.shards
#      (K is $SLURM_ARRAY_TASK_ID), which writes RESULTS.shards/shard-K-of-N.pva-shard;
#   2. a merge job, sbatch --dependency=afterok:ARRAY_JOB_ID --kill-on-invalid-dep=yes, running
#        PVA merge RESULTS.shards --out RESULTS
#      once every task has ended with exit code 0. If any task fails (or is cancelled, or
#      times out) the merge job is cancelled by SLURM (reason DependencyNeverSatisfied)
#      instead of waiting in the queue forever.
# pva merge checks that the shards are every shard 0..N-1 of one run exactly once, each
# complete and undamaged, and writes RESULTS byte-identical to the folder the unsharded command
# writes (pva merge --help). Any pva command that takes --shard K/N and --out works: pva run,
# pva sensitivity and pva calibrate.
#
# Arguments
#   N                 number of shards (array tasks), 1..10000; more shards than replicates
#                     leaves some shards empty, which pva accepts
#   RESULTS           the results folder the merge writes; the shards go to RESULTS.shards/
#                     (which must not hold shard files yet: remove an earlier attempt's), the
#                     jobs' output to RESULTS.logs/ (shard-ARRAYID_K.out, merge-JOBID.out)
#   SBATCH_OPTION...  passed to both sbatch calls: --partition, --time, --account, --qos,
#                     --mem, --cpus-per-task, ... (not --array, --dependency, --output,
#                     --wrap or --parsable, which the script sets)
#                     sbatch's environment variables (SBATCH_PARTITION, SBATCH_ACCOUNT,
#                     SBATCH_TIMELIMIT, ...) work as usual.
#   PVA               the pva executable; a name found on PATH is made an absolute path, so
#                     the jobs do not depend on their PATH (the merge runs the same binary)
#   COMMAND [ARG...]  the pva command and its arguments without --shard and --out
# Options (before N)
#   --max-running M   at most M tasks at once (--array=0-(N-1)%M)
#   --dry-run         print the two sbatch command lines and job scripts, submit nothing
#
# Things to know
# - Every job runs in the directory you submit from (--chdir), which must be on a file system
#   the compute nodes share, like RESULTS and the scenario files. pva merge prepares the run
#   again from the arguments stored in the shards, with paths relative to that directory, and
#   refuses if any input file changed since the shards ran.
# - pva calibrate's merge runs the accepted draws again (for the hindcast band): the merge job
#   gets the same sbatch options as the tasks, so its CPUs and time too.
# - pva uses every core it sees (at most one thread per replicate), and without cgroup
#   confinement a task sees the whole node: give --threads equal to --cpus-per-task. Threads
#   never change a result.
# - sbatch --parsable gives the array's id; the merge's afterok names that id, never a guessed
#   one (an afterok on an unknown id is silently dropped and the job runs at once).
# - Watch the jobs with squeue -j ARRAY_JOB_ID,MERGE_JOB_ID; after they end, sacct -j ... (or
#   scontrol show job ... where there is no accounting) gives their states. A failed task's
#   output is RESULTS.logs/shard-ARRAYID_K.out. To rerun only failed shards, submit those with
#   sbatch yourself and run pva merge RESULTS.shards --out RESULTS when they are done. A task
#   SLURM stops (scancel, time limit) gets SIGTERM: pva removes its temporary shard file and
#   exits 143 (only a SIGKILL leaves a hidden .shard-K-of-N.pva-shard.PID.tmp, which pva merge
#   ignores).
set -euo pipefail

usage() {
  sed -n '3,4p;/^# Arguments/,/^#   --dry-run/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
die() { echo "submit.sh: $*" >&2; exit 2; }

max_running=""
dry_run=false
while [ $# -gt 0 ]; do
  case "$1" in
    --max-running) [ $# -ge 2 ] || usage; max_running=$2; shift 2 ;;
    --max-running=*) max_running=${1#*=}; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) usage ;;
    --) usage ;;
    -*) die "unknown option $1 (sbatch options go after N RESULTS)" ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || usage
shards=$1 results=$2
shift 2
[[ "$shards" =~ ^[1-9][0-9]*$ ]] && [ "$shards" -le 10000 ] || die "N must be a whole number from 1 to 10000 (got '$shards')"
[ -z "$max_running" ] || [[ "$max_running" =~ ^[1-9][0-9]*$ ]] || die "--max-running needs a whole number ≥ 1 (got '$max_running')"
[ -n "$results" ] || die "RESULTS must not be empty"
sbatch_options=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
  case "$1" in
    -a|-a*|--array|--array=*|-d|-d*|--dependency|--dependency=*|--wrap|--wrap=*|--parsable|-o|--output|--output=*)
      die "leave out the sbatch option $1: the script sets it (--max-running M throttles the array)" ;;
  esac
  sbatch_options+=("$1"); shift
done
[ $# -gt 0 ] || die "missing -- before the pva command"
shift
[ $# -ge 2 ] || die "missing the pva command after -- (e.g. -- pva run scenarios/amur-leopard.json)"
for argument in "$@"; do
  case "$argument" in
    --shard|--shard=*|--out|--out=*) die "leave out $argument: the script adds --shard K/$shards and --out RESULTS.shards" ;;
  esac
done

pva=$1
shift
if [[ "$pva" != */* ]]; then
  resolved=$(command -v -- "$pva" || true)
  [[ "$resolved" == /* ]] || die "'$pva' is not an executable on PATH"
  pva=$resolved
fi
[ -x "$pva" ] || die "'$pva' is not executable"
[[ "$pva" == /* ]] || pva="$PWD/$pva"

results=${results%/}
[[ "$results" == /* ]] || results="$PWD/$results"
shard_dir=$results.shards
log_dir=$results.logs
if compgen -G "$shard_dir/*.pva-shard" > /dev/null; then
  die "$shard_dir already holds shard files; remove them (or choose another RESULTS) before submitting"
fi

# The job scripts: bash, every argument quoted with printf %q (so any scenario path or --set
# value reaches pva unchanged). sbatch stores the script when it is submitted.
quoted() { local text; text=$(printf '%q ' "$@"); echo "${text% }"; }
shard_script="#!/bin/bash
set -euo pipefail
exec $(quoted "$pva" "$@") --shard \"\$SLURM_ARRAY_TASK_ID/$shards\" --out $(quoted "$shard_dir")
"
merge_script="#!/bin/bash
set -euo pipefail
exec $(quoted "$pva" merge "$shard_dir" --out "$results")
"

array=0-$((shards - 1))${max_running:+%$max_running}
array_command=(sbatch --parsable --job-name=pva-shards --array="$array" --chdir="$PWD"
               --output="$log_dir/shard-%A_%a.out" "${sbatch_options[@]}")
merge_command=(sbatch --parsable --job-name=pva-merge --dependency=afterok:ARRAY_JOB_ID --kill-on-invalid-dep=yes
               --chdir="$PWD" --output="$log_dir/merge-%j.out" "${sbatch_options[@]}")

if $dry_run; then
  echo "# array job:" >&2
  echo "$(quoted "${array_command[@]}") <<'EOF'" >&2
  printf '%sEOF\n' "$shard_script" >&2
  echo "# merge job, ARRAY_JOB_ID being the id the first sbatch prints:" >&2
  echo "$(quoted "${merge_command[@]}") <<'EOF'" >&2
  printf '%sEOF\n' "$merge_script" >&2
  exit 0
fi

command -v sbatch > /dev/null || die "sbatch not found (run this on a SLURM login node)"
mkdir -p "$shard_dir" "$log_dir"
array_id=$("${array_command[@]}" <<< "$shard_script")
array_id=${array_id%%;*}          # --parsable prints "id" or "id;cluster"
[[ "$array_id" =~ ^[0-9]+$ ]] || die "sbatch did not give a job id for the array (got '$array_id')"
merge_command=("${merge_command[@]/ARRAY_JOB_ID/$array_id}")
if ! merge_id=$("${merge_command[@]}" <<< "$merge_script"); then
  echo "submit.sh: the merge job could not be submitted; cancelling array $array_id" >&2
  scancel "$array_id" || true
  exit 1
fi
merge_id=${merge_id%%;*}
{
  echo "submitted array job $array_id (tasks $array, each: $(quoted "$pva" "$@") --shard K/$shards --out $shard_dir)"
  echo "submitted merge job $merge_id (after every task of $array_id ends with exit code 0): $(quoted "$pva" merge "$shard_dir" --out "$results")"
  echo "job output: $log_dir/   watch: squeue -j $array_id,$merge_id"
} >&2
echo "$array_id $merge_id"
