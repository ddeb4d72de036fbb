#!/bin/sh
# What sweep --slurm and run --slurm hand to Slurm, on any machine: a
# stand-in sbatch records its arguments and the job script, and the test
# runs the scripts itself with sh, as Slurm would. A directory whose path
# holds a quote, backquotes, $(...) and %u reaches each script as one
# literal word (nothing in it runs) and sbatch's --output with its % as
# %%; --sbatch is split as a shell splits words; every node of --nodes
# gets its job; bad --sbatch text and a directory Slurm cannot log into
# are refused before anything is made.
. "$TESTLIB"

ulimit -f 200000
mkdir -p "$WORK/bin" "$WORK/jobs"
# sbatch: each argument into its own file (a word may hold blanks or line
# breaks), the script copied, a job id on stdout as --parsable prints it.
cat >"$WORK/bin/sbatch" <<'EOF'
#!/bin/sh
n=$(ls "$JOBS" | wc -l)
d="$JOBS/$n"
mkdir "$d" || exit 1
i=0
for a; do
	printf '%s' "$a" >"$d/arg$i"
	i=$((i + 1))
	script=$a
done
cp "$script" "$d/script" || exit 1
echo "$((100 + n));cluster"
EOF
# The figures and their paths are plot's (tests/cli/plot*.sh): gnuplot
# stands aside here, as where it is not installed.
printf '#!/bin/sh\nexit 1\n' >"$WORK/bin/gnuplot"
chmod +x "$WORK/bin/sbatch" "$WORK/bin/gnuplot"
JOBS="$WORK/jobs"
PATH="$WORK/bin:$PATH"
export JOBS PATH

# sub DIR... : runs mesilab with a time limit, like lib.sh's run
sub() {
	timeout -k 5 120 "$MESILAB" "$@" >"$WORK/out" 2>"$WORK/err"
	status=$?
}
# has_arg JOB TEXT: whether one of JOB's sbatch arguments is exactly TEXT
has_arg() {
	for f in "$JOBS/$1"/arg*; do
		[ "$(cat "$f")" = "$2" ] && return 0
	done
	return 1
}
# args_of JOB: its sbatch arguments, one a line, for messages
args_of() {
	i=0
	while [ -e "$JOBS/$1/arg$i" ]; do
		cat "$JOBS/$1/arg$i"
		echo
		i=$((i + 1))
	done
}
# words SCRIPT: the words its exec line hands to mesilab, one a line in [ ]
words() {
	sed "s|^exec '[^']*'|exec printf '[%s]\\\\n'|" "$1" >"$WORK/words.sh"
	timeout -k 5 10 sh "$WORK/words.sh"
}

"$MESILAB" trace mix --quiet --threads 4 --accesses 20000 --seed 3 -o "$WORK/mix.trace" || fail "trace mix"
set -- "$WORK/mix.trace" --l1 8K:8:64,16K:8:64 --cores 4,8 -p msi,mesi
"$MESILAB" sweep "$@" -o "$WORK/local" >/dev/null 2>&1 || fail "the local sweep"

# A path that would run code if pasted into a shell, and name the user to
# Slurm; the file the code would make must never appear.
D="$WORK/it's \`touch $WORK/owned\` \$(touch $WORK/owned) res%u"
sub sweep "$@" --slurm --tasks 2 --sbatch "--comment='two words' --qos=high" -o "$D"
expect_status 0
[ "$(cat "$WORK/out")" = 100 ] || fail "the array's id: $(cat "$WORK/out")"
for job in 0 1; do
	sh -n "$JOBS/$job/script" || fail "job $job's script does not parse: $(cat "$JOBS/$job/script")"
	has_arg "$job" "--comment=two words" && has_arg "$job" "--qos=high" ||
		fail "--sbatch \"--comment='two words' --qos=high\": job $job got $(args_of "$job")"
done
has_arg 0 "--output=$WORK/it's \`touch $WORK/owned\` \$(touch $WORK/owned) res%%u/slurm/s1/task-%a.log" ||
	fail "the array's --output (expected res%%u, Slurm's own %a): $(args_of 0)"
has_arg 1 "--output=$WORK/it's \`touch $WORK/owned\` \$(touch $WORK/owned) res%%u/slurm/s1/collect.log" ||
	fail "the collecting job's --output: $(args_of 1)"
has_arg 1 "--dependency=afterany:100" || fail "the collecting job waits for the array: $(args_of 1)"
[ "$(words "$JOBS/1/script")" = "[sweep]
[--quiet]
[--collect]
[$D]" ] || fail "collect.sh's words: $(words "$JOBS/1/script")"
# The jobs as Slurm would run them: each task, then the collection.
for task in 0 1; do
	SLURM_ARRAY_TASK_ID=$task timeout -k 5 120 sh "$JOBS/0/script" >"$WORK/task.log" 2>&1 ||
		fail "task $task: $(cat "$WORK/task.log")"
done
timeout -k 5 120 sh "$JOBS/1/script" >"$WORK/collect.log" 2>&1 || fail "collect: $(cat "$WORK/collect.log")"
expect_same "$D/sweep.csv" "$WORK/local/sweep.csv"
[ ! -e "$WORK/owned" ] || fail "a command in the directory's name ran"

# --sbatch as a shell splits it; text it cannot split is refused first.
rm -rf "$JOBS"/*
sub sweep "$@" --slurm --sbatch "--comment=\"a \\\"b\\\"\" --mail-user=\$USER -J 'x y'\\ z ''" -o "$WORK/split"
expect_status 0
has_arg 0 '--comment=a "b"' && has_arg 0 '--mail-user=$USER' && has_arg 0 '-J' && has_arg 0 'x y z' && has_arg 0 '' ||
	fail "--sbatch's words: $(args_of 0)"
rm -rf "$JOBS"/*
sub sweep "$@" --slurm --sbatch "--comment='two words" -o "$WORK/unterminated"
expect_error 2 "--sbatch: the quote ' at byte 11 is not closed"
[ ! -e "$WORK/unterminated" ] && [ -z "$(ls "$JOBS")" ] || fail "an unterminated quote: something was made or submitted"
sub sweep "$@" --slurm --sbatch '--qos=high \' -o "$WORK/backslash"
expect_error 2 "--sbatch: a backslash at the end (byte 12) escapes nothing"

# A backslash in the directory turns every % pattern of --output off (and
# Slurm drops it): refused before anything is made.
sub sweep "$@" --slurm -o "$WORK/back\\slash"
expect_error 2 "a backslash in the path of a Slurm job's log"
[ ! -e "$WORK/back\\slash" ] && [ -z "$(ls "$JOBS")" ] || fail "a backslash directory: something was made or submitted"

# run --slurm: a job per node, each node's; the suite's options as words,
# an empty one kept; the fleet's job after every node's.
rm -rf "$JOBS"/*
R="$WORK/fleet \`touch $WORK/owned\` 'q' %j"
sub run --slurm --nodes n1,n2 --quick --only topo --skip '' --sbatch "--comment='two words'" -o "$R"
expect_status 0
[ "$(cat "$WORK/out")" = "100 n1
101 n2" ] || fail "run --slurm, a job per node: $(cat "$WORK/out")"
for job in 0 1 2; do
	sh -n "$JOBS/$job/script" || fail "run job $job's script does not parse: $(cat "$JOBS/$job/script")"
	has_arg "$job" "--comment=two words" || fail "run job $job's --sbatch: $(args_of "$job")"
done
has_arg 0 "--nodelist=n1" && has_arg 1 "--nodelist=n2" || fail "the nodes: $(args_of 0; args_of 1)"
has_arg 0 "--output=$WORK/fleet \`touch $WORK/owned\` 'q' %%j/slurm/run-%j.log" || fail "run's --output: $(args_of 0)"
has_arg 2 "--dependency=afterany:100:101" || fail "the fleet job waits for both nodes: $(args_of 2)"
[ "$(words "$JOBS/0/script")" = "[run]
[--quick]
[--only]
[topo]
[--skip]
[]
[-o]
[$R/$(hostname -s)]" ] || fail "run.sh's words: $(words "$JOBS/0/script")"
[ "$(words "$JOBS/2/script")" = "[fleet]
[--quiet]
[$R]" ] || fail "fleet.sh's words: $(words "$JOBS/2/script")"
sub run --slurm --nodes n1 --sbatch '"open' -o "$WORK/run-unterminated"
expect_error 2 '--sbatch: the quote " at byte 1 is not closed'
sub run --slurm --nodes n1 -o "$WORK/run\\back"
expect_error 2 "a backslash in the path of a Slurm job's log"
[ ! -e "$WORK/run-unterminated" ] && [ ! -e "$WORK/run\\back" ] || fail "run --slurm refused, yet made its directory"
[ ! -e "$WORK/owned" ] || fail "a command in the directory's name ran"

finish
