#!/usr/bin/env bash
# .ci/slurm/start.sh: start a private single-node SLURM cluster (Debian 12's SLURM 22.05 and
# munge, as root, no systemd) for .ci/slurm-test.sh. CI tooling, not for users: a real cluster
# is run by its administrators (deploy/slurm/ is what users run on one).
#
# Everything lives in one fresh temp dir (slurm.conf, munge key and socket, state, spool, logs,
# pids): nothing is written to /etc/slurm or /etc/munge, the system munged is not used, and two
# clusters can run side by side (each takes the next free port pair).
#
# Usage:   env=$(.ci/slurm/start.sh) || exit 1; eval "$env"
#          ... sbatch / squeue / scontrol (they only need SLURM_CONF) ...
#          .ci/slurm/stop.sh "$CI_SLURM_PIDFILE"
#   stdout is only `export SLURM_CONF=... CI_SLURM_PIDFILE=... CI_SLURM_DIR=...`; progress goes to
#   stderr. Do not write a bare eval "$(.ci/slurm/start.sh)": eval of an empty string succeeds
#   even under set -e (on failure the script prints `false` so that such an eval fails too,
#   but check the exit code anyway). On failure it prints the daemons' logs, stops whatever it
#   started, removes its dir and exits 1.
#
# It installs munge, slurmctld, slurmd and slurm-client with apt-get when they are missing
# (--no-install-recommends; a policy-rc.d keeps the packages from starting system daemons),
# starts munged, slurmctld -D and slurmd -D, waits for the node to be idle and runs one probe
# job end to end (an idle node is not yet a node that runs jobs: the scheduler's first pass
# comes about 3 s after slurmctld starts).
#
# The configuration is the one that works in a container without systemd: proctrack/linuxproc
# and task/none (proctrack/cgroup fails every job step here, yet slurmctld reports the job
# COMPLETED 0:0, so never trust a job state without checking its output), no accounting (no
# sacct: read final states with scontrol show job, kept for MinJobAge=600 s), and
# SchedulerParameters=batch_sched_delay=0 (the default 3 s delay starts array tasks and
# dependent jobs only every 3 s).
#
# Environment (all optional):
#   CI_SLURM_TMPDIR_PARENT  parent of the temp dir (default ${TMPDIR:-/tmp}; /tmp when too long
#                           for unix socket paths)
#   CI_SLURM_START_TIMEOUT  seconds for the node to be idle and the probe job to finish (default 60)
#   CI_SLURM_START_PROBE=0  skip the probe job (the first real job then waits about 3 s instead)
#   CI_SLURM_PORT_BASE      first port to try for slurmctld, slurmd takes the next (default 6817)
#   CI_SLURM_NO_INSTALL=1   never run apt-get (fail if a binary is missing)
set -euo pipefail

log() { printf '[slurm start] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; echo "false  # .ci/slurm/start.sh failed"; exit 1; }

T0=$(date +%s.%N)
[ "$(id -u)" = 0 ] || die "must run as root (SlurmUser=root, munged as root)"

# ---------------------------------------------------------------- 1. packages
need_install=()
for b in munged:munge slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client; do
  command -v "${b%%:*}" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin command -v "${b%%:*}" >/dev/null 2>&1 \
    || need_install+=("${b##*:}")
done
export PATH=$PATH:/usr/sbin:/sbin
if [ "${#need_install[@]}" -gt 0 ]; then
  [ "${CI_SLURM_NO_INSTALL:-0}" = 1 ] && die "missing packages: ${need_install[*]} (CI_SLURM_NO_INSTALL=1)"
  log "installing: ${need_install[*]}"
  # Never let the package postinst scripts start the system daemons (no systemd here, but the
  # sysv init scripts would otherwise try to start munge/slurmctld/slurmd with /etc configs).
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  trap '[ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
  export DEBIAN_FRONTEND=noninteractive
  # apt lists may be missing on a fresh machine: update once, then install.
  apt-get update -qq -o DPkg::Lock::Timeout=300 >&2 || log "apt-get update failed (continuing; install may still work)"
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      "${need_install[@]}" >&2 || die "apt-get install failed"
  if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; made_policy=0; fi
  trap - EXIT
fi
for b in munged slurmctld slurmd sbatch squeue sinfo scontrol; do
  command -v "$b" >/dev/null || die "$b not found after install"
done
log "slurm $(slurmctld -V 2>&1 | awk '{print $2}'), munge $(munged -V 2>&1 | awk '{print $1}')"

# ---------------------------------------------------------------- 2. temp dir + layout
PARENT=${CI_SLURM_TMPDIR_PARENT:-${TMPDIR:-/tmp}}
# Unix socket paths are limited to 108 bytes: munged's socket and slurmd's per-step sockets
# ($SPOOL/<node>_<jobid>.<stepid>) live in this dir, so a deep TMPDIR (e.g. a test framework's
# tmp_path) would break job launch in odd ways. Fall back to /tmp when it is too long.
probe_path="$PARENT/slurm.XXXXXX/spool/$(hostname -s)_4294967294.4294967294"
if [ ${#probe_path} -gt 100 ]; then
  log "temp parent '$PARENT' too long for unix sockets (${#probe_path} > 100 bytes), using /tmp"
  PARENT=/tmp
fi
DIR=$(mktemp -d "$PARENT/slurm.XXXXXX")
chmod 755 "$DIR"                      # job steps / other users may need to read slurm.conf
mkdir -p "$DIR"/{etc,state,spool,log,run,munge}
chmod 700 "$DIR/state"
chmod 755 "$DIR/munge"        # munged warns unless the socket dir is world-executable; key stays 0600
PIDFILE=$DIR/run/pids.env
CONF=$DIR/etc/slurm.conf
MUNGE_SOCK=$DIR/munge/munge.socket
: >"$PIDFILE"

abort() {
  rc=${1:-1}; trap - ERR
  log "start-up FAILED (rc=$rc); daemon logs follow"
  for f in "$DIR"/log/*; do [ -f "$f" ] && { echo "===== $f" >&2; tail -n 40 "$f" >&2; }; done
  log "stopping whatever was started"
  "$(dirname "$0")/stop.sh" "$PIDFILE" >&2 || true
  echo "false  # .ci/slurm/start.sh failed"   # so that a careless eval fails too
  exit "$rc"
}
trap 'abort $?' ERR
fail() { log "ERROR: $*"; abort 1; }

# ---------------------------------------------------------------- 3. munge (private instance)
# a fresh random key: munged wants at least 32 bytes and mode 0600
dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$DIR/munge/munge.key"
munged --foreground --force \
  --key-file="$DIR/munge/munge.key" \
  --socket="$MUNGE_SOCK" \
  --pid-file="$DIR/run/munged.pid" \
  --seed-file="$DIR/munge/munged.seed" \
  --log-file="$DIR/log/munged.log" \
  </dev/null >>"$DIR/log/munged.log" 2>&1 &
echo "MUNGED_PID=$!" >>"$PIDFILE"
MUNGED_PID=$!
for _ in $(seq 100); do [ -S "$MUNGE_SOCK" ] && break; kill -0 $MUNGED_PID 2>/dev/null || break; sleep 0.1; done
[ -S "$MUNGE_SOCK" ] || fail "munged did not create $MUNGE_SOCK"
munge -S "$MUNGE_SOCK" -n | unmunge -S "$MUNGE_SOCK" >/dev/null || fail "munge round-trip failed"

# ---------------------------------------------------------------- 4. slurm.conf
HOST=$(hostname -s)
NCPU=$(nproc)
# Memory: ask slurmd what it sees, then leave ~10% headroom so the node is never drained for
# "Low RealMemory". (With CR_CPU memory is not a consumable resource anyway.)
MEM=$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -1)
MEM=$(( ${MEM:-1024} * 9 / 10 ))
port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
PORT=${CI_SLURM_PORT_BASE:-6817}
for _ in $(seq 50); do port_free "$PORT" && port_free $((PORT+1)) && break; PORT=$((PORT+2)); done
port_free "$PORT" && port_free $((PORT+1)) || fail "no free port pair found"

cat >"$CONF" <<EOF
# generated by .ci/slurm/start.sh on $(date -u +%FT%TZ)
ClusterName=ci
SlurmctldHost=${HOST}(127.0.0.1)
SlurmctldPort=${PORT}
SlurmdPort=$((PORT+1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${MUNGE_SOCK}
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# default batch_sched_delay=3 makes the scheduler start newly runnable jobs (next array tasks,
# the dependent merge) only every ~3 s; 0 brings it down to the ~1 s background-loop tick.
SchedulerParameters=batch_sched_delay=0
MailProg=/bin/true
ReturnToService=2
StateSaveLocation=${DIR}/state
SlurmdSpoolDir=${DIR}/spool
SlurmctldPidFile=${DIR}/run/slurmctld.pid
SlurmdPidFile=${DIR}/run/slurmd.pid
SlurmctldLogFile=${DIR}/log/slurmctld.log
SlurmdLogFile=${DIR}/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# keep finished job records around for 10 min so scontrol show job can report final states
MinJobAge=600
MaxArraySize=10001
# short timeouts: a dead daemon should be noticed quickly in CI
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=${HOST} NodeAddr=127.0.0.1 CPUs=${NCPU} RealMemory=${MEM} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
export SLURM_CONF=$CONF
{ echo "SLURM_DIR=$DIR"; echo "SLURM_CONF=$CONF"; } >>"$PIDFILE"

# ---------------------------------------------------------------- 5. slurmctld + slurmd
slurmctld -D -i -f "$CONF" </dev/null >>"$DIR/log/slurmctld.stdout" 2>&1 &
echo "SLURMCTLD_PID=$!" >>"$PIDFILE"
CTLD_PID=$!
for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q 'is UP' && break
  kill -0 $CTLD_PID 2>/dev/null || fail "slurmctld exited early"; sleep 0.1; done
scontrol ping 2>/dev/null | grep -q 'is UP' || fail "slurmctld not answering ping"

slurmd -D -f "$CONF" -N "$HOST" </dev/null >>"$DIR/log/slurmd.stdout" 2>&1 &
echo "SLURMD_PID=$!" >>"$PIDFILE"
SLURMD_PID=$!

# ---------------------------------------------------------------- 6. wait for idle
TIMEOUT=${CI_SLURM_START_TIMEOUT:-60}
deadline=$(( $(date +%s) + TIMEOUT ))
state=""
while [ "$(date +%s)" -lt "$deadline" ]; do
  kill -0 $SLURMD_PID 2>/dev/null || fail "slurmd exited early"
  kill -0 $CTLD_PID 2>/dev/null || fail "slurmctld exited early"
  state=$(sinfo -h -n "$HOST" -o '%t' 2>/dev/null | head -1 || true)
  case "$state" in
    idle) break ;;
    down*|drain*|drng*)
      # e.g. left DOWN from an unexpected reboot; we know the node is fine: resume it.
      log "node state '$state', resuming"; scontrol update nodename="$HOST" state=resume 2>/dev/null || true ;;
  esac
  sleep 0.2
done
[ "$state" = idle ] || { sinfo -N -l >&2 || true; scontrol show node "$HOST" >&2 || true; fail "node not idle after ${TIMEOUT}s (state='$state')"; }
T_IDLE=$(date +%s.%N)

# ---------------------------------------------------------------- 7. probe job (end-to-end check)
# slurmctld does not start any job during its first ~3 s, and an "idle" node does not prove that
# slurmd can launch a batch step (munge creds, spool dir, slurmstepd). One trivial job proves it.
if [ "${CI_SLURM_START_PROBE:-1}" = 1 ]; then
  pj=$(cd "$DIR" && sbatch --parsable -J probe -o "$DIR/log/probe.out" --wrap 'echo probe-ok') || fail "probe sbatch failed"
  pj=${pj%%;*}; pst=""
  while [ "$(date +%s)" -lt "$deadline" ]; do
    pst=$(scontrol -o show job "$pj" 2>/dev/null | sed -n 's/.*JobState=\([^ ]*\).*/\1/p')
    case "$pst" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|BOOT_FAIL|OUT_OF_MEMORY) break;; esac
    sleep 0.2
  done
  [ "$pst" = COMPLETED ] && grep -q probe-ok "$DIR/log/probe.out" 2>/dev/null \
    || { scontrol show job "$pj" >&2 || true; fail "probe job $pj did not complete (state '$pst')"; }
fi
trap - ERR

T1=$(date +%s.%N)
log "cluster up in $(awk "BEGIN{printf \"%.1f\", $T1-$T0}")s (node idle after $(awk "BEGIN{printf \"%.1f\", $T_IDLE-$T0}")s): node $HOST ($NCPU cpus), dir $DIR"
echo "export SLURM_CONF=$CONF"
echo "export CI_SLURM_PIDFILE=$PIDFILE"
echo "export CI_SLURM_DIR=$DIR"
