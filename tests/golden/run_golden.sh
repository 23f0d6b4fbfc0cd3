#!/bin/sh
# Runs a command and compares what it prints (stdout, then stderr, then the
# exit status) with a golden file. With GOSTEP_UPDATE_GOLDENS=1 it rewrites
# the golden instead (`make goldens`), for review with git diff.
# usage: run_golden.sh GOLDEN WORKDIR COMMAND [ARGS...]
# Goldens do not depend on the terminal or locale of whoever runs them.
unset COLUMNS NO_COLOR LANG LC_ALL LC_MESSAGES
golden=$1
dir=$2
shift 2
out=$(mktemp)
err=$(mktemp)
(cd "$dir" && "$@") >"$out" 2>"$err"
status=$?
{
  cat "$err"
  echo "[exit status $status]"
} >>"$out"
rm -f "$err"
if [ -n "${GOSTEP_UPDATE_GOLDENS:-}" ]; then
  cp "$out" "$golden"
  rm -f "$out"
  echo "updated $golden"
  exit 0
fi
if ! diff -u "$golden" "$out"; then
  echo "golden mismatch: $golden (regenerate with 'make goldens' and review the diff)"
  rm -f "$out"
  exit 1
fi
rm -f "$out"
