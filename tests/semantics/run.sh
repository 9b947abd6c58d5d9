#!/bin/sh
# Small programs whose results were worked out by hand: for every NAME.galg,
# the compiled program (1 and 2 threads) and the interpreter run on NAME.el
# (or the one graph file NAME.*) with the arguments in NAME.args, and must print
# exactly NAME.out (exit 0), or exit 1 with exactly the message in NAME.err.
# Run from the repository root with $GRAPHC.
set -u
: "${GRAPHC:=build/bin/graphc}"
dir=tests/semantics
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # check NAME WHAT STATUS OUTFILE ERRFILE
    name=$1 what=$2 st=$3 out=$4 err=$5
    if [ -f "$dir/$name.out" ]; then
        if [ "$st" = 0 ] && cmp -s "$dir/$name.out" "$out"; then pass=$((pass+1)); return; fi
        echo "FAIL $name ($what): exit $st; expected $dir/$name.out, got:"; cat "$out" "$err"
    else
        if [ "$st" = 1 ] && [ ! -s "$out" ] && sed "s/^[^:]*: error: //" "$err" | cmp -s "$dir/$name.err" -; then
            pass=$((pass+1)); return
        fi
        echo "FAIL $name ($what): exit $st; expected exit 1 and the message in $dir/$name.err, got:"; cat "$err"
    fi
    fail=$((fail+1))
}

for prog in "$dir"/*.galg; do
    name=$(basename "$prog" .galg)
    graph=$(ls "$dir/$name".* | grep -v -E '\.(galg|args|out|err)$' | head -n 1)
    args=""
    [ -f "$dir/$name.args" ] && args=$(cat "$dir/$name.args")
    if ! "$GRAPHC" "$prog" -o "$tmp/$name" 2>"$tmp/cc.err"; then
        echo "FAIL $name: does not compile"; cat "$tmp/cc.err"; fail=$((fail+1)); continue
    fi
    for t in 1 2; do
        # shellcheck disable=SC2086
        "$tmp/$name" "$graph" $args --threads=$t >"$tmp/out" 2>"$tmp/err"
        check "$name" "compiled, $t threads" $? "$tmp/out" "$tmp/err"
    done
    # shellcheck disable=SC2086
    "$GRAPHC" --interpret "$prog" "$graph" $args >"$tmp/out" 2>"$tmp/err"
    check "$name" interpreter $? "$tmp/out" "$tmp/err"
done
echo "semantics: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
