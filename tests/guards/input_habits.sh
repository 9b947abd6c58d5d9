#!/bin/sh
# Real-file habits in edge lists (docs/runtime.md "Input: edge lists", "Nodes,
# ids and the graph", "--time"), end to end through compiled programs. Run
# from the repository root with $GRAPHC.
#
# One file mixes: a UTF-8 BOM, CRLF and LF line endings, blank lines (empty
# and made of spaces/tabs), tabs and runs of spaces between fields, `#` and
# `%` comments at the start, indented, between and after the edges, leading
# zeros, a numeric third column (ignored by unweighted programs), no final
# newline, ids 2^63 and 2^64-1, duplicate edges and self-loops. Expected
# values are worked out by hand below:
#   - a probe program's out/in degrees and self-loop counts per node, ids
#     shown back exactly and in ascending unsigned order;
#   - degree_stats' summary;
#   - --time: graph.nodes/edges/input_edges/self_loops/duplicate_edges, for
#     the directed graph (duplicates and self-loops kept) and --undirected;
#   - bfs --source=18446744073709551615;
#   - the same edges written plainly, and the file read from a pipe (`-`),
#     give byte-identical output;
# plus a final line ending in a lone CR, a BOM right before an edge, and a
# file of only comments and blank lines (`no edges in file`, exit 1).
set -u
: "${GRAPHC:=build/bin/graphc}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }

cat >"$tmp/probe.galg" <<'EOF'
algorithm probe() {
    outd  = out_degree
    ind   = in_degree
    loops = count(u == node_id for u in out_nbrs)
    return outd, ind, loops
}
EOF
"$GRAPHC" "$tmp/probe.galg" -o "$tmp/probe" 2>"$tmp/err" || { echo "FAIL cannot compile the probe"; cat "$tmp/err"; exit 1; }
for ex in degree_stats bfs; do
    "$GRAPHC" "examples/$ex.galg" -o "$tmp/$ex" 2>"$tmp/err" || { echo "FAIL cannot compile examples/$ex.galg"; cat "$tmp/err"; exit 1; }
done

MAX=18446744073709551615   # 2^64-1
HALF=9223372036854775808   # 2^63
# The edges, in file order:
#   1 0->1   2 1->2   3 2->0   4 MAX->0   5 0->MAX   6 0->1 (dup of 1)
#   7 3->3   8 3->3 (dup, self-loop)   9 12->1 (written 00012)
#   10 2->0 with a third column (dup of 3)   11 2^63->MAX-1 (no final newline)
{
    printf '\357\273\277# BOM, then a comment line\r\n'
    printf '\r\n'
    printf '0 1\r\n'
    printf '   \t  \r\n'
    printf '%% a percent comment\r\n'
    printf '1\t2\r\n'
    printf '2    \t  0\r\n'
    printf '  # an indented comment\r\n'
    printf '%s 0\n' $MAX
    printf '\t%%\tindented percent comment\n'
    printf '0 %s\r\n' $MAX
    printf '\n'
    printf '0 1\r\n'
    printf '3 3\r\n'
    printf '  3   3  \r\n'
    printf '00012 1\r\n'
    printf '\t\r\n'
    printf '2 0 0.5\r\n'
    printf '#c\n'
    printf '%s  %s' $HALF 18446744073709551614
} >"$tmp/habits.txt"
{
    echo "0 1"; echo "1 2"; echo "2 0"; echo "$MAX 0"; echo "0 $MAX"; echo "0 1"
    echo "3 3"; echo "3 3"; echo "12 1"; echo "2 0"; echo "$HALF 18446744073709551614"
} >"$tmp/plain.txt"

T=$(printf '\t')
# expect NAME FILE EXPECTED-FILE PROG ARGS...: output equals EXPECTED-FILE
expect() {
    name=$1; exp=$2; shift 2
    if ! "$@" -o "$tmp/out" 2>"$tmp/err"; then bad "$name: failed: $(head -c 300 "$tmp/err")"; return; fi
    if cmp -s "$exp" "$tmp/out"; then ok; else bad "$name: unexpected output"; diff "$exp" "$tmp/out" | head -n 10; fi
}
# stats NAME "KEY VALUE ..." PROG ARGS...: --time reports these values
stats() {
    name=$1; want=$2; shift 2
    if ! "$@" --time -o "$tmp/out" 2>"$tmp/err"; then bad "$name: failed: $(head -c 300 "$tmp/err")"; return; fi
    good=1
    set -- $want
    while [ $# -ge 2 ]; do
        got=$(sed -n "s/^$1 //p" "$tmp/err")
        [ "$got" = "$2" ] || { bad "$name: --time $1 is '$got', expected $2"; good=0; }
        shift 2
    done
    [ $good = 1 ] && ok
}

# Directed: duplicates and self-loops kept.
cat >"$tmp/probe.exp" <<EOF
node${T}outd${T}ind${T}loops
0${T}3${T}3${T}0
1${T}1${T}3${T}0
2${T}2${T}1${T}0
3${T}2${T}2${T}2
12${T}1${T}0${T}0
$HALF${T}1${T}0${T}0
18446744073709551614${T}0${T}1${T}0
$MAX${T}1${T}1${T}0
EOF
expect "probe on the habits file" "$tmp/probe.exp" "$tmp/probe" "$tmp/habits.txt"
expect "probe on the plain file" "$tmp/probe.exp" "$tmp/probe" "$tmp/plain.txt"
if cat "$tmp/habits.txt" | "$tmp/probe" - >"$tmp/out" 2>"$tmp/err" && cmp -s "$tmp/probe.exp" "$tmp/out"; then ok
else bad "probe on the habits file from a pipe: $(head -c 300 "$tmp/err")"; diff "$tmp/probe.exp" "$tmp/out" | head -n 10; fi
stats "directed --time" "graph.nodes 8 graph.edges 11 graph.input_edges 11 graph.self_loops 2 graph.duplicate_edges 3 graph.undirected 0" \
    "$tmp/probe" "$tmp/habits.txt"

cat >"$tmp/ds.exp" <<EOF
name${T}value
nodes${T}8
arcs${T}11
mean_out${T}1.375
max_out${T}3
top_node${T}0
sinks${T}1
sources${T}2
self_loops${T}2
EOF
expect "degree_stats on the habits file" "$tmp/ds.exp" "$tmp/degree_stats" "$tmp/habits.txt"

# Undirected: edges {0,1} {1,2} {0,2} {0,MAX} {3} {1,12} {2^63,MAX-1}; the
# second 0-1, 3-3 and 2-0 and the reversed 0-MAX are dropped (4); arcs: 6
# edges twice + 1 self-loop = 13.
cat >"$tmp/probe_u.exp" <<EOF
node${T}outd${T}ind${T}loops
0${T}3${T}3${T}0
1${T}3${T}3${T}0
2${T}2${T}2${T}0
3${T}1${T}1${T}1
12${T}1${T}1${T}0
$HALF${T}1${T}1${T}0
18446744073709551614${T}1${T}1${T}0
$MAX${T}1${T}1${T}0
EOF
expect "probe --undirected on the habits file" "$tmp/probe_u.exp" "$tmp/probe" "$tmp/habits.txt" --undirected
stats "undirected --time" "graph.nodes 8 graph.edges 13 graph.input_edges 11 graph.self_loops 1 graph.duplicate_edges 4 graph.undirected 1" \
    "$tmp/probe" "$tmp/habits.txt" --undirected

# bfs from 2^64-1: MAX->0 (1), 0->1 (2), 1->2 (3); 3, 12, 2^63, MAX-1 unreachable.
cat >"$tmp/bfs.exp" <<EOF
node${T}depth
0${T}1
1${T}2
2${T}3
3${T}-1
12${T}-1
$HALF${T}-1
18446744073709551614${T}-1
$MAX${T}0
EOF
expect "bfs --source=2^64-1" "$tmp/bfs.exp" "$tmp/bfs" "$tmp/habits.txt" --source=$MAX

# Last line ended by a lone CR (no LF), a BOM right before an edge.
printf '\357\273\2777 8\r\n8 9\r' >"$tmp/cr.txt"
cat >"$tmp/cr.exp" <<EOF
node${T}outd${T}ind${T}loops
7${T}1${T}0${T}0
8${T}1${T}1${T}0
9${T}0${T}1${T}0
EOF
expect "BOM before an edge, final lone CR" "$tmp/cr.exp" "$tmp/probe" "$tmp/cr.txt"

# Only comments and blank lines: no edges, exit 1, located message.
printf '\357\273\277# nothing\r\n\r\n%% still nothing\n  \t\n#' >"$tmp/none.txt"
"$tmp/probe" "$tmp/none.txt" -o "$tmp/none.out" >/dev/null 2>"$tmp/err"; st=$?
if [ "$st" = 1 ] && grep -q "^$tmp/none.txt: error: no edges" "$tmp/err" && [ ! -e "$tmp/none.out" ]; then ok
else bad "comments only: status $st: $(cat "$tmp/err")"; fi

echo "input habits: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
