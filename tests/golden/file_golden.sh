#!/bin/sh
# Like run_golden.sh, for a command that writes a file (its last argument is the
# file's name, appended here): the file must equal GOLDEN byte for byte. With
# GOSTEP_UPDATE_GOLDENS=1 it rewrites GOLDEN instead (`make goldens`).
# usage: file_golden.sh GOLDEN WORKDIR COMMAND [ARGS...]
unset COLUMNS NO_COLOR LANG LC_ALL LC_MESSAGES
golden=$1
dir=$2
shift 2
out=$(mktemp)
if ! (cd "$dir" && "$@" "$out"); then
  echo "the command failed: $*"
  rm -f "$out"
  exit 1
fi
if [ -n "${GOSTEP_UPDATE_GOLDENS:-}" ]; then
  cp "$out" "$golden"
  rm -f "$out"
  echo "updated $golden"
  exit 0
fi
if ! cmp -s "$golden" "$out"; then
  diff -u "$golden" "$out" | head -40
  echo "golden mismatch: $golden (regenerate with 'make goldens' and review the diff)"
  rm -f "$out"
  exit 1
fi
rm -f "$out"
