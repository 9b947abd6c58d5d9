#!/bin/sh
# End-to-end tests: examples/pagerank.galg compiled by graphc, run on small
# hand-checkable graphs and on SNAP ego-Facebook, compared with the independent
# reference tests/e2e/pagerank_ref.py (which tests/e2e/test_ref.py checks first
# against hand-derived closed forms and exact rational arithmetic).
#
#   GRAPHC=build/bin/graphc SHARED_DATA=../shared/data sh tests/e2e/run.sh
#
# Run from the repository root. Environment: GRAPHC (the compiler), SHARED_DATA
# (the folder holding facebook_combined.txt), PYTHON (default python3), TOL
# (per-node absolute tolerance, default 1e-9), KEEP=1 keeps the work folder.
set -u
: "${GRAPHC:=build/bin/graphc}"
: "${SHARED_DATA:=../shared/data}"
: "${PYTHON:=python3}"
: "${TOL:=1e-9}"
E2E=tests/e2e
export SHARED_DATA
# The scripts need only the standard library: run the interpreter itself (not a
# version-manager shim) without site-packages, which starts 5x faster.
PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)') || { echo "FAIL: no $PYTHON"; exit 1; }
py() { "$PYTHON" -S "$@"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/graphc-e2e.XXXXXX") || exit 1
if [ "${KEEP:-0}" = 1 ]; then echo "work folder: $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
trap 'exit 130' INT TERM
start=$(date +%s)
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
summary() {
    echo "e2e: $pass passed, $fail failed ($(($(date +%s) - start)) s)"
    [ "$fail" -eq 0 ]
}
# show FILE: the first lines of a log, indented
show() { sed -n '1,15s/^/    /p' "$1"; }

# --- 1. the reference checks itself --------------------------------------------
if "$PYTHON" "$E2E/test_ref.py" >"$tmp/test_ref.log" 2>&1; then
    ok
else
    bad "tests/e2e/test_ref.py: the reference PageRank is wrong"
    tail -n 30 "$tmp/test_ref.log"
fi

# --- 2. compile once ------------------------------------------------------------
prog=$tmp/pagerank
if ! "$GRAPHC" examples/pagerank.galg -o "$prog" >"$tmp/cc.log" 2>&1 || [ ! -x "$prog" ]; then
    bad "$GRAPHC examples/pagerank.galg -o PROG"
    show "$tmp/cc.log"
    summary
    exit 1
fi
ok

# --- 3. command line of the generated program ------------------------------------
if "$prog" --help >"$tmp/help.txt" 2>"$tmp/help.err"; then
    if py "$E2E/check_help.py" "$tmp/help.txt" damping=0.85 max_iter=100 tol=1e-6 >"$tmp/help.log"; then
        ok
    else
        bad "--help"; show "$tmp/help.log"; show "$tmp/help.txt"
    fi
else
    bad "--help exits $?, expected 0"
fi

# expect_status WHAT STATUS CMD...: CMD must exit with STATUS and write no output file.
expect_status() {
    what=$1 want=$2
    shift 2
    rm -f "$tmp/none.tsv"
    "$@" -o "$tmp/none.tsv" >/dev/null 2>"$tmp/status.err" </dev/null
    st=$?
    if [ "$st" != "$want" ]; then
        bad "$what: exit status $st, expected $want"; show "$tmp/status.err"
    elif [ -e "$tmp/none.tsv" ]; then
        bad "$what: wrote an output file"
    elif [ ! -s "$tmp/status.err" ]; then
        bad "$what: exit status $st without a message on stderr"
    else
        ok
    fi
}
g5=$E2E/graphs/cycle5.el
printf '0 1\n1 x\n' >"$tmp/malformed.el"
expect_status "no graph argument" 2 "$prog"
expect_status "unknown option" 2 "$prog" "$g5" --no_such_param=1
expect_status "float parameter given 'abc'" 2 "$prog" "$g5" --damping=abc
expect_status "int parameter given 1.5" 2 "$prog" "$g5" --max_iter=1.5
expect_status "missing graph file" 1 "$prog" "$tmp/no-such-file.el"
expect_status "malformed graph file" 1 "$prog" "$tmp/malformed.el"

# Without -o the result goes to standard output.
if "$prog" "$g5" >"$tmp/stdout.tsv" 2>"$tmp/stdout.err" && "$prog" "$g5" -o "$tmp/file.tsv" 2>/dev/null &&
    cmp -s "$tmp/stdout.tsv" "$tmp/file.tsv" && [ -s "$tmp/file.tsv" ]; then
    ok
else
    bad "output on stdout differs from the -o file (or the run failed)"; show "$tmp/stdout.err"
fi

# --- 4. results against the reference -----------------------------------------
head -n 5000 "$SHARED_DATA/facebook_combined.txt" >"$tmp/facebook_5000.el" 2>/dev/null
# A random graph with ~28k nodes (many parallel chunks, so the byte-identical
# check across thread counts means something), sparse ids 7k+3 and skewed
# in-degrees; MINSTD random numbers are exact in awk's doubles.
awk 'BEGIN { x = 12345; n = 30000; m = 60000
    for (i = 0; i < m; i++) {
        x = (x * 48271) % 2147483647; u = int(n * x / 2147483647)
        x = (x * 48271) % 2147483647; r = x / 2147483647; v = int(n * r * r * r)
        printf "%d %d\n", 7 * u + 3, 7 * v + 3 } }' >"$tmp/random_60k.el"
graphs="$(ls "$E2E"/graphs/*.el) $tmp/random_60k.el"
if [ -r "$SHARED_DATA/facebook_combined.txt" ]; then
    graphs="$graphs $tmp/facebook_5000.el $SHARED_DATA/facebook_combined.txt"
else
    bad "$SHARED_DATA/facebook_combined.txt not found (set SHARED_DATA)"
fi

TIME_KEYS="time.load_s time.build_s time.run_s time.write_s load.mb_per_s graph.nodes graph.edges graph.self_loops graph.duplicate_edges"
n=0

# check_time GRAPH LABEL: the --time report of the last run has every key, and
# the graph counts equal the reference's.
check_time() {
    for key in $TIME_KEYS; do
        if ! grep -q "^$key [0-9]" "$tmp/p1.err"; then
            bad "$2: --time did not print '$key VALUE'"; show "$tmp/p1.err"; return
        fi
    done
    for key in graph.nodes graph.edges graph.self_loops graph.duplicate_edges; do
        want=$(sed -n "s/^$key //p" "$tmp/ref.err")
        got=$(sed -n "s/^$key //p" "$tmp/p1.err")
        if [ "$want" != "$got" ]; then
            bad "$2: --time says $key $got, the reference counts $want"; return
        fi
    done
    ok
}

# run_case GRAPH PARAMS: reference once, the program at 1 and 2 threads.
run_case() {
    g=$1 ps=$2
    n=$((n + 1))
    label="$(basename "$g") ${ps:-(defaults)}"
    ref=$tmp/ref$n.tsv
    # shellcheck disable=SC2086
    if ! py "$E2E/pagerank_ref.py" "$g" $ps --stats -o "$ref" 2>"$tmp/ref.err"; then
        bad "$label: the reference failed"; show "$tmp/ref.err"; return
    fi
    grep warning "$tmp/ref.err" | sed "s/^/    /"
    for t in 1 2; do
        extra=
        [ "$t" = 1 ] && extra=--time
        # shellcheck disable=SC2086
        "$prog" "$g" $ps --threads=$t $extra -o "$tmp/p$t.tsv" >/dev/null 2>"$tmp/p$t.err" </dev/null
        st=$?
        if [ "$st" != 0 ]; then
            bad "$label --threads=$t: exit status $st"; show "$tmp/p$t.err"; return
        fi
        if py "$E2E/compare.py" "$ref" "$tmp/p$t.tsv" --tol="$TOL" >"$tmp/cmp.log" 2>&1; then
            ok
        else
            bad "$label --threads=$t: differs from the reference"; show "$tmp/cmp.log"
        fi
    done
    if cmp -s "$tmp/p1.tsv" "$tmp/p2.tsv"; then
        ok
    else
        bad "$label: output at --threads=1 and --threads=2 is not byte-identical"
        cmp "$tmp/p1.tsv" "$tmp/p2.tsv" | sed 's/^/    /'
    fi
    [ -z "$ps" ] && check_time "$g" "$label"
}

for g in $graphs; do
    run_case "$g" ""
    run_case "$g" "--damping=0.9 --tol=1e-10"
    run_case "$g" "--tol=0 --max_iter=20"
    run_case "$g" "--damping 0.5 --max_iter 3"
done

summary
