#!/bin/sh
# Golden tests: whole diagnostic output compared byte for byte.
#
#   tests/golden/diag/NAME.galg    a wrong program; NAME.err is the exact stderr of
#                                   `graphc NAME.galg` and the exit status must be 1.
#   tests/golden/graphs/NAME.*     a malformed graph file (any extension but .err/.args/.galg;
#                                   the extension picks the format: .txt el, .wel, .csv,
#                                   .mtx, .gr); NAME.err is the exact stderr of the program
#                                   compiled from tests/golden/graphs/probe.galg (unweighted)
#                                   when run on it, exit status 1 and no output file.
#                                   Files named w_* run with probe_weighted.galg instead
#                                   (weighted nonnegative: sums the out-edge weights).
#                                   NAME.args, if present, holds extra arguments.
#
# Run from the repository root (paths in messages are relative to it).
# UPDATE=1 rewrites the .err files from the current output: review the diff!
set -u
: "${GRAPHC:=build/bin/graphc}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0

check() { # name expected-file actual-file status expected-status
    if [ "${UPDATE:-0}" = 1 ]; then cp "$3" "$2"; fi
    if [ "$4" != "$5" ]; then
        echo "FAIL $1: exit status $4, expected $5"; fail=$((fail+1)); cat "$3"; return
    fi
    if ! diff -u "$2" "$3" >"$tmp/diff"; then
        echo "FAIL $1: output differs"; cat "$tmp/diff"; fail=$((fail+1)); return
    fi
    pass=$((pass+1))
}

for src in tests/golden/diag/*.galg; do
    [ -e "$src" ] || continue
    name=${src%.galg}
    "$GRAPHC" "$src" -o "$tmp/prog" 2>"$tmp/err" >/dev/null
    st=$?
    check "$src" "$name.err" "$tmp/err" "$st" 1
    if [ -e "$tmp/prog" ]; then echo "FAIL $src: an executable was written"; fail=$((fail+1)); rm -f "$tmp/prog"; fi
done

if [ -e tests/golden/graphs/probe.galg ]; then
    if ! "$GRAPHC" tests/golden/graphs/probe.galg -o "$tmp/probe"; then
        echo "FAIL: cannot compile tests/golden/graphs/probe.galg"; exit 1
    fi
    if ! "$GRAPHC" tests/golden/graphs/probe_weighted.galg -o "$tmp/probe_weighted"; then
        echo "FAIL: cannot compile tests/golden/graphs/probe_weighted.galg"; exit 1
    fi
    for g in tests/golden/graphs/*; do
        case "$g" in *.err|*.args|*.galg) continue;; esac
        name=${g%.*}
        prog="$tmp/probe"
        case "${g##*/}" in w_*) prog="$tmp/probe_weighted";; esac
        args=""
        [ -e "$name.args" ] && args=$(cat "$name.args")
        # shellcheck disable=SC2086
        "$prog" "$g" $args -o "$tmp/out.tsv" 2>"$tmp/err" >/dev/null
        st=$?
        check "$g" "$name.err" "$tmp/err" "$st" 1
        if [ -e "$tmp/out.tsv" ]; then echo "FAIL $g: an output file was written"; fail=$((fail+1)); rm -f "$tmp/out.tsv"; fi
    done
fi

echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
