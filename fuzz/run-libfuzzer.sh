#!/bin/sh
# Runs the libFuzzer harness briefly, as the 'fuzz-toml-libfuzzer' test:
#   run-libfuzzer.sh FUZZER CORPUS DICT WORKDIR SECONDS
# New inputs go to WORKDIR/corpus-new (the corpus in the repository is only
# read), crash files to WORKDIR/artifacts/. A crash fails the test with
# status 1: libFuzzer's own, 77, is what meson takes for a skipped test.
set -eu
fuzzer=$1 corpus=$2 dict=$3 workdir=$4 seconds=$5
mkdir -p "$workdir/corpus-new" "$workdir/artifacts"
exec "$fuzzer" "$workdir/corpus-new" "$corpus" \
  -dict="$dict" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
  -artifact_prefix="$workdir/artifacts/" -print_final_stats=1 -error_exitcode=1
