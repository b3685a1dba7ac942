#!/bin/sh
# query.sh [-n PACKETS] [-r RUNS] [-b BUILD_DIR] [-o CAPTURE] - the query benchmark of issue 19:
#   1. wirelab read -Y 'ftp.request.command == "PASS"' -T fields -e frame.number against
#      tshark with the same arguments, on the benchmark capture (bench.sh's, cached);
#   2. a filter that matches nothing (-T json) against plain -T json: frames that fail the
#      filter are never formatted.
# Each command runs RUNS times, interleaved, output to /dev/null, timed by GNU time
# (wall, user+system CPU, peak RSS); the medians are printed. Default: 300,000 packets, 5 runs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=300000 runs=5 build="$root/build" cap=""
while [ $# -gt 0 ]; do
	case "$1" in
	-n) n=$2; shift 2 ;;
	-r) runs=$2; shift 2 ;;
	-b) build=$2; shift 2 ;;
	-o) cap=$2; shift 2 ;;
	-h|--help) sed -n '2,9p' "$0"; exit 0 ;;
	*) echo "query.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
wirelab="$build/wirelab"
[ -x "$wirelab" ] || { echo "query.sh: build wirelab first ($wirelab)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "query.sh: GNU time is missing: apt-get install time" >&2; exit 2; }
[ -n "$cap" ] || cap="$build/bench-$n.pcap"
if [ ! -s "$cap" ]; then
	set -- "$root"/pcaps/*.pcap "$root"/../shared/corpus/*/*.pcap*
	python3 "$here/mkcapture.py" -n "$n" -o "$cap" "$@"
fi
pass='ftp.request.command == "PASS"'
none='ftp.request.command == "NOPE"'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# one timed run of "$@" into file $tmp/$label: wall user sys maxrss_kib
measure() {
	label=$1
	shift
	/usr/bin/time -a -o "$tmp/$label" -f '%e %U %S %M' "$@" >/dev/null 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2; exit 1; }
}

i=0
while [ $i -lt "$runs" ]; do
	measure wl_pass "$wirelab" read -r "$cap" -Y "$pass" -T fields -e frame.number
	measure ts_pass tshark -n -r "$cap" -Y "$pass" -T fields -e frame.number
	measure wl_none "$wirelab" read -r "$cap" -Y "$none" -T json
	measure wl_json "$wirelab" read -r "$cap" -T json
	i=$((i + 1))
done

median() {  # column $2 of file $1
	awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
cpu() {
	awk '{ print $2 + $3 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
echo "capture: $cap ($n packets), $runs runs each, medians; $(tshark --version 2>/dev/null | head -1)"
printf '%-62s %8s %8s %9s\n' command "wall s" "CPU s" "RSS MiB"
for l in wl_pass ts_pass wl_none wl_json; do
	case $l in
	wl_pass) name="wirelab read -Y '$pass' -T fields -e frame.number" ;;
	ts_pass) name="tshark -Y '$pass' -T fields -e frame.number" ;;
	wl_none) name="wirelab read -Y '$none' -T json" ;;
	wl_json) name="wirelab read -T json" ;;
	esac
	printf '%-62s %8s %8s %9s\n' "$name" "$(median "$tmp/$l" 1)" "$(cpu "$tmp/$l")" \
		"$(awk '{ print $4 / 1024 }' "$tmp/$l" | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }')"
done
awk -v a="$(median "$tmp/ts_pass" 1)" -v b="$(median "$tmp/wl_pass" 1)" -v c="$(median "$tmp/wl_none" 1)" \
    -v d="$(median "$tmp/wl_json" 1)" \
    'BEGIN { printf "PASS filter: wirelab is %.0fx faster than tshark (wall)\n", a / b;
	     printf "a filter that matches nothing costs %.0f%% of -T json (wall)\n", 100 * c / d }'
