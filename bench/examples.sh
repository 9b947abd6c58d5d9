#!/bin/sh
# bench/examples.sh - run time of every examples/*.galg on the largest shared
# graph and on the `make bench` R-MAT graph.
#
#   make bench-examples        (or: sh bench/examples.sh, from the repository root)
#
# Environment (defaults in brackets):
#   BUILD [build]  GRAPHC [$BUILD/bin/graphc]  RUNS [5]  THREADS ["1 2"]
#   SHARED_DATA [../shared/data]  SCALE [20]  DEGREE [16]  SEED [1]
#   EXAMPLES [every examples/*.galg]  BIG [1] (0: the shared graphs only)
#
# For each example and graph: `PROG GRAPH --threads=T --time -o /dev/null`,
# RUNS times per thread count; the table gives the median of time.run_s (the
# algorithm, from allocation to the results; loading and writing excluded) with
# the minimum and maximum. Programs run with their default parameters;
# source-taking examples start from the first node id of the file.
# The graphs: facebook_combined.txt (the largest shared graph), rome99.gr for
# the weighted sssp (the only weighted shared graph), and the R-MAT graph of
# `make bench` (sssp: the same edges with weights 1..255, gen_rmat -w 255).
# Writes $BUILD/bench/examples.tsv (every run) and prints a markdown table.
# shellcheck disable=SC2086
set -u
: "${BUILD:=build}"
: "${GRAPHC:=$BUILD/bin/graphc}"
: "${RUNS:=5}"
: "${THREADS:=1 2}"
: "${SHARED_DATA:=../shared/data}"
: "${SCALE:=20}"
: "${DEGREE:=16}"
: "${SEED:=1}"
: "${BIG:=1}"
: "${EXAMPLES:=$(ls examples/*.galg)}"
OUT=$BUILD/bench
BIN=$OUT/examples
TSV=$OUT/examples.tsv

die() { echo "bench-examples: $*" >&2; exit 1; }
[ -f bench/examples.sh ] || die "run from the repository root"
[ -x "$GRAPHC" ] || die "$GRAPHC not found (run make first)"
mkdir -p "$BIN" || die "cannot create $BIN"

FB=$SHARED_DATA/facebook_combined.txt
ROME=$SHARED_DATA/rome99.gr
[ -r "$FB" ] && [ -r "$ROME" ] || die "shared graphs not found in $SHARED_DATA"
RMAT=$OUT/rmat-s$SCALE-d$DEGREE-seed$SEED.el
RMATW=$OUT/rmat-s$SCALE-d$DEGREE-seed$SEED-w255.wel
if [ "$BIG" = 1 ]; then
    CFLAGS="-std=c11 -O3 -march=native -fopenmp"
    gcc $CFLAGS bench/gen_rmat.c -o "$OUT/gen_rmat" || die "cannot build bench/gen_rmat.c"
    if [ ! -s "$RMAT" ] || [ -n "$(find bench/gen_rmat.c -newer "$RMAT")" ]; then
        "$OUT/gen_rmat" -s "$SCALE" -d "$DEGREE" -S "$SEED" -o "$RMAT.tmp" && mv "$RMAT.tmp" "$RMAT" ||
            die "gen_rmat failed"
    fi
    if [ ! -s "$RMATW" ] || [ -n "$(find bench/gen_rmat.c -newer "$RMATW")" ]; then
        "$OUT/gen_rmat" -s "$SCALE" -d "$DEGREE" -S "$SEED" -w 255 -o "$RMATW.tmp" &&
            mv "$RMATW.tmp" "$RMATW" || die "gen_rmat failed"
    fi
fi

# first_id GRAPH: the first node id that appears in the file
first_id() {
    case "$1" in
    *.gr) awk '$1 == "a" { print $2; exit }' "$1" ;;
    *) awk '!/^[#%]/ && NF >= 2 { print $1; exit }' "$1" ;;
    esac
}
key() { sed -n "s/^$2 //p" "$1" | head -n 1; }
stats() {
    sort -g | awk '{ a[NR] = $1 }
        END { if (NR == 0) { print "- - -"; exit }
              m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
              printf "%.1f %.1f %.1f\n", m * 1000, a[1] * 1000, a[NR] * 1000 }'
}

printf 'example\tgraph\tthreads\trun\trun_s\tnodes\tedges\n' >"$TSV"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ex in $EXAMPLES; do
    name=$(basename "$ex" .galg)
    "$GRAPHC" "$ex" -o "$BIN/$name" || die "graphc failed on $ex"
    if grep -q '^algorithm.*) *[a-z ]*\bweighted\b' "$ex"; then
        graphs=$ROME
        [ "$BIG" = 1 ] && graphs="$graphs $RMATW"
    else
        graphs=$FB
        [ "$BIG" = 1 ] && graphs="$graphs $RMAT"
    fi
    for g in $graphs; do
        args=
        grep -q 'source: node' "$ex" && args="--source=$(first_id "$g")"
        for t in $THREADS; do
            r=1
            while [ "$r" -le "$RUNS" ]; do
                err=$BIN/$name.err
                "$BIN/$name" "$g" $args --threads="$t" --time -o /dev/null 2>"$err" ||
                    die "$name failed on $g: $(head -n 3 "$err")"
                printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$(basename "$g")" "$t" "$r" \
                    "$(key "$err" time.run_s)" "$(key "$err" graph.nodes)" "$(key "$err" graph.edges)" >>"$TSV"
                r=$((r + 1))
            done
        done
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit + uncommitted changes"
echo "run time (time.run_s), median of $RUNS runs in ms (min-max); $(nproc) cores; graphc at $commit"
echo
printf '| example | graph | nodes | edges |'
for t in $THREADS; do printf ' %s thread(s) |' "$t"; done
printf '\n|---|---|---|---|'
for t in $THREADS; do printf -- '---|'; done
echo
awk -F '\t' 'NR > 1 { print $1 "\t" $2 }' "$TSV" | uniq | while IFS='	' read -r name g; do
    row=$(awk -F '\t' -v n="$name" -v g="$g" '$1 == n && $2 == g { print $6 "\t" $7; exit }' "$TSV")
    printf '| %s | %s | %s | %s |' "$name" "$g" "$(echo "$row" | cut -f1)" "$(echo "$row" | cut -f2)"
    for t in $THREADS; do
        set -- $(awk -F '\t' -v n="$name" -v g="$g" -v t="$t" '$1 == n && $2 == g && $3 == t { print $5 }' "$TSV" | stats)
        printf ' %s (%s-%s) |' "$1" "$2" "$3"
    done
    echo
done
