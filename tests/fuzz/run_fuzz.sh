#!/bin/sh
# Runs one fuzz target over its committed seed corpus: a fixed seed and a fixed
# number of executions, so that the same commit fuzzes the same inputs on every
# machine. New inputs go to a temporary folder (the committed corpus is never
# written). Usage: run_fuzz.sh path/to/fuzz_NAME [RUNS] [extra libFuzzer flags...]
set -eu
bin=$1
name=$(basename "$bin" | sed 's/^fuzz_//')
here=$(cd "$(dirname "$0")" && pwd)
runs=${2:-}
[ $# -ge 2 ] && shift 2 || shift 1
if [ -z "$runs" ]; then
  # CI's budget: a few minutes in all on two cores, the in-process targets being the slow ones.
  case $name in
    elf|dwarf|pclntab|loc) runs=20000 ;;
    eval) runs=10000 ;;
    command) runs=1500 ;;
    *) runs=10000 ;;
  esac
fi
dict=""
[ -f "$here/dict/$name.dict" ] && dict="-dict=$here/dict/$name.dict"
work=$(mktemp -d "${TMPDIR:-/tmp}/gostep-fuzz-$name-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
# -close_fd_mask=3: the prompt's own output is not the fuzzer's (its reports still show).
# A crashing input is kept as ./fuzz-NAME-crash-SHA1 (in build-fuzz under ctest).
status=0
# shellcheck disable=SC2086
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  "$bin" -runs="$runs" -seed=1 -max_len=4096 -timeout=60 -rss_limit_mb=4096 -close_fd_mask=3 \
  -print_final_stats=1 -artifact_prefix="./fuzz-$name-" $dict "$@" "$work/corpus" "$here/corpus/$name" \
  > "$work/log" 2>&1 || status=$?
tail -n 30 "$work/log"
# The coverage reached (edges, features, corpus), which the dictionary's listing pushes out of the tail.
grep -a ' DONE \| cov: ' "$work/log" | tail -n 1
exit $status
