#!/bin/sh
# Out of memory (docs/runtime.md "Parallel loops and memory", src/runtime/rt_mem.c).
# Run from the repository root with $GRAPHC.
#
# Under `ulimit -v` (in a subshell) a compiled program on a graph too big for
# the limit exits 1 with one message `PROG: error: out of memory: needed N
# bytes for WHAT` (or `cannot map 'FILE': ...` when the input file itself does
# not fit in the address space), never a signal or a core, and leaves no
# output or temporary file (an existing target stays untouched). The limit is
# raised in steps from the smallest one a tiny run needs until the run
# succeeds, so that failures hit the loader (the edge list), the CSR/CSC
# build and the program's own vectors; each of the three must be seen. The
# byte counts of the program's vectors are checked (8 or 1 bytes per node).
# Also: OpenMP failing to start its threads under the limit (--threads=64)
# exits 1 without leaving a temporary file.
#
# Skipped under sanitizers (ASan reserves terabytes of address space, so
# `ulimit -v` cannot work): GRAPHC under build-asan/build-fuzz, SAN set, or a
# compiled program that contains the ASan runtime.
set -u
: "${GRAPHC:=build/bin/graphc}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }

case "$GRAPHC" in *asan*|*build-fuzz*) echo "SKIP memory: sanitizer build ($GRAPHC)"; exit 0 ;; esac
case "${SAN:-0}" in ''|0) ;; *) echo "SKIP memory: sanitizer build (SAN=$SAN)"; exit 0 ;; esac

PR=$tmp/pagerank
if ! "$GRAPHC" examples/pagerank.galg -o "$PR" 2>"$tmp/err"; then
    echo "FAIL cannot compile examples/pagerank.galg"; cat "$tmp/err"; exit 1
fi
if grep -q __asan_init "$PR" 2>/dev/null; then echo "SKIP memory: the compiled program uses ASan"; exit 0; fi

# A path 0 -> 1 -> ... -> E: n = E + 1 nodes, E edges, 6.8 MB.
E=500000
n=$((E + 1))
awk -v e=$E 'BEGIN { for (i = 0; i < e; i++) print i, i + 1 }' >"$tmp/path.txt"
printf '0 1\n1 2\n' >"$tmp/tiny.txt"
printf 'precious\n' >"$tmp/precious"
d=$tmp/o
reset() { rm -rf "$d"; mkdir "$d"; cp "$tmp/precious" "$d/res.tsv"; }
clean() {
    left=$(ls -A "$d" | grep -v '^res\.tsv$' | tr '\n' ' ')
    if [ -n "$left" ]; then bad "$1: left behind: $left"; return 1; fi
    if ! cmp -s "$d/res.tsv" "$tmp/precious"; then bad "$1: existing output changed"; return 1; fi
    return 0
}
# run KB ARGS...: the program under `ulimit -v KB`, no core; sets $st.
run() {
    kb=$1; shift
    { (ulimit -c 0; ulimit -v "$kb"; exec "$PR" "$@" -o "$d/res.tsv" >/dev/null 2>"$tmp/err"); st=$?; } 2>/dev/null
}

# The smallest limit (1 MB steps) at which a tiny graph runs on one thread.
base=0
kb=1024
while [ $kb -le 131072 ]; do
    reset; run $kb "$tmp/tiny.txt" --threads=1
    if [ "$st" = 0 ]; then base=$kb; break; fi
    kb=$((kb + 1024))
done
if [ $base = 0 ]; then bad "a tiny graph does not run even with 128 MB of address space"; echo "memory: $pass passed, $fail failed"; exit 1; fi
echo "  a tiny run needs about $((base / 1024)) MB of address space"

# Raise the limit in 2 MB steps until the path graph runs.
seen_load=0; seen_build=0; seen_prog=0; seen_map=0; runs=0; done_ok=0
kb=$base
while [ $kb -le $((base + 524288)) ]; do
    reset; run $kb "$tmp/path.txt" --threads=1
    runs=$((runs + 1))
    if [ "$st" = 0 ]; then
        done_ok=1
        if [ "$(wc -l <"$d/res.tsv")" -ne $((n + 1)) ]; then bad "ulimit -v $kb: success but $(wc -l <"$d/res.tsv") output lines"; fi
        break
    fi
    msg=$(cat "$tmp/err")
    if [ "$st" != 1 ]; then bad "ulimit -v $kb: exit status $st, expected 1 (crash?): $msg"; kb=$((kb + 2048)); continue; fi
    if [ "$(wc -l <"$tmp/err")" -ne 1 ]; then bad "ulimit -v $kb: expected one message line, got: $msg"; fi
    clean "ulimit -v $kb" || { kb=$((kb + 2048)); continue; }
    what=$(printf '%s\n' "$msg" | sed -n 's/^pagerank: error: out of memory: needed \([0-9][0-9]*\) bytes for \(..*\)$/\2/p')
    bytes=$(printf '%s\n' "$msg" | sed -n 's/^pagerank: error: out of memory: needed \([0-9][0-9]*\) bytes for .*$/\1/p')
    if [ -z "$what" ]; then
        case $msg in
            "pagerank: error: cannot map '$tmp/path.txt': "*) seen_map=1; ok ;;
            *) bad "ulimit -v $kb: not an out-of-memory message: $msg" ;;
        esac
        kb=$((kb + 2048)); continue
    fi
    case $what in
        "the edge list"|"parser chunks"|"the input file")
            seen_load=1
            if [ "$bytes" -lt $((8 * E)) ] || [ "$bytes" -gt $((64 * E)) ]; then bad "ulimit -v $kb: $bytes bytes for $what ($E edges)"; else ok; fi ;;
        "edge sources"|"edge targets"|"node ids"|"node ids (sorting)"|"the node id bitmap"|"the node id table"|\
        "the node id index"|"adjacency buckets"|"adjacency offsets"|"arc sources (build)"|"arc targets (build)"|\
        "adjacency lists"|"edge weights"|"arc weights (build)")
            seen_build=1; ok ;;
        "output buffers")
            ok ;;
        *)  # the program's vectors (named after the variable), reduction buffers, output columns
            seen_prog=1
            if [ "$bytes" != $((8 * n)) ] && [ "$bytes" != $n ]; then bad "ulimit -v $kb: $bytes bytes for $what, expected $((8 * n)) or $n ($n nodes)"; else ok; fi ;;
    esac
    kb=$((kb + 2048))
done
echo "  $runs runs from $((base / 1024)) MB to $((kb / 1024)) MB (map $seen_map, loader $seen_load, build $seen_build, program $seen_prog)"
[ $done_ok = 1 ] || bad "the path graph never ran, even with 512 MB more than a tiny run"
[ $seen_load = 1 ] || bad "no limit made the loader (the edge list) fail"
[ $seen_build = 1 ] || bad "no limit made the CSR/CSC build fail"
[ $seen_prog = 1 ] || bad "no limit made the program's vectors fail"

# OpenMP cannot create 63 threads of 16 MB stacks in 64 MB more than a tiny run.
reset
{ (ulimit -c 0; ulimit -v $((base + 65536)); OMP_STACKSIZE=16M exec "$PR" "$tmp/tiny.txt" --threads=64 -o "$d/res.tsv" >/dev/null 2>"$tmp/err"); st=$?; } 2>/dev/null
if [ "$st" = 0 ]; then
    echo "SKIP thread creation failure: 64 threads started under the limit"
elif [ "$st" != 1 ]; then bad "threads under ulimit -v: exit status $st, expected 1: $(cat "$tmp/err")"
elif [ ! -s "$tmp/err" ]; then bad "threads under ulimit -v: no message"
else clean "threads under ulimit -v ($(grep -v "^$" "$tmp/err" | head -n 1))" && ok; fi

echo "memory: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
