#!/bin/sh
# bench/run_gap.sh - GAP PageRank (examples/pagerank_gap.galg) compiled by graphc
# against hand-written OpenMP C (bench/pagerank_gap_baseline.c) in three precisions.
#
#   make bench-gap                          (or: BUILD=build GRAPHC=build/bin/graphc sh bench/run_gap.sh)
#   SCALE=16 RUNS=3 sh bench/run_gap.sh     a quick run on a 2^16-id graph
#   NICE="nice -n -5" sh bench/run_gap.sh   timed runs at a higher priority (needs the right to)
#
# Run from the repository root. See bench/README.md for what is measured.
# Environment (defaults in brackets):
#   BUILD [build]  GRAPHC [$BUILD/bin/graphc]  SCALE [20]  DEGREE [16]  SEED [1]
#   RUNS [5] runs per program and thread count   ITERS [20] PageRank iterations
#   THREADS ["1 2"]  PYTHON [python3]  CC [gcc]  NICE [] prefix of the timed commands
#   CHECK [1] compare the compiled program's ranks with the baseline's on the bench graph
#   PREFLIGHT [1] check the baseline against a Python reference on small graphs
# Writes $BUILD/bench/: the baseline, the cached graph (shared with run.sh),
# gap-runs.tsv (every run), gap-results.json (the summary) and log-gap/.
# Word splitting of $CFLAGS, $THREADS, $NICE, $ps, $flag and of "median min max"
# is intended:
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
: "${PYTHON:=python3}"
: "${CHECK:=1}"
: "${PREFLIGHT:=1}"
: "${NICE:=}"
CC=${CC:-gcc}
[ "$CC" = cc ] && CC=gcc
OUT=$BUILD/bench
LOG=$OUT/log-gap
# -ffp-contract=off (implied by -std=c11, spelled out): base + damping*s stays a
# multiply and an add, as in the generated code, so the ranks are bit-identical.
CFLAGS="-std=c11 -O3 -march=native -ffp-contract=off -fopenmp -Wall -Wextra"
E2E=tests/e2e
REL_TOL=1e-9  # the baseline of the program's precision vs the program, relative, per node
SANITY=1e-4   # the other precisions vs the program: a bound that only catches broken code

BENCH=bench-gap
. bench/common.sh
# le X Y: X <= Y as numbers
le() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x + 0 <= y + 0) }'; }
# cpu_busy: seconds of CPU time the whole machine has spent busy (user, nice,
# system, irq, softirq) since boot; cpu_mine FILE: the seconds (user + system)
# of this script's finished children, from `times >FILE` run in this shell (not
# in a command substitution, whose subshell has no children of ours). Their
# differences over the timed runs give the CPU time other work took meanwhile.
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu_busy() { awk -v hz="$HZ" '/^cpu / { printf "%.2f\n", ($2 + $3 + $4 + $7 + $8) / hz; exit }' /proc/stat 2>/dev/null; }
cpu_mine() {
    awk 'NR == 2 { t = 0
        for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] }
        printf "%.2f\n", t }' "$1"
}

[ -f bench/run_gap.sh ] || die "run from the repository root"
PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)') || die "no $PYTHON"
py() { "$PYTHON" -S "$@"; }
mkdir -p "$OUT" "$LOG" || die "cannot create $OUT"

# relcmp A B: prints "MAXREL EXACT" for two node<TAB>value outputs (same nodes in
# the same order): the largest |a-b|/max(|a|,|b|) over the nodes (0 when equal;
# 1e300 when one is nan or inf and the other is not the same) and whether every
# value is the same double ("exact") or not ("inexact").
relcmp() {
    py - "$1" "$2" <<'EOF'
import math, sys
def rows(p):
    with open(p, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[-1] != "":
        sys.exit("%s: the last line has no newline" % p)
    return lines[:-1]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
if not a or a[0] != b[0] or len(a) != len(b):
    sys.exit("different headers or node counts")
worst, exact = 0.0, True
for la, lb in zip(a[1:], b[1:]):
    fa, fb = la.split("\t"), lb.split("\t")
    if fa[0] != fb[0] or len(fa) != len(fb):
        sys.exit("node ids differ: %s %s" % (fa[0], fb[0]))
    for x, y in zip(fa[1:], fb[1:]):
        x, y = float(x), float(y)
        if x == y or (math.isnan(x) and math.isnan(y)):
            continue
        exact = False
        if math.isnan(x) or math.isnan(y) or math.isinf(x) or math.isinf(y):
            r = 1e300
        else:
            r = abs(x - y) / max(abs(x), abs(y))
        worst = max(worst, r)
print("%.3g %s" % (worst, "exact" if exact else "inexact"))
EOF
}

# gapref PREC GRAPH OUT [--damping=X --max_iter=K --tol=X]: GAP's PageRank in
# Python, written from the definition, not from either program: contributions
# score/out_degree (a division), in-sums with math.fsum (exactly rounded), new
# scores and the L1 change in double. PREC exact: all double; PREC f32: scores
# and contributions rounded to binary32 when stored. Graphs are read by
# tests/e2e/refgraph.py, the project's reference loader.
gapref() {
    py - "$@" <<'EOF'
import math, struct, sys
sys.path.insert(0, "tests/e2e")
import refgraph
prec, path, out = sys.argv[1], sys.argv[2], sys.argv[3]
opt = {"damping": 0.85, "max_iter": 20, "tol": 1e-4}
for a in sys.argv[4:]:
    k, _, v = a[2:].partition("=")
    opt[k] = int(v) if k == "max_iter" else float(v)
if prec == "f32":
    def rnd(x):
        return struct.unpack("f", struct.pack("f", x))[0]
else:
    def rnd(x):
        return x
g = refgraph.load(path)
n, d = g.n, opt["damping"]
outdeg = [len(x) for x in g.out_nbrs]
score = [rnd(1.0 / n)] * n
base = (1.0 - d) / n
for _ in range(opt["max_iter"]):
    contrib = [rnd(score[u] / outdeg[u]) if outdeg[u] else 0.0 for u in range(n)]
    new = [base + d * math.fsum(contrib[u] for u in g.in_nbrs[v]) for v in range(n)]
    err = math.fsum(abs(a - b) for a, b in zip(new, score))
    score = [rnd(x) for x in new]
    if err < opt["tol"]:
        break
with open(out, "w") as f:
    f.write("node\tranks\n")
    f.writelines("%d\t%r\n" % (i, x) for i, x in zip(g.ids, score))
EOF
}

# The baseline's precisions: name, flag (f64 is the default).
VARIANTS="f64 f32-store f32"
flag_of() { case $1 in f64) echo '' ;; *) echo "--$1" ;; esac; }

# --- 1. tools -------------------------------------------------------------------
echo "== building gen_rmat and pagerank_gap_baseline ($CC $CFLAGS)"
$CC $CFLAGS bench/gen_rmat.c -o "$OUT/gen_rmat" || die "cannot build bench/gen_rmat.c"
$CC $CFLAGS bench/pagerank_gap_baseline.c -o "$OUT/pagerank_gap_baseline" -lm ||
    die "cannot build bench/pagerank_gap_baseline.c"
BASE=$OUT/pagerank_gap_baseline

# --- 2. preflight: the baseline computes the reference's ranks ------------------
# Limits, relative per node: double 1e-9 against the exact reference; f32-store
# 1e-6 and f32 1e-5 against the rounded one (a last-bit difference of a double
# sum can flip a binary32 rounding, 6e-8; GAP's float sums add roundings that
# grow with the in-degree). The float variants run with --tol=0 only: their
# error may cross tol an iteration before or after the reference's.
if [ "$PREFLIGHT" = 1 ]; then
    echo "== preflight: pagerank_gap_baseline against a Python reference ($VARIANTS)"
    "$OUT/gen_rmat" -s 10 -d 8 -S "$SEED" -o "$OUT/rmat-s10-d8.el" 2>/dev/null || die "gen_rmat failed"
    pf_graphs="$(ls $E2E/graphs/*.el) $OUT/rmat-s10-d8.el"
    [ -n "${SHARED_DATA:-}" ] && [ -r "$SHARED_DATA/facebook_combined.txt" ] &&
        pf_graphs="$pf_graphs $SHARED_DATA/facebook_combined.txt"
    pf_fail=0
    pf_n=0
    pf_worst="f64=0 f32-store=0 f32=0"
    for g in $pf_graphs; do
        for ps in "" "--tol=0 --max_iter=$ITERS"; do
            { gapref exact "$g" "$LOG/pf_ref64.tsv" $ps && gapref f32 "$g" "$LOG/pf_ref32.tsv" $ps; } \
                2>"$LOG/pf.err" || die "the reference failed on $g: $(cat "$LOG/pf.err")"
            for prec in $VARIANTS; do
                case $prec in
                f64) lim=$REL_TOL ref=$LOG/pf_ref64.tsv ;;
                f32-store) lim=1e-6 ref=$LOG/pf_ref32.tsv ;;
                *) lim=1e-5 ref=$LOG/pf_ref32.tsv ;;
                esac
                [ "$prec" != f64 ] && [ -z "$ps" ] && continue
                flag=$(flag_of "$prec")
                for t in 1 2; do
                    pf_n=$((pf_n + 1))
                    if ! "$BASE" "$g" $ps $flag --threads=$t -o "$LOG/pf_base.tsv" 2>"$LOG/pf.err" ||
                        ! r=$(relcmp "$ref" "$LOG/pf_base.tsv" 2>"$LOG/pf.cmp") ||
                        ! le "${r%% *}" "$lim"; then
                        echo "  FAIL $g $ps $flag --threads=$t: ${r:-} (limit $lim)"
                        cat "$LOG/pf.err" "$LOG/pf.cmp"
                        pf_fail=$((pf_fail + 1))
                    else
                        pf_worst=$(echo "$pf_worst" | awk -v p="$prec" -v x="${r%% *}" '{
                            for (i = 1; i <= NF; i++) { split($i, kv, "=")
                                if (kv[1] == p && x + 0 > kv[2] + 0) $i = p "=" x }
                            print }')
                    fi
                done
            done
        done
    done
    [ "$pf_fail" -eq 0 ] || die "the baseline disagrees with the reference in $pf_fail of $pf_n runs"
    echo "  ok: $pf_n runs on $(echo $pf_graphs | wc -w) graphs; largest relative differences: $pf_worst"
fi

# --- 3. the benchmark graph (cached, shared with bench/run.sh) -------------------
rmat_graph

# --- 4. compile examples/pagerank_gap.galg ---------------------------------------
PROG=$OUT/pagerank_gap
have_prog=0
if [ ! -x "$GRAPHC" ]; then
    echo "== $GRAPHC not found: measuring the baseline only"
elif [ ! -f examples/pagerank_gap.galg ]; then
    echo "== examples/pagerank_gap.galg not found: measuring the baseline only"
else
    echo "== compiling examples/pagerank_gap.galg"
    if "$GRAPHC" examples/pagerank_gap.galg -o "$PROG" >"$LOG/compile.log" 2>&1; then
        have_prog=1
    else
        echo "  graphc failed (measuring the baseline only):"; sed 's/^/    /' "$LOG/compile.log" | head -n 20
    fi
fi

# --- 5. same answer on the benchmark graph --------------------------------------
# The compiled program against every precision of the baseline, with
# --tol=0 --max_iter=ITERS and with the defaults (tol 1e-4). The program's
# precision is the example's (double, or f32 storage once it declares
# `ranks: f32`): MATCH is the variant closest to it with the fixed iteration
# count, and must agree within REL_TOL per node in both runs (the same ranks and
# the same stopping iteration); "exact" means every rank is the same double.
# The other variants must stay within SANITY of the program.
CHECK_RESULT=skipped
MATCH=''
CHECK_JSON=''
if [ "$have_prog" = 1 ] && [ "$CHECK" = 1 ]; then
    echo "== checking the compiled program against the baseline on the bench graph"
    CHECK_RESULT=same
    for ps in "--tol=0 --max_iter=$ITERS" ""; do
        if ! "$PROG" "$GRAPH" $ps -o "$LOG/check_prog.tsv" 2>"$LOG/check.err"; then
            CHECK_RESULT=different
            echo "  WARNING: the compiled program failed:"; sed 's/^/    /' "$LOG/check.err" | head -n 10
            continue
        fi
        best=''
        for prec in $VARIANTS; do
            [ -z "$ps" ] && [ "$prec" != "$MATCH" ] && continue
            if "$BASE" "$GRAPH" $ps $(flag_of "$prec") -o "$LOG/check_base.tsv" 2>"$LOG/check.err" &&
                r=$(relcmp "$LOG/check_prog.tsv" "$LOG/check_base.tsv" 2>>"$LOG/check.err"); then
                set -- $r
                echo "  ${ps:-default parameters}: $prec baseline, max relative difference $1 ($2)"
                CHECK_JSON="${CHECK_JSON:+$CHECK_JSON, }{\"params\": \"${ps:-defaults}\", \"variant\": \"$prec\", \"max_rel\": $1, \"exact\": $([ "$2" = exact ] && echo true || echo false)}"
                if [ -n "$ps" ] && [ "$prec" != f32 ] && { [ -z "$best" ] || ! le "$best" "$1"; }; then
                    best=$1 MATCH=$prec
                fi
                [ -z "$ps" ] && ! le "$1" "$REL_TOL" && CHECK_RESULT=different
                le "$1" "$SANITY" || CHECK_RESULT=different
            else
                CHECK_RESULT=different
                echo "  WARNING: the $prec baseline failed:"; sed 's/^/    /' "$LOG/check.err" | head -n 10
            fi
        done
        if [ -n "$ps" ]; then
            if [ -z "$best" ] || ! le "$best" "$REL_TOL"; then
                CHECK_RESULT=different
                MATCH=none
            fi
            echo "  the program's precision: ${MATCH:-none} (the baseline within $REL_TOL)"
            [ "$MATCH" = none ] && break
        fi
    done
    [ "$CHECK_RESULT" = same ] ||
        echo "  WARNING: the ranks differ (limits: $REL_TOL for the program's precision, $SANITY for the others)"
    rm -f "$LOG/check_prog.tsv" "$LOG/check_base.tsv"
fi

# --- 6. timed runs, interleaved ------------------------------------------------
RUNS_TSV=$OUT/gap-runs.tsv
printf 'program\tthreads\trun\tload_s\tbuild_s\trun_s\titer_s\titerations\tnodes\tedges\n' >"$RUNS_TSV"
# record PROGRAM THREADS RUN REPORT
record() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" \
        "$(key "$4" time.load_s)" "$(key "$4" time.build_s)" "$(key "$4" time.run_s)" \
        "$(key "$4" time.iter_s)" "$(key "$4" iterations)" \
        "$(key "$4" graph.nodes)" "$(key "$4" graph.edges)" >>"$RUNS_TSV"
}
# timed NAME THREADS RUN CMD...: one run, recorded under NAME
timed() {
    tn=$1 tt=$2 tr=$3
    shift 3
    tf=$LOG/$tn-t$tt-r$tr.err
    if $NICE "$@" "$GRAPH" --tol=0 --max_iter="$ITERS" --threads="$tt" --time -o /dev/null 2>"$tf"; then
        record "$tn" "$tt" "$tr" "$tf"
    else
        echo "  $tn failed (threads $tt, run $tr):"; sed 's/^/    /' "$tf" | head -n 5
        [ "$tn" = graphc ] || die "the baseline failed"
    fi
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
LOAD_MAX=${LOAD_BEFORE%% *}
times >"$LOG/times0"
BUSY0=$(cpu_busy) MINE0=$(cpu_mine "$LOG/times0") WALL0=$(now)
echo "== timing: $RUNS runs each, threads: $THREADS, $ITERS iterations (tol=0), $GRAPH${NICE:+ ($NICE)}"
for t in $THREADS; do
    r=1
    while [ "$r" -le "$RUNS" ]; do
        [ "$have_prog" = 1 ] && timed graphc "$t" "$r" "$PROG"
        for prec in $VARIANTS; do
            timed "$prec" "$t" "$r" "$BASE" $(flag_of "$prec")
        done
        l=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)
        le "$l" "$LOAD_MAX" || LOAD_MAX=$l
        printf '  threads %s run %s/%s done (load %s)\n' "$t" "$r" "$RUNS" "$l"
        r=$((r + 1))
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
times >"$LOG/times1"
BUSY1=$(cpu_busy) MINE1=$(cpu_mine "$LOG/times1") WALL1=$(now)
# OTHER: the share of the machine's CPU time (cores x wall time) that other
# processes used during the timed runs, in percent ("" when /proc/stat is missing).
OTHER=''
[ -n "$BUSY0" ] && [ -n "$BUSY1" ] &&
    OTHER=$(awk -v b="$BUSY1" -v a="$BUSY0" -v m1="$MINE1" -v m0="$MINE0" -v w1="$WALL1" -v w0="$WALL0" \
        -v c="$(nproc)" 'BEGIN { o = (b - a) - (m1 - m0); if (o < 0) o = 0
                                 printf "%.1f", 100 * o / ((w1 - w0) * c) }')

# --- 7. summary ------------------------------------------------------------------

T1=$(echo $THREADS | cut -d' ' -f1)
NODES=$(col f64 "$T1" nodes | head -n 1)
EDGES=$(col f64 "$T1" edges | head -n 1)
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo
echo "GAP PageRank, R-MAT scale $SCALE degree $DEGREE: $NODES nodes, $EDGES edges, $(awk -v b="$FILE_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB edge list"
echo "$ITERS iterations (tol=0), median of $RUNS runs (min-max); machine: $(nproc) cores, ${CPU:-unknown CPU}${NICE:+; timed under $NICE}"
echo "load average before/after the timed runs: ${LOAD_BEFORE:-?} / ${LOAD_AFTER:-?} (1-minute, highest seen: $LOAD_MAX; the runs themselves add up to their thread count)"
echo "other processes used ${OTHER:-?}% of the machine's CPU time during the timed runs"
if [ "$have_prog" = 1 ]; then
    echo "ranks: $CHECK_RESULT; the compiled program's precision is the baseline's ${MATCH:-(not checked)}"
else
    echo "graphc: no compiled program (see above); baseline only"
fi
echo "baseline precisions: f64 double; f32-store float scores and contributions, double arithmetic; f32 float throughout (GAP's ScoreT)"
echo
fmt='%-8s %-23s %-23s %-23s %-23s %-11s %-11s %s\n'
# shellcheck disable=SC2059
printf "$fmt" threads "graphc ms/iter" "f64 ms/iter" "f32-store ms/iter" "f32 ms/iter" graphc/f64 graphc/f32s graphc/f32
json_rows=""
for t in $THREADS; do
    cells='' prog_json='' ratios='' ratio_json=''
    set -- $(per_iter graphc "$t" run_s); g_med=$1
    for p in graphc $VARIANTS; do
        set -- $(per_iter "$p" "$t" run_s); med=$1 min=$2 max=$3
        set -- $(per_iter "$p" "$t" iter_s); it_med=$1
        cells="$cells|$(ms "$med") ($(ms "$min")-$(ms "$max"))"
        prog_json="$prog_json, \"$p\": {\"per_iter_s\": $(num "$med"), \"per_iter_min_s\": $(num "$min"), \"per_iter_max_s\": $(num "$max"), \"iterations_only_per_iter_s\": $(num "$it_med")}"
        if [ "$p" != graphc ]; then
            rt=$(ratio "$g_med" "$med")
            ratios="$ratios|$rt"
            ratio_json="$ratio_json, \"$p\": $(num "$rt")"
        fi
    done
    # shellcheck disable=SC2059
    (IFS='|'; set -f; printf "$fmt" "$t" ${cells#|} ${ratios#|})
    json_rows="${json_rows:+$json_rows,
    }{\"threads\": $t$prog_json, \"ratio_graphc_over\": {${ratio_json#, }}}"
done
echo
echo "ms/iter: time.run_s / $ITERS (allocation, setup and iterations; the same span for all four)."
echo "graphc/X: the ratio of the medians (<= 1.0: graphc as fast as the hand-written C)."
if [ -n "$OTHER" ] && ! le "$OTHER" 10; then
    echo "NOTE: other work took $OTHER% of the CPU time (> 10%) while we measured: the numbers are skewed (2-thread runs most); repeat on a quieter machine."
fi

cat >"$OUT/gap-results.json" <<EOF
{
  "schema": "graphc-bench-gap/1",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "machine": {"cores": $(nproc), "cpu": "$(echo "$CPU" | tr -d '\\"')",
              "loadavg_before": "${LOAD_BEFORE:-}", "loadavg_after": "${LOAD_AFTER:-}",
              "loadavg_max": $(num "$LOAD_MAX"), "other_cpu_percent": $(num "$OTHER"), "nice": "$NICE"},
  "graph": {"generator": "R-MAT a=0.57 b=0.19 c=0.19", "scale": $SCALE, "degree": $DEGREE, "seed": $SEED,
            "nodes": $(num "$NODES"), "edges": $(num "$EDGES"), "file_bytes": $FILE_BYTES},
  "iterations": $ITERS,
  "runs": $RUNS,
  "compiled": $([ "$have_prog" = 1 ] && echo true || echo false),
  "check": {"result": "$CHECK_RESULT", "program_precision": $([ -n "$MATCH" ] && echo "\"$MATCH\"" || echo null),
            "comparisons": [$CHECK_JSON]},
  "results": [
    $json_rows
  ]
}
EOF
echo "wrote $OUT/gap-results.json and $RUNS_TSV"
py -c 'import json, sys; json.load(open(sys.argv[1]))' "$OUT/gap-results.json" ||
    die "gap-results.json is not valid JSON"
[ "$CHECK_RESULT" != different ]
