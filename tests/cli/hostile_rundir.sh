#!/bin/sh
# A run directory made by somebody else, with every trap in it: commands
# in every text field (gnuplot, shell, Markdown, HTML, terminal escapes),
# a path holding a quote and backquotes, links to a secret and to
# /dev/zero, FIFOs, a sweep plan with no rows. Every command that reads run
# directories (plot, report, compare, baseline, fleet, sweep --collect)
# runs on it: none of the planted commands runs, the secret appears in no
# output, every command ends within seconds with exit 0 or 2 (2 with one
# line on stderr), and none fills the disk.
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

# Nothing planted ran.
[ -z "$(ls -A "$OWNED")" ] || fail "planted commands ran: $(ls "$OWNED")"
finish
