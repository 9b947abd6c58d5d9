#!/bin/sh
# bench/run.sh - PageRank compiled by graphc against hand-written OpenMP C.
#
#   make bench                          (or: BUILD=build GRAPHC=build/bin/graphc sh bench/run.sh)
#   SCALE=16 RUNS=3 sh bench/run.sh     a quick run on a 2^16-id graph
#
# Run from the repository root. See bench/README.md for what is measured.
# Environment (defaults in brackets):
#   BUILD [build]  GRAPHC [$BUILD/bin/graphc]  SCALE [20]  DEGREE [16]  SEED [1]
#   RUNS [5] runs per program and thread count   ITERS [20] PageRank iterations
#   THREADS ["1 2"]  COMPILE_RUNS [5]  PYTHON [python3]  CC [gcc]
#   CHECK [1] compare the compiled program's ranks with the baseline's on the bench graph
# Writes $BUILD/bench/: the tools, the cached graph, runs.tsv (every run),
# results.json (the summary) and logs.
# Word splitting of $CFLAGS, $THREADS and of "median min max" is intended:
# shellcheck disable=SC2046,SC2086
set -u
: "${BUILD:=build}"
: "${GRAPHC:=$BUILD/bin/graphc}"
: "${SCALE:=20}"
: "${DEGREE:=16}"
: "${SEED:=1}"
: "${RUNS:=5}"
: "${ITERS:=20}"
: "${THREADS:=1 2}"
: "${COMPILE_RUNS:=5}"
: "${PYTHON:=python3}"
: "${CHECK:=1}"
CC=${CC:-gcc}
[ "$CC" = cc ] && CC=gcc
OUT=$BUILD/bench
LOG=$OUT/log
CFLAGS="-std=c11 -O3 -march=native -fopenmp -Wall -Wextra"
E2E=tests/e2e

BENCH=bench
. bench/common.sh

[ -f bench/run.sh ] || die "run from the repository root"
# The interpreter itself (not a version-manager shim), without site-packages.
PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)') || die "no $PYTHON"
py() { "$PYTHON" -S "$@"; }
mkdir -p "$OUT" "$LOG" || die "cannot create $OUT"

# --- 1. tools -------------------------------------------------------------------
echo "== building gen_rmat and pagerank_baseline ($CC $CFLAGS)"
$CC $CFLAGS bench/gen_rmat.c -o "$OUT/gen_rmat" || die "cannot build bench/gen_rmat.c"
$CC $CFLAGS bench/pagerank_baseline.c -o "$OUT/pagerank_baseline" -lm || die "cannot build bench/pagerank_baseline.c"
BASE=$OUT/pagerank_baseline

# --- 2. preflight: the baseline computes the reference's ranks ------------------
echo "== preflight: pagerank_baseline against tests/e2e/pagerank_ref.py (tol 1e-9)"
"$OUT/gen_rmat" -s 10 -d 8 -S "$SEED" -o "$OUT/rmat-s10-d8.el" 2>/dev/null || die "gen_rmat failed"
pf_graphs="$(ls $E2E/graphs/*.el) $OUT/rmat-s10-d8.el"
[ -n "${SHARED_DATA:-}" ] && [ -r "$SHARED_DATA/facebook_combined.txt" ] &&
    pf_graphs="$pf_graphs $SHARED_DATA/facebook_combined.txt"
pf_fail=0
pf_n=0
for g in $pf_graphs; do
    for ps in "" "--tol=0 --max_iter=$ITERS"; do
        # shellcheck disable=SC2086
        py $E2E/pagerank_ref.py "$g" $ps -o "$LOG/pf_ref.tsv" 2>"$LOG/pf.err" ||
            die "the reference failed on $g: $(cat "$LOG/pf.err")"
        for t in 1 2; do
            pf_n=$((pf_n + 1))
            # shellcheck disable=SC2086
            if ! "$BASE" "$g" $ps --threads=$t -o "$LOG/pf_base.tsv" 2>"$LOG/pf.err" ||
                ! py $E2E/compare.py "$LOG/pf_ref.tsv" "$LOG/pf_base.tsv" >"$LOG/pf.cmp" 2>&1; then
                echo "  FAIL $g $ps --threads=$t"; cat "$LOG/pf.err" "$LOG/pf.cmp"
                pf_fail=$((pf_fail + 1))
            fi
        done
    done
done
[ "$pf_fail" -eq 0 ] || die "the baseline disagrees with the reference in $pf_fail of $pf_n runs"
echo "  ok: $pf_n runs on $(echo $pf_graphs | wc -w) graphs"

# --- 3. the benchmark graph (cached) --------------------------------------------
rmat_graph

# --- 4. compile examples/pagerank.galg ------------------------------------------
PROG=$OUT/pagerank
have_prog=0
compile_times=$LOG/compile_s.txt
: >"$compile_times"
if [ ! -x "$GRAPHC" ]; then
    echo "== $GRAPHC not found: measuring the baseline only"
elif [ ! -f examples/pagerank.galg ]; then
    echo "== examples/pagerank.galg not found: measuring the baseline only"
else
    echo "== compiling examples/pagerank.galg ($COMPILE_RUNS times)"
    i=0
    have_prog=1
    while [ "$i" -lt "$COMPILE_RUNS" ]; do
        t0=$(now)
        if ! "$GRAPHC" examples/pagerank.galg -o "$PROG" >"$LOG/compile.log" 2>&1; then
            echo "  graphc failed (measuring the baseline only):"; sed 's/^/    /' "$LOG/compile.log" | head -n 20
            have_prog=0
            break
        fi
        t1=$(now)
        elapsed "$t0" "$t1" >>"$compile_times"
        echo >>"$compile_times"
        i=$((i + 1))
    done
fi
set -- $(stats <"$compile_times")
COMPILE_MED=$1 COMPILE_MIN=$2 COMPILE_MAX=$3

# --- 5. same answer on the benchmark graph --------------------------------------
CHECK_RESULT=skipped
if [ "$have_prog" = 1 ] && [ "$CHECK" = 1 ]; then
    echo "== checking the compiled program against the baseline on the bench graph"
    if "$PROG" "$GRAPH" --tol=0 --max_iter="$ITERS" -o "$LOG/check_prog.tsv" 2>"$LOG/check.err" &&
        "$BASE" "$GRAPH" --tol=0 --max_iter="$ITERS" -o "$LOG/check_base.tsv" 2>>"$LOG/check.err" &&
        py $E2E/compare.py "$LOG/check_base.tsv" "$LOG/check_prog.tsv" >"$LOG/check.cmp" 2>&1; then
        CHECK_RESULT=same
        echo "  same ranks (within 1e-9 per node)"
    else
        CHECK_RESULT=different
        echo "  WARNING: the compiled program's ranks differ from the baseline's:"
        sed 's/^/    /' "$LOG/check.err" "$LOG/check.cmp" | head -n 10
    fi
    rm -f "$LOG/check_prog.tsv" "$LOG/check_base.tsv"
fi

# --- 6. timed runs, interleaved ------------------------------------------------
RUNS_TSV=$OUT/runs.tsv
printf 'program\tthreads\trun\tload_s\tbuild_s\trun_s\titer_s\tmb_per_s\tnodes\tedges\n' >"$RUNS_TSV"
# record PROGRAM THREADS RUN REPORT
record() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" \
        "$(key "$4" time.load_s)" "$(key "$4" time.build_s)" "$(key "$4" time.run_s)" \
        "$(key "$4" time.iter_s)" "$(key "$4" load.mb_per_s)" \
        "$(key "$4" graph.nodes)" "$(key "$4" graph.edges)" >>"$RUNS_TSV"
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
echo "== timing: $RUNS runs each, threads: $THREADS, $ITERS iterations (tol=0), $GRAPH"
for t in $THREADS; do
    r=1
    while [ "$r" -le "$RUNS" ]; do
        if [ "$have_prog" = 1 ]; then
            f=$LOG/graphc-t$t-r$r.err
            if "$PROG" "$GRAPH" --tol=0 --max_iter="$ITERS" --threads="$t" --time -o /dev/null 2>"$f"; then
                record graphc "$t" "$r" "$f"
            else
                echo "  the compiled program failed (threads $t, run $r):"; sed 's/^/    /' "$f" | head -n 5
            fi
        fi
        f=$LOG/baseline-t$t-r$r.err
        if "$BASE" "$GRAPH" --tol=0 --max_iter="$ITERS" --threads="$t" --time -o /dev/null 2>"$f"; then
            record baseline "$t" "$r" "$f"
        else
            die "the baseline failed: $(cat "$f")"
        fi
        printf '  threads %s run %s/%s done\n' "$t" "$r" "$RUNS"
        r=$((r + 1))
    done
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)

# --- 7. summary ------------------------------------------------------------------
# med PROGRAM THREADS COLUMN: the median of the column
med() { col "$1" "$2" "$3" | stats | cut -d' ' -f1; }
secs() { case "$1" in nan | "") echo "-" ;; *) awk -v x="$1" -v y="$2" 'BEGIN { printf "%.3f (%.0f)", x, y }' ;; esac; }

NODES=$(col baseline "$(echo $THREADS | cut -d' ' -f1)" nodes | head -n 1)
EDGES=$(col baseline "$(echo $THREADS | cut -d' ' -f1)" edges | head -n 1)
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo
echo "PageRank, R-MAT scale $SCALE degree $DEGREE: $NODES nodes, $EDGES edges, $(awk -v b="$FILE_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB edge list (generated in $(printf '%.2f' "$GEN_S") s)"
echo "$ITERS iterations (tol=0), median of $RUNS runs (min-max); machine: $(nproc) cores, ${CPU:-unknown CPU}"
echo "load average before/after the timed runs: ${LOAD_BEFORE:-?} / ${LOAD_AFTER:-?} (other work on the machine skews 2-thread runs most)"
if [ "$have_prog" = 1 ]; then
    echo "graphc compile of examples/pagerank.galg: $(ms "$COMPILE_MED") ms median ($(ms "$COMPILE_MIN")-$(ms "$COMPILE_MAX")), $COMPILE_RUNS runs; ranks vs baseline: $CHECK_RESULT"
else
    echo "graphc: no compiled program (see above); baseline only"
fi
echo
printf '%-8s %-28s %-28s %-14s %-8s %-22s %s\n' threads "graphc ms/iter" "baseline ms/iter" "baseline iter" ratio "graphc load s (MB/s)" "baseline load s (MB/s)"
json_rows=""
for t in $THREADS; do
    set -- $(per_iter graphc "$t" run_s); g_med=$1 g_min=$2 g_max=$3
    set -- $(per_iter baseline "$t" run_s); b_med=$1 b_min=$2 b_max=$3
    set -- $(per_iter baseline "$t" iter_s); bi_med=$1
    gl=$(med graphc "$t" load_s) gmb=$(med graphc "$t" mb_per_s) gb=$(med graphc "$t" build_s)
    bl=$(med baseline "$t" load_s) bmb=$(med baseline "$t" mb_per_s) bb=$(med baseline "$t" build_s)
    rt=$(ratio "$g_med" "$b_med")
    printf '%-8s %-28s %-28s %-14s %-8s %-22s %s\n' "$t" \
        "$(ms "$g_med") ($(ms "$g_min")-$(ms "$g_max"))" "$(ms "$b_med") ($(ms "$b_min")-$(ms "$b_max"))" \
        "$(ms "$bi_med")" "$rt" "$(secs "$gl" "$gmb")" "$(secs "$bl" "$bmb")"
    row=$(printf '{"threads": %s, "graphc": {"per_iter_s": %s, "per_iter_min_s": %s, "per_iter_max_s": %s, "load_s": %s, "load_mb_per_s": %s, "build_s": %s}, "baseline": {"per_iter_s": %s, "per_iter_min_s": %s, "per_iter_max_s": %s, "iterations_only_per_iter_s": %s, "load_s": %s, "load_mb_per_s": %s, "build_s": %s}, "ratio_graphc_over_baseline": %s}' \
        "$t" "$(num "$g_med")" "$(num "$g_min")" "$(num "$g_max")" "$(num "$gl")" "$(num "$gmb")" "$(num "$gb")" \
        "$(num "$b_med")" "$(num "$b_min")" "$(num "$b_max")" "$(num "$bi_med")" "$(num "$bl")" "$(num "$bmb")" "$(num "$bb")" \
        "$(case "$rt" in -) echo null ;; *) echo "$rt" ;; esac)")
    json_rows="${json_rows:+$json_rows,
    }$row"
done
echo
echo "ms/iter: time.run_s / $ITERS (allocation, setup and iterations; same scope for both)."
echo "baseline iter: the baseline's iterations alone. ratio: graphc / baseline (<= 1.0 is the goal)."

cat >"$OUT/results.json" <<EOF
{
  "schema": "graphc-bench/1",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "machine": {"cores": $(nproc), "cpu": "$(echo "$CPU" | tr -d '\\"')",
              "loadavg_before": "${LOAD_BEFORE:-}", "loadavg_after": "${LOAD_AFTER:-}"},
  "graph": {"generator": "R-MAT a=0.57 b=0.19 c=0.19", "scale": $SCALE, "degree": $DEGREE, "seed": $SEED,
            "nodes": $(num "$NODES"), "edges": $(num "$EDGES"), "file_bytes": $FILE_BYTES, "generate_s": $GEN_S},
  "iterations": $ITERS,
  "runs": $RUNS,
  "compile": {"available": $([ "$have_prog" = 1 ] && echo true || echo false), "runs": $COMPILE_RUNS,
              "median_s": $(num "$COMPILE_MED"), "min_s": $(num "$COMPILE_MIN"), "max_s": $(num "$COMPILE_MAX")},
  "check_against_baseline": "$CHECK_RESULT",
  "results": [
    $json_rows
  ]
}
EOF
echo "wrote $OUT/results.json and $RUNS_TSV"
py -c 'import json, sys; json.load(open(sys.argv[1]))' "$OUT/results.json" ||
    die "results.json is not valid JSON"
[ "$CHECK_RESULT" != different ]
