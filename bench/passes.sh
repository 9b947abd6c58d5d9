#!/bin/sh
# bench/passes.sh - what each optimization does to one program, pass by pass.
#
#   sh bench/passes.sh [PROGRAM.galg]      (from the repository root)
#
# For the program (default examples/pagerank.galg) compiled with the passes
# switched on one at a time, in pipeline order: the plan's kernels per loop
# iteration, bytes moved per iteration, vector slots and peak memory (for the
# bench-sized graph: N and M of a scale-20 R-MAT), and the instructions one
# loop iteration executes, counted by callgrind on a scale-14 R-MAT graph at
# one thread (instructions inside galg_run with --tol=0, difference between
# MAXI and 2*MAXI iterations, divided by MAXI). Instruction counts do not
# depend on the machine's load; wall-clock ratios are bench/run.sh's job.
# Environment: BUILD [build] GRAPHC [$BUILD/bin/graphc] MAXI [4] SCALE [14]
# MARCH [x86-64-v3] (the program's -march: valgrind 3.19 has no AVX-512)
set -u
: "${BUILD:=build}"
: "${GRAPHC:=$BUILD/bin/graphc}"
: "${MAXI:=4}"
: "${SCALE:=14}"
: "${MARCH:=x86-64-v3}"
PROG=${1:-examples/pagerank.galg}
OUT=$BUILD/bench/passes
mkdir -p "$OUT" || exit 1
die() { echo "bench-passes: $*" >&2; exit 1; }
command -v valgrind >/dev/null || die "valgrind not found"
gcc -std=c11 -O2 -fopenmp bench/gen_rmat.c -o "$OUT/gen_rmat" || die "cannot build gen_rmat"
G=$OUT/rmat-s$SCALE.el
[ -s "$G" ] || "$OUT/gen_rmat" -s "$SCALE" -d 16 -S 1 -o "$G" 2>/dev/null || die "gen_rmat failed"
grep -q 'max_iter: int' "$PROG" && grep -q 'tol: float' "$PROG" || die "$PROG needs max_iter and tol parameters"

# the passes in pipeline order (the table in src/opt/opt.c)
PASSES="fuse dead-vectors fold copy-prop licm cse dce"
N=1048576 M=16777216   # the plan's numbers: a scale-20 R-MAT's id range and edges
value() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
irs() { # instructions in galg_run for ITER iterations
    valgrind --tool=callgrind --toggle-collect=galg_run --callgrind-out-file="$OUT/cg.out" \
        "$OUT/prog" "$G" --tol=0 --max_iter="$1" --threads=1 -o /dev/null >/dev/null 2>&1 || return 1
    callgrind_annotate "$OUT/cg.out" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,
}
printf '| passes | kernels/iter | bytes/iter | slots | peak with reuse | instructions/iter |\n|---|---|---|---|---|---|\n'
on=""
for step in none $PASSES; do
    [ "$step" = none ] || on="$on $step"
    off=""
    for p in $PASSES; do
        case " $on " in *" $p "*) ;; *) off="$off,$p" ;; esac
    done
    off=${off#,}
    level=-O2 # the same backend optimization in every row: only graphc's passes change
    # valgrind 3.19 cannot decode AVX-512, which the host's -march may use
    "$GRAPHC" $level -march="$MARCH" ${off:+--disable-pass=$off} "$PROG" -o "$OUT/prog" --emit-plan="$OUT/plan.json" ||
        die "graphc failed"
    "$GRAPHC" $level ${off:+--disable-pass=$off} "$PROG" --emit-plan --nodes=$N --edges=$M >"$OUT/plan_n.json" ||
        die "graphc failed"
    kpi=$(value "$OUT/plan.json" "d['kernels_per_iteration']")
    slots=$(value "$OUT/plan.json" "d['batch']['num_slots']")
    peak=$(value "$OUT/plan_n.json" "'%s (%.1f MB)' % (d['memory']['peak_bytes_with_reuse']['formula'], d['memory']['peak_bytes_with_reuse']['value'] / 1e6)")
    bytes=$(python3 - "$OUT/plan_n.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ops = d["batch"]["ops"]
loops = [o for o in ops if o["op"] == "loop"]
# the innermost loop with kernels, as kernels_per_iteration counts
best = None
for L in loops:
    ks = [o for o in ops if o["op"] == "kernel" and L["pos"] < o["pos"] <= L["end"]]
    if ks and (best is None or L["pos"] > best[0]["pos"]):
        best = (L, ks)
n = m = 0
for o in best[1] if best else []:
    b = o["attributes"]["bytes_moved"]; n += b["n"]; m += b["m"]
print("%d*N + %d*M (%.0f MB)" % (n, m, (n * 1048576 + m * 16777216) / 1e6))
PY
)
    i1=$(irs "$MAXI") || die "callgrind failed"
    i2=$(irs $((2 * MAXI))) || die "callgrind failed"
    per=$(((i2 - i1) / MAXI))
    printf '| %s | %s | %s | %s | %s | %s |\n' "${on:- (no graphc pass)}" "$kpi" "$bytes" "$slots" "$peak" "$per"
done
