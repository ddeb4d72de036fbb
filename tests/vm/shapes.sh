#!/bin/sh
# Lab-server shapes booted for real: a two-socket SMT machine with two NUMA
# nodes (then with a CPU offline, and under a restricted affinity mask) and
# a four-socket machine. Timings inside an emulated, overcommitted guest
# mean nothing: the test checks that every command completes in bounded
# time, picks its pairs and relations right, measures state S with a third
# PU on a core of its own, counts the cores right, stays inside taskset's
# mask, and says in meta.json what the guest is and how it ran. Each
# benchmark does the least that shows this (a few hundred round trips, one
# repetition), with a deadline that an overcommitted guest on a busy host
# meets.
. "$(dirname "$0")/vm_lib.sh"

# --- two sockets, two cores each, two threads a core, a NUMA node a socket
cat >"$WORK/guest.sh" <<'SH'
# The cores of the online CPUs, as the guest kernel counts them.
count_cores() {
	for c in /sys/devices/system/cpu/cpu[0-9]*; do
		[ "$(cat "$c/online" 2>/dev/null || echo 1)" = 1 ] || continue
		echo "$(cat "$c/topology/physical_package_id") $(cat "$c/topology/core_id")"
	done | sort -u | wc -l
}
mesilab topo -o topo >topo.txt 2>&1
mesilab bench c2c --quick --pairs sample --rounds 200 --repeat 1 --wait none --variants store --deadline 20 -o c2c >/dev/null 2>c2c.err
mesilab bench states --quick --lines 16 --repeat 1 --ops load --deadline 20 -o states >/dev/null 2>states.err
mesilab bench contention --quick --iterations 200 --repeat 1 --threads 1,8 --variants faa,ticket -o contention >/dev/null 2>contention.err
taskset -c 2-5 mesilab bench c2c --quick --rounds 100 --repeat 1 --wait none --variants store --deadline 20 -o masked >/dev/null 2>masked.err
echo 0 >/sys/devices/system/cpu/cpu3/online
count_cores >cores.online
mesilab topo -o offline >offline.txt 2>&1
SH
make_initramfs "$WORK/guest.sh"
if boot twosocket 600 -m 1024 -smp 8,sockets=2,cores=2,threads=2 \
	-object memory-backend-ram,id=m0,size=512M -object memory-backend-ram,id=m1,size=512M \
	-numa node,cpus=0-3,nodeid=0,memdev=m0 -numa node,cpus=4-7,nodeid=1,memdev=m1; then
	g="$WORK/twosocket"
	grep -q "guest script exit status 0" "$g/guest.log" || fail "two sockets: the guest script failed: $(cat "$g/guest.log")"
	meta="$g/topo/meta.json"
	[ "$(json_int "$meta" packages)" = 2 ] || fail "two sockets: packages $(json_int "$meta" packages)"
	[ "$(json_int "$meta" numa_nodes)" = 2 ] || fail "two sockets: NUMA nodes $(json_int "$meta" numa_nodes)"
	[ "$(json_int "$meta" cores)" = 4 ] || fail "two sockets: cores $(json_int "$meta" cores)"
	[ "$(json_int "$meta" pus)" = 8 ] || fail "two sockets: PUs $(json_int "$meta" pus)"
	[ "$(json_string "$meta" pus_allowed)" = "0-7" ] || fail "two sockets: allowed PUs $(json_string "$meta" pus_allowed)"

	# One pair per relation: SMT siblings, the shared L3, the other socket
	# (another NUMA node).
	rel=$(awk -F, 'NR > 1 { print $3 }' "$g/c2c/c2c.csv" | sort -u | tr '\n' ' ')
	for want in smt shared-L3 other-package; do
		case " $rel" in *" $want "*) ;; *) fail "two sockets: no c2c pair '$want' (got: $rel)" ;; esac
	done
	awk -F, 'NR > 1 && $3 == "smt" && !(($1 == 0 && $2 == 1) || ($1 == 1 && $2 == 0)) { exit 1 }' "$g/c2c/c2c.csv" ||
		fail "two sockets: the SMT pair is not 0,1: $(cat "$g/c2c/c2c.csv")"
	awk -F, 'NR > 1 && $3 == "other-package" && (($1 < 4) == ($2 < 4)) { exit 1 }' "$g/c2c/c2c.csv" ||
		fail "two sockets: an other-package pair in one socket"

	# State S: C on a core of its own (never A's or B's sibling: PUs 2k
	# and 2k+1 share a core).
	awk -F, 'NR > 1 && $5 == "S" { n++; a = int($1 / 2); b = int($2 / 2); c = int($3 / 2);
		if ($3 == "" || c == a || c == b) bad++ } END { exit !(n > 0 && !bad) }' "$g/states/states.csv" ||
		fail "two sockets: state S not measured with a third core: $(cat "$g/states/states.csv")"

	# Spinning benchmarks: measured or said not to be, and their conditions.
	for b in c2c states contention; do
		grep -q "\"benchmark\": \"$b\"" "$g/$b/meta.json" || fail "two sockets: no conditions for $b"
		grep -Eq '"verdict": "(ok|busy|oversubscribed)"' "$g/$b/meta.json" || fail "two sockets: no verdict for $b"
		rows=$(($(wc -l <"$g/$b/$b.csv") - 1))
		[ "$rows" -gt 0 ] || grep -q '"why": "not measured' "$g/$b/meta.json" ||
			fail "two sockets: $b measured nothing and said nothing: $(cat "$g/$b.err")"
	done

	# Under taskset: only PUs 2-5, and meta.json says so.
	[ "$(json_string "$g/masked/meta.json" pus_allowed)" = "2-5" ] ||
		fail "masked: allowed PUs $(json_string "$g/masked/meta.json" pus_allowed)"
	awk -F, 'NR > 1 && ($1 < 2 || $1 > 5 || $2 < 2 || $2 > 5) { exit 1 }' "$g/masked/c2c.csv" ||
		fail "masked: measured outside taskset's mask: $(cat "$g/masked/c2c.csv")"

	# A CPU offline: the cores the guest kernel counts.
	[ "$(json_int "$g/offline/meta.json" cores)" = "$(cat "$g/cores.online")" ] ||
		fail "offline: $(json_int "$g/offline/meta.json" cores) cores, the kernel counts $(cat "$g/cores.online")"
	[ "$(json_int "$g/offline/meta.json" pus)" = 7 ] || fail "offline: PUs $(json_int "$g/offline/meta.json" pus)"
	grep -q "uneven" "$g/offline.txt" || fail "offline: topo does not say the cores are uneven: $(cat "$g/offline.txt")"
fi

# --- four sockets of one core
cat >"$WORK/guest.sh" <<'SH'
mesilab topo -o topo >topo.txt 2>&1
mesilab bench c2c --quick --pairs sample --rounds 200 --repeat 1 --wait none --variants store --deadline 20 -o c2c >/dev/null 2>c2c.err
mesilab bench states --quick --lines 16 --repeat 1 --ops load --states S --deadline 20 -o states >/dev/null 2>states.err
SH
make_initramfs "$WORK/guest.sh"
numa=""
for n in 0 1 2 3; do
	numa="$numa -object memory-backend-ram,id=m$n,size=128M -numa node,cpus=$n,nodeid=$n,memdev=m$n"
done
# Under TCG even where KVM runs: every host tests both.
# shellcheck disable=SC2086 # the NUMA options are words
if boot_tcg foursocket 300 -m 512 -smp 4,sockets=4,cores=1,threads=1 $numa; then
	g="$WORK/foursocket"
	grep -q "guest script exit status 0" "$g/guest.log" || fail "four sockets: the guest script failed: $(cat "$g/guest.log")"
	[ "$(json_int "$g/topo/meta.json" packages)" = 4 ] || fail "four sockets: packages"
	[ "$(json_int "$g/topo/meta.json" cores)" = 4 ] || fail "four sockets: cores"
	[ "$(json_int "$g/topo/meta.json" numa_nodes)" = 4 ] || fail "four sockets: NUMA nodes"
	[ "$(awk -F, 'NR > 1 { print $3 }' "$g/c2c/c2c.csv" | sort -u)" = other-package ] ||
		fail "four sockets: relations $(awk -F, 'NR > 1 { print $3 }' "$g/c2c/c2c.csv" | sort -u | tr '\n' ' ')"
	awk -F, 'NR > 1 && $5 == "S" && $3 != "" && $3 != $1 && $3 != $2 { n++ } END { exit !n }' "$g/states/states.csv" ||
		fail "four sockets: no S with a third PU: $(cat "$g/states/states.csv" "$g/states.err")"
fi

finish
