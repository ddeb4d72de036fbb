#!/bin/sh
# mesilab explain under an update protocol (Dragon): its writes update
# the other copies and miss nothing, so its false sharing costs updates.
# Beside an invalidation protocol, the false-sharing finding says how many
# updates of the line's copies in other caches the writes sent and their
# cycles, the padded replay says how many updates the fix leaves, the
# terminal's tables show the updates a line sent, the CSVs keep updates
# sent, received and their cycles, and the report shows them; alone,
# explain says that an invalidation protocol finds the false sharing and
# names one to add, and makes no replays for latent false sharing.
. "$TESTLIB"

need_traced_programs
ulimit -f 200000

traced bug "$TESTDATA/explain/falseshare_bug.c" 20000

# The timed order: the threads overlap whatever the machine made of them,
# but start after their creation and end before their join.
run explain "$WORK/bug.trace" -p mesi,dragon --order timed --no-latent -o "$WORK/run"
expect_status 0
expect_out_contains "is shared falsely"
expect_out_contains "each started after its creation and ended before its join"
finding=$(grep "^  under dragon: 0 false-sharing misses, [0-9]* updates of its copies in other caches" "$WORK/out" | head -1)
[ -n "$finding" ] || fail "no finding under dragon with its updates: $(grep 'under dragon' "$WORK/out")"
updates=$(echo "$finding" | sed 's/.*misses, \([0-9]*\) updates.*/\1/')
cycles=$(echo "$finding" | sed 's/.*caches, \([0-9]*\) cycles.*/\1/')
[ "$updates" -ge 36000 ] && [ "$cycles" -gt 0 ] ||
	fail "dragon's false sharing: expected at least 36000 updates (2 x 20000 increments) with their cycles, got '$finding'"
padded=$(grep "^  under dragon: misses .* updates [0-9]* -> [0-9]*" "$WORK/out")
before=$(echo "$padded" | sed 's/.*updates \([0-9]*\) -> \([0-9]*\).*/\1/')
after=$(echo "$padded" | sed 's/.*updates \([0-9]*\) -> \([0-9]*\).*/\2/')
# The fix takes away the update each of the 2 x 20000 increments sent the
# other worker's copy; what is left is the mutex's true sharing. (Main's
# copy of the counters, which main reads after its joins, is not updated
# meanwhile: the timed order loaded it early, and half the updates
# stayed.)
[ -n "$before" ] && [ -n "$after" ] && [ $((before - after)) -ge 36000 ] && [ $((after * 4)) -lt "$before" ] ||
	fail "the padded replay under dragon: expected at least 36000 updates fewer, and a quarter left at most, got '$padded'"
expect_out_contains "updates dragon"
# The CSVs: a line's updates sent, received and their cycles, per protocol.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["protocol"] == "dragon" { sent += $c["updates_sent"]; got += $c["updates_received"]; cyc += $c["update_cycles"] }
	$c["protocol"] == "mesi" { other += $c["updates_sent"] }
	END { exit !(sent >= 10000 && got == sent && cyc > 0 && other == 0) }' "$WORK/run/explain-lines.csv" ||
	fail "explain-lines.csv: expected dragon's updates sent = received >= 10000 with cycles, none under mesi"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["protocol"] == "dragon" && $c["kind"] == "actual" && $c["updates_false_sharing"] >= 10000 { found = 1 }
	END { exit !found }' "$WORK/run/explain-falseshare.csv" ||
	fail "explain-falseshare.csv: no actual dragon row with its updates"

# The report's section: the updates of the line's copies, and the padded
# replay's updates.
run report "$WORK/run"
expect_status 0
grep -F -q -- "updates of its copies (an update protocol's)" "$WORK/run/report.md" ||
	fail "report.md lacks the updates of the line's copies"
saving=$(grep "^- under dragon:" "$WORK/run/report.md")
case $saving in
*"updates $before "*" $after; modelled"*) ;;
*) fail "report.md: the padded replay's updates under dragon: expected $before -> $after, got '$saving'" ;;
esac

# Dragon alone: no misses to find the false sharing by, said so.
run explain "$WORK/bug.trace" -p dragon --order timed -o "$WORK/run2"
expect_status 0
# ... nor latent false sharing to look for: no replays for it.
if grep -q -i "latent" "$WORK/out"; then
	fail "explain -p dragon looked for latent false sharing: $(grep -i latent "$WORK/out")"
fi
expect_out_contains "no false sharing found: explain finds it by an invalidation protocol's misses"
expect_out_contains "(-p mesi,dragon)"
finish
