#!/bin/sh
# Command lines (docs/runtime.md "Command line", "Exit status and messages";
# src/main.c for graphc). Run from the repository root with $GRAPHC.
#
# A compiled program rejects a bad command line with exit status 2, nothing on
# standard output, and one message `PROG: error: ...` naming the flag (or the
# problem): bad values (--damping=abc, --threads=0/-1/abc/99999,
# --max_iter=1.5, out-of-range numbers, --source=abc/-1), an unknown flag, a
# value on a flag that takes none, a missing value, a missing or second graph
# argument, --format=nope, -o without a file, and an algorithm parameter given
# twice (also under its other spelling, --max-iter/--max_iter; runtime options
# such as --threads or -o given twice are not checked: the last one counts). A negative repeat
# count is documented (docs/language.md section 6: `repeat E` runs none if
# E <= 0), so --max_iter=-1 is accepted and means no iteration, the same as
# --max_iter=0. --help and -h exit 0 and list the parameters.
#
# graphc: an unknown option, no input, -O9, -march=native, -march=bogus,
# -o without a file, two inputs -> exit 2 and `graphc: error: ...` naming the
# option; a missing input file -> exit 1 naming it; --help/--version exit 0;
# --dump-ir after every stage (also after a pass that does not run).
set -u
: "${GRAPHC:=build/bin/graphc}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }

for ex in pagerank bfs; do
    if ! "$GRAPHC" "examples/$ex.galg" -o "$tmp/$ex" 2>"$tmp/err"; then
        echo "FAIL cannot compile examples/$ex.galg"; cat "$tmp/err"; exit 1
    fi
done
printf '0 1\n1 2\n2 0\n' >"$tmp/g.txt"
G=$tmp/g.txt

# usage NAME PATTERN PROG ARGS...: exit 2, empty stdout, one line
# "PROG: error: ..." containing PATTERN (fixed string).
usage() {
    name=$1; pat=$2; shift 2
    prog=$(basename "$1")
    timeout 30 "$@" >"$tmp/out" 2>"$tmp/err"; st=$?
    msg=$(cat "$tmp/err")
    if [ "$st" != 2 ]; then bad "$name: exit status $st, expected 2 ($msg)"; return; fi
    if [ -s "$tmp/out" ]; then bad "$name: wrote to standard output"; return; fi
    if [ "$(wc -l <"$tmp/err")" != 1 ]; then bad "$name: expected one line of message, got: $msg"; return; fi
    case $msg in "$prog: error: "*) ;; *) bad "$name: message does not start with '$prog: error: ': $msg"; return ;; esac
    case $msg in *"$pat"*) ok ;; *) bad "$name: message does not name '$pat': $msg" ;; esac
}

PR=$tmp/pagerank
usage "--damping=abc"          "--damping"  "$PR" "$G" --damping=abc
usage "--damping= (empty)"     "--damping"  "$PR" "$G" --damping=
usage "--damping=' 0.5'"       "--damping"  "$PR" "$G" "--damping= 0.5"
usage "--damping=1e999"        "--damping"  "$PR" "$G" --damping=1e999
usage "--damping without value" "--damping" "$PR" "$G" --damping
usage "--threads=0"            "--threads"  "$PR" "$G" --threads=0
usage "--threads=-1"           "--threads"  "$PR" "$G" --threads=-1
usage "--threads=abc"          "--threads"  "$PR" "$G" --threads=abc
usage "--threads=99999"        "--threads"  "$PR" "$G" --threads=99999
usage "--threads 0 (two args)" "--threads"  "$PR" "$G" --threads 0
usage "--max_iter=1.5"         "--max_iter" "$PR" "$G" --max_iter=1.5
usage "--max_iter=2^64"        "--max_iter" "$PR" "$G" --max_iter=18446744073709551616
usage "--max-iter=x"           "--max-iter" "$PR" "$G" --max-iter=x
usage "unknown --flag"         "--no-such"  "$PR" "$G" --no-such=1
usage "unknown bare --flag"    "--no-such"  "$PR" "$G" --no-such
usage "unknown -x"             "-x"         "$PR" "$G" -x
usage "--time=1"               "--time"     "$PR" "$G" --time=1
usage "missing graph"          "graph"      "$PR"
usage "missing graph, options" "graph"      "$PR" --damping=0.5 -o "$tmp/o.tsv"
usage "second graph"           "$G"         "$PR" "$G" "$G"
usage "--format=nope"          "--format"   "$PR" "$G" --format=nope
usage "--format without value" "--format"   "$PR" "$G" --format
usage "-o without file"        "-o"         "$PR" "$G" -o
usage "--output without file"  "--output"   "$PR" "$G" --output
usage "duplicated --damping"   "--damping"  "$PR" "$G" --damping=0.5 --damping=0.6
usage "duplicated --max-iter/--max_iter" "max" "$PR" "$G" --max-iter=5 --max_iter=6
usage "--source=abc"           "--source"   "$tmp/bfs" "$G" --source=abc
usage "--source=-1"            "--source"   "$tmp/bfs" "$G" --source=-1
usage "--source=2^64"          "--source"   "$tmp/bfs" "$G" --source=18446744073709551616
for v in x -1 "" 1e3 99999999999999999999; do
    GRAPHC_PARALLEL_MIN=$v usage "GRAPHC_PARALLEL_MIN='$v'" "GRAPHC_PARALLEL_MIN" "$PR" "$G"
done

# GRAPHC_PARALLEL_MIN (docs/runtime.md): a 3,000-node graph (3 chunks of
# 1,024) is below the default, so its kernels run without a parallel region
# (run.serial_kernels = run.kernels); with 0 every kernel at 2 threads gets
# one; the output is the same.
awk 'BEGIN { for (i = 0; i < 3000; i++) print i, (i * 7 + 1) % 3000 }' >"$tmp/big.txt"
pmin() { # pmin NAME EXPECT_SERIAL(all|none) ENV...
    name=$1 want=$2; shift 2
    if env "$@" "$PR" "$tmp/big.txt" --threads=2 --time -o "$tmp/pm-$name.tsv" 2>"$tmp/err"; then
        k=$(sed -n 's/^run.kernels //p' "$tmp/err"); s=$(sed -n 's/^run.serial_kernels //p' "$tmp/err")
        if [ -z "$k" ] || [ "$k" = 0 ]; then bad "GRAPHC_PARALLEL_MIN $name: no run.kernels in --time"
        elif [ "$want" = all ] && [ "$s" != "$k" ]; then bad "GRAPHC_PARALLEL_MIN $name: $s of $k kernels serial, expected all"
        elif [ "$want" = none ] && [ "$s" != 0 ]; then bad "GRAPHC_PARALLEL_MIN $name: $s of $k kernels serial, expected none"
        else ok; fi
    else
        bad "GRAPHC_PARALLEL_MIN $name: $(cat "$tmp/err")"
    fi
}
pmin default all
pmin zero none GRAPHC_PARALLEL_MIN=0
pmin 1000 none GRAPHC_PARALLEL_MIN=1000
if cmp -s "$tmp/pm-default.tsv" "$tmp/pm-zero.tsv"; then ok; else bad "GRAPHC_PARALLEL_MIN=0 changes the output"; fi

# Negative repeat count: documented as no iteration (docs/language.md section 6).
if "$PR" "$G" --max_iter=-1 -o "$tmp/neg.tsv" 2>"$tmp/err" && "$PR" "$G" --max_iter=0 -o "$tmp/zero.tsv" 2>>"$tmp/err"; then
    if ! cmp -s "$tmp/neg.tsv" "$tmp/zero.tsv"; then bad "--max_iter=-1 differs from --max_iter=0"
    elif [ "$(cut -f2 "$tmp/neg.tsv" | sed 1d | sort -u)" != 0.3333333333333333 ]; then bad "--max_iter=-1: ranks are not the initial 1/N: $(cat "$tmp/neg.tsv")"
    else ok; fi
else
    bad "--max_iter=-1 or --max_iter=0 rejected: $(cat "$tmp/err")"
fi
# --help and -h: exit 0, usage on stdout with every parameter
for h in --help -h; do
    if "$PR" $h >"$tmp/out" 2>"$tmp/err" && grep -q -- '--damping=' "$tmp/out" && grep -q -- '--max_iter=' "$tmp/out" &&
       grep -q -- '--tol=' "$tmp/out" && [ ! -s "$tmp/err" ]; then ok; else bad "program $h"; fi
done
# a valid command line still works (so the checks above are not vacuous)
if "$PR" "$G" --damping=0.5 --max-iter=3 --threads 2 --output "$tmp/o.tsv" >"$tmp/out" 2>"$tmp/err" && [ "$(wc -l <"$tmp/o.tsv")" = 4 ]; then ok
else bad "valid command line: $(cat "$tmp/err")"; fi

# ---- graphc ------------------------------------------------------------------
# gusage NAME PATTERN ARGS...: exit 2, a "graphc: error: ..." line naming PATTERN
gusage() {
    name=$1; pat=$2; shift 2
    timeout 60 "$GRAPHC" "$@" >"$tmp/out" 2>"$tmp/err"; st=$?
    first=$(head -n 1 "$tmp/err")
    if [ "$st" != 2 ]; then bad "graphc $name: exit status $st, expected 2 ($(head -c 200 "$tmp/err"))"; return; fi
    if [ -s "$tmp/out" ]; then bad "graphc $name: wrote to standard output"; return; fi
    case $first in "graphc: error: "*"$pat"*) ok ;; *) bad "graphc $name: message does not name '$pat': $first" ;; esac
    [ -e "$tmp/prog" ] && { bad "graphc $name: wrote an output"; rm -f "$tmp/prog"; }
}
gusage "unknown option"  "--no-such"  --no-such examples/pagerank.galg -o "$tmp/prog"
gusage "unknown -x"      "-x"         -x examples/pagerank.galg -o "$tmp/prog"
gusage "no input"        "input"
gusage "no input, -o"    "input"      -o "$tmp/prog"
gusage "-O9"             "-O9"        -O9 examples/pagerank.galg -o "$tmp/prog"
gusage "-O"              "-O"         -O examples/pagerank.galg -o "$tmp/prog"
gusage "-march=native"   "-march"     -march=native examples/pagerank.galg -o "$tmp/prog"
gusage "-march="         "-march"     -march= examples/pagerank.galg -o "$tmp/prog"
gusage "-march=bogus"    "-march"     -march=bogus examples/pagerank.galg -o "$tmp/prog"
gusage "-o without file" "-o"         examples/pagerank.galg -o
gusage "two inputs"      "examples/bfs.galg" examples/pagerank.galg examples/bfs.galg -o "$tmp/prog"
"$GRAPHC" "$tmp/no-such.galg" -o "$tmp/prog" >/dev/null 2>"$tmp/err"; st=$?
if [ "$st" = 1 ] && grep -q "^graphc: error: .*no-such.galg" "$tmp/err" && [ ! -e "$tmp/prog" ]; then ok
else bad "graphc missing input file: status $st: $(cat "$tmp/err")"; fi
if "$GRAPHC" --help >"$tmp/out" 2>"$tmp/err" && grep -q '^usage: graphc' "$tmp/out" && [ ! -s "$tmp/err" ]; then ok; else bad "graphc --help"; fi
if "$GRAPHC" --version >"$tmp/out" 2>"$tmp/err" && grep -q '^graphc [0-9][0-9.]*' "$tmp/out" && [ ! -s "$tmp/err" ]; then ok; else bad "graphc --version"; fi
gusage "--dump-ir=after-bogus" "after-bogus" --dump-ir=after-bogus examples/pagerank.galg

# --dump-ir: every stage prints the program; a pass that does not run (at -O0,
# or named by --disable-pass) prints the IR as the stage before it left it.
dump() { "$GRAPHC" "$@" examples/pagerank.galg >"$tmp/dump" 2>"$tmp/err" && grep -q '^algorithm pagerank(' "$tmp/dump"; }
for st in build kernelize fuse dead-vectors fold copy-prop licm cse dce; do
    if dump "--dump-ir=after-$st"; then ok; else bad "--dump-ir=after-$st: $(head -c 300 "$tmp/err")"; fi
done
dump --dump-ir=after-kernelize && cp "$tmp/dump" "$tmp/kern"
if dump -O0 --dump-ir=after-cse && cmp -s "$tmp/dump" "$tmp/kern"; then ok; else bad "-O0 --dump-ir=after-cse is not the kernelized IR"; fi
dump --dump-ir=after-licm && cp "$tmp/dump" "$tmp/licm"
if dump --disable-pass=cse --dump-ir=after-cse && cmp -s "$tmp/dump" "$tmp/licm"; then ok; else bad "--disable-pass=cse --dump-ir=after-cse is not the IR after licm"; fi
if dump --dump-ir=after-fuse && ! cmp -s "$tmp/dump" "$tmp/kern"; then ok; else bad "--dump-ir=after-fuse did not change the kernelized IR"; fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
