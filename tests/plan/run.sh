#!/bin/sh
# Plan tests (docs/plan-schema.md): every example's --emit-plan document
# validates against docs/plan-schema.json and the cross-checks of
# tests/plan/validate.py, at -O0 and -O2, without a graph, with
# --nodes/--edges and with --graph (the shared facebook_combined graph);
# the validator accepts tests/plan/good/*.json and rejects every
# tests/plan/bad/NAME.json with each line of NAME.expect in its report; and
# tests/golden/plans/NAME.json is exactly the plan of examples/NAME.galg at
# the default -O level.
#
#   sh tests/plan/run.sh            check
#   sh tests/plan/run.sh --update   rewrite tests/golden/plans/*.json from the
#                                   current graphc first (review the diff!)
#
# Run from the repository root. GRAPHC and SHARED_DATA as make passes them.
# The validator runs once per batch of documents (Python starts slowly on a
# loaded machine).
set -u
: "${GRAPHC:=build/bin/graphc}"
: "${SHARED_DATA:=../shared/data}"
PYTHON=${PYTHON:-python3}
VALIDATE="$PYTHON tests/plan/validate.py"
GOLDEN=tests/golden/plans
update=0
case "${1:-}" in
    --update) update=1 ;;
    "") ;;
    *) echo "usage: sh tests/plan/run.sh [--update]" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
# validate WHAT [validator options] FILE...: one batch that must be valid
validate() {
    what=$1; shift
    if $VALIDATE "$@" >"$tmp/out" 2>&1; then ok; else bad "$what"; sed 's/^/    /' "$tmp/out" | head -40; fi
}

# --- goldens first, so that --update leaves them valid and checked below ---------------
if [ "$update" = 1 ]; then
    mkdir -p "$GOLDEN"
    for src in examples/*.galg; do
        name=$(basename "$src" .galg)
        if "$GRAPHC" --emit-plan "$src" >"$tmp/plan" 2>"$tmp/err"; then
            cp "$tmp/plan" "$GOLDEN/$name.json"
        else
            bad "$src: graphc --emit-plan failed"; cat "$tmp/err"
        fi
    done
    echo "plans: rewrote $GOLDEN/*.json; review them with git diff"
fi

# --- every example's plan, three ways, at -O0 and -O2 ---------------------------------
# facebook_combined lists each of its 88234 friendships once among 4039 nodes
# (no self-loops, no repeats): M is 88234 arcs for a directed program and
# 2 * 88234 for an undirected one
fb="$SHARED_DATA/facebook_combined.txt"
[ -e "$fb" ] || fb=examples/data/facebook_combined.txt
mkdir -p "$tmp/none" "$tmp/nodes" "$tmp/dir" "$tmp/undir"
for src in examples/*.galg; do
    name=$(basename "$src" .galg)
    for o in -O0 -O2; do
        if ! "$GRAPHC" $o --emit-plan "$src" >"$tmp/none/$name$o.json" 2>"$tmp/err"; then
            bad "$src $o: graphc --emit-plan failed"; cat "$tmp/err"; continue
        fi
        if ! "$GRAPHC" $o --emit-plan --nodes=1000 --edges=16000 "$src" >"$tmp/nodes/$name$o.json" 2>"$tmp/err"; then
            bad "$src $o --nodes=1000 --edges=16000: graphc --emit-plan failed"; cat "$tmp/err"; continue
        fi
        if grep -q '"undirected":[[:space:]]*true' "$tmp/none/$name$o.json"; then d=undir; else d=dir; fi
        if ! "$GRAPHC" $o --emit-plan "--graph=$fb" "$src" >"$tmp/$d/$name$o.json" 2>"$tmp/err"; then
            bad "$src $o --graph=$fb: graphc --emit-plan failed"; cat "$tmp/err"; continue
        fi
    done
done
validate "plans without a graph size" "$tmp"/none/*.json
validate "plans with --nodes=1000 --edges=16000" --nodes 1000 --edges 16000 "$tmp"/nodes/*.json
validate "plans of directed programs with --graph=$fb" --nodes 4039 --edges 88234 "$tmp"/dir/*.json
validate "plans of undirected programs with --graph=$fb" --nodes 4039 --edges 176468 "$tmp"/undir/*.json

# --- the validator itself ----------------------------------------------------------------
validate "tests/plan/good: valid documents rejected" tests/plan/good/*.json
$VALIDATE tests/plan/bad/*.json >"$tmp/bad" 2>&1
st=$?
if [ "$st" != 1 ]; then bad "tests/plan/bad: validator exit status $st, expected 1"; cat "$tmp/bad"; fi
for doc in tests/plan/bad/*.json; do
    exp=${doc%.json}.expect
    if [ ! -s "$exp" ]; then bad "$doc: no $exp"; continue; fi
    grep -F "$doc: " "$tmp/bad" >"$tmp/out"
    missing=0
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        if ! grep -qF -- "$doc: $line" "$tmp/out"; then
            echo "FAIL $doc: the report lacks: $line"; missing=1
        fi
    done <"$exp"
    if [ "$missing" = 0 ]; then ok; else fail=$((fail+1)); echo "    the report:"; sed 's/^/    /' "$tmp/out"; fi
done

# --- golden plans ------------------------------------------------------------------------
for src in examples/*.galg; do
    name=$(basename "$src" .galg)
    gold="$GOLDEN/$name.json"
    if [ ! -e "$gold" ]; then bad "$gold missing (sh tests/plan/run.sh --update writes it)"; continue; fi
    if ! "$GRAPHC" --emit-plan "$src" >"$tmp/plan" 2>"$tmp/err"; then bad "$src: graphc --emit-plan failed"; continue; fi
    if diff -u "$gold" "$tmp/plan" >"$tmp/out"; then
        ok
    else
        bad "$gold: the plan of $src differs (if intended: sh tests/plan/run.sh --update, and review the diff)"
        head -60 "$tmp/out"
    fi
done
for gold in "$GOLDEN"/*.json; do
    [ -e "$gold" ] || continue
    name=$(basename "$gold" .json)
    [ -e "examples/$name.galg" ] || bad "$gold: no examples/$name.galg"
done
validate "golden plans" "$GOLDEN"/*.json

echo "plans: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
