#!/bin/sh
# tests/fuzz/run.sh BUILD SECONDS NAME...
#
# SECONDS > 0: runs each harness BUILD/fuzz/fuzz_NAME for SECONDS on a scratch
# copy of its corpus (tests/fuzz/seeds/NAME plus tests/fuzz/regress/NAME); new
# interesting inputs stay in the scratch copy, crashes go to
# BUILD/fuzz/artifacts/. SECONDS = 0: replays every seed and regression input
# once. Exit status non-zero when any harness fails.
set -u
build=$1; secs=$2; shift 2
fail=0
for name in "$@"; do
    bin=$build/fuzz/fuzz_$name
    seeds=tests/fuzz/seeds/$name
    regress=tests/fuzz/regress/$name
    if [ "$secs" = 0 ]; then
        files=$(find "$seeds" "$regress" -type f 2>/dev/null | sort)
        [ -n "$files" ] || continue
        # shellcheck disable=SC2086
        if "$bin" -runs=1 $files >"$build/fuzz/replay_$name.log" 2>&1; then
            echo "fuzz replay $name: $(echo "$files" | wc -l) inputs ok"
        else
            echo "FAIL fuzz replay $name (log: $build/fuzz/replay_$name.log)"; tail -30 "$build/fuzz/replay_$name.log"; fail=1
        fi
        continue
    fi
    work=$build/fuzz/corpus/$name
    mkdir -p "$work" "$build/fuzz/artifacts"
    cp "$seeds"/* "$regress"/* "$work"/ 2>/dev/null
    echo "fuzz $name: ${secs}s"
    if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
            -print_final_stats=1 -artifact_prefix="$build/fuzz/artifacts/$name-" "$work" \
            >"$build/fuzz/$name.log" 2>&1; then
        echo "FAIL fuzz $name: see $build/fuzz/$name.log and $build/fuzz/artifacts/"
        tail -40 "$build/fuzz/$name.log"; fail=1
    else
        grep -E 'stat::number_of_executed_units|cov:' "$build/fuzz/$name.log" | tail -2
    fi
done
exit $fail
