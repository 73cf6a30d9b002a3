#!/bin/sh
# Configures (or reconfigures) a meson build directory: setup-build.sh DIR [meson options...]
set -eu
dir=$1
shift
if [ -f "$dir/build.ninja" ]; then
  meson setup --reconfigure "$dir" "$@" >/dev/null
else
  rm -rf "$dir"
  meson setup "$dir" "$@" >/dev/null
fi
