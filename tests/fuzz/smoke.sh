#!/bin/sh
# smoke.sh BUILD_DIR SECONDS [JOBS] - runs every libFuzzer binary fuzz_* of a
# -DWIRELAB_FUZZ=ON build for SECONDS each over its seeds in
# tests/fuzz/corpus/<target>/ (new inputs go to a scratch folder, the kept
# seeds are not touched), JOBS targets at a time (default: the processors).
# Exits non-zero when any target crashes, leaks, times out or runs out of
# memory; the crashing input is left in BUILD_DIR/fuzz-artifacts/ to be kept
# as a seed once fixed.
set -u
build=${1:?usage: smoke.sh BUILD_DIR SECONDS [JOBS]}
secs=${2:-30}
jobs=${3:-$(nproc 2>/dev/null || echo 2)}
here=$(cd "$(dirname "$0")" && pwd)
art="$build/fuzz-artifacts"
mkdir -p "$art"

# one target: its log and, when it ends, its exit status in $art/NAME.rc
run_one() {
	bin=$1 name=$(basename "$1")
	seeds="$here/corpus/$name"
	[ -d "$seeds" ] || seeds=""
	dict=""
	[ -f "$here/$name.dict" ] && dict="-dict=$here/$name.dict"
	work=$(mktemp -d)
	"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$art/$name-" $dict "$work" $seeds >"$art/$name.log" 2>&1
	echo $? >"$art/$name.rc"
	rm -rf "$work"
}

report() {
	name=$1
	if [ "$(cat "$art/$name.rc")" = 0 ]; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$art/$name.log")
		echo "$name: ${secs}s, ok, ${execs:-?} runs"
	else
		echo "$name: ${secs}s, FAILED (see $art/$name.log)"
		tail -n 30 "$art/$name.log"
		failed=$((failed + 1))
	fi
}

failed=0 ran=0 batch=""
for bin in "$build"/tests/fuzz_* "$build"/fuzz_*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	run_one "$bin" &
	batch="$batch $(basename "$bin")"
	ran=$((ran + 1))
	if [ $((ran % jobs)) -eq 0 ]; then
		wait
		for n in $batch; do report "$n"; done
		batch=""
	fi
done
wait
for n in $batch; do report "$n"; done
if [ "$ran" -eq 0 ]; then
	echo "smoke.sh: no fuzz_* binaries in $build (configure with -DCMAKE_C_COMPILER=clang -DWIRELAB_FUZZ=ON)" >&2
	exit 2
fi
echo "$((ran - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
