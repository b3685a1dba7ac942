#!/bin/bash
# check_jobs.sh - `wirelab check -j N` on a folder of 1,000 captures: copies of
# pcaps/ (each capture with its expected files and key log, under new names),
# checked with -j 1 and -j 2 (and -j N for each N given), interleaved, RUNS
# times each; prints every run, and the median and the best wall time of each
# (the best is the run the machine's other work disturbed least).
# Usage: tests/bench/check_jobs.sh [-w build/wirelab] [-n 1000] [-r 7] [-o DIR] [N...]
set -euo pipefail
cd "$(dirname "$0")/../.."
wirelab=build/wirelab count=1000 runs=7 dir=/tmp/wirelab-check-bench
while getopts "w:n:r:o:" opt; do
	case $opt in
	w) wirelab=$OPTARG ;;
	n) count=$OPTARG ;;
	r) runs=$OPTARG ;;
	o) dir=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
jobs=(1 2 "$@")

rm -rf "$dir" && mkdir -p "$dir"
made=0 round=0
while [ "$made" -lt "$count" ]; do
	round=$((round + 1))
	for p in pcaps/*.pcap; do
		[ "$made" -lt "$count" ] || break
		base=${p%.pcap}
		name=$(basename "$base")-$round
		for ext in pcap trace jsonl keylog ntpassword snmp_users; do
			[ -e "$base.$ext" ] && cp -L "$base.$ext" "$dir/$name.$ext"
		done
		made=$((made + 1))
	done
done
echo "$count captures in $dir ($(du -sh "$dir" | cut -f1)); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
"$wirelab" check -j 1 "$dir" | tail -1

declare -A walls
for r in $(seq 1 "$runs"); do
	for j in "${jobs[@]}"; do
		t0=$(date +%s%N)
		cpu=$( { /usr/bin/time -f "%U %S" "$wirelab" check -j "$j" "$dir" >/dev/null; } 2>&1 )
		wall=$(( ($(date +%s%N) - t0) / 1000000 ))
		wall=$(printf '%d.%03d' $((wall / 1000)) $((wall % 1000)))
		echo "run $r -j $j: wall $wall s (user, sys: $cpu)"
		walls[$j]="${walls[$j]:-} $wall"
	done
done
for j in "${jobs[@]}"; do
	sorted=$(echo ${walls[$j]} | tr ' ' '\n' | sort -n)
	median=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	echo "-j $j: median wall $median s, best $(echo "$sorted" | head -1) s, of $runs runs"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
