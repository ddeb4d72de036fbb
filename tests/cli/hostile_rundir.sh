#!/bin/sh
# A run directory made by somebody else, with every trap in it: commands
# in every text field (gnuplot, shell, Markdown, HTML, terminal escapes),
# a path holding a quote and backquotes, links to a secret and to
# /dev/zero, FIFOs, huge sparse files, a sweep plan with no rows. Every
# command that reads run directories (plot, report, compare, baseline,
# fleet, sweep --collect, sim --machine, sweep --machine) runs on it, the
# report on the model's inputs too: none of the planted commands runs,
# the secret appears in no output, every command ends within seconds with
# exit 0 or 2 (2 with one line on stderr naming the file, and nothing
# written), and none fills the disk.
. "$TESTLIB"

: "${REFERENCE:?}"
OWNED="$WORK/owned"
mkdir -p "$OWNED"
SECRET=mesilab-secret-5f0c2e9a
printf '%s\n' "$SECRET" >"$WORK/secret"
ESC=$(printf '\033')
# A payload for each language, each touching a file of its own if it runs.
gp="x'.system('touch $OWNED/gnuplot').'"
bq="\`touch $OWNED/backquote\`"
sh_payload="\$(touch $OWNED/shell)"
md="x<script>alert(1)</script> [a](javascript:alert(1))"
term="${ESC}]0;owned${ESC}[2J"
payload="$gp $bq $sh_payload $md $term"

# The directory holding every run: its path has a quote and backquotes.
top="$WORK/O'Brien \`touch $OWNED/path\`"
mkdir -p "$top"

# hostile NAME: a copy of the reference run with payloads in its text.
hostile() {
	d="$top/$1"
	mkdir -p "$d/figures"
	cp "$REFERENCE"/*.csv "$REFERENCE"/meta.json "$d/" || fail "copying the reference run"
	# Text fields of meta.json (JSON-escaped: backslashes and quotes).
	json=$(printf '%s' "$payload" | sed 's/\\/\\\\/g; s/"/\\"/g; s/\x1b/\\u001b/g')
	sed -e "s|\"hostname\": \"[^\"]*\"|\"hostname\": \"$json\\\\n# Owned\"|" \
		-e "s|\"cpu_model\": \"[^\"]*\"|\"cpu_model\": \"$json\"|" \
		"$REFERENCE/meta.json" >"$d/meta.json"
	# Every label column of the tables.
	for spec in latency.csv:order,pages levels.csv:level states.csv:relation,state,op c2c.csv:relation,variant \
		topology.csv:cache,type falseshare.csv:variant contention.csv:variant bandwidth.csv:op \
		sim-workloads.csv:workload,protocol; do
		f=${spec%%:*}
		[ -f "$REFERENCE/$f" ] || continue
		awk -F, -v OFS=, -v p="$payload" -v cols="${spec#*:}" '
			NR == 1 { n = split(cols, want, ","); for (i = 1; i <= NF; i++) for (k = 1; k <= n; k++) if ($i == want[k]) hit[i] = 1
				gsub(/"/, "\"\"", p); print; next }
			{ for (i in hit) $i = "\"" p "\""; print }' "$REFERENCE/$f" >"$d/$f"
	done
	# Figures that lead elsewhere: a secret, an endless device.
	ln -s "$WORK/secret" "$d/figures/latency.png"
	ln -s /dev/zero "$d/figures/bandwidth.png"
}

# within CASE CMD...: runs mesilab under a file-size limit and a time
# limit; its status in $status. 0 or 2 only (1 too for compare: a
# regression); 2 with one line.
within() {
	name=$1
	shift
	allowed=" 0 2 "
	[ "$1" = compare ] && allowed=" 0 1 2 "
	(
		ulimit -f 20000
		exec timeout -k 5 60 "$MESILAB" "$@"
	) >"$WORK/out" 2>"$WORK/err"
	status=$?
	case $status in
	124 | 137) fail "$name: did not end within 60 s" ;;
	153) fail "$name: exceeded the file-size limit (wrote without bound)" ;;
	*) case $allowed in *" $status "*) ;; *) fail "$name: exit status $status: $(cat "$WORK/err")" ;; esac ;;
	esac
	[ "$status" -ne 2 ] || [ "$(wc -l <"$WORK/err")" -eq 1 ] ||
		fail "$name: exit 2 with more than one line: $(cat "$WORK/err")"
	if grep -q "$ESC" "$WORK/out" "$WORK/err"; then
		fail "$name: an escape sequence from the files reached the terminal"
	fi
	if grep -rqs "$SECRET" "$WORK/out" "$WORK/err"; then
		fail "$name: the secret is in its output"
	fi
}

hostile base
hostile new

within "plot" plot "$top/base"
within "report" report "$top/base"
within "compare" compare "$top/base" "$top/new"
within "compare --format md" compare "$top/base" "$top/new" --format md
within "baseline add" baseline add "$top/history" "$top/base"
within "fleet" fleet "$top"

# The secret reached no file either, nor its base64.
secret64=$(printf '%s\n' "$SECRET" | base64 | cut -c1-16)
if grep -rqsF -e "$SECRET" -e "$secret64" "$top"; then
	fail "the secret was copied into a file: $(grep -rlsF -e "$SECRET" -e "$secret64" "$top")"
fi
# Markdown: nothing from the files starts a block or writes raw HTML.
for md_file in "$top/base/report.md" "$top/fleet/fleet.md"; do
	[ -f "$md_file" ] || continue
	grep -q '^# Owned' "$md_file" && fail "$md_file: a line break in a field started a heading"
	grep -Eq '(^|[^\\])<script' "$md_file" && fail "$md_file: raw HTML from a field"
	grep -Eq '(^|[^\\])\]\(javascript:' "$md_file" && fail "$md_file: a link from a field"
done

# FIFOs where files are expected: each reader ends at once.
fifo="$top/fifo"
mkdir -p "$fifo"
cp "$REFERENCE"/*.csv "$REFERENCE"/meta.json "$fifo/"
rm "$fifo/meta.json" "$fifo/latency.csv"
mkfifo "$fifo/meta.json" "$fifo/latency.csv"
within "report on FIFOs" report "$fifo"
within "plot on FIFOs" plot "$fifo"
within "compare on FIFOs" compare "$REFERENCE" "$fifo"
within "baseline add on FIFOs" baseline add "$top/history2" "$fifo"

# A number that is not one: one line naming the file, exit 2.
bad="$top/bad-number"
mkdir -p "$bad"
cp "$REFERENCE"/*.csv "$REFERENCE"/meta.json "$bad/"
awk -F, -v OFS=, 'NR == 3 { $1 = "abc" } { print }' "$REFERENCE/latency.csv" >"$bad/latency.csv"
within "plot on a bad number" plot "$bad"
[ "$status" -eq 2 ] && grep -q "latency.csv" "$WORK/err" || fail "plot on a bad number: expected exit 2 naming latency.csv, got $status: $(cat "$WORK/err")"

# A sweep whose plan has only its header.
plan="$top/sweep"
mkdir -p "$plan/rows"
printf 'configuration,trace,protocols,causes\n' >"$plan/plan.csv"
within "sweep --collect on an empty plan" sweep --collect "$plan"

# The machine a simulation models (sim --machine, sweep --machine): text
# from the run in its summary and sim-machine.csv, its files FIFOs, links
# out of the run, or huge and sparse. Each refusal: one line naming the
# file, nothing written.
: "${TESTDATA:?}"
trace="$top/mix.trace"
"$MESILAB" trace mix --quiet --threads 2 --accesses 200 --seed 3 -o "$trace" || fail "making a trace"
# machine NAME: a copy of tests/data/machine with a payload in c2c.csv's
# relations (short: the model's source keeps 128 bytes of them).
machine() {
	d="$top/$1"
	mkdir -p "$d"
	cp "$TESTDATA"/machine/*.csv "$TESTDATA/machine/meta.json" "$d/" || fail "copying tests/data/machine"
	awk -F, -v OFS=, -v p="\`touch $OWNED/c2c\` <b>'x'</b>$term" 'NR == 1 { gsub(/"/, "\"\"", p) }
		NR > 1 && $3 != "smt" { $3 = "\"" p "\"" } { print }' "$TESTDATA/machine/c2c.csv" >"$d/c2c.csv"
}
# sims CASE DIR STATUS FILE: sim --machine and sweep --machine on DIR end
# with STATUS; with 2, their line names FILE and they wrote nothing.
sims() {
	rm -rf "$top/msim" "$top/msweep"
	within "sim --machine ($1)" sim -q -p mesi --machine "$2" -o "$top/msim" "$trace"
	[ "$status" -eq "$3" ] || fail "sim --machine ($1): expected status $3, got $status: $(cat "$WORK/err")"
	[ "$3" -eq 0 ] || ! [ -e "$top/msim" ] || fail "sim --machine ($1): it wrote $top/msim"
	[ "$3" -eq 0 ] || grep -q "$4" "$WORK/err" || fail "sim --machine ($1): $4 is not named: $(cat "$WORK/err")"
	within "sweep --machine ($1)" sweep -q -j 1 -p mesi --machine "$2" --cores 2,4 -o "$top/msweep" "$trace"
	[ "$status" -eq "$3" ] || fail "sweep --machine ($1): expected status $3, got $status: $(cat "$WORK/err")"
	[ "$3" -eq 0 ] || ! [ -e "$top/msweep" ] || fail "sweep --machine ($1): it wrote $top/msweep"
	[ "$3" -eq 0 ] || grep -q "$4" "$WORK/err" || fail "sweep --machine ($1): $4 is not named: $(cat "$WORK/err")"
}
machine mtext
sims "text" "$top/mtext" 0
grep -q 'touch' "$top/msim/sim-machine.csv" || fail "sim --machine: the payload of c2c.csv is not in sim-machine.csv"
grep -q 'touch' "$top/msweep/sim-machine.csv" || fail "sweep --machine: the payload of c2c.csv is not in sim-machine.csv"
machine mfifo
rm "$top/mfifo/topology.csv" && mkfifo "$top/mfifo/topology.csv"
sims "topology.csv a FIFO" "$top/mfifo" 2 topology.csv
machine mmeta
rm "$top/mmeta/meta.json" && mkfifo "$top/mmeta/meta.json"
sims "meta.json a FIFO" "$top/mmeta" 2 meta.json
machine mlink
ln -sf "$WORK/secret" "$top/mlink/levels.csv"
sims "levels.csv a link out" "$top/mlink" 2 levels.csv
machine mzero
ln -sf /dev/zero "$top/mzero/c2c.csv"
sims "c2c.csv a link to /dev/zero" "$top/mzero" 2 c2c.csv
machine mhuge
truncate -s 4G "$top/mhuge/topology.csv" 2>/dev/null || fail "making a sparse file"
sims "topology.csv of 4 GB" "$top/mhuge" 2 topology.csv
machine mdir
rm "$top/mdir/levels.csv" && mkdir "$top/mdir/levels.csv"
sims "levels.csv a directory" "$top/mdir" 2 levels.csv

# The model against the machine in 'mesilab report' (model-error.csv, its
# table in report.md and report.html): a copy of tests/data/model with
# payloads in sim-workloads.csv's protocols (each a column, its name in
# the tables' headers) and sim-machine.csv's sources (the reasons a figure
# is not judged), then with each input hostile.
# model NAME: that copy.
model() {
	d="$top/$1"
	mkdir -p "$d"
	cp "$TESTDATA"/model/*.csv "$TESTDATA/model/meta.json" "$d/" || fail "copying tests/data/model"
	awk -F, -v OFS=, -v p="$payload" 'NR == 1 { gsub(/"/, "\"\"", p) } NR > 1 && $2 == "msi" { $2 = "\"" p "\"" } { print }' \
		"$TESTDATA/model/sim-workloads.csv" >"$d/sim-workloads.csv"
	awk -F, -v OFS=, -v p="$payload" 'NR == 1 { gsub(/"/, "\"\"", p) } $1 == "llc_hit" { print $1, $2, "default", "\"" p "\""; next } { print }' \
		"$TESTDATA/model/sim-machine.csv" >"$d/sim-machine.csv"
}
# reports CASE DIR STATUS FILE: report on DIR ends with STATUS; with 2, its
# line names FILE and it wrote neither report nor model-error.csv.
reports() {
	within "report ($1)" report "$2"
	[ "$status" -eq "$3" ] || fail "report ($1): expected status $3, got $status: $(cat "$WORK/err")"
	if [ "$3" -ne 0 ]; then
		grep -q "$4" "$WORK/err" || fail "report ($1): $4 is not named: $(cat "$WORK/err")"
		for out in report.md report.html model-error.csv model-error-samples.csv; do
			[ ! -f "$2/$out" ] || [ -L "$2/$out" ] || fail "report ($1): it wrote $out"
		done
	fi
}
model rtext
reports "text in the model's inputs" "$top/rtext" 0
grep -q 'touch' "$top/rtext/model-error.csv" || fail "report: the payload is not in model-error.csv"
grep -q 'The model against the machine' "$top/rtext/report.md" || fail "report: no section of the model"
for md_file in "$top/rtext/report.md"; do
	grep -q '^# Owned' "$md_file" && fail "$md_file: a line break in a field started a heading"
	grep -Eq '(^|[^\\])<script' "$md_file" && fail "$md_file: raw HTML from a field"
	grep -Eq '(^|[^\\])\]\(javascript:' "$md_file" && fail "$md_file: a link from a field"
done
grep -q '<script' "$top/rtext/report.html" && fail "report.html: raw HTML from a field"
for input in sim-workloads.csv sim-machine.csv falseshare-samples.csv; do
	model "rfifo-$input"
	rm "$top/rfifo-$input/$input" && mkfifo "$top/rfifo-$input/$input"
	reports "$input a FIFO" "$top/rfifo-$input" 2 "$input"
	model "rlink-$input"
	ln -sf "$WORK/secret" "$top/rlink-$input/$input"
	reports "$input a link out" "$top/rlink-$input" 2 "$input"
	model "rhuge-$input"
	truncate -s 4G "$top/rhuge-$input/$input" 2>/dev/null || fail "making a sparse file"
	reports "$input of 4 GB" "$top/rhuge-$input" 2 "$input"
done
# model-error.csv and its samples as the run holds them, a link out of it,
# a link to a device or a FIFO: each replaced by a file of the run's, never
# written through (into the secret; a FIFO without a reader: a hang).
model rout
ln -s "$WORK/secret" "$top/rout/model-error.csv"
ln -s /dev/zero "$top/rout/model-error-samples.csv"
reports "model-error.csv a link out" "$top/rout" 0
[ "$(cat "$WORK/secret")" = "$SECRET" ] || fail "report wrote through model-error.csv into the file it led to"
for out in model-error.csv model-error-samples.csv; do
	[ -f "$top/rout/$out" ] && [ ! -L "$top/rout/$out" ] || fail "report left $out a link"
done
model rfifo-out
mkfifo "$top/rfifo-out/model-error.csv"
reports "model-error.csv a FIFO" "$top/rfifo-out" 0
[ -f "$top/rfifo-out/model-error.csv" ] || fail "report left model-error.csv a FIFO"
# The pages themselves likewise.
model rpages
ln -s "$WORK/secret" "$top/rpages/report.md"
mkfifo "$top/rpages/report.html"
reports "report.md a link out, report.html a FIFO" "$top/rpages" 0
[ "$(cat "$WORK/secret")" = "$SECRET" ] || fail "report wrote through report.md into the file it led to"
for out in report.md report.html; do
	[ -f "$top/rpages/$out" ] && [ ! -L "$top/rpages/$out" ] || fail "report left $out a link or a FIFO"
done

# Nothing planted ran.
[ -z "$(ls -A "$OWNED")" ] || fail "planted commands ran: $(ls "$OWNED")"
finish
