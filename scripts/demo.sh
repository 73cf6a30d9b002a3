#!/bin/sh
# Quick start, command 1: install what is missing, build everything in
# build/, and run the demo.
set -eu
cd "$(dirname "$0")/.."

./scripts/deps.sh
./scripts/setup-build.sh build
ninja -C build
echo
exec build/examples/nested-contexts
