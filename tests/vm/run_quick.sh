#!/bin/sh
# The whole quick suite on an overcommitted machine: 8 vCPUs (two sockets,
# SMT, two NUMA nodes) emulated on however few host cores there are. It
# must finish in bounded time with every spinning benchmark measured or
# reported as not measured, and say how the machine ran. Minutes long under
# TCG: runs only with MESILAB_VM_FULL=1.
. "$(dirname "$0")/vm_lib.sh"

[ "${MESILAB_VM_FULL:-0}" = 1 ] || skip "the whole suite in a guest takes minutes: set MESILAB_VM_FULL=1"

cat >"$WORK/guest.sh" <<'SH'
start=$(date +%s)
mesilab run --quick --skip plot,report -o run >run.out 2>run.err
echo "run exit status $? after $(($(date +%s) - start)) s" >run.status
SH
make_initramfs "$WORK/guest.sh"
t0=$(date +%s)
if boot quick 900 -m 2048 -smp 8,sockets=2,cores=2,threads=2 \
	-object memory-backend-ram,id=m0,size=1G -object memory-backend-ram,id=m1,size=1G \
	-numa node,cpus=0-3,nodeid=0,memdev=m0 -numa node,cpus=4-7,nodeid=1,memdev=m1; then
	g="$WORK/quick"
	echo "guest: $(cat "$g/run.status"); the boot took $(($(date +%s) - t0)) s in all" >&2
	grep -q "run exit status 0 " "$g/run.status" || fail "run --quick failed: $(cat "$g/run.status" "$g/run.err")"
	grep -q '"status": "complete"' "$g/run/meta.json" || fail "the run is not complete"
	for b in c2c states contention; do
		grep -q "\"benchmark\": \"$b\"" "$g/run/meta.json" || fail "no conditions for $b"
		[ -s "$g/run/$b.csv" ] && [ "$(wc -l <"$g/run/$b.csv")" -gt 1 ] ||
			grep -q "\"what\": \"$b " "$g/run/meta.json" || fail "$b measured nothing and said nothing"
	done
	sed -n '/"conditions"/,/^  \]/p' "$g/run/meta.json" | grep -E '"(benchmark|verdict|why|pu_available_min)"' >&2
fi

finish
