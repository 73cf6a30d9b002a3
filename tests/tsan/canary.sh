#!/bin/sh
# Runs the TSan canary (canary.c) and passes only if ThreadSanitizer reported
# its deliberate race, in racy_write (), under the options the caller set.
out=$("$1" 2>&1)
rc=$?
if [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q 'WARNING: ThreadSanitizer: data race' \
   && printf '%s\n' "$out" | grep -q 'racy_write'; then
  echo "ok: ThreadSanitizer reported the deliberate race (exit $rc)"
  exit 0
fi
printf '%s\n' "$out"
echo "FAIL: ThreadSanitizer did not report the deliberate race (exit $rc)" >&2
exit 1
