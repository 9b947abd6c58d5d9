# bench/common.sh - helpers shared by bench/run.sh and bench/run_gap.sh.
# Sourced (not run) after the script sets BENCH (its name in messages), OUT and,
# for rmat_graph, SCALE, DEGREE, SEED and a built $OUT/gen_rmat.
# shellcheck shell=sh

die() { echo "$BENCH: $*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }
# stats < numbers: "median min max" (nan when empty)
stats() {
    sort -g | awk '{ a[NR] = $1 }
        END { if (NR == 0) { print "nan nan nan"; exit }
              m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
              print m, a[1], a[NR] }'
}
# key FILE KEY: the value of "KEY VALUE" in a --time report
key() { sed -n "s/^$2 //p" "$1" | head -n 1; }
# col PROGRAM THREADS COLUMN: the column's values over the runs in $RUNS_TSV
# (a header line, then PROGRAM<TAB>THREADS<TAB>... per run)
col() {
    awk -F '\t' -v p="$1" -v t="$2" -v c="$3" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
        $1 == p && $2 == t && $k != "" { print $k }' "$RUNS_TSV"
}
# per_iter PROGRAM THREADS COLUMN: stats of COLUMN / ITERS
per_iter() { col "$1" "$2" "$3" | awk -v n="$ITERS" '{ printf "%.9f\n", $1 / n }' | stats; }
# num X: X for JSON (null when missing); ms X: seconds as milliseconds (- when missing)
num() { case "$1" in nan | "" | -) echo null ;; *) echo "$1" ;; esac; }
ms() { case "$1" in nan | "") echo "-" ;; *) awk -v x="$1" 'BEGIN { printf "%.2f", x * 1000 }' ;; esac; }
# ratio A B: A / B to 3 decimals (- when either is missing)
ratio() {
    case "$1$2" in *nan*) echo "-" ;; *) awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }' ;; esac
}

# rmat_graph: the benchmark graph, cached in $OUT and regenerated when missing
# or older than the generator's source. Sets GRAPH, GEN_S (seconds it took to
# generate) and FILE_BYTES, and reads the file into the page cache (the runs
# measure parsing, not the disk).
rmat_graph() {
    GRAPH=$OUT/rmat-s$SCALE-d$DEGREE-seed$SEED.el
    if [ ! -s "$GRAPH" ] || [ ! -s "$GRAPH.gen_s" ] || [ -n "$(find bench/gen_rmat.c -newer "$GRAPH")" ]; then
        echo "== generating $GRAPH (R-MAT scale $SCALE, degree $DEGREE, seed $SEED)"
        _t0=$(now)
        "$OUT/gen_rmat" -s "$SCALE" -d "$DEGREE" -S "$SEED" -o "$GRAPH.tmp" || die "gen_rmat failed"
        _t1=$(now)
        mv "$GRAPH.tmp" "$GRAPH" && elapsed "$_t0" "$_t1" >"$GRAPH.gen_s"
    else
        echo "== using cached $GRAPH"
    fi
    GEN_S=$(cat "$GRAPH.gen_s")
    FILE_BYTES=$(wc -c <"$GRAPH" | tr -d ' ')
    cat "$GRAPH" >/dev/null
}
