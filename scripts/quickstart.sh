#!/bin/sh
# mesilab quick start.
#
#   scripts/quickstart.sh         install what is missing, build, run the suite into results/
#   scripts/quickstart.sh test    install what is missing, build, run the whole test suite
#
# The test mode builds twice (warnings as errors; then AddressSanitizer and
# UndefinedBehaviorSanitizer), runs 'make check' in both and the README's
# tour, boots real guests of lab-server shapes ('make check-vm': QEMU, a
# Debian kernel unpacked from its package, busybox), fuzzes every parser of
# outside input and every command that reads a run directory for a short
# while (clang's libFuzzer: FUZZ_SECONDS each, default 10, one per PU at a
# time), runs 'make distcheck', and ends with one line:
# "N passed, N failed". All of these run side by side once the first build
# is made (about 12 minutes on two PUs; how long each took is said), tests
# in parallel, one per PU: those that measure hold a lock so that no two
# overlap, whichever build they belong to, and judge an effect that needs
# idle PUs only when they had them (saying so otherwise).
set -eu

mode=${1:-run}
case "$mode" in
run | test) ;;
*)
	echo "usage: $0 [run|test]" >&2
	exit 2
	;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)

# What each package is for: the compiler and autotools build mesilab; hwloc
# finds the topology (lstopo draws it); cmocka runs the unit tests; PAPI
# reads hardware counters where the machine has them; man-db shows the
# manual pages; gnuplot draws the figures; valgrind's lackey makes a real
# program's trace for a test. (Chromium, heavy, is left out: the report's
# rendering test runs where it is installed.)
# The tests also boot guests: QEMU, a static busybox, cpio for the initramfs;
# trace a C++ and OpenMP program of their own with mesilab-c++ (g++); and
# start a single-node Slurm cluster of their own for sweeps and fleet runs
# (munge and Slurm's daemons; nothing is enabled as a service).
DEBIAN_PACKAGES="gcc make autoconf automake pkg-config libhwloc-dev hwloc-nox libcmocka-dev libpapi-dev libdw-dev man-db gnuplot-nox"
# Clang builds the fuzzers (libFuzzer: its runtime is a package of its own).
[ "$mode" = test ] && DEBIAN_PACKAGES="$DEBIAN_PACKAGES valgrind qemu-system-x86 busybox-static cpio clang libclang-rt-dev g++ munge slurmctld slurmd slurm-client"

install_missing() {
	missing=""
	for pkg in $DEBIAN_PACKAGES; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $pkg"
	done
	[ -n "$missing" ] || return 0
	if ! command -v apt-get >/dev/null 2>&1; then
		cat >&2 <<-MSG
		mesilab needs:$missing
		  Fedora: dnf install gcc make autoconf automake pkgconf-pkg-config hwloc hwloc-devel libcmocka-devel papi-devel man-db gnuplot valgrind
		  Arch:   pacman -S --needed base-devel hwloc cmocka papi man-db gnuplot valgrind
		MSG
		exit 1
	fi
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "quickstart: installing$missing" >&2
	$sudo apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
}

# build DIR CONFIGURE-ARGS...: configures (once) and builds out of tree.
build() {
	dir=$1
	shift
	[ -x configure ] || autoreconf -fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ]; then
		(cd "$dir" && "$top/configure" "$@")
	fi
	make -C "$dir" -j"$jobs"
}

# A Debian kernel for the guests, unpacked from its package into DIR (not
# installed); prints its path, or nothing when there is none to be had.
fetch_vm_kernel() {
	dir=$1
	kernel=$(ls "$dir"/vmlinuz-* 2>/dev/null | head -n 1)
	if [ -z "$kernel" ] && command -v apt-get >/dev/null 2>&1; then
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
		if [ -n "$pkg" ] && mkdir -p "$dir" && (cd "$dir" && apt-get download "$pkg" >/dev/null 2>&1); then
			dpkg-deb --fsys-tarfile "$dir"/"$pkg"_*.deb | tar -x -C "$dir" --strip-components=2 --wildcards './boot/vmlinuz-*'
			rm -f "$dir"/"$pkg"_*.deb
		fi
		kernel=$(ls "$dir"/vmlinuz-* 2>/dev/null | head -n 1)
	fi
	echo "$kernel"
}

passed=0
failed=0
skipped=0

# count LOG: adds the results of a 'make check' (its test-suite.log).
count() {
	log=$1
	if [ ! -f "$log" ]; then
		echo "quickstart: $log is missing: its tests did not run" >&2
		failed=$((failed + 1))
		return
	fi
	p=$(sed -n 's/^# PASS: *//p' "$log")
	f=$(sed -n 's/^# FAIL: *//p' "$log")
	e=$(sed -n 's/^# ERROR: *//p' "$log")
	x=$(sed -n 's/^# XPASS: *//p' "$log")
	s=$(sed -n 's/^# SKIP: *//p' "$log")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${e:-0} + ${x:-0}))
	# The log holds what each failed test printed: show it where CI's
	# output is read.
	[ $((${f:-0} + ${e:-0} + ${x:-0})) -eq 0 ] || cat "$log" >&2
	skipped=$((skipped + ${s:-0}))
}

# step NAME COMMAND...: one more passed or failed check.
step() {
	name=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
	else
		echo "quickstart: $name failed" >&2
		failed=$((failed + 1))
	fi
}

install_missing

# A tree configured in place (./configure && make) is built there; the
# quick start otherwise keeps its builds out of the source tree.
main_build=build
[ -f config.status ] && main_build=.

if [ "$mode" = run ]; then
	build "$main_build"
	"$main_build/mesilab" run
	exit
fi

started=$(date +%s)
# The jobs below run side by side, each in the background with its output
# in a log of its own, shown whole when all have ended, with how long each
# took. A job's counts go to its NAME.counts.
logs=$(mktemp -d "${TMPDIR:-/tmp}/mesilab-quickstart.XXXXXX")
trap 'rm -rf "$logs"' EXIT
jobs_started=""

# job NAME FUNCTION: runs FUNCTION in the background as job NAME; its
# counts, its time and the processor time it used go to NAME.counts.
job() {
	(
		since=$(date +%s)
		"$2" >"$logs/$1.log" 2>&1 || {
			echo "quickstart: $1 stopped, exit status $?" >>"$logs/$1.log"
			failed=$((failed + 1))
		}
		# times, not in a command substitution: that subshell has no children.
		times >"$logs/$1.times"
		cpu=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] } printf "%.0f", s }' "$logs/$1.times")
		echo "$passed $failed $skipped $(($(date +%s) - since)) ${cpu:-?}" >"$logs/$1.counts"
	) &
	jobs_started="$jobs_started $1"
}

# The main build's tests run as a minimal container would run them: an
# empty environment (no locale: the C locale) and a minimal PATH. The test
# programs are built first, with the caller's environment and compiler.
minimal_env="env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
main_check() {
	$minimal_env make -C "$main_build" -j"$jobs" check || true
	count "$main_build/test-suite.log"
}
# The README's tour, literally, from the build tree: once, here.
tour() {
	$minimal_env make -C "$main_build" check-tour || true
	count "$main_build/tour-suite.log"
}
# Real guests of lab-server shapes; skipped, with the reason, where QEMU or
# a kernel cannot be had.
vm() {
	MESILAB_VM_KERNEL=$(fetch_vm_kernel "$top/$main_build/vm-kernel")
	export MESILAB_VM_KERNEL
	make -C "$main_build" check-vm || true
	count "$main_build/vm-suite.log"
}
sanitizers() {
	if build build-sanitize --enable-sanitizers --enable-werror; then
		make -C build-sanitize -j"$jobs" check || true
		count build-sanitize/test-suite.log
	else
		failed=$((failed + 1))
	fi
}
# A short fuzzing smoke: every fuzz target from its seeds (the parsers', and
# report's, compare's, baseline's, fleet's, sweep --collect's and plot's),
# side by side, niced: its time is fixed, and the tests beside it have
# deadlines.
fuzz() {
	if build build-fuzz CC=clang --enable-fuzzing --without-papi && make -C build-fuzz check TESTS= >/dev/null; then
		step "make fuzz" nice -n 5 make -C build-fuzz fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}" FUZZ_JOBS="$jobs"
	else
		failed=$((failed + 1))
	fi
}
# distcheck's 'make check' skips the tests that measure: they ran in the
# main build and the sanitizer build, which is where their judgement needs
# the machine; here what is checked is the tarball and its build, niced, so
# that the tour and the tests that measure get the PUs first.
distcheck() {
	step "make distcheck" env MESILAB_TESTS_NO_MEASURING=1 nice -n 5 make -C "$main_build" -j"$jobs" distcheck
}

# The longest chains first: the sanitizer build and its tests, the tour.
# configure is made once, before the builds that run side by side.
[ -x configure ] || autoreconf -fi
if [ "$main_build" = . ]; then
	echo "quickstart: the source tree is configured in place; 'make distclean' to also run the sanitizer build" >&2
else
	job sanitizers sanitizers
fi
if build "$main_build" --enable-werror && make -C "$main_build" check TESTS= >/dev/null; then
	echo "quickstart: the main build took $(($(date +%s) - started)) s" >&2
	job tour tour
	job check main_check
	[ ! -x "$main_build/mesilab" ] || job check-vm vm
	job distcheck distcheck
	[ "$main_build" = . ] || ! command -v clang >/dev/null 2>&1 || job fuzz fuzz
else
	failed=$((failed + 1))
fi
wait

for name in $jobs_started; do
	echo "==== $name"
	cat "$logs/$name.log"
	if read -r p f s t cpu <"$logs/$name.counts"; then
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + s))
		echo "quickstart: $name took $t s (processor time $cpu s)" >&2
	else
		echo "quickstart: $name ended without its counts" >&2
		failed=$((failed + 1))
	fi
done
echo "quickstart: all took $(($(date +%s) - started)) s" >&2

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
