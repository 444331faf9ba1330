#!/usr/bin/env bash
# .ci/slurm/stop.sh [PIDFILE_OR_DIR] [--keep]: stop a cluster that .ci/slurm/start.sh started.
#   1. cancels its jobs and waits for their steps to end;
#   2. stops slurmd, then slurmctld, by the pids recorded in PIDFILE (each pid is checked
#      against its command line first, so a reused pid is never hit);
#   3. kills what is left of this cluster, found without looking at process names: a process
#      with an open file or its cwd in the cluster's dir (slurmstepd), or with SLURM_CONF=<this
#      conf> and a SLURM_JOB_ID in its environment (a job's process, also one it detached with
#      setsid, which outlives scancel under proctrack/linuxproc);
#   4. stops munged last (slurmstepd needs it to the end), then removes the dir (--keep keeps
#      it, with the logs).
# Defaults to $CI_SLURM_PIDFILE. Idempotent: a cluster already stopped is not an error. Exits 1,
# listing them, if processes of the cluster are still running at the end. Zombies (state Z)
# count as gone: pid 1 of a container may reap the daemons only seconds later.
set -uo pipefail
log() { printf '[slurm stop] %s\n' "$*" >&2; }

ARG=${1:-${CI_SLURM_PIDFILE:-}}
KEEP=0; [ "${2:-}" = --keep ] && KEEP=1
[ -n "$ARG" ] || { log "usage: $0 PIDFILE_OR_DIR [--keep]"; exit 2; }
if [ -d "$ARG" ]; then PIDFILE=$ARG/run/pids.env; else PIDFILE=$ARG; fi
[ -f "$PIDFILE" ] || { log "no pid file $PIDFILE (already stopped?)"; exit 0; }

# parse KEY=VALUE lines without sourcing arbitrary code
MUNGED_PID=; SLURMCTLD_PID=; SLURMD_PID=; SLURM_DIR=; SLURM_CONF=
while IFS='=' read -r k v; do
  case "$k" in MUNGED_PID|SLURMCTLD_PID|SLURMD_PID|SLURM_DIR|SLURM_CONF) printf -v "$k" '%s' "$v";; esac
done <"$PIDFILE"
[ -n "$SLURM_DIR" ] || SLURM_DIR=$(cd "$(dirname "$PIDFILE")/.." && pwd)
export SLURM_CONF PATH=$PATH:/usr/sbin:/sbin
cd /    # never hold the dir we are about to remove (and never look like one of its processes)

# alive PID: exists, not a zombie, and its command line mentions our dir (guards against pid reuse)
alive() {
  local p=$1 st
  [ -n "$p" ] && [ -r "/proc/$p/stat" ] || return 1
  st=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) || return 1
  [ "$st" != Z ] || return 1
  tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF "$SLURM_DIR"
}
# pids of processes that belong to this cluster, found without looking at process names:
#  - a process with an open file (or cwd) inside $SLURM_DIR: the daemons, and slurmstepd
#    (which keeps slurmd.log open; its own environ is overwritten by its process title);
#  - a job process: its environment has SLURM_CONF=<our conf> and a SLURM_JOB_ID (this also
#    catches children a job detached with setsid/nohup, which survive scancel under
#    proctrack/linuxproc). A client shell that merely exported SLURM_CONF has no SLURM_JOB_ID.
# Our own pid and our ancestors are never returned.
instance_pids() {
  local d p env skip=" $$ $BASHPID " a=$$
  while [ "$a" -gt 1 ] 2>/dev/null; do a=$(awk '{print $4}' /proc/$a/stat 2>/dev/null || echo 0); skip+="$a "; done
  for d in /proc/[0-9]*; do
    p=${d#/proc/}
    case "$skip" in *" $p "*) continue;; esac
    [ "$p" = "${EXCLUDE:-}" ] && continue
    env=$( { tr '\0' '\n' <"$d/environ"; } 2>/dev/null ) || env=""
    if { readlink "$d/cwd"; ls -l "$d/fd" | sed 's/.* -> //'; } 2>/dev/null | grep -qF "$SLURM_DIR/" \
       || { grep -qxF "SLURM_CONF=$SLURM_CONF" <<<"$env" && grep -q '^SLURM_JOB_ID=' <<<"$env"; }; then
      echo "$p"
    fi
  done
}
wait_gone() {   # wait_gone SECONDS PID...
  local t=$1; shift; local end=$(( $(date +%s) + t )) p any
  while :; do
    any=0; for p in "$@"; do alive "$p" && any=1; done
    [ $any = 0 ] && return 0
    [ "$(date +%s)" -ge "$end" ] && return 1
    sleep 0.1
  done
}
stop_pid() {    # stop_pid NAME PID
  local n=$1 p=$2
  alive "$p" || { log "$n not running"; return 0; }
  kill -TERM "$p" 2>/dev/null
  if wait_gone 15 "$p"; then log "$n ($p) stopped"
  else log "$n ($p) ignored SIGTERM, sending SIGKILL"; kill -KILL "$p" 2>/dev/null; wait_gone 5 "$p"; fi
}

# 1. cancel jobs while the controller is still up, so slurmd/slurmstepd tear them down properly
if alive "$SLURMCTLD_PID" && [ -f "$SLURM_CONF" ]; then
  jobs=$(timeout 10 squeue -h -o '%F' 2>/dev/null | sort -u | tr '\n' ' ')
  if [ -n "${jobs// }" ]; then
    log "cancelling jobs: $jobs"
    timeout 10 scancel $jobs 2>/dev/null || true
    end=$(( $(date +%s) + 20 ))
    while [ -n "$(timeout 5 squeue -h -o %i 2>/dev/null)" ] && [ "$(date +%s)" -lt "$end" ]; do sleep 0.2; done
  fi
fi
# each running step's slurmstepd owns a socket in the spool dir and removes it when it exits
end=$(( $(date +%s) + 15 ))
while [ -n "$(find "$SLURM_DIR/spool" -maxdepth 1 -type s 2>/dev/null)" ] && [ "$(date +%s)" -lt "$end" ]; do sleep 0.2; done

# 2. daemons, in reverse start order
stop_pid slurmd "$SLURMD_PID"
stop_pid slurmctld "$SLURMCTLD_PID"

# 3. stragglers of this instance (e.g. a job process that survived scancel); munged excluded
EXCLUDE=$MUNGED_PID
left=$(instance_pids | tr '\n' ' ')
if [ -n "${left// }" ]; then
  log "killing leftover processes of this cluster: $left"
  kill -TERM $left 2>/dev/null; sleep 1
  left=$(instance_pids | tr '\n' ' '); [ -n "${left// }" ] && kill -KILL $left 2>/dev/null
fi

# munged last: slurmstepd needs it until the very end
stop_pid munged "$MUNGED_PID"
EXCLUDE=

left=$(instance_pids | tr '\n' ' ')
if [ -n "${left// }" ]; then
  log "WARNING: still running: $left"; ps -o pid,stat,cmd -p ${left// /,} >&2 || true; exit 1
fi

if [ $KEEP = 1 ]; then log "kept $SLURM_DIR"
elif [ -f "$SLURM_DIR/etc/slurm.conf" ] && [ -f "$SLURM_DIR/run/pids.env" ]; then
  rm -rf -- "$SLURM_DIR" && log "removed $SLURM_DIR"
else log "not removing $SLURM_DIR (does not look like a .ci/slurm/start.sh dir)"; fi
exit 0
