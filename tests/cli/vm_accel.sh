#!/bin/sh
# The guest tests' choice of accelerator (tests/vm/vm_lib.sh), with a fake
# qemu-system-x86_64 (and busybox and cpio) in PATH: no real QEMU needed.
# KVM that hangs or fails falls back to TCG within the probe's limit, KVM
# that boots is chosen, MESILAB_VM_ACCEL forces either, and the decision
# is kept for the next test of the run.
. "$TESTLIB"

VMLIB=$(dirname "$TESTLIB")/../vm/vm_lib.sh
PROBE_LINE="mesilab-vm-probe: the guest runs"
PROBE_SECONDS=2

mkdir -p "$WORK/bin"
# The fake QEMU: logs its accelerator, then, under KVM, does what
# FAKE_KVM says: hang (deaf to SIGTERM, as a spinning guest's QEMU is not
# but a worse one could be), fail, or boot (prints the probe's line on the
# console, its first -serial file).
cat >"$WORK/bin/qemu-system-x86_64" <<'FAKE'
#!/bin/sh
accel="" console=""
while [ $# -gt 0 ]; do
	case "$1" in
	-accel) accel=$2; shift ;;
	-serial) [ -n "$console" ] || console=${2#file:}; shift ;;
	esac
	shift
done
echo "$accel" >>"$FAKE_LOG"
echo $$ >>"$FAKE_LOG.pids"
case "$accel:$FAKE_KVM" in
kvm:hang)
	trap '' TERM
	while :; do sleep 1; done
	;;
kvm:fail)
	echo "qemu-system-x86_64: -accel kvm: Could not access KVM kernel module: No such file or directory" >&2
	exit 1
	;;
esac
echo "$FAKE_LINE" >"$console"
FAKE
printf '#!/bin/sh\nexit 0\n' >"$WORK/bin/busybox"
printf '#!/bin/sh\ncat >/dev/null\n' >"$WORK/bin/cpio"
chmod +x "$WORK/bin/qemu-system-x86_64" "$WORK/bin/busybox" "$WORK/bin/cpio"
echo kernel >"$WORK/vmlinuz"
: >"$WORK/kvm"

# accel FAKE_KVM [VAR=VALUE...]: vm_accel with that fake, in a shell of its
# own under a limit; prints the accelerator chosen, in $WORK/out; what it
# said in $WORK/err, its status in $status, its seconds in $elapsed, the
# fake's runs in $WORK/qemu.log.
accel() {
	mode=$1
	shift
	: >"$WORK/qemu.log"
	start=$(date +%s)
	env PATH="$WORK/bin:$PATH" FAKE_KVM="$mode" FAKE_LOG="$WORK/qemu.log" FAKE_LINE="$PROBE_LINE" \
		MESILAB_VM_KERNEL="$WORK/vmlinuz" MESILAB_VM_KVM_DEVICE="$WORK/kvm" \
		MESILAB_VM_ACCEL_CACHE="$WORK/cache" MESILAB_VM_PROBE_SECONDS=$PROBE_SECONDS MESILAB_VM_ACCEL=auto "$@" \
		timeout -k 5 60 sh -c '. "$1" && vm_accel && echo "$ACCEL"' sh "$VMLIB" >"$WORK/out" 2>"$WORK/err"
	status=$?
	elapsed=$(($(date +%s) - start))
}

# expect CASE ACCEL PROBES: the accelerator chosen and how often the fake ran.
expect() {
	[ "$status" -eq 0 ] || fail "$1: status $status, expected 0: $(cat "$WORK/err")"
	got=$(cut -d, -f1 "$WORK/out")
	[ "$got" = "$2" ] || fail "$1: chose '$got', expected $2: $(cat "$WORK/err")"
	runs=$(wc -l <"$WORK/qemu.log")
	[ "$runs" -eq "$3" ] || fail "$1: QEMU ran $runs times, expected $3"
	grep -q "^vm: guests boot under $2: " "$WORK/err" || fail "$1: stderr does not say why $2: $(cat "$WORK/err")"
}

# (a) KVM initialises, but the guest hangs (and QEMU ignores SIGTERM): TCG
# within the limit and the 5 s of grace, not the outer 60 s.
accel hang
expect "KVM that hangs" tcg 1
[ "$elapsed" -le $((PROBE_SECONDS + 5 + 5)) ] || fail "KVM that hangs: the probe took $elapsed s"
# Killed, it may wait a moment as a zombie for init to reap it.
for pid in $(cat "$WORK/qemu.log.pids"); do
	state=$(sed -n 's/^[0-9]* (.*) \(.\) .*/\1/p' "/proc/$pid/stat" 2>/dev/null)
	[ -z "$state" ] || [ "$state" = Z ] || fail "KVM that hangs: its QEMU (pid $pid) still runs (state $state)"
done
grep -q "said nothing in $PROBE_SECONDS s" "$WORK/err" || fail "KVM that hangs: no reason: $(cat "$WORK/err")"

# (b) KVM fails at once: TCG at once, saying QEMU's error.
rm -f "$WORK/cache"
accel fail
expect "KVM that fails" tcg 1
[ "$elapsed" -le 5 ] || fail "KVM that fails: the probe took $elapsed s"
grep -q "status 1: .*Could not access KVM" "$WORK/err" || fail "KVM that fails: no reason: $(cat "$WORK/err")"

# (c) KVM boots the guest: KVM.
rm -f "$WORK/cache"
accel boot
expect "KVM that boots" kvm 1

# The decision is kept: the next test does not probe (a hanging KVM now
# would show) ...
accel hang
expect "the kept decision" kvm 0
grep -q "kept in $WORK/cache" "$WORK/err" || fail "the kept decision: not said: $(cat "$WORK/err")"
# ... but not for another kernel, nor for more than an hour.
echo "another kernel" >>"$WORK/vmlinuz"
accel fail
expect "another kernel" tcg 1
touch -t 200001010000 "$WORK/cache"
accel boot
expect "an old decision" kvm 1

# Forced either way: no probe.
accel hang MESILAB_VM_ACCEL=tcg
expect "MESILAB_VM_ACCEL=tcg" tcg 0
rm -f "$WORK/cache"
accel fail MESILAB_VM_ACCEL=kvm
expect "MESILAB_VM_ACCEL=kvm" kvm 0

# No KVM device: TCG without a probe.
accel boot MESILAB_VM_KVM_DEVICE="$WORK/none"
expect "no KVM device" tcg 0
grep -q "there is no $WORK/none" "$WORK/err" || fail "no KVM device: not said: $(cat "$WORK/err")"

# No kernel: the guest tests skip, saying why.
accel boot MESILAB_VM_KERNEL="$WORK/none"
[ "$status" -eq 77 ] || fail "no kernel: status $status, expected 77 (skipped): $(cat "$WORK/err")"
grep -q "^skipped: MESILAB_VM_KERNEL=$WORK/none is not readable" "$WORK/err" || fail "no kernel: not said: $(cat "$WORK/err")"

# Bad settings: one line, status 2.
accel boot MESILAB_VM_ACCEL=fast
expect_error 2 "MESILAB_VM_ACCEL=fast: expected kvm, tcg or auto"
accel boot MESILAB_VM_PROBE_SECONDS=soon
expect_error 2 "MESILAB_VM_PROBE_SECONDS=soon"

finish
