#!/usr/bin/env bash
# Stop the test SLURM cluster started by tests/slurm/start.sh: only the daemons whose pid files
# start.sh wrote under $BELLFLOW_SLURM_DIR (default /tmp/bellflow-slurm), and only if the pid
# still belongs to that daemon. Bounded: TERM, wait up to 20 s, then KILL.
set -uo pipefail

STATE_DIR="${BELLFLOW_SLURM_DIR:-/tmp/bellflow-slurm}"

log() { printf 'stop.sh: %s\n' "$*" >&2; }

stop_one() {
    local name=$1 pidfile="$STATE_DIR/pids/$1.pid" pid exe i
    [[ -s $pidfile ]] || return 0
    pid=$(<"$pidfile")
    if [[ ! $pid =~ ^[0-9]+$ ]] || [[ ! -d /proc/$pid ]]; then
        rm -f "$pidfile"
        return 0
    fi
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
    exe=$(basename "${exe% (deleted)}")
    if [[ $exe != "$name"* ]]; then
        log "pid $pid in $pidfile is '$exe', not $name: left alone"
        rm -f "$pidfile"
        return 0
    fi
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
        [[ -d /proc/$pid ]] || break
        sleep 0.5
    done
    if [[ -d /proc/$pid ]]; then
        log "$name (pid $pid) ignored TERM for 20 s: KILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

# Reverse order of start: the node, the controller, then authentication.
stop_one slurmd
stop_one slurmctld
stop_one munged
# The /etc/slurm/slurm.conf symlink start.sh made (nothing else there is touched).
if [[ -L /etc/slurm/slurm.conf ]] &&
    [[ $(readlink /etc/slurm/slurm.conf) == "$STATE_DIR/slurm.conf" ]]; then
    rm -f /etc/slurm/slurm.conf
fi
exit 0
