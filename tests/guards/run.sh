#!/bin/sh
# Runs every guard test (tests/guards/*.sh but this one) from the repository
# root; see each script's header for what it guards.
set -u
fail=0
for t in tests/guards/*.sh; do
    [ "$t" = tests/guards/run.sh ] && continue
    echo "== $t"
    sh "$t" || fail=1
done
exit $fail
