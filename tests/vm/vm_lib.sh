# Booting mesilab in real guests of any shape (POSIX sh, sourced by the
# tests in tests/vm/). A guest is QEMU with TCG (KVM where it works) running
# a Debian kernel and an initramfs of busybox, mesilab and its libraries;
# the guest runs a script and sends back a directory as a base64 tar on its
# second serial port. Needs qemu-system-x86_64, a kernel (MESILAB_VM_KERNEL,
# else the newest readable /boot/vmlinuz-*) and a static busybox.
set -u

: "${MESILAB:?MESILAB must name the mesilab binary}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mesilab-vm.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
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
KERNEL=$(find_kernel)
# KVM where the host offers it; TCG (slower, every host) otherwise.
ACCEL="tcg,thread=multi"
[ -w /dev/kvm ] && "$QEMU" -accel kvm -machine none -display none -S -nodefaults </dev/null >/dev/null 2>&1 &&
	ACCEL=kvm

# make_initramfs SCRIPT: an initramfs whose init runs SCRIPT (a file) with
# /out as its working directory, then sends /out back and powers off.
make_initramfs() {
	root="$WORK/root"
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/out"
	cp "$BUSYBOX" "$root/bin/busybox"
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
	(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$WORK/initrd.gz"
}

# boot NAME TIMEOUT QEMU-ARGS...: boots the initramfs with the machine
# QEMU-ARGS describe; the guest's /out lands in $WORK/NAME.
boot() {
	name=$1
	limit=$2
	shift 2
	rm -f "$WORK/$name.serial" "$WORK/$name.console"
	timeout "$limit" "$QEMU" -accel "$ACCEL" -cpu Skylake-Server -nodefaults -display none -no-reboot \
		-kernel "$KERNEL" -initrd "$WORK/initrd.gz" \
		-append "console=ttyS0 quiet loglevel=1 panic=-1" \
		-serial "file:$WORK/$name.console" -serial "file:$WORK/$name.serial" "$@" \
		>"$WORK/$name.qemu" 2>&1
	rc=$?
	mkdir -p "$WORK/$name"
	sed -n '/^=== BEGIN/,/^=== END/p' "$WORK/$name.serial" | sed '1d;$d' | tr -d '\r' |
		base64 -d 2>/dev/null | tar -x -C "$WORK/$name" 2>/dev/null
	if [ ! -f "$WORK/$name/guest.log" ]; then
		fail "$name: the guest sent nothing back (qemu status $rc): $(tail -n 5 "$WORK/$name.qemu" "$WORK/$name.console")"
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
