#!/bin/bash
# valgrind.sh - the unit tests under valgrind memcheck (on request; CI runs
# them under ASan+UBSan instead). Usage: tests/valgrind.sh [BUILD_DIR]
set -u
build=${1:-build}
cd "$(dirname "$0")/.."
fail=0
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	case $(basename "$t") in test_servers|test_capture) continue ;; esac  # forks / needs root: ASan covers them
	if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		"$t" >/tmp/valgrind.$$.log 2>&1; then
		echo "ok   $(basename "$t")"
	else
		echo "FAIL $(basename "$t")"; tail -30 /tmp/valgrind.$$.log; fail=1
	fi
done
rm -f /tmp/valgrind.$$.log
exit $fail
