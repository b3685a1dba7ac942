#!/bin/bash
# run-all.sh - the whole test suite, as the README's second command and CI run it:
# install what is missing, build with gcc, run every ctest
# (unit, golden traces, corpus, live lab tests against the real daemons), build
# every build type with gcc and clang (warnings as errors), run the same suite
# under ASan+UBSan, and a short fuzz smoke run.
# Usage: tests/run-all.sh            (as root on Debian 12; FUZZ_SECONDS=N to change the smoke)
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC LC_ALL=C
jobs=$(nproc 2>/dev/null || echo 2)
step() { printf '\n=== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
# The ASan stage asks tshark what the gcc stage asked: its answers are kept
# for it (tests/tshark_cache.py), keyed by tshark's arguments and inputs.
WIRELAB_TSHARK_CACHE=$(mktemp -d /tmp/wirelab-tshark-XXXXXX)
export WIRELAB_TSHARK_CACHE
trap 'rm -rf "$WIRELAB_TSHARK_CACHE"' EXIT

step "packages"
sh bootstrap.sh

# Warnings are errors here (never in a user's build: WIRELAB_WERROR is off by default).
werror=-DWIRELAB_WERROR=ON

step "build (gcc)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo $werror >/dev/null
cmake --build build -j"$jobs"

step "tests (gcc build)"
# -j: the tests wait for events, not clocks, so they pass side by side; the
# live ones (fixed lab ports) are RUN_SERIAL
(cd build && ctest -j"$jobs" --output-on-failure)

# Every build type a user may pick, with both compilers: each optimisation
# level makes the compilers find other warnings (gcc's -Wformat-truncation
# at -O2, say), so each is built once, warnings as errors.
# gcc RelWithDebInfo is the build above. The tests themselves are built with
# warnings as errors there, under ASan (clang Debug) and in both Release
# builds; the other types build wirelab alone.
for cc in gcc clang; do
	for type in Release Debug RelWithDebInfo MinSizeRel; do
		[ "$cc-$type" = gcc-RelWithDebInfo ] && continue
		tests=OFF
		[ "$type" = Release ] && tests=ON
		step "build ($cc $type, warnings are errors)"
		cmake -S . -B "build-matrix/$cc-$type" -DCMAKE_C_COMPILER=$cc -DCMAKE_BUILD_TYPE=$type \
			-DWIRELAB_TESTS=$tests $werror >/dev/null
		cmake --build "build-matrix/$cc-$type" -j"$jobs" >/dev/null
	done
done

step "tests under ASan+UBSan"
lsan_supp="$PWD/tests/lsan.supp"   # libsmbclient's own leaks; see the file
cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang -DWIRELAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $werror >/dev/null
cmake --build build-asan -j"$jobs"
# corpus_fields_* compare field values with tshark's, which the gcc stage has
# done; the corpus is read under the sanitizers by corpus_sweep and the query tests.
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$lsan_supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest -j"$jobs" --output-on-failure -E '^corpus_fields_')

step "fuzz smoke"
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DWIRELAB_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo $werror >/dev/null
cmake --build build-fuzz -j"$jobs"
sh tests/fuzz/smoke.sh build-fuzz "${FUZZ_SECONDS:-10}" "$jobs"

step "done"
echo "all test stages passed"
