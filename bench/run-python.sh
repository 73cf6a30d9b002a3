#!/bin/sh
# run-python.sh: runs bench/bench-python.py with Debian's Python on the
# library of build/ and the override of the source tree.
#
# Usage: ./bench/run-python.sh [--rounds N] [--iterations N] [--tasks N]
#        ./bench/run-python.sh --memory [--iterations N]   (bench-python-memory.py)
set -e
cd "$(dirname "$0")/.."
script=bench/bench-python.py
case " $* " in *" --memory "*) script=bench/bench-python-memory.py ;; esac
GI_TYPELIB_PATH="$(pwd)/build/libprefectctx${GI_TYPELIB_PATH:+:$GI_TYPELIB_PATH}" \
LD_LIBRARY_PATH="$(pwd)/build/libprefectctx${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
PYTHONPATH="$(pwd)/bindings/python${PYTHONPATH:+:$PYTHONPATH}" \
PREFECT_HOME="$(mktemp -d)" \
  exec /usr/bin/python3 "$script" "$@"
