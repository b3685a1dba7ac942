#!/bin/sh
# smoke.sh BUILD_DIR SECONDS - runs every libFuzzer binary fuzz_* of a
# -DWIRELAB_FUZZ=ON build for SECONDS each over its seeds in
# tests/fuzz/corpus/<target>/ (new inputs go to a scratch folder, the kept
# seeds are not touched). Exits non-zero when any target crashes, leaks,
# times out or runs out of memory; the crashing input is left in
# BUILD_DIR/fuzz-artifacts/ to be kept as a seed once fixed.
set -u
build=${1:?usage: smoke.sh BUILD_DIR SECONDS}
secs=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
art="$build/fuzz-artifacts"
mkdir -p "$art"
failed=0 ran=0
for bin in "$build"/tests/fuzz_* "$build"/fuzz_*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	name=$(basename "$bin")
	seeds="$here/corpus/$name"
	work=$(mktemp -d)
	[ -d "$seeds" ] || seeds=""
	dict=""
	[ -f "$here/$name.dict" ] && dict="-dict=$here/$name.dict"
	printf '%s: %ss... ' "$name" "$secs"
	if "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$art/$name-" $dict "$work" $seeds >"$art/$name.log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$art/$name.log")
		echo "ok, ${execs:-?} runs"
	else
		echo "FAILED (see $art/$name.log)"
		tail -n 30 "$art/$name.log"
		failed=$((failed + 1))
	fi
	ran=$((ran + 1))
	rm -rf "$work"
done
if [ "$ran" -eq 0 ]; then
	echo "smoke.sh: no fuzz_* binaries in $build (configure with -DCMAKE_C_COMPILER=clang -DWIRELAB_FUZZ=ON)" >&2
	exit 2
fi
echo "$((ran - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
