#!/bin/sh
# Installs the Debian 12 packages libprefectctx needs to build and test,
# when any is missing. Run as root (or with sudo available).
set -eu

PACKAGES="
  gcc meson ninja-build pkg-config
  libglib2.0-dev libjson-glib-dev libsqlite3-dev libsoup-3.0-dev
  gobject-introspection libgirepository1.0-dev
  python3 python3-gi python3-pytest
  gjs valac gi-docgen
  clang libclang-rt-14-dev
"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

[ -z "$missing" ] && exit 0

echo "Installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "error: packages missing and not running as root:$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
