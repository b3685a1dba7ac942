#!/bin/bash
# live.sh [-b BUILD_DIR] [-m "udp tcp"] [-r "RATES"] [-d SECONDS] [-s BYTES] [-p PORT]
#         [-n RUNS] [-t "TOOLS"] [-x "WIRELAB CAPTURE OPTIONS"] [-o RESULTS.tsv]
#
# The live-capture benchmark of issue 11 (run as root): for each mode (UDP,
# TCP) and each packet rate, every capture tool in turn captures on lo (a BPF
# filter on the generator's port) while build/tests/wl_loadgen sends for
# SECONDS; the capture is stopped with SIGINT and its own counts are parsed.
# Prints the table (rate asked and sent, packets captured, kernel and queue
# drops, packets lost in the loopback backlog, the tool's CPU seconds) and,
# per tool, the highest rate with zero drops.
#   defaults: -m "udp tcp" -r "20000 50000 100000 200000 400000 max" -d 3
#             -s 100 -p 40999 -n 1
#   tools:    wl-write  wirelab capture -i lo -q -w /dev/null   (dissects, prints nothing)
#             wl-json   wirelab capture -i lo -T json > /dev/null
#             wl-text   wirelab capture -i lo > /dev/null
#             wl-file   wirelab capture -i lo > FILE   (the text trace to a file)
#             wl-json-file  wirelab capture -i lo -T json > FILE
#             td-write  tcpdump -i lo -w /dev/null
#             td-text   tcpdump -n -i lo > /dev/null
#             td-text-file  tcpdump -n -i lo > FILE
#             td-write-B32M, td-text-B32M   the same with -B 32768 (wirelab's default)
#             tshark    tshark -n -i lo > /dev/null  (dumpcap captures, tshark prints)
#   default -t "wl-write wl-json td-write td-text td-write-B32M"; -x adds options to
#   every wirelab capture (e.g. -x "-B 2048"); -o keeps the raw results (TSV)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build" modes="udp tcp" rates="20000 50000 100000 200000 400000 max"
secs=3 size=100 port=40999 runs=1 results="" wlopts=""
tools="wl-write wl-json td-write td-text td-write-B32M"
while [ $# -gt 0 ]; do
	case "$1" in
	-b) build=$2; shift 2 ;;
	-m) modes=$2; shift 2 ;;
	-r) rates=$2; shift 2 ;;
	-d) secs=$2; shift 2 ;;
	-s) size=$2; shift 2 ;;
	-p) port=$2; shift 2 ;;
	-n) runs=$2; shift 2 ;;
	-t) tools=$2; shift 2 ;;
	-o) results=$2; shift 2 ;;
	-x) wlopts=$2; shift 2 ;;
	-h|--help) sed -n '2,25p' "$0"; exit 0 ;;
	*) echo "live.sh: unknown option $1 (live.sh --help)" >&2; exit 2 ;;
	esac
done
wirelab="$build/wirelab" loadgen="$build/tests/wl_loadgen"
[ "$(id -u)" = 0 ] || { echo "live.sh: capturing needs root" >&2; exit 2; }
[ -x "$wirelab" ] || { echo "live.sh: no $wirelab (build first)" >&2; exit 2; }
[ -x "$loadgen" ] || { echo "live.sh: no $loadgen (cmake --build $build --target wl_loadgen)" >&2; exit 2; }
case " $tools " in *" td-"*)
	command -v tcpdump >/dev/null || { echo "live.sh: tcpdump not found (apt-get install tcpdump)" >&2; exit 2; } ;;
esac
for t in $tools; do
	case "$t" in
	wl-write|wl-json|wl-text|wl-file|wl-json-file|td-write|td-text|td-text-file|td-write-B32M|td-text-B32M) ;;
	tshark) command -v tshark >/dev/null || { echo "live.sh: tshark not found" >&2; exit 2; } ;;
	*) echo "live.sh: unknown tool $t" >&2; exit 2 ;;
	esac
done

tmp=$(mktemp -d /tmp/wl-live.XXXXXX)
cap_pid="" gen_pid=""
cleanup() {
	# only the processes this script started, by PID
	[ -n "$gen_pid" ] && kill -TERM "$gen_pid" 2>/dev/null
	[ -n "$cap_pid" ] && kill -TERM "$cap_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Packets the loopback device dropped before any capture saw them (the
# per-CPU input backlog, net.core.netdev_max_backlog): softnet_stat column 2.
backlog_drops() {
	local sum=0 d
	while read -r _ d _; do sum=$((sum + 16#$d)); done </proc/net/softnet_stat
	echo "$sum"
}

# CPU seconds (user + system) of a running process so far.
cpu_of() {
	local f
	f=$(cut -d' ' -f14,15 "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
	set -- $f
	awk -v t=$(( $1 + $2 )) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}

# Starts one capture tool in the background (cap_pid), output to $tmp/cap.*.
start_tool() {
	local tool=$1 filter=$2
	: >"$tmp/cap.err"
	case "$tool" in
	wl-write) "$wirelab" capture -i lo $wlopts -q -w /dev/null $filter >/dev/null 2>"$tmp/cap.err" & ;;
	wl-json) "$wirelab" capture -i lo $wlopts -T json $filter >/dev/null 2>"$tmp/cap.err" & ;;
	wl-text) "$wirelab" capture -i lo $wlopts --color=never $filter >/dev/null 2>"$tmp/cap.err" & ;;
	wl-file) "$wirelab" capture -i lo $wlopts --color=never $filter >"$tmp/cap.out" 2>"$tmp/cap.err" & ;;
	wl-json-file) "$wirelab" capture -i lo $wlopts -T json $filter >"$tmp/cap.out" 2>"$tmp/cap.err" & ;;
	td-write) tcpdump -i lo -w /dev/null $filter 2>"$tmp/cap.err" & ;;
	td-text) tcpdump -n -i lo $filter >/dev/null 2>"$tmp/cap.err" & ;;
	td-text-file) tcpdump -n -i lo $filter >"$tmp/cap.out" 2>"$tmp/cap.err" & ;;
	tshark) tshark -n -i lo $filter >/dev/null 2>"$tmp/cap.err" & ;;
	td-write-B32M) tcpdump -B 32768 -i lo -w /dev/null $filter 2>"$tmp/cap.err" & ;;
	td-text-B32M) tcpdump -B 32768 -n -i lo $filter >/dev/null 2>"$tmp/cap.err" & ;;
	esac
	cap_pid=$!
	# ready once it says so (the capture is active then)
	for _ in $(seq 100); do
		grep -q "capturing on\|listening on\|Capture started" "$tmp/cap.err" && return 0
		kill -0 "$cap_pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "live.sh: $tool did not start: $(cat "$tmp/cap.err")" >&2
	return 1
}

# SIGINT, then wait (at most 20 s before SIGKILL, 300 s for tshark, which prints
# what dumpcap captured long after the capture ends); the tool's CPU seconds in cap_cpu.
stop_tool() {
	local waits=200
	[ "$1" = tshark ] && waits=3000
	cap_cpu=$(cpu_of "$cap_pid")
	kill -INT "$cap_pid" 2>/dev/null
	for _ in $(seq "$waits"); do
		kill -0 "$cap_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$cap_pid" 2>/dev/null; then
		echo "live.sh: capture $cap_pid ignored SIGINT for $((waits / 10)) s: killed" >&2
		kill -KILL "$cap_pid" 2>/dev/null
	fi
	wait "$cap_pid" 2>/dev/null
	cap_pid=""
	rm -f "$tmp/cap.out"
}

# "captured kernel_drops queue_drops" from the tool's stderr ("-" where it has none).
parse_counts() {
	case "$1" in
	wl-*) sed -n 's/^wirelab: \([0-9]*\) packets captured, \([0-9]*\) dropped by the kernel, \([0-9]*\) dropped by the queue$/\1 \2 \3/p' "$tmp/cap.err" | tail -1 ;;
	td-*) awk '/packets captured/ { c = $1 } /packets dropped by kernel/ { k = $1 }
		   END { if (c != "" && k != "") print c, k, "-" }' "$tmp/cap.err" ;;
	# tshark: "N packets dropped from lo" (only when some were), "N packets captured"
	tshark) awk '/packets dropped from/ { k = $1 } /packets captured/ { c = $1 }
		   END { if (c != "") print c, k + 0, "-" }' "$tmp/cap.err" ;;
	esac
}

one_run() {
	local mode=$1 rate=$2 tool=$3 run=$4 filter="$1 port $port"
	start_tool "$tool" "$filter" || return 1
	local b0 b1 line sent pps counts
	b0=$(backlog_drops)
	line=$("$loadgen" -m "$mode" -r "$rate" -d "$secs" -s "$size" -p "$port")
	b1=$(backlog_drops)
	# tcpdump's blocks are handed over after its 1 s timeout at the latest
	sleep 1.5
	stop_tool "$tool"
	sent=$(sed -n 's/.* sent=\([0-9]*\) .*/\1/p' <<<"$line")
	pps=$(sed -n 's/.* pps=\([0-9]*\) .*/\1/p' <<<"$line")
	counts=$(parse_counts "$tool")
	if [ -z "$sent" ] || [ -z "$counts" ]; then
		echo "live.sh: $tool $mode $rate: no counts (generator: $line; capture: $(tail -3 "$tmp/cap.err"))" >&2
		return 1
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$rate" "$tool" "$run" "$sent" "$pps" \
		$counts "$((b1 - b0))" "$cap_cpu" >>"$tmp/results.tsv"
	printf '  %-4s %-7s %-14s sent %9s  captured %9s  kernel %8s  queue %8s  backlog %6s  cpu %5s\n' \
		"$mode" "$rate" "$tool" "$sent" $counts "$((b1 - b0))" "$cap_cpu" >&2
}

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
     "kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); $(tcpdump --version 2>&1 | head -2 | paste -sd' ')"
echo "generator: $size-byte payloads, $secs s per run, port $port, runs $runs; wirelab ${wlopts:+capture $wlopts, }$(git -C "$root" describe --always --dirty 2>/dev/null)"
failed=0
for mode in $modes; do
	for rate in $rates; do
		for run in $(seq "$runs"); do
			for tool in $tools; do
				one_run "$mode" "$rate" "$tool" "$run" || failed=1
			done
		done
	done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -s "$tmp/results.tsv" ] || { echo "live.sh: no results" >&2; exit 1; }
[ -n "$results" ] && cp "$tmp/results.tsv" "$results"

# The table (markdown), then the highest clean rate per mode and tool: a run
# is clean when kernel and queue drops are 0 and, for UDP, every datagram sent
# was captured; a rate counts when all its runs and all lower rates were clean.
awk -F'\t' -v tools="$tools" '
BEGIN { nt = split(tools, T, " ") }
{
	mode = $1; rate = $2; tool = $3; sent = $5; cap = $7; kd = $8; qd = $9
	clean = (kd == 0 && (qd == "-" || qd == 0) && (mode != "udp" || cap >= sent))
	key = mode SUBSEP rate SUBSEP tool
	if (!(key in ok)) { ok[key] = 1; pps[key] = $6 }
	if (!clean) ok[key] = 0
	if ($6 + 0 < pps[key] + 0) pps[key] = $6
	if (!((mode SUBSEP rate) in mr)) { mr[mode SUBSEP rate] = 1; order[++n] = mode SUBSEP rate }
	rows[++nr] = $0
}
END {
	print ""
	print "| mode | rate asked | tool | run | sent | sent pps | captured | kernel drops | queue drops | backlog drops | tool CPU s |"
	print "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	for (i = 1; i <= nr; i++) {
		split(rows[i], f, "\t")
		printf "| %s | %s | %s | %s | %d | %d | %d | %s | %s | %s | %s |\n", f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]
	}
	for (m = 1; m <= n; m++) {
		split(order[m], mm, SUBSEP)
		if (!(mm[1] in nm)) { nm[mm[1]] = 1; modes[++nmodes] = mm[1] }
		for (t = 1; t <= nt; t++) {
			k = order[m] SUBSEP T[t]
			mt = mm[1] SUBSEP T[t]
			if (!(k in ok) || broken[mt]) continue
			if (!ok[k]) { broken[mt] = 1; continue }
			best[mt] = pps[k]; bestasked[mt] = mm[2]
		}
	}
	print ""
	print "Highest rate with zero drops (that rate and every lower one clean in every run; sent pps):"
	for (i = 1; i <= nmodes; i++)
		for (t = 1; t <= nt; t++) {
			mt = modes[i] SUBSEP T[t]
			printf "  %-4s %-14s %s\n", modes[i], T[t], (mt in best) ? sprintf("%d pps (asked %s)", best[mt], bestasked[mt]) : "none"
		}
}' "$tmp/results.tsv"
exit $failed
