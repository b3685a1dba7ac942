#!/bin/sh
# scale.sh [-b BUILD_DIR] [-d DIR] [-r RUNS] [N ...] - time and memory against the number
# of TCP connections open at once (issue 24): for each N (default 1000 10000
# 100000 1000000), tests/bench/mkflows.py writes DIR/flows-N.pcap (cached), and
#   wirelab read -T json                      (the default table, --max-flows 16384)
#   wirelab read -T json --max-flows 1048576  (every flow tracked)
# run RUNS times each (default 3), output to /dev/null, timed by GNU time; the
# medians of wall, user+system CPU and peak RSS are printed, with the number of
# flows closed to make room, read off the text closing line ("N flows closed
# early: the flow table was full").
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build" dir=/tmp runs=3
while [ $# -gt 0 ]; do
	case "$1" in
	-b) build=$2; shift 2 ;;
	-d) dir=$2; shift 2 ;;
	-r) runs=$2; shift 2 ;;
	-h|--help) sed -n '2,11p' "$0"; exit 0 ;;
	-*) echo "scale.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || set -- 1000 10000 100000 1000000
wirelab="$build/wirelab"
[ -x "$wirelab" ] || { echo "scale.sh: build wirelab first ($wirelab)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "scale.sh: GNU time is missing: apt-get install time" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() {  # of the numbers on standard input
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
printf '%9s %9s %-10s %8s %8s %9s %12s\n' flows packets table "wall s" "CPU s" "RSS MiB" "closed early"
for n in "$@"; do
	cap="$dir/flows-$n.pcap"
	[ -s "$cap" ] || python3 "$here/mkflows.py" -n "$n" -o "$cap" >/dev/null
	for table in 16384 1048576; do
		: >"$tmp/t"
		i=0
		while [ $i -lt "$runs" ]; do
			/usr/bin/time -a -o "$tmp/t" -f '%e %U %S %M' \
				"$wirelab" read -r "$cap" -T json --max-flows "$table" >/dev/null
			i=$((i + 1))
		done
		early=$("$wirelab" read -r "$cap" --max-flows "$table" |
			sed -n 's/^\([0-9]*\) flows closed early.*/\1/p')
		printf '%9s %9s %-10s %8s %8s %9.1f %12s\n' "$n" $((n * 8)) "$table" \
			"$(awk '{ print $1 }' "$tmp/t" | median)" \
			"$(awk '{ print $2 + $3 }' "$tmp/t" | median)" \
			"$(awk '{ print $4 / 1024 }' "$tmp/t" | median)" "${early:-0}"
	done
done
