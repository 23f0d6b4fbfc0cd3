#!/bin/sh
# Installs, from Debian 12's packages, whatever gostep needs that is missing.
# Used by `make run` and `make test` (and so by CI on a fresh machine).
set -eu

PACKAGES="cmake make g++ pkg-config binutils gdb
  libunicorn-dev libcapstone-dev libfmt-dev libcli11-dev libdw-dev libelf-dev
  googletest libgtest-dev nlohmann-json3-dev libedit-dev libgraphviz-dev
  golang-1.19-go golang-1.19-src"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

echo "gostep: installing missing Debian packages:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "gostep: need root (or sudo) to install:$missing" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
