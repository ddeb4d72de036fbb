#!/bin/sh
# A 64-PU lab server: four sockets of eight SMT cores, a NUMA node each,
# emulated on however few host cores there are. The core-to-core and state
# benchmarks sample one pair per relation, put C on a core of its own, and
# finish in bounded time on a machine this overcommitted. Minutes long
# under TCG: runs only with MESILAB_VM_FULL=1.
. "$(dirname "$0")/vm_lib.sh"

[ "${MESILAB_VM_FULL:-0}" = 1 ] || skip "a 64-vCPU guest takes minutes: set MESILAB_VM_FULL=1"

cat >"$WORK/guest.sh" <<'SH'
mesilab topo -o topo >topo.txt 2>&1
mesilab bench c2c --quick --rounds 200 --repeat 1 --wait none --variants store -o c2c >/dev/null 2>c2c.err
mesilab bench states --quick --lines 16 --repeat 1 --ops load --states S -o states >/dev/null 2>states.err
SH
make_initramfs "$WORK/guest.sh"
numa=""
for n in 0 1 2 3; do
	numa="$numa -object memory-backend-ram,id=m$n,size=512M -numa node,cpus=$((n * 16))-$((n * 16 + 15)),nodeid=$n,memdev=m$n"
done
# shellcheck disable=SC2086 # the NUMA options are words
if boot big 1200 -m 2048 -smp 64,sockets=4,cores=8,threads=2 $numa; then
	g="$WORK/big"
	grep -q "guest script exit status 0" "$g/guest.log" || fail "the guest script failed: $(cat "$g/guest.log")"
	for want in "packages 4" "numa_nodes 4" "cores 32" "pus 64"; do
		[ "$(json_int "$g/topo/meta.json" "${want% *}")" = "${want#* }" ] ||
			fail "${want% *}: $(json_int "$g/topo/meta.json" "${want% *}"), expected ${want#* }"
	done
	grep -q '"value": "one pair per relation"' "$g/c2c/meta.json" || fail "more than 16 PUs and every pair measured"
	rel=$(awk -F, 'NR > 1 { print $3 }' "$g/c2c/c2c.csv" | sort -u | tr '\n' ' ')
	[ -n "$rel" ] || grep -q '"why": "not measured' "$g/c2c/meta.json" || fail "c2c measured nothing and said nothing"
	awk -F, 'NR > 1 && $5 == "S" { n++; if ($3 == "" || int($3 / 2) == int($1 / 2) || int($3 / 2) == int($2 / 2)) bad++ }
		END { exit !(n > 0 && !bad) }' "$g/states/states.csv" ||
		grep -q '"why": "not measured' "$g/states/meta.json" ||
		fail "S not measured with a third core: $(cat "$g/states/states.csv")"
fi

finish
