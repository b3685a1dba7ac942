#!/bin/sh
# bench.sh [-n PACKETS] [-r RUNS] [-b BUILD_DIR] [-o CAPTURE] [--skip-tshark]
#
# The benchmark of issue 11 in one command: builds (once, cached) a large
# mixed capture by replicating the lab captures (pcaps/) and the public corpus
# (../shared/corpus) with shifted addresses, then times, interleaved and RUNS
# times each, wirelab read -T json/text/ladder, tcpdump -n -r, tcpdump -vv -n
# -r, tshark -n -r and tshark -T fields on it (output to /dev/null), and prints
# the median table: packets/s, MB/s, wall and CPU seconds, peak RSS, and each
# packet rate as a multiple of wirelab -T json's.
#   default: 1,000,000 packets, 5 runs; the full run: -n 5000000
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=1000000 runs=5 build="$root/build" cap="" extra=""
while [ $# -gt 0 ]; do
	case "$1" in
	-n) n=$2; shift 2 ;;
	-r) runs=$2; shift 2 ;;
	-b) build=$2; shift 2 ;;
	-o) cap=$2; shift 2 ;;
	--skip-tshark) extra="--skip-tshark"; shift ;;
	-h|--help) sed -n '2,12p' "$0"; exit 0 ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
wirelab="$build/wirelab"
[ -x "$wirelab" ] || { echo "bench.sh: build wirelab first ($wirelab)" >&2; exit 2; }
[ -n "$cap" ] || cap="$build/bench-$n.pcap"
if [ ! -s "$cap" ]; then
	set -- "$root"/pcaps/*.pcap "$root"/../shared/corpus/*/*.pcap*
	python3 "$here/mkcapture.py" -n "$n" -o "$cap" "$@"
fi
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
     "load $(cut -d' ' -f1-3 /proc/loadavg); $(tcpdump --version 2>&1 | head -1);" \
     "$(tshark --version 2>/dev/null | head -1)"
exec python3 "$here/run.py" --wirelab "$wirelab" --runs "$runs" $extra "$cap"
