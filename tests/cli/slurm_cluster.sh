# A single-node Slurm cluster for the tests (sourced): munge, slurmctld
# and slurmd from the distribution's packages, run in the foreground of
# background jobs with every file under $WORK/slurm, localhost only, on
# ports of their own; no systemd, root or an ordinary user alike.
# slurm_start sets SLURM_CONF (exported) or says why it cannot and returns
# 1; slurm_stop tears it down; slurm_wait_idle JOB... waits for jobs to end.

slurm_start() {
	for tool in munged mungekey slurmctld slurmd sbatch squeue sinfo; do
		command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$tool" >/dev/null 2>&1 || {
			echo "no $tool: Slurm is not installed (Debian: slurmctld slurmd slurm-client munge)" >&2
			return 1
		}
	done
	PATH="$PATH:/usr/sbin:/sbin"
	# slurmd sets up its cgroup plugin whatever the configuration says
	case $(stat -f -c %T /sys/fs/cgroup 2>/dev/null) in
	cgroup2fs | tmpfs) ;;
	*)
		echo "slurmd needs a cgroup file system at /sys/fs/cgroup, which this root lacks (a chroot?)" >&2
		return 1
		;;
	esac
	SD="$WORK/slurm"
	# munged wants every directory above its socket searchable by all
	chmod 711 "$WORK" &&
		mkdir -p "$SD/sock" "$SD/state" "$SD/spool" "$SD/log" && chmod 755 "$SD/sock" || return 1
	mungekey -c -k "$SD/munge.key" >/dev/null 2>&1 || { echo "mungekey failed" >&2; return 1; }
	munged -F --socket="$SD/sock/munge.socket" --key-file="$SD/munge.key" --pid-file="$SD/munged.pid" \
		--seed-file="$SD/munge.seed" --log-file="$SD/log/munged.log" >"$SD/log/munged.out" 2>&1 &
	SLURM_PIDS=$!
	port=$((20000 + $$ % 20000))
	host=$(hostname -s)
	cat >"$SD/slurm.conf" <<CONF
ClusterName=mesilabtest
SlurmctldHost=$host
AuthType=auth/munge
AuthInfo=socket=$SD/sock/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
SlurmdParameters=config_overrides
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
StateSaveLocation=$SD/state
SlurmdSpoolDir=$SD/spool
SlurmctldPidFile=$SD/slurmctld.pid
SlurmdPidFile=$SD/slurmd.pid
SlurmctldLogFile=$SD/log/slurmctld.log
SlurmdLogFile=$SD/log/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
ReturnToService=2
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
	SLURM_CONF="$SD/slurm.conf"
	export SLURM_CONF
	for i in $(seq 1 25); do
		[ -S "$SD/sock/munge.socket" ] && break
		sleep 0.2
	done
	[ -S "$SD/sock/munge.socket" ] || {
		echo "munged did not start: $(grep -i error "$SD/log/munged.out" | head -1)" >&2
		slurm_stop
		return 1
	}
	slurmctld -D -i -f "$SLURM_CONF" >"$SD/log/slurmctld.out" 2>&1 &
	SLURM_PIDS="$SLURM_PIDS $!"
	slurmd -D -f "$SLURM_CONF" >"$SD/log/slurmd.out" 2>&1 &
	SLURM_PIDS="$SLURM_PIDS $!"
	trap 'slurm_stop; rm -rf "$WORK"' EXIT
	deadline=$(($(date +%s) + 30))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		sinfo -h -o %t 2>/dev/null | grep -q idle && return 0
		sleep 0.5
	done
	echo "the test cluster did not come up: $(tail -n 2 "$SD/log/slurmctld.log" "$SD/log/slurmd.log" 2>/dev/null)" >&2
	slurm_stop
	return 1
}

slurm_stop() {
	[ -n "${SLURM_PIDS:-}" ] || return 0
	kill $SLURM_PIDS 2>/dev/null
	for i in $(seq 1 50); do
		alive=""
		for p in $SLURM_PIDS; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ -z "$alive" ] && break
		sleep 0.1
	done
	kill -9 $SLURM_PIDS 2>/dev/null
	SLURM_PIDS=""
}

# slurm_wait_idle SECONDS: until the queue is empty; 1 if it is not by then.
slurm_wait_idle() {
	for i in $(seq 1 $(($1 * 5))); do
		[ -z "$(squeue -h 2>/dev/null)" ] && return 0
		sleep 0.2
	done
	return 1
}
