#!/bin/sh
# Nothing lost, nothing half-written (docs/runtime.md "Output", src/codegen/cg.c).
# Run from the repository root with $GRAPHC.
#
# A compiled program writes its results to a temporary `.NAME.XXXXXX` beside
# the target and renames it over the target only on success; graphc does the
# same with `.graphc-PID-NAME`. This guards that an existing target is left
# byte-for-byte untouched and that no temporary file is left behind when:
#   (a) the program fails: malformed graph, bad or unknown flag, missing graph,
#       a directory as graph, an empty graph, --source not in the graph, a
#       weighted program on an unweighted file, a directory as target;
#   (b) a long run (pagerank --tol=0 --max_iter=100000) gets SIGINT, SIGTERM
#       or SIGHUP (exit 128+signal, as documented) or exceeds `ulimit -f`
#       (SIGXFSZ); a signal that was ignored when the program started (nohup,
#       `trap '' INT`, a background job of a script) stays ignored;
#   (c) graphc fails (syntax error, type error, bad option, missing input,
#       unwritable directory) or is interrupted in the middle of a compile (no
#       `.graphc-*` beside the target, no libgccjit directory left in $TMPDIR);
#   (d) the target is not a regular file: `-o` onto a character device (like
#       /dev/null, recreated here with mknod when allowed) or a FIFO writes
#       into it and never replaces it, for the program and for graphc.
set -u
: "${GRAPHC:=build/bin/graphc}"
SHARED_DATA=${SHARED_DATA:-/work/shared/data}
FB=$SHARED_DATA/facebook_combined.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }

for ex in pagerank bfs sssp; do
    if ! "$GRAPHC" "examples/$ex.galg" -o "$tmp/$ex" 2>"$tmp/err"; then
        echo "FAIL cannot compile examples/$ex.galg"; cat "$tmp/err"; exit 1
    fi
done
PR=$tmp/pagerank
printf 'precious\n' >"$tmp/precious"

# The output directory holds only the target res.tsv, with known content.
d=$tmp/o
reset() { rm -rf "$d"; mkdir "$d"; cp "$tmp/precious" "$d/res.tsv"; }
# clean NAME: the target is untouched and nothing else is in the directory.
clean() {
    left=$(ls -A "$d" | grep -v '^res\.tsv$' | tr '\n' ' ')
    if [ -n "$left" ]; then bad "$1: left behind: $left"; reset; return 1; fi
    if ! cmp -s "$d/res.tsv" "$tmp/precious"; then bad "$1: existing output changed"; reset; return 1; fi
    return 0
}
# fails NAME STATUS PROG ARGS...: exits STATUS with a message, leaves nothing.
fails() {
    name=$1; want=$2; shift 2
    reset
    timeout 60 "$@" >"$tmp/stdout" 2>"$tmp/err"
    st=$?
    if [ "$st" != "$want" ]; then bad "$name: exit status $st, expected $want"; head -c 400 "$tmp/err"; reset; return; fi
    if [ ! -s "$tmp/err" ]; then bad "$name: no error message"; return; fi
    clean "$name" && ok
}

# ---- (a) failing runs ----------------------------------------------------------
printf '0 1\n1 2\n2 x3\n' >"$tmp/malformed.txt"
: >"$tmp/empty.txt"
fails "malformed graph"       1 "$PR" "$tmp/malformed.txt" -o "$d/res.tsv"
fails "empty graph"           1 "$PR" "$tmp/empty.txt" -o "$d/res.tsv"
fails "missing graph file"    1 "$PR" "$tmp/no-such-file.txt" -o "$d/res.tsv"
fails "graph is a directory"  1 "$PR" "$tmp" -o "$d/res.tsv"
fails "bad flag value"        2 "$PR" "$FB" --damping=abc -o "$d/res.tsv"
fails "unknown flag"          2 "$PR" "$FB" --no-such-flag=1 -o "$d/res.tsv"
fails "no graph argument"     2 "$PR" -o "$d/res.tsv"
fails "unknown --source"      1 "$tmp/bfs" "$FB" --source=99999 -o "$d/res.tsv"
fails "weighted, no weights"  1 "$tmp/sssp" "$FB" -o "$d/res.tsv"
fails "--output= form"        1 "$PR" "$tmp/malformed.txt" --output="$d/res.tsv"
# a failing run with no existing target creates none
reset
"$PR" "$tmp/malformed.txt" -o "$d/new.tsv" 2>/dev/null
[ "$(ls -A "$d")" = res.tsv ] && ok || { bad "failing run created: $(ls -A "$d" | tr '\n' ' ')"; reset; }
# a directory as target: error, the directory is intact, no temporary file
reset; mkdir "$d/sub"; touch "$d/sub/keep"
"$PR" "$FB" -o "$d/sub" >/dev/null 2>"$tmp/err"; st=$?
if [ "$st" != 1 ] || [ ! -f "$d/sub/keep" ]; then bad "directory as target: status $st"; cat "$tmp/err"
elif [ "$(ls -A "$d" | tr '\n' ' ')" != "res.tsv sub " ]; then bad "directory as target: left $(ls -A "$d" | tr '\n' ' ')"
else ok; fi

# the happy path, so that the checks above are not vacuous
reset
if "$PR" "$FB" -o "$d/res.tsv" 2>"$tmp/err" && [ "$(ls -A "$d")" = res.tsv ] &&
   [ "$(wc -l <"$d/res.tsv")" -eq 4040 ]; then ok; else bad "successful run: output not in place"; cat "$tmp/err"; fi

# ---- (b) signals -------------------------------------------------------------------
LONG="--tol=0 --max_iter=100000"
# wait_tmp: until the program has created its temporary file (at most 10 s).
wait_tmp() {
    i=0
    while [ $i -lt 200 ] && ! ls -A "$d" | grep -q '^\.res\.tsv\.'; do sleep 0.05; i=$((i+1)); done
    ls -A "$d" | grep -q '^\.res\.tsv\.'
}
# timeout resets the signal dispositions of its child (it catches them itself)
# and forwards INT/TERM/HUP to it; -k kills a program that ignores the signal.
for sig in INT TERM HUP; do
    case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
    reset
    # shellcheck disable=SC2086
    timeout --preserve-status -k 5 60 "$PR" "$FB" $LONG -o "$d/res.tsv" 2>"$tmp/err" &
    tp=$!
    if ! wait_tmp; then bad "SIG$sig: no temporary file appeared"; kill -KILL $tp 2>/dev/null; wait $tp; reset; continue; fi
    sleep 0.5
    kill -$sig $tp
    wait $tp; st=$?
    if [ "$st" != "$want" ]; then bad "SIG$sig during the run: exit status $st, expected $want"; head -c 300 "$tmp/err"; reset; continue; fi
    clean "SIG$sig during the run" && ok
done

# A signal ignored at start stays ignored (nohup; `cmd &` in a script ignores
# SIGINT): the program keeps running; SIGTERM then stops it cleanly.
for sig in INT HUP; do
    reset
    # shellcheck disable=SC2086
    (trap '' $sig; exec "$PR" "$FB" $LONG -o "$d/res.tsv" 2>"$tmp/err") &
    pid=$!
    if ! wait_tmp; then bad "ignored SIG$sig: no temporary file appeared"; kill -KILL $pid 2>/dev/null; wait $pid; reset; continue; fi
    kill -$sig $pid
    sleep 0.5
    if kill -0 $pid 2>/dev/null; then alive=1; else alive=0; fi
    kill -TERM $pid 2>/dev/null
    wait $pid; st=$?
    if [ $alive = 0 ]; then
        bad "SIG$sig ignored at start (nohup, background job) was not kept ignored: the program stopped with status $st"
        reset; continue
    fi
    [ "$st" = 143 ] || { bad "SIGTERM after ignored SIG$sig: status $st, expected 143"; reset; continue; }
    clean "SIGTERM after ignored SIG$sig" && ok
done

# File size limit: the output (~108 KB) exceeds `ulimit -f` (40 blocks of 512
# or 1024 bytes). Either an error exit or death by SIGXFSZ, but no partial file.
reset
{ (ulimit -c 0; ulimit -f 40; exec "$PR" "$FB" -o "$d/res.tsv" >/dev/null 2>"$tmp/err"); st=$?; } 2>/dev/null
if [ "$st" = 0 ]; then bad "ulimit -f: the run succeeded with a truncated output?"
else clean "ulimit -f exceeded while writing (status $st)" && ok; fi

# ---- (c) graphc -------------------------------------------------------------------------
c=$tmp/c
creset() { rm -rf "$c"; mkdir "$c"; cp "$tmp/precious" "$c/prog"; }
cclean() {
    left=$(ls -A "$c" | grep -v '^prog$' | tr '\n' ' ')
    if [ -n "$left" ]; then bad "graphc $1: left behind: $left"; creset; return 1; fi
    if ! cmp -s "$c/prog" "$tmp/precious"; then bad "graphc $1: existing -o target changed"; creset; return 1; fi
    return 0
}
# cfails NAME STATUS ARGS...
cfails() {
    name=$1; want=$2; shift 2
    creset
    timeout 60 "$GRAPHC" "$@" >/dev/null 2>"$tmp/err"; st=$?
    if [ "$st" != "$want" ]; then bad "graphc $name: exit status $st, expected $want"; head -c 400 "$tmp/err"; creset; return; fi
    [ -s "$tmp/err" ] || { bad "graphc $name: no error message"; return; }
    cclean "$name" && ok
}
printf 'algorithm t() {\n    x = \n    return x\n}\n' >"$tmp/syntax.galg"
printf 'algorithm t() {\n    x = init_nodes(1.0)\n    if x { x = x }\n    return x\n}\n' >"$tmp/type.galg"
cfails "syntax error"   1 "$tmp/syntax.galg" -o "$c/prog"
cfails "type error"     1 "$tmp/type.galg" -o "$c/prog"
cfails "missing input"  1 "$tmp/no-such.galg" -o "$c/prog"
cfails "-O9"            2 examples/pagerank.galg -O9 -o "$c/prog"
cfails "-S, type error" 1 -S "$tmp/type.galg" -o "$c/prog"
cfails "-c, type error" 1 -c "$tmp/type.galg" -o "$c/prog"
creset
"$GRAPHC" examples/pagerank.galg -o "$c/nodir/prog" >/dev/null 2>"$tmp/err"; st=$?
if [ "$st" = 1 ] && [ ! -e "$c/nodir" ]; then cclean "missing directory" && ok; else bad "graphc -o into a missing directory: status $st"; fi

# Interrupted compile: SIGINT to graphc's process group (as Ctrl-C does) while
# libgccjit works; a large program keeps it busy for about a second.
{ echo 'algorithm t() {'; echo '    x = init_nodes(0)'; echo '    s = 0'
  awk 'BEGIN { for (i = 0; i < 20000; i++) print "    s = s + " i }'
  echo '    x = init_nodes(s)'; echo '    return x'; echo '}'; } >"$tmp/big.galg"
mkdir "$tmp/jit"
creset
TMPDIR=$tmp/jit timeout -k 5 60 "$GRAPHC" "$tmp/big.galg" -o "$c/prog" >/dev/null 2>&1 &
tp=$!
i=0
while [ $i -lt 600 ] && kill -0 $tp 2>/dev/null && [ -z "$(ls -A "$tmp/jit")" ]; do sleep 0.02; i=$((i+1)); done
if [ -z "$(ls -A "$tmp/jit")" ]; then
    wait $tp
    echo "SKIP interrupted compile: graphc finished before libgccjit's directory was seen"
    creset
else
    kill -INT $tp
    wait $tp; st=$?
    sleep 0.2  # let killed linker children go
    if [ "$st" = 0 ]; then echo "SKIP interrupted compile: graphc finished before the signal"; creset
    else
        cclean "interrupted by SIGINT (status $st)" && {
            left=$(ls -A "$tmp/jit" | tr '\n' ' ')
            if [ -n "$left" ]; then bad "graphc interrupted by SIGINT left in \$TMPDIR: $left"; else ok; fi
        }
    fi
fi

# ---- (d) targets that are not regular files ---------------------------------------------
tiny=$tmp/tiny.txt
printf '0 1\n1 2\n' >"$tiny"
rm -rf "$d"; mkdir "$d"
if mknod "$d/null" c 1 3 2>/dev/null; then
    "$PR" "$tiny" -o "$d/null" >/dev/null 2>"$tmp/err"; st=$?
    if [ ! -c "$d/null" ]; then bad "program -o CHARDEV (like /dev/null): the device was replaced by a regular file (status $st)"
    elif [ "$st" != 0 ]; then bad "program -o CHARDEV: status $st"; cat "$tmp/err"
    elif [ "$(ls -A "$d")" != null ]; then bad "program -o CHARDEV: left $(ls -A "$d" | tr '\n' ' ')"
    else ok; fi
    rm -f "$d"/* "$d"/.[!.]* 2>/dev/null; mknod "$d/null" c 1 3
    "$GRAPHC" examples/pagerank.galg -o "$d/null" >/dev/null 2>"$tmp/err"; st=$?
    if [ ! -c "$d/null" ]; then bad "graphc -o CHARDEV (like /dev/null): the device was replaced by a regular file (status $st)"
    elif [ "$(ls -A "$d")" != null ]; then bad "graphc -o CHARDEV: left $(ls -A "$d" | tr '\n' ' ')"
    else ok; fi
else
    echo "SKIP -o onto a character device: mknod not permitted"
fi
rm -rf "$d"; mkdir "$d"
if mkfifo "$d/fifo" 2>/dev/null; then
    # Open the FIFO read-write here so that the program's open does not block;
    # the output (3 lines) fits in the pipe buffer.
    exec 3<>"$d/fifo"
    timeout 20 "$PR" "$tiny" -o "$d/fifo" >/dev/null 2>"$tmp/err"; st=$?
    if [ ! -p "$d/fifo" ]; then bad "program -o FIFO: the FIFO was replaced by a regular file (status $st)"
    elif [ "$st" != 0 ]; then bad "program -o FIFO: status $st"; cat "$tmp/err"
    else
        line=$(timeout 5 head -n 1 <&3)
        [ "$line" = "$(printf 'node\tranks')" ] && ok || bad "program -o FIFO: read '$line' from the FIFO"
    fi
    exec 3>&-
fi

echo "interrupt: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
