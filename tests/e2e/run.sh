#!/bin/sh
# End-to-end tests: every example (examples/*.galg) compiled by graphc, run on
# small hand-checkable graphs (tests/e2e/graphs/) and on the shared real graphs
# (SNAP ego-Facebook, the DIMACS road network of Rome, the Lederberg citation
# network), compared with independent Python references:
#   pagerank_ref.py  PageRank (networkx definition)
#   refs.py          every other example (union-find, queue BFS, Dijkstra, ...)
# which tests/e2e/test_ref.py checks first against hand-derived values, exact
# rational arithmetic and second implementations. Integers and node ids must be
# equal, floats within TOL. Each program runs at --threads=1 and 2 (both
# compared with the reference); on the shared graphs also at 3 and 7, and all
# four outputs must be byte-identical.
#
#   GRAPHC=build/bin/graphc SHARED_DATA=../shared/data sh tests/e2e/run.sh
#
# Run from the repository root. Environment: GRAPHC (the compiler), SHARED_DATA
# (the folder holding facebook_combined.txt, rome99.gr, Lederberg.mtx), PYTHON
# (default python3), TOL (per-node absolute tolerance, default 1e-9), KEEP=1
# keeps the work folder. Graph paths must not contain blanks.
#
# SKIP lines (not failures) are printed for what graphc says it cannot do yet:
# an example the compiler answers with "cannot be compiled yet", a graph format
# a program answers with "unknown format".
set -u
: "${GRAPHC:=build/bin/graphc}"
: "${SHARED_DATA:=../shared/data}"
: "${PYTHON:=python3}"
: "${TOL:=1e-9}"
E2E=tests/e2e
export SHARED_DATA
# The scripts need only the standard library: run the interpreter itself (not a
# version-manager shim) without site-packages, which starts 5x faster.
PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)') || { echo "FAIL: no $PYTHON"; exit 1; }
py() { "$PYTHON" -S "$@"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/graphc-e2e.XXXXXX") || exit 1
if [ "${KEEP:-0}" = 1 ]; then echo "work folder: $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
trap 'exit 130' INT TERM
start=$(date +%s)
pass=0
fail=0
skipped=0
TAB=$(printf '\t')

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP $*"; }
summary() {
    echo "e2e: $pass passed, $fail failed, $skipped skipped ($(($(date +%s) - start)) s)"
    [ "$fail" -eq 0 ]
}
# show FILE: the first lines of a log, indented
show() { sed -n '1,15s/^/    /p' "$1"; }

# --- 1. the references check themselves (in the background; waited for in 7) --
"$PYTHON" "$E2E/test_ref.py" >"$tmp/test_ref.log" 2>&1 </dev/null &
test_ref_pid=$!

# --- 2. compile once ------------------------------------------------------------
prog=$tmp/pagerank
if ! "$GRAPHC" examples/pagerank.galg -o "$prog" >"$tmp/cc.log" 2>&1 || [ ! -x "$prog" ]; then
    bad "$GRAPHC examples/pagerank.galg -o PROG"
    show "$tmp/cc.log"
    summary
    exit 1
fi
ok

# --- 3. command line of the generated program ------------------------------------
if "$prog" --help >"$tmp/help.txt" 2>"$tmp/help.err"; then
    if py "$E2E/check_help.py" "$tmp/help.txt" damping=0.85 max_iter=100 tol=1e-6 >"$tmp/help.log"; then
        ok
    else
        bad "--help"; show "$tmp/help.log"; show "$tmp/help.txt"
    fi
else
    bad "--help exits $?, expected 0"
fi

# expect_status WHAT STATUS CMD...: CMD must exit with STATUS and write no output file.
expect_status() {
    what=$1 want=$2
    shift 2
    rm -f "$tmp/none.tsv"
    "$@" -o "$tmp/none.tsv" >/dev/null 2>"$tmp/status.err" </dev/null
    st=$?
    if [ "$st" != "$want" ]; then
        bad "$what: exit status $st, expected $want"; show "$tmp/status.err"
    elif [ -e "$tmp/none.tsv" ]; then
        bad "$what: wrote an output file"
    elif [ ! -s "$tmp/status.err" ]; then
        bad "$what: exit status $st without a message on stderr"
    else
        ok
    fi
}
g5=$E2E/graphs/cycle5.el
printf '0 1\n1 x\n' >"$tmp/malformed.el"
expect_status "no graph argument" 2 "$prog"
expect_status "unknown option" 2 "$prog" "$g5" --no_such_param=1
expect_status "float parameter given 'abc'" 2 "$prog" "$g5" --damping=abc
expect_status "int parameter given 1.5" 2 "$prog" "$g5" --max_iter=1.5
expect_status "missing graph file" 1 "$prog" "$tmp/no-such-file.el"
expect_status "malformed graph file" 1 "$prog" "$tmp/malformed.el"

# Without -o the result goes to standard output.
if "$prog" "$g5" >"$tmp/stdout.tsv" 2>"$tmp/stdout.err" && "$prog" "$g5" -o "$tmp/file.tsv" 2>/dev/null &&
    cmp -s "$tmp/stdout.tsv" "$tmp/file.tsv" && [ -s "$tmp/file.tsv" ]; then
    ok
else
    bad "output on stdout differs from the -o file (or the run failed)"; show "$tmp/stdout.err"
fi

# --- 4. graphs derived for the tests ------------------------------------------
head -n 5000 "$SHARED_DATA/facebook_combined.txt" >"$tmp/facebook_5000.el" 2>/dev/null
# A random graph with ~28k nodes (many parallel chunks, so the byte-identical
# check across thread counts means something), sparse ids 7k+3 and skewed
# in-degrees; MINSTD random numbers are exact in awk's doubles.
awk 'BEGIN { x = 12345; n = 30000; m = 60000
    for (i = 0; i < m; i++) {
        x = (x * 48271) % 2147483647; u = int(n * x / 2147483647)
        x = (x * 48271) % 2147483647; r = x / 2147483647; v = int(n * r * r * r)
        printf "%d %d\n", 7 * u + 3, 7 * v + 3 } }' >"$tmp/random_60k.el"
graphs="$(ls "$E2E"/graphs/*.el) $tmp/random_60k.el"
if [ -r "$SHARED_DATA/facebook_combined.txt" ]; then
    graphs="$graphs $tmp/facebook_5000.el $SHARED_DATA/facebook_combined.txt"
else
    bad "$SHARED_DATA/facebook_combined.txt not found (set SHARED_DATA)"
fi

# --- 5. every example: the case list, references computed in the background ------
# A case is EXAMPLE SHARED GRAPH [OPTIONS...]; SHARED=1 marks the real graphs,
# which also run at --threads=3 and 7. Each reference is computed once per
# (example, graph, options), by two refs.py processes (--jobs).
EXAMPLES="cc bfs sssp lpa pagerank pagerank_gap ppr kcore hits degree_stats"
mkdir "$tmp/bin" "$tmp/ref" "$tmp/out" || exit 1
cases=$tmp/cases
: >"$cases"
ncase=0
add() {
    ncase=$((ncase + 1))
    echo "$ncase $*" >>"$cases"
}
# format_of GRAPH: the --format option for it
format_of() {
    case $1 in
    *.gr) echo --format=gr ;;
    *.mtx) echo --format=mtx ;;
    *.csv) echo --format=csv ;;
    *.wel) echo --format=wel ;;
    esac
}
# ends GRAPH: the first id of the first edge and the last id of the last edge
ends() {
    case $1 in
    *.gr) awk '$1 == "a" { if (f == "") f = $2; l = $3 } END { print f, l }' "$1" ;;
    *.mtx) awk '/^%/ || NF == 0 { next } !size { size = 1; next }
                { if (f == "") f = $1; l = $2 } END { print f, l }' "$1" ;;
    *.csv) awk -F, '{ gsub(/[ \t\r]/, "") } /^[#%]/ || $0 == "" { next }
                !seen++ && $1 !~ /^"?[0-9+.-]/ { next }
                { if (f == "") f = $1; l = $2 } END { print f, l }' "$1" ;;
    *) awk '{ sub(/\r$/, "") } /^[ \t]*[#%]/ || NF == 0 { next }
            { if (f == "") f = $1; l = $2 } END { print f, l }' "$1" ;;
    esac
}
weighted() {
    case $1 in
    *.wel | *.gr) return 0 ;;
    *.mtx) head -n 1 "$1" | grep -qv pattern ;;
    *.csv) grep -q '^[^#%]*,.*,' "$1" ;;
    *) return 1 ;;
    esac
}

# Hand graphs: every example, two settings each where it has parameters.
for g in "$E2E"/graphs/*; do
    f=$(format_of "$g")
    # shellcheck disable=SC2046
    set -- $(ends "$g") 1 1 # (a graph without edges: node 1)
    s1=$1 s2=$2
    add cc 0 "$g" "$f"
    add bfs 0 "$g" "$f" --source="$s1"
    add bfs 0 "$g" "$f" --source="$s2" --undirected
    if weighted "$g"; then
        add sssp 0 "$g" "$f" --source="$s1"
        add sssp 0 "$g" "$f" --source="$s2" --undirected
    fi
    add lpa 0 "$g" "$f"
    add lpa 0 "$g" "$f" --max_iter=1
    add pagerank_gap 0 "$g" "$f"
    add pagerank_gap 0 "$g" "$f" --damping=0.5 --tol=0 --max_iter=30
    add ppr 0 "$g" "$f" --source="$s1"
    add ppr 0 "$g" "$f" --source="$s2" --damping=0.5 --tol=1e-10
    add kcore 0 "$g" "$f"
    add hits 0 "$g" "$f"
    add hits 0 "$g" "$f" --max_iter=3 --tol=0
    add degree_stats 0 "$g" "$f"
    add degree_stats 0 "$g" "$f" --undirected
    case $g in *.el) ;; *) add pagerank 0 "$g" "$f" ;; esac # *.el: below
done

# PageRank on the edge lists of section 4 (the graphs of the first e2e tests),
# four settings each; random_60k and facebook also at 3 and 7 threads.
for g in $graphs; do
    case $g in "$tmp"/* | "$SHARED_DATA"/*) sh=1 ;; *) sh=0 ;; esac
    add pagerank $sh "$g"
    add pagerank $sh "$g" --damping=0.9 --tol=1e-10
    add pagerank $sh "$g" --tol=0 --max_iter=20
    add pagerank $sh "$g" --damping 0.5 --max_iter 3
done
# The random graph (28k nodes, sparse ids) for the cheap references.
r60=$tmp/random_60k.el
add cc 1 "$r60"
add bfs 1 "$r60" --source=3
add kcore 1 "$r60"
add degree_stats 1 "$r60"
# A 50 x 50 grid, both directions, horizontal steps weighing 1 and vertical 2,
# node (x, y) with id 3(50y + x) + 1: more chunks than one (2500 nodes), and
# test_ref.py checks the references on it against closed forms (depth x + y,
# distance x + 2y from the corner, one component, core 2).
awk 'BEGIN { W = 50
    for (y = 0; y < W; y++) for (x = 0; x < W; x++) {
        id = 3 * (W * y + x) + 1
        if (x + 1 < W) printf "%d %d 1\n%d %d 1\n", id, id + 3, id + 3, id
        if (y + 1 < W) printf "%d %d 2\n%d %d 2\n", id, id + 3 * W, id + 3 * W, id } }' >"$tmp/grid50.wel"
grid=$tmp/grid50.wel
for ex in cc kcore lpa pagerank pagerank_gap hits degree_stats; do
    add $ex 1 "$grid" --format=wel
done
add bfs 1 "$grid" --format=wel --source=1
add sssp 1 "$grid" --format=wel --source=1
add sssp 1 "$grid" --format=wel --source=3826
add ppr 1 "$grid" --format=wel --source=3826

# The shared graphs. facebook_w.wel is ego-Facebook with weights 0.1..10.0
# derived from the ids (sssp needs weights; decimals make the sums inexact).
fb=$SHARED_DATA/facebook_combined.txt
rome=$SHARED_DATA/rome99.gr
led=$SHARED_DATA/Lederberg.mtx
for g in "$rome" "$led"; do # (facebook: checked in 4)
    [ -r "$g" ] || bad "$g not found (set SHARED_DATA)"
done
awk '!/^[#%]/ && NF { w = (7 * $1 + 13 * $2) % 100 + 1; printf "%s %s %d.%d\n", $1, $2, w / 10, w % 10 }' \
    "$fb" >"$tmp/facebook_w.wel" 2>/dev/null
fbw=$tmp/facebook_w.wel
if [ -r "$fb" ]; then
    add cc 1 "$fb"
    add bfs 1 "$fb" --source=0
    add bfs 1 "$fb" --source=1912
    add bfs 1 "$fb" --source=107 --undirected
    add sssp 1 "$fbw" --source=0
    add sssp 1 "$fbw" --source=1912 --undirected
    add lpa 1 "$fb"
    add lpa 1 "$fb" --max_iter=5
    add pagerank_gap 1 "$fb"
    add pagerank_gap 1 "$fb" --damping=0.9 --tol=1e-7 --max_iter=50
    add ppr 1 "$fb" --source=0
    add ppr 1 "$fb" --source=1912 --damping=0.5
    add kcore 1 "$fb"
    add hits 1 "$fb"
    add hits 1 "$fb" --max_iter=10 --tol=0
    add degree_stats 1 "$fb"
    add degree_stats 1 "$fb" --undirected
fi
for g in "$rome" "$led"; do
    [ -r "$g" ] || continue
    f=$(format_of "$g")
    case $g in *.gr) s1=1 s2=1500 ;; *) s1=1 s2=3000 ;; esac
    add cc 1 "$g" "$f"
    add bfs 1 "$g" "$f" --source=$s1
    add bfs 1 "$g" "$f" --source=$s2
    add bfs 1 "$g" "$f" --source=$s2 --undirected
    add sssp 1 "$g" "$f" --source=$s1
    add sssp 1 "$g" "$f" --source=$s2
    add sssp 1 "$g" "$f" --source=$s1 --undirected
    add lpa 1 "$g" "$f"
    add lpa 1 "$g" "$f" --max_iter=3
    add pagerank 1 "$g" "$f"
    add pagerank 1 "$g" "$f" --damping=0.9 --tol=1e-10
    add pagerank_gap 1 "$g" "$f"
    add pagerank_gap 1 "$g" "$f" --tol=0 --max_iter=40
    add ppr 1 "$g" "$f" --source=$s1
    add ppr 1 "$g" "$f" --source=$s2 --damping=0.5 --tol=1e-9
    add kcore 1 "$g" "$f"
    add hits 1 "$g" "$f"
    add hits 1 "$g" "$f" --max_iter=7 --tol=0
    add degree_stats 1 "$g" "$f"
    add degree_stats 1 "$g" "$f" --undirected
done

# Reference jobs in two processes (each loads a graph once): the facebook and
# Lederberg graphs in one, everything else in the other.
: >"$tmp/jobs0"
: >"$tmp/jobs1"
while read -r id ex sh g opts; do
    case $g in */facebook_combined.txt | */facebook_w.wel | */Lederberg.mtx) lane=1 ;; *) lane=0 ;; esac
    printf '%s\t%s %s %s\n' "$tmp/ref/$id.tsv" "$ex" "$g" "$opts" >>"$tmp/jobs$lane"
done <"$cases"
pairs=$tmp/pairs
: >"$pairs"
npairs=0
py "$E2E/refs.py" --jobs "$tmp/jobs0" >"$tmp/jobs0.log" 2>&1 </dev/null &
refs0_pid=$!
py "$E2E/refs.py" --jobs "$tmp/jobs1" >"$tmp/jobs1.log" 2>&1 </dev/null &
refs1_pid=$!

# --- 6. PageRank: the pagerank_ref.py command line, and --time -------------------
# Once per edge list, with the default parameters: the reference's own command
# line (its --stats give the graph counts) against the program run with --time,
# whose report must hold every key and the same counts. (The four parameter
# settings per graph are cases of section 5.)
TIME_KEYS="time.load_s time.build_s time.run_s time.write_s load.mb_per_s graph.nodes graph.edges graph.self_loops graph.duplicate_edges"
n=0
for g in $graphs; do
    n=$((n + 1))
    label="pagerank $(basename "$g") (defaults, pagerank_ref.py)"
    ref=$tmp/ref/pr$n.tsv
    if ! py "$E2E/pagerank_ref.py" "$g" --stats -o "$ref" 2>"$tmp/ref.err"; then
        bad "$label: the reference failed"; show "$tmp/ref.err"; continue
    fi
    grep warning "$tmp/ref.err" | sed "s/^/    /"
    "$prog" "$g" --threads=1 --time -o "$tmp/out/pr$n.tsv" >/dev/null 2>"$tmp/p1.err" </dev/null
    st=$?
    if [ "$st" != 0 ]; then
        bad "$label --threads=1 --time: exit status $st"; show "$tmp/p1.err"; continue
    fi
    printf '%s\t%s\t%s\n' "$label --threads=1 --time" "$ref" "$tmp/out/pr$n.tsv" >>"$pairs"
    npairs=$((npairs + 1))
    bad_key=
    for key in $TIME_KEYS; do
        if [ -z "$bad_key" ] && ! grep -q "^$key [0-9]" "$tmp/p1.err"; then
            bad_key=$key
            bad "$label: --time did not print '$key VALUE'"; show "$tmp/p1.err"
        fi
    done
    for key in graph.nodes graph.edges graph.self_loops graph.duplicate_edges; do
        want=$(sed -n "s/^$key //p" "$tmp/ref.err")
        got=$(sed -n "s/^$key //p" "$tmp/p1.err")
        if [ -z "$bad_key" ] && [ "$want" != "$got" ]; then
            bad_key=$key
            bad "$label: --time says $key $got, the reference counts $want"
        fi
    done
    [ -z "$bad_key" ] && ok
done

# --- 7. every example against its reference (refs.py) ----------------------------
for ex in $EXAMPLES; do
    if [ "$ex" = pagerank ]; then
        cp "$prog" "$tmp/bin/pagerank"
    elif "$GRAPHC" "examples/$ex.galg" -o "$tmp/bin/$ex" >"$tmp/cc.log" 2>&1 && [ -x "$tmp/bin/$ex" ]; then
        ok
    elif grep -q "cannot be compiled yet" "$tmp/cc.log"; then
        skip "$ex: every case ($(grep -c " $ex " "$cases")): $(head -n 1 "$tmp/cc.log")"
        rm -f "$tmp/bin/$ex"
    else
        bad "$GRAPHC examples/$ex.galg -o PROG"; show "$tmp/cc.log"
        rm -f "$tmp/bin/$ex"
    fi
done

# Nothing else of ours runs while the programs do: with as many OpenMP threads
# as cores, a busy core makes every barrier of a parallel program wait.
wait "$refs0_pid"
wait "$refs1_pid"
if wait "$test_ref_pid"; then
    ok
else
    bad "tests/e2e/test_ref.py: a reference is wrong"
    tail -n 30 "$tmp/test_ref.log"
fi
while read -r id ex sh g opts <&3; do
    [ -x "$tmp/bin/$ex" ] || continue
    label="$ex $(basename "$g") ${opts:-(defaults)}"
    ref=$tmp/ref/$id.tsv
    if [ ! -f "$ref" ]; then
        bad "$label: the reference failed: $(cat "$ref.err" 2>/dev/null)"
        continue
    fi
    [ -f "$ref.warn" ] && sed 's/^/    /' "$ref.warn"
    threads="1 2"
    [ "$sh" = 1 ] && threads="1 2 3 7"
    for t in $threads; do
        out=$tmp/out/$id.t$t.tsv
        # --threads=2 with every kernel of 2+ chunks in a parallel region (most
        # graphs here are below the default GRAPHC_PARALLEL_MIN); 3 and 7 as
        # users run them
        pmin=; [ "$t" = 2 ] && pmin=0
        # shellcheck disable=SC2086
        env ${pmin:+GRAPHC_PARALLEL_MIN=$pmin} \
            "$tmp/bin/$ex" "$g" $opts --threads=$t -o "$out" >/dev/null 2>"$tmp/run.err" </dev/null
        st=$?
        if [ "$st" != 0 ]; then
            fmt=$(echo "$opts" | sed -n 's/.*--format=\([a-z]*\).*/\1/p')
            if [ "$st" = 2 ] && [ -n "$fmt" ] && grep -q "unknown format" "$tmp/run.err"; then
                # one SKIP line per example and format
                if ! grep -qx "$ex $fmt" "$tmp/skipped" 2>/dev/null; then
                    echo "$ex $fmt" >>"$tmp/skipped"
                    skip "$ex on .$fmt graphs: $(head -n 1 "$tmp/run.err")"
                fi
            else
                bad "$label --threads=$t: exit status $st: $(head -n 1 "$tmp/run.err")"
            fi
            break
        fi
        if [ "$t" -le 2 ]; then
            printf '%s\t%s\t%s\n' "$label --threads=$t" "$ref" "$out" >>"$pairs"
            npairs=$((npairs + 1))
        fi
        [ "$t" = 1 ] && continue
        if cmp -s "$tmp/out/$id.t1.tsv" "$out"; then
            ok
        else
            line=$(cmp "$tmp/out/$id.t1.tsv" "$out" 2>&1 | sed -n 's/.* line \([0-9]*\).*/\1/p')
            bad "$label: --threads=1 and --threads=$t outputs differ at line ${line:-?}:" \
                "$(sed -n "${line:-1}p" "$tmp/out/$id.t1.tsv") | $(sed -n "${line:-1}p" "$out")"
        fi
    done
done 3<"$cases"

py "$E2E/compare.py" --pairs="$pairs" --tol="$TOL" >"$tmp/pairs.log" 2>&1
npass=$(grep -c "^ok$TAB" "$tmp/pairs.log")
pass=$((pass + npass))
while IFS="$TAB" read -r st label msg; do
    [ "$st" = FAIL ] && bad "$label: differs from the reference: $msg"
done <"$tmp/pairs.log"
if [ "$(grep -c "^ok$TAB\|^FAIL$TAB" "$tmp/pairs.log")" != "$npairs" ]; then
    bad "compare.py --pairs did not judge every pair"; show "$tmp/pairs.log"
fi


summary
