#!/bin/bash
# run-all.sh - the whole test suite, as the README's second command and CI run it:
# install what is missing, build with gcc (and with clang), run every ctest
# (unit, golden traces, corpus, live lab tests against the real daemons), the
# same suite under ASan+UBSan, and a short fuzz smoke run.
# Usage: tests/run-all.sh            (as root on Debian 12; FUZZ_SECONDS=N to change the smoke)
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC LC_ALL=C
jobs=$(nproc 2>/dev/null || echo 2)
step() { printf '\n=== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

step "packages"
sh bootstrap.sh

step "build (gcc)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

step "tests (gcc build)"
(cd build && ctest --output-on-failure)

step "build (clang, warnings are errors)"
cmake -S . -B build-clang -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-clang -j"$jobs"

step "tests under ASan+UBSan"
cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang -DWIRELAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --output-on-failure)

step "fuzz smoke"
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DWIRELAB_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$jobs"
secs=${FUZZ_SECONDS:-10}
fails=0
for f in build-fuzz/tests/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f")
	corpus="tests/fuzz/corpus/$name"
	work=$(mktemp -d)
	[ -d "$corpus" ] && cp -r "$corpus"/. "$work"/ 2>/dev/null || true
	if "$f" -max_total_time="$secs" -rss_limit_mb=1024 -print_final_stats=1 "$work" >"$work.log" 2>&1; then
		echo "fuzz $name: ok ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work.log" | grep -o '[0-9]*$') runs in ${secs}s)"
	else
		echo "fuzz $name: CRASH"; tail -30 "$work.log"; fails=$((fails + 1))
	fi
	rm -rf "$work" "$work.log"
done
[ "$fails" = 0 ] || { echo "fuzz smoke: $fails targets crashed"; exit 1; }

step "done"
echo "all test stages passed"
