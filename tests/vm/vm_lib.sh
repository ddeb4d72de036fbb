# Booting mesilab in real guests of any shape (POSIX sh, sourced by the
# tests in tests/vm/). A guest is QEMU running a Debian kernel and an
# initramfs of busybox, mesilab and its libraries, under KVM where a probe
# guest shows that KVM runs, TCG otherwise (MESILAB_VM_ACCEL=kvm|tcg|auto);
# the guest runs a script and sends back a directory as a base64 tar on its
# second serial port. Needs qemu-system-x86_64, a kernel (MESILAB_VM_KERNEL,
# else the newest readable /boot/vmlinuz-*) and a static busybox. Every
# QEMU, the probe's included, runs under timeout -k: no test can hang.
set -u

: "${MESILAB:?MESILAB must name the mesilab binary}"
case "${MESILAB_VM_ACCEL:=auto}" in
kvm | tcg | auto) ;;
*)
	echo "MESILAB_VM_ACCEL=$MESILAB_VM_ACCEL: expected kvm, tcg or auto" >&2
	exit 2
	;;
esac
case "${MESILAB_VM_PROBE_SECONDS:=20}" in
'' | *[!0-9]* | 0)
	echo "MESILAB_VM_PROBE_SECONDS=$MESILAB_VM_PROBE_SECONDS: expected a whole number of seconds above 0" >&2
	exit 2
	;;
esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mesilab-vm.XXXXXX")
# The QEMU running now (its timeout's pid), stopped with the test: an
# interrupted test leaves no guest behind to run out its limit.
guest_pid=""
trap 'rm -rf "$WORK"' EXIT
trap '[ -z "$guest_pid" ] || kill "$guest_pid" 2>/dev/null; exit 130' INT
trap '[ -z "$guest_pid" ] || kill "$guest_pid" 2>/dev/null; exit 143' TERM HUP
# The guests' serial output is written to files: bounded, whatever a guest
# does (2 GiB in dash's 512-byte blocks, 4 GiB in bash's KiB), unless the
# caller's bound is lower already.
[ "$(ulimit -f)" != unlimited ] && [ "$(ulimit -f)" -le 4194304 ] || ulimit -f 4194304
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

skip() {
	echo "skipped: $*" >&2
	exit 77
}

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed" >&2
		exit 1
	fi
	exit 0
}

find_kernel() {
	if [ -n "${MESILAB_VM_KERNEL:-}" ]; then
		[ -r "$MESILAB_VM_KERNEL" ] || skip "MESILAB_VM_KERNEL=$MESILAB_VM_KERNEL is not readable"
		echo "$MESILAB_VM_KERNEL"
		return
	fi
	for k in $(ls -t /boot/vmlinuz-* 2>/dev/null); do
		[ -r "$k" ] && { echo "$k"; return; }
	done
	skip "no kernel to boot (set MESILAB_VM_KERNEL; 'sh scripts/quickstart.sh test' fetches Debian's)"
}

QEMU=$(command -v qemu-system-x86_64) || skip "qemu-system-x86_64 is not installed (Debian: qemu-system-x86)"
BUSYBOX=$(command -v busybox) || skip "busybox is not installed (Debian: busybox-static)"
ldd "$BUSYBOX" >/dev/null 2>&1 && skip "busybox is dynamically linked (Debian: busybox-static)"
command -v cpio >/dev/null 2>&1 || skip "cpio is not installed"
# skip in a command substitution leaves only that subshell.
KERNEL=$(find_kernel) || exit 77
TCG="tcg,thread=multi"
# The kernel QEMU loads: see boot_kernel.
BOOT_KERNEL=""
# The accelerator the guests boot under: decided by the first boot (a test
# that skips pays no probe), see vm_accel.
ACCEL=""

# initramfs_root: a fresh root in $WORK/root holding busybox.
initramfs_root() {
	root="$WORK/root"
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/out"
	cp "$BUSYBOX" "$root/bin/busybox"
}

# pack_initramfs FILE: $WORK/root as a newc cpio archive, uncompressed:
# QEMU loads it at once, where a gzipped one costs the guest seconds of
# emulated unpacking.
pack_initramfs() {
	(cd "$WORK/root" && find . | cpio -o -H newc 2>/dev/null) >"$1"
}

# make_initramfs SCRIPT: an initramfs whose init runs SCRIPT (a file) with
# /out as its working directory, then sends /out back and powers off.
make_initramfs() {
	initramfs_root
	cp "$MESILAB" "$root/bin/mesilab"
	for lib in $(ldd "$MESILAB" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	cp "$1" "$root/guest.sh"
	cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
export PATH=/bin HOME=/tmp TMPDIR=/tmp MESILAB_RESULTS_DIR=/tmp/results
cd /out && sh /guest.sh >/out/guest.log 2>&1
echo "guest script exit status $?" >>/out/guest.log
echo "=== BEGIN" >/dev/ttyS1
tar -c -C /out . | base64 >/dev/ttyS1
echo "=== END" >/dev/ttyS1
sync
poweroff -f
INIT
	chmod +x "$root/init"
	pack_initramfs "$WORK/initrd.cpio"
}

# unpack_kernel BZIMAGE OUT: the ELF kernel inside BZIMAGE (a compressed
# payload, its place and length in the setup header, its unpacked size in
# its last 4 bytes) into OUT, when a tool here unpacks it and QEMU can boot
# it (a PVH entry point).
unpack_kernel() {
	[ "$(od -An -c -j 514 -N 4 "$1" 2>/dev/null | tr -d ' ')" = HdrS ] || return 1
	setup_sects=$(od -An -tu1 -j 497 -N 1 "$1")
	payload=$(od -An -tu4 -j 584 -N 8 "$1")
	start=$(((setup_sects + 1) * 512 + ${payload% *} + 1))
	length=${payload##* }
	case $(tail -c +"$start" "$1" | head -c 6 | od -An -tx1 | tr -d ' \n') in
	fd377a585a00) unz="xz -dc" ;;
	1f8b*) unz="gzip -dc" ;;
	28b52ffd*) unz="zstd -dc" ;;
	5d0000*) unz="xz -dc --format=lzma" ;;
	425a68*) unz="bzip2 -dc" ;;
	02214c18*) unz="lz4 -dc" ;;
	*) return 1 ;;
	esac
	command -v "${unz%% *}" >/dev/null 2>&1 && command -v readelf >/dev/null 2>&1 || return 1
	# The size check, not the status: some decompressors complain of the
	# size trailer after the data.
	# shellcheck disable=SC2086 # the decompressor's options are words
	tail -c +"$start" "$1" | head -c "$length" | $unz >"$2" 2>/dev/null
	[ "$(wc -c <"$2")" -eq "$(od -An -tu4 -j $((start - 1 + length - 4)) -N 4 "$1")" ] &&
		readelf -n "$2" 2>/dev/null | grep -q 'note type: (0x00000012)'
}

# boot_kernel: sets BOOT_KERNEL. Under TCG a kernel unpacking itself is
# most of a small guest's boot (Debian's, xz-packed: 10 s of 15), so the
# guests boot the ELF kernel unpacked here once, at its PVH entry; KERNEL
# itself where that cannot be had.
boot_kernel() {
	if unpack_kernel "$KERNEL" "$WORK/vmlinux"; then
		BOOT_KERNEL="$WORK/vmlinux"
	else
		rm -f "$WORK/vmlinux"
		BOOT_KERNEL=$KERNEL
	fi
}

# qemu_run LIMIT ACCEL INITRD CONSOLE LOG QEMU-ARGS...: the kernel and
# INITRD booted under ACCEL, its console in the file CONSOLE, QEMU's own
# messages in LOG, stopped after LIMIT seconds (killed 5 s later if it
# ignores that); the status in $rc (124 or 137: it ran out of time). The
# kernel skips its check of the timer interrupt (no_timer_check): a guest
# on a busy host (TCG, builds and tests beside it) misses the few ticks the
# check waits for and panics in apic_intr_mode_init; the check is for real
# boards' wiring, which a guest's is not.
qemu_run() {
	limit=$1 accel=$2 initrd=$3 console=$4 log=$5
	shift 5
	rm -f "$console"
	[ -n "$BOOT_KERNEL" ] || boot_kernel
	# In the background, so that the traps can stop it.
	timeout -k 5 "$limit" "$QEMU" -accel "$accel" -cpu Skylake-Server -nodefaults -display none -no-reboot \
		-kernel "$BOOT_KERNEL" -initrd "$initrd" -append "console=ttyS0 quiet loglevel=1 panic=-1 no_timer_check" \
		-serial "file:$console" "$@" </dev/null >"$log" 2>&1 &
	guest_pid=$!
	wait "$guest_pid" 2>/dev/null
	rc=$?
	guest_pid=""
}

# The line the probe guest prints before it powers off.
PROBE_LINE="mesilab-vm-probe: the guest runs"

# vm_probe_kvm: boots a guest whose init prints PROBE_LINE and powers off,
# under KVM and a short limit; sets ACCEL and ACCEL_WHY from what happened.
vm_probe_kvm() {
	initramfs_root
	cat >"$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox echo "$PROBE_LINE"
/bin/busybox poweroff -f
INIT
	chmod +x "$root/init"
	pack_initramfs "$WORK/probe.cpio"
	qemu_run "$MESILAB_VM_PROBE_SECONDS" kvm "$WORK/probe.cpio" "$WORK/probe.console" "$WORK/probe.qemu" -m 256
	if grep -qs "^$PROBE_LINE" "$WORK/probe.console"; then
		ACCEL=kvm ACCEL_WHY="a KVM guest booted and answered"
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		# KVM that initialises is not KVM that runs: nested, a guest often spins.
		ACCEL=$TCG ACCEL_WHY="KVM initialises, but its guest said nothing in $MESILAB_VM_PROBE_SECONDS s"
	else
		ACCEL=$TCG ACCEL_WHY="QEMU could not boot a KVM guest (status $rc: $(grep -v warning "$WORK/probe.qemu" | tail -n 1))"
	fi
}

# vm_accel: sets ACCEL to the accelerator the guests boot under, and says
# which and why on stderr. auto probes KVM once per QEMU and kernel: the
# decision is kept in MESILAB_VM_ACCEL_CACHE for an hour ('make check-vm'
# makes it once per run), so several tests pay one probe.
vm_accel() {
	kvm_device=${MESILAB_VM_KVM_DEVICE:-/dev/kvm}
	cache=${MESILAB_VM_ACCEL_CACHE:-${TMPDIR:-/tmp}/mesilab-vm-accel-$(id -u)}
	key="$QEMU $KERNEL $(cat "$QEMU" "$KERNEL" | cksum)"
	if [ "$MESILAB_VM_ACCEL" = kvm ]; then
		ACCEL=kvm ACCEL_WHY="MESILAB_VM_ACCEL=kvm"
	elif [ "$MESILAB_VM_ACCEL" = tcg ]; then
		ACCEL=$TCG ACCEL_WHY="MESILAB_VM_ACCEL=tcg"
	elif [ ! -e "$kvm_device" ]; then
		ACCEL=$TCG ACCEL_WHY="there is no $kvm_device"
	elif [ ! -r "$kvm_device" ] || [ ! -w "$kvm_device" ]; then
		ACCEL=$TCG ACCEL_WHY="$(id -un) may not use $kvm_device"
	# Only a decision of our own, for this QEMU and kernel, made within the
	# hour: the cache may sit in a directory others write to.
	elif [ -f "$cache" ] && [ -O "$cache" ] && [ -n "$(find "$cache" -mmin -60 2>/dev/null)" ] &&
		[ "$(sed -n 1p "$cache")" = "$key" ]; then
		ACCEL=$(sed -n 2p "$cache")
		ACCEL_WHY="$(sed -n 3p "$cache") (the probe's decision, kept in $cache)"
	else
		vm_probe_kvm
		# Written whole, then renamed: a test reading it meanwhile sees
		# the old decision or the new one.
		printf '%s\n' "$key" "$ACCEL" "$ACCEL_WHY" >"$cache.$$" && mv -f "$cache.$$" "$cache"
	fi
	echo "vm: guests boot under ${ACCEL%%,*}: $ACCEL_WHY" >&2
}

# boot NAME TIMEOUT QEMU-ARGS...: boots the initramfs with the machine
# QEMU-ARGS describe, under the accelerator vm_accel picks; the guest's
# /out lands in $WORK/NAME.
boot() {
	[ -n "$ACCEL" ] || vm_accel
	boot_under "$ACCEL" "$@"
}

# boot_tcg NAME TIMEOUT QEMU-ARGS...: boot under TCG even where KVM runs, so
# that every host tests the TCG path (unless MESILAB_VM_ACCEL=kvm).
boot_tcg() {
	if [ "$MESILAB_VM_ACCEL" = kvm ]; then
		boot "$@"
		return
	fi
	[ "$ACCEL" != kvm ] || echo "vm: $1 boots under tcg all the same: every host tests the TCG path" >&2
	boot_under "$TCG" "$@"
}

# boot_under ACCEL NAME TIMEOUT QEMU-ARGS...
boot_under() {
	guest_accel=$1 name=$2 guest_limit=$3
	shift 3
	qemu_run "$guest_limit" "$guest_accel" "$WORK/initrd.cpio" "$WORK/$name.console" "$WORK/$name.qemu" \
		-serial "file:$WORK/$name.serial" "$@"
	mkdir -p "$WORK/$name"
	sed -n '/^=== BEGIN/,/^=== END/p' "$WORK/$name.serial" 2>/dev/null | sed '1d;$d' | tr -d '\r' |
		base64 -d 2>/dev/null | tar -x -C "$WORK/$name" 2>/dev/null
	if [ ! -f "$WORK/$name/guest.log" ]; then
		fail "$name (${guest_accel%%,*}): the guest sent nothing back (qemu status $rc): $(tail -n 5 "$WORK/$name.qemu" "$WORK/$name.console")"
		return 1
	fi
	return 0
}

# json_int FILE KEY: the first integer value of "KEY" in a meta.json.
json_int() {
	sed -n "s/.*\"$2\": \\([0-9-]*\\).*/\\1/p" "$1" | head -n 1
}

# json_string FILE KEY: the first string value of "KEY".
json_string() {
	sed -n "s/.*\"$2\": \"\\([^\"]*\\)\".*/\\1/p" "$1" | head -n 1
}
