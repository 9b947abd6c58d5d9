#!/bin/sh
# Front-end limits (issue 6): hostile programs get a located error or compile,
# in bounded time, without a crash. Run from the repository root with $GRAPHC.
#
#   NUL bytes, invalid UTF-8, a 1 MB line, 100,000 statements (compiled all
#   the way to an executable), 3,000 vector statements (one fused kernel),
#   10,000 nested parentheses, 10,000 nested blocks,
#   a 250,000-term expression on one line.
set -u
: "${GRAPHC:=build/bin/graphc}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }

# expect_error NAME FILE PATTERN: exit status 1 and a located error matching PATTERN
expect_error() {
    timeout 60 "$GRAPHC" "$2" -o "$tmp/out" 2>"$tmp/err" >/dev/null
    st=$?
    if [ "$st" != 1 ]; then bad "$1: exit status $st, expected 1"; head -c 600 "$tmp/err"; return; fi
    if ! grep -q "^$2:[0-9]*:[0-9]*: error: .*$3" "$tmp/err"; then
        bad "$1: no located error matching '$3'"; head -c 600 "$tmp/err"; return
    fi
    [ -e "$tmp/out" ] && { bad "$1: output written"; rm -f "$tmp/out"; return; }
    ok
}

# expect_compile NAME FILE SECONDS: compiles to an executable within SECONDS
expect_compile() {
    start=$(date +%s)
    timeout "$3" "$GRAPHC" "$2" -o "$tmp/out" 2>"$tmp/err" >/dev/null
    st=$?
    end=$(date +%s)
    if [ "$st" != 0 ]; then bad "$1: exit status $st (limit ${3}s)"; head -c 600 "$tmp/err"; return; fi
    echo "  $1: compiled in $((end - start)) s"
    rm -f "$tmp/out"
    ok
}

hdr='algorithm t() {'

# NUL byte in the middle of a statement
printf '%s\n    x = 1\0 + 2\n    return x\n}\n' "$hdr" >"$tmp/nul.galg"
expect_error "NUL byte" "$tmp/nul.galg" "NUL"

# invalid UTF-8 outside strings and comments
printf '%s\n    x = 1 \377\376 2\n    return x\n}\n' "$hdr" >"$tmp/utf8.galg"
expect_error "invalid UTF-8" "$tmp/utf8.galg" ""

# a 1 MB comment line compiles
{ printf '%s\n    // ' "$hdr"; head -c 1048576 /dev/zero | tr '\0' 'a'; printf '\n    x = init_nodes(1)\n    return x\n}\n'; } >"$tmp/longline.galg"
expect_compile "1 MB comment line" "$tmp/longline.galg" 30

# a 1 MB line of code: 250,000 terms in one expression (too deep for the tree limit, or compiles)
{ printf '%s\n    x = 1' "$hdr"; i=0; head -c 1000000 /dev/zero | tr '\0' '+' | sed 's/+/+1/g' | head -c 1000000; printf '\n    return x\n}\n'; } >"$tmp/longexpr.galg"
expect_error "1 MB expression" "$tmp/longexpr.galg" "too deep"

# 100,000 statements, compiled to an executable
{ echo "$hdr"; echo "    x = init_nodes(0)"; echo "    s = 0"; awk 'BEGIN { for (i = 0; i < 100000; i++) print "    s = s + " i }'; echo "    x = init_nodes(s)"; echo "    return x"; echo "}"; } >"$tmp/many.galg"
expect_compile "100,000 statements" "$tmp/many.galg" 120

# 3,000 vector statements: fusion joins them into one kernel in near-linear time
{ echo "$hdr"; echo "    x = init_nodes(1.0)"; awk 'BEGIN { for (i = 0; i < 3000; i++) print "    x = x * 0.5 + " i }'; echo "    return x"; echo "}"; } >"$tmp/vectors.galg"
expect_compile "3,000 vector statements" "$tmp/vectors.galg" 120

# 10,000 nested parentheses
{ printf '%s\n    x = ' "$hdr"; awk 'BEGIN { for (i = 0; i < 10000; i++) printf "("; printf "1"; for (i = 0; i < 10000; i++) printf ")"; print "" }'; printf '    return x\n}\n'; } >"$tmp/parens.galg"
expect_error "10,000 nested parentheses" "$tmp/parens.galg" "nesting too deep"

# 10,000 nested blocks
{ echo "$hdr"; echo "    x = 0"; awk 'BEGIN { for (i = 0; i < 10000; i++) print "if true {"; for (i = 0; i < 10000; i++) print "}" }'; echo "    return x"; echo "}"; } >"$tmp/blocks.galg"
expect_error "10,000 nested blocks" "$tmp/blocks.galg" "nesting too deep"

echo "frontend limits: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
