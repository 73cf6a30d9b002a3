#!/bin/sh
# Quick start, command 2: install what is missing, build in build/ and run
# every test suite: C (GTest), Python (pytest), gjs, Vala, the doc check and
# the fuzz suite (fuzz/: corpus replay, a few seconds of libFuzzer and of
# random mutation);
# then the C suites again under AddressSanitizer+UBSan (build-asan/), the
# binding and CLI suites on that instrumented library, and
# under ThreadSanitizer (build-tsan/; see tests/tsan/suppressions.txt for
# how GLib, which is not built with TSan, is kept out of the reports).
#
#   scripts/test.sh [--werror] [--quick]
#     --werror  warnings are errors (CI uses this)
#     --quick   only build/ (no sanitizer builds)
set -eu
cd "$(dirname "$0")/.."

werror=false
quick=false
for arg in "$@"; do
  case "$arg" in
    --werror) werror=true ;;
    --quick) quick=true ;;
    *) echo "usage: $0 [--werror] [--quick]" >&2; exit 2 ;;
  esac
done

./scripts/deps.sh

passed=0
failed=0
skipped=0
status=0

# Runs meson test in a build dir and adds its counts to the totals.
run_suite () {
  dir=$1
  shift
  log=$(mktemp)
  if meson test -C "$dir" --print-errorlogs "$@" >"$log" 2>&1; then
    :
  else
    status=1
  fi
  cat "$log"
  ok=$(sed -n 's/^Ok:[[:space:]]*\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  fail=$(sed -n 's/^Fail:[[:space:]]*\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  timeout=$(sed -n 's/^Timeout:[[:space:]]*\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  skip=$(sed -n 's/^Skipped:[[:space:]]*\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  passed=$((passed + ${ok:-0}))
  failed=$((failed + ${fail:-0} + ${timeout:-0}))
  skipped=$((skipped + ${skip:-0}))
  rm -f "$log"
}

echo "== build/: all suites"
./scripts/setup-build.sh build -Dwerror=$werror
ninja -C build
run_suite build

if [ "$quick" = false ]; then
  echo "== build-asan/: C suites under AddressSanitizer and UBSan"
  ./scripts/setup-build.sh build-asan -Dwerror=$werror -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debug -Ddocumentation=false
  ninja -C build-asan
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    run_suite build-asan --suite c

  echo "== build/: Python, gjs, Vala and CLI suites on the ASan library (build-asan/)"
  # The interpreters are not built with ASan: preload its runtime and the
  # instrumented library (same soname, so GI's dlopen () gets it). Invalid
  # accesses and frees, such as a wrong transfer annotation causes, are
  # caught; leaks are not checked here (interpreters keep memory at exit),
  # the C suites above check them.
  asan_preload="$(gcc -print-file-name=libasan.so) $(pwd)/build-asan/libprefectctx/libprefectctx-1.so.0"
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    run_suite build --wrapper "env LD_PRELOAD='$asan_preload'" \
      --suite python --suite gjs --suite vala --suite cli

  echo "== build-tsan/: C suites under ThreadSanitizer"
  ./scripts/setup-build.sh build-tsan -Dwerror=$werror -Db_sanitize=thread \
    -Dbuildtype=debug -Ddocumentation=false
  ninja -C build-tsan
  G_SLICE=always-malloc \
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ignore_noninstrumented_modules=1 suppressions=$(pwd)/tests/tsan/suppressions.txt" \
    run_suite build-tsan --suite c
fi

echo
echo "summary: $passed passed, $failed failed, $skipped skipped"
exit $status
