#!/bin/sh
# Quick start, command 1: install what is missing, build everything in
# build/, and run the demo: `prefectctx demo` runs the demo flow on the
# embedded run store in build/prefect-home/ and prints what it recorded.
set -eu
cd "$(dirname "$0")/.."

./scripts/deps.sh
./scripts/setup-build.sh build
ninja -C build
echo

# A build-local PREFECT_HOME, so the demo neither reads nor writes ~/.prefect.
PREFECT_HOME="$(pwd)/build/prefect-home"
export PREFECT_HOME
unset PREFECT_PROFILE PREFECT_PROFILES_PATH PREFECT_API_URL PREFECT_API_KEY || true

build/tool/prefectctx demo
echo
echo "The run store is $PREFECT_HOME/prefectctx.db; look around with:"
echo "  PREFECT_HOME=$PREFECT_HOME build/tool/prefectctx flow-run ls"
echo "  PREFECT_HOME=$PREFECT_HOME build/tool/prefectctx --help"
