#!/usr/bin/env bash
# Start a private single-node SLURM cluster on this machine, for tests/slurm/.
#
# What it does (every step bounded by a timeout, every step idempotent):
#   1. installs Debian's munge, slurmctld, slurmd and slurm-client if a binary is missing,
#      with a policy-rc.d that forbids the package scripts to start the daemons;
#   2. writes a minimal slurm.conf for this machine (node = `hostname -s`, CPUs and
#      RealMemory from `slurmd -C`, no cgroups, no accounting) and its own munge key, and
#      links /etc/slurm/slurm.conf to it (unless that file exists and is not ours);
#   3. starts munged, slurmctld and slurmd by hand, each with a pid file under $STATE_DIR;
#   4. waits until `sinfo` shows the node idle.
# Running it again while the cluster is up changes nothing. tests/slurm/stop.sh stops exactly
# the daemons this script started (by their pid files).
#
# Needs root (to install packages and to run slurmd, which starts jobs as their users).
# Exit status: 0 cluster up; 1 failure; 77 cannot run here (not root and SLURM not installed).
#
# Environment:
#   BELLFLOW_SLURM_DIR     state directory (default /tmp/bellflow-slurm); clients need
#                          SLURM_CONF=$BELLFLOW_SLURM_DIR/slurm.conf (see $BELLFLOW_SLURM_DIR/env.sh)
#   BELLFLOW_SLURM_PORT    slurmctld port (default 6817; slurmd uses the next one)
#   BELLFLOW_SLURM_TIMEOUT seconds to wait for each daemon and for the node (default 60)
#   BELLFLOW_SLURM_CPUS    CPUs the node advertises (default: the machine's, from slurmd -C);
#                          more than the machine has oversubscribes it (config_overrides)
set -euo pipefail

STATE_DIR="${BELLFLOW_SLURM_DIR:-/tmp/bellflow-slurm}"
CTLD_PORT="${BELLFLOW_SLURM_PORT:-6817}"
SLURMD_PORT=$((CTLD_PORT + 1))
WAIT_S="${BELLFLOW_SLURM_TIMEOUT:-60}"
PACKAGES=(munge slurmctld slurmd slurm-client)
BINARIES=(munged mungekey munge unmunge slurmctld slurmd sinfo sbatch squeue scontrol srun)

log() { printf 'start.sh: %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

# pid_alive PIDFILE NAME: true if PIDFILE names a live process whose executable is NAME.
pid_alive() {
    local pidfile=$1 name=$2 pid exe
    [[ -s $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ -d /proc/$pid ]] || return 1
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
    [[ $(basename "${exe% (deleted)}") == "$name"* ]]
}

missing_binaries() {
    local b
    for b in "${BINARIES[@]}"; do
        command -v "$b" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$b" \
            >/dev/null 2>&1 || echo "$b"
    done
}

install_packages() {
    command -v apt-get >/dev/null || die "apt-get not found: install ${PACKAGES[*]} by hand"
    log "installing ${PACKAGES[*]} (daemons kept from starting)"
    # Debian's maintainer scripts start the daemons through invoke-rc.d / deb-systemd-invoke,
    # which both obey /usr/sbin/policy-rc.d: exit code 101 means "action forbidden".
    local own_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\n# written by bellflow tests/slurm/start.sh\nexit 101\n' \
            >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        own_policy=1
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT   # also if this script is killed mid-install
    fi
    local rc=0
    export DEBIAN_FRONTEND=noninteractive RUNLEVEL=1
    # Wait (bounded) for a dpkg lock held by another apt-get rather than failing at once.
    local lock=(-o DPkg::Lock::Timeout=120)
    timeout 300 apt-get "${lock[@]}" update -q >"$STATE_DIR/apt.log" 2>&1 || rc=$?
    if [[ $rc -eq 0 ]]; then
        timeout 600 apt-get "${lock[@]}" install -y -q --no-install-recommends "${PACKAGES[@]}" \
            >>"$STATE_DIR/apt.log" 2>&1 || rc=$?
    fi
    if [[ $own_policy -eq 1 ]]; then
        rm -f /usr/sbin/policy-rc.d
        trap - EXIT
    fi
    if [[ $rc -ne 0 ]]; then
        tail -n 20 "$STATE_DIR/apt.log" >&2
        die "apt-get failed (exit $rc), full log in $STATE_DIR/apt.log"
    fi
}

# wait_for SECONDS DESCRIPTION COMMAND...: retry COMMAND every 0.5 s until it succeeds.
wait_for() {
    local secs=$1 what=$2
    shift 2
    local deadline=$((SECONDS + secs))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            log "timed out after ${secs}s waiting for $what"
            return 1
        fi
        sleep 0.5
    done
}

write_conf() {
    # Node facts from slurmd itself, so the node never registers with "low resources".
    local node_line node cpus mem
    node=$(hostname -s)
    node_line=$(timeout 20 slurmd -C 2>/dev/null | head -n 1 || true)
    cpus=$(sed -n 's/.*\bCPUs=\([0-9]*\).*/\1/p' <<<"$node_line")
    mem=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$node_line")
    [[ -n $cpus ]] || cpus=$(nproc)
    [[ -n $mem ]] || mem=$(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo)
    # Leave some memory to the OS and the daemons (slurmd drains a node whose real memory is
    # below its configured RealMemory).
    mem=$((mem * 9 / 10))
    # Optional oversubscription for short test jobs: advertise more CPUs than the machine has
    # (slurmd accepts it only with config_overrides). Off unless BELLFLOW_SLURM_CPUS is set.
    local overrides="#SlurmdParameters=config_overrides   (off: CPUs are the machine's)"
    if [[ -n ${BELLFLOW_SLURM_CPUS:-} ]]; then
        [[ $BELLFLOW_SLURM_CPUS =~ ^[1-9][0-9]*$ ]] ||
            die "BELLFLOW_SLURM_CPUS must be a positive integer, got '$BELLFLOW_SLURM_CPUS'"
        if ((BELLFLOW_SLURM_CPUS > cpus)); then
            overrides="SlurmdParameters=config_overrides"
        fi
        cpus=$BELLFLOW_SLURM_CPUS
    fi
    cat >"$STATE_DIR/slurm.conf.new" <<EOF
# Generated by bellflow tests/slurm/start.sh for $(hostname -s): single node, no accounting.
ClusterName=bellflow
SlurmctldHost=${node}(127.0.0.1)
SlurmctldPort=${CTLD_PORT}
SlurmdPort=${SLURMD_PORT}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${STATE_DIR}/munge/munge.socket
StateSaveLocation=${STATE_DIR}/ctld
SlurmdSpoolDir=${STATE_DIR}/spool/%n
SlurmctldPidFile=${STATE_DIR}/pids/slurmctld.pid
SlurmdPidFile=${STATE_DIR}/pids/slurmd.pid
SlurmctldLogFile=${STATE_DIR}/log/slurmctld.log
SlurmdLogFile=${STATE_DIR}/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups: track processes through /proc, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No accounting at all: there is no slurmdbd, so sacct has nothing to ask.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
# Cores and memory are the consumable resources: jobs are packed by --cpus-per-task and --mem.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
SchedulerType=sched/backfill
# Finished jobs stay visible to squeue for 10 minutes: the snakemake plugin's squeue status
# check needs MinJobAge >= 3 x its first status-check delay.
MinJobAge=600
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=10
Waittime=0
${overrides}
NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP
EOF
}

# Point /etc/slurm/slurm.conf at our slurm.conf. SLURM_CONF alone is not enough: the
# snakemake jobstep plugin strips every SLURM_* variable (SLURM_CONF too) from the environment
# of the `srun` it runs inside a job, so the job's srun must find the default path. A
# slurm.conf that start.sh did not write is never touched.
link_system_conf() {
    local sys_conf=/etc/slurm/slurm.conf
    mkdir -p /etc/slurm
    if [[ -L $sys_conf ]] && [[ $(readlink "$sys_conf") == "$SLURM_CONF" ]]; then
        return 0
    fi
    if [[ -e $sys_conf || -L $sys_conf ]]; then
        if [[ -L $sys_conf && ! -e $sys_conf ]] ||
            head -n 1 "$sys_conf" 2>/dev/null | grep -q '^# Generated by bellflow'; then
            rm -f "$sys_conf"
        else
            die "$sys_conf exists and was not written by start.sh: this machine already has a" \
                "SLURM configuration, refusing to replace it"
        fi
    fi
    ln -s "$SLURM_CONF" "$sys_conf"
}

node_idle() {
    local state
    state=$(timeout 10 sinfo --noheader --nodes="$(hostname -s)" --format=%T 2>/dev/null) ||
        return 1
    [[ $state == idle* || $state == mixed* || $state == allocated* ]]
}

main() {
    export PATH="$PATH:/usr/sbin:/sbin"
    if [[ $(id -u) -ne 0 ]]; then
        # Not root: fine if root already started the cluster, else nothing can be done.
        if [[ -z $(missing_binaries) && -f $STATE_DIR/slurm.conf ]] &&
            SLURM_CONF="$STATE_DIR/slurm.conf" node_idle; then
            log "SLURM is up (started by root): SLURM_CONF=$STATE_DIR/slurm.conf"
            exit 0
        fi
        if [[ -n $(missing_binaries) ]]; then
            log "cannot install ${PACKAGES[*]}: not root and missing: $(missing_binaries | xargs)"
        else
            log "SLURM is installed but its daemons need root to start (uid $(id -u))"
        fi
        exit 77
    fi
    mkdir -p "$STATE_DIR"
    chmod 755 "$STATE_DIR"
    if [[ -n $(missing_binaries) ]]; then install_packages; fi
    [[ -z $(missing_binaries) ]] || die "still missing after install: $(missing_binaries | xargs)"

    mkdir -p "$STATE_DIR"/{ctld,spool,pids,log,munge,munge-key}
    chmod 755 "$STATE_DIR/munge"   # munged: socket dir must be executable by all
    chmod 700 "$STATE_DIR/munge-key"
    export SLURM_CONF="$STATE_DIR/slurm.conf"
    printf 'export SLURM_CONF=%q\n' "$SLURM_CONF" >"$STATE_DIR/env.sh"

    write_conf
    if [[ -f $SLURM_CONF ]] && ! cmp -s "$SLURM_CONF" "$SLURM_CONF.new"; then
        if pid_alive "$STATE_DIR/pids/slurmctld.pid" slurmctld ||
            pid_alive "$STATE_DIR/pids/slurmd.pid" slurmd; then
            log "slurm.conf changed: restarting the daemons"
            "$(dirname "${BASH_SOURCE[0]}")/stop.sh"
        fi
    fi
    mv "$SLURM_CONF.new" "$SLURM_CONF"
    link_system_conf

    # munged with its own key and socket: independent of any system munged.
    if ! pid_alive "$STATE_DIR/pids/munged.pid" munged; then
        if [[ ! -s $STATE_DIR/munge-key/munge.key ]]; then
            timeout 20 mungekey --create --keyfile="$STATE_DIR/munge-key/munge.key" ||
                die "mungekey failed"
        fi
        chmod 600 "$STATE_DIR/munge-key/munge.key"
        rm -f "$STATE_DIR/munge/munge.socket" "$STATE_DIR/munge/munge.socket.lock"
        log "starting munged"
        timeout 20 munged --key-file="$STATE_DIR/munge-key/munge.key" \
            --socket="$STATE_DIR/munge/munge.socket" \
            --pid-file="$STATE_DIR/pids/munged.pid" \
            --log-file="$STATE_DIR/log/munged.log" \
            --seed-file="$STATE_DIR/munge-key/munged.seed" ||
            die "munged did not start: $(tail -n 3 "$STATE_DIR/log/munged.log" 2>/dev/null)"
        wait_for "$WAIT_S" "munged pid file" pid_alive "$STATE_DIR/pids/munged.pid" munged ||
            die "munged not running"
    fi
    munge_ok() { munge -S "$STATE_DIR/munge/munge.socket" -n |
        unmunge -S "$STATE_DIR/munge/munge.socket"; }
    wait_for "$WAIT_S" "a munge round trip" munge_ok || die "munge does not work"

    if ! pid_alive "$STATE_DIR/pids/slurmctld.pid" slurmctld; then
        log "starting slurmctld"
        # -c: clean start, forget jobs of an earlier test cluster in this state directory.
        timeout 30 slurmctld -c -f "$SLURM_CONF" ||
            die "slurmctld failed: $(tail -n 5 "$STATE_DIR/log/slurmctld.log" 2>/dev/null)"
        wait_for "$WAIT_S" "slurmctld" pid_alive "$STATE_DIR/pids/slurmctld.pid" slurmctld ||
            die "slurmctld not running: $(tail -n 5 "$STATE_DIR/log/slurmctld.log")"
    fi
    wait_for "$WAIT_S" "slurmctld to answer" timeout 10 scontrol ping ||
        die "slurmctld does not answer: $(tail -n 5 "$STATE_DIR/log/slurmctld.log")"

    if ! pid_alive "$STATE_DIR/pids/slurmd.pid" slurmd; then
        log "starting slurmd"
        timeout 30 slurmd -f "$SLURM_CONF" -N "$(hostname -s)" ||
            die "slurmd failed: $(tail -n 5 "$STATE_DIR/log/slurmd.log" 2>/dev/null)"
        wait_for "$WAIT_S" "slurmd" pid_alive "$STATE_DIR/pids/slurmd.pid" slurmd ||
            die "slurmd not running: $(tail -n 5 "$STATE_DIR/log/slurmd.log")"
    fi
    if ! wait_for "$WAIT_S" "node $(hostname -s) to be idle" node_idle; then
        # A node left down/drained by an earlier run: bring it back once, then wait again.
        timeout 10 scontrol update nodename="$(hostname -s)" state=resume || true
        wait_for "$WAIT_S" "node $(hostname -s) to be idle" node_idle || {
            timeout 10 sinfo -N -l >&2 || true
            die "node not idle; logs in $STATE_DIR/log"
        }
    fi
    log "SLURM is up: SLURM_CONF=$SLURM_CONF"
    timeout 10 sinfo >&2
}

main "$@"
