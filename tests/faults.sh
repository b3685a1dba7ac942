#!/bin/bash
# faults.sh - faults during live work: each case asserts on the message wirelab
# gives and on what it kept. Needs root (capture, tmpfs, a dummy interface).
# Usage: tests/faults.sh path/to/wirelab
set -u
wl=$(readlink -f "$1")
tmp=$(mktemp -d /tmp/wl-faults.XXXXXX)
state="$tmp/state"
pass=0 fail=0
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	"$wl" servers down --state "$state" >/dev/null 2>&1
	umount "$tmp/full" 2>/dev/null
	ip link del wltest0 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; shift; printf '     %s\n' "$@"; fail=$((fail + 1)); }
# expect NAME STATUS PATTERN CMD...: exit status and a line of stderr/stdout matching PATTERN
expect() {
	local name=$1 want=$2 pat=$3
	shift 3
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" = "$want" ] && grep -qE "$pat" <<<"$out"; then ok "$name"; else bad "$name" "exit $rc (want $want)" "$(tail -3 <<<"$out")"; fi
}
# wait_for WHAT CMD...: until CMD succeeds (10 s at most, a guard), then 0; else 1.
# For an event (a port listening, a capture running), never a guessed delay.
wait_for() {
	local what=$1
	shift
	for _ in $(seq 100); do "$@" && return 0; sleep 0.1; done
	echo "     (gave up waiting for $what)"
	return 1
}
# the capture has said it runs (after its SIGINT handler is in place)
capturing() { grep -q "capturing on" "$1" 2>/dev/null; }
listening() { ss -Hltn "sport = :$1" | grep -q .; }
disk_full() { [ "$(stat -f -c %a "$1")" = 0 ]; }
# echo_once MSG: MSG and its NUL to the echo server on 4041, and its answer
# read back (bash's own socket: no interpreter to start; 5 s guards the
# server's 2 s for the message and 2 s for its answer)
echo_once() {
	exec 3<>/dev/tcp/127.0.0.1/4041 || return 1
	printf '%s\0' "$1" >&3
	IFS= read -r -d '' -t 5 _ <&3
	local rc=$?
	exec 3<&-
	return $rc
}
readable() {  # the pcap opens and holds at least N packets
	local n
	n=$("$wl" read -r "$1" -T json 2>/dev/null | grep -c '"proto":"tcp"')
	[ "$n" -ge "$2" ]
}

# 1. A port already taken by another program: one line saying which, exit 2.
python3 -c 'import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 4040)); s.listen(); time.sleep(30)' &
pids+=($!)
# wait for it to listen: python (a pyenv shim, say) can take over a second to start
wait_for "the port holder" listening 4040
expect "port busy: says which port" 2 "port 4040 is busy" "$wl" lab echo --state "$state"
kill "${pids[-1]}" 2>/dev/null

# 2. No permission to capture: run as nobody.
if command -v setpriv >/dev/null; then
	expect "no capture permission: says run as root or CAP_NET_RAW" 2 "root or grant CAP_NET_RAW" \
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$wl" capture -i lo -c 1
fi

# 3. The lab state folder not writable.
mkdir -p "$tmp/ro" && chmod 555 "$tmp/ro"
expect "state folder not writable: says so, exit 2" 2 "not writable" \
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$wl" servers status --state "$tmp/ro/x"

# 4. SIGINT at any moment leaves a readable pcap with what was seen.
"$wl" servers up echo-threaded --state "$state" >/dev/null
"$wl" capture -i lo -w "$tmp/int.pcap" -q tcp port 4041 2>"$tmp/int.err" &
cap=$!
wait_for "the capture" capturing "$tmp/int.err"
wait_for "the echo server" listening 4041
for i in 1 2 3; do echo_once "hello $i"; done
kill -INT $cap
wait $cap
rc=$?
if [ $rc = 0 ] && readable "$tmp/int.pcap" 20 && grep -q "packets captured" "$tmp/int.err"; then
	ok "SIGINT: clean stop, readable pcap with every packet"
else
	bad "SIGINT: clean stop, readable pcap with every packet" "exit $rc" "$(cat "$tmp/int.err")"
fi

# 5. The disk fills while writing -w: what fits is written and readable, exit 1.
mkdir -p "$tmp/full"
if mount -t tmpfs -o size=64k tmpfs "$tmp/full" 2>/dev/null; then
	"$wl" capture -i lo -w "$tmp/full/f.pcap" -q tcp port 4041 2>"$tmp/full.err" &
	cap=$!
	wait_for "the capture" capturing "$tmp/full.err"
	head -c 300000 /dev/urandom | tr -d '\0' | head -c 200000 > "$tmp/blob"
	printf '\0' >> "$tmp/blob"
	exec 3<>/dev/tcp/127.0.0.1/4041 && cat "$tmp/blob" >&3 && timeout 5 head -c 10 <&3 >/dev/null
	exec 3<&-
	# what was captured has filled the 64 KiB
	wait_for "the disk to fill" disk_full "$tmp/full"
	kill -INT $cap
	wait $cap
	rc=$?
	if [ $rc = 1 ] && grep -q "write failed" "$tmp/full.err" && readable "$tmp/full/f.pcap" 1; then
		ok "disk full: says write failed, exit 1, what fitted is readable"
	else
		bad "disk full: says write failed, exit 1, what fitted is readable" "exit $rc" "$(cat "$tmp/full.err")"
	fi
	umount "$tmp/full"
else
	echo "skip disk full: cannot mount a tmpfs here"
fi

# 6. The capture interface goes away: the capture ends with a reason, the pcap stays readable.
if ip link add wltest0 type veth peer name wltest1 2>/dev/null && ip link set wltest0 up; then
	"$wl" capture -i wltest0 -w "$tmp/gone.pcap" -q 2>"$tmp/gone.err" &
	cap=$!
	wait_for "the capture" capturing "$tmp/gone.err"
	ip link del wltest0
	for i in $(seq 50); do kill -0 $cap 2>/dev/null || break; sleep 0.1; done
	if kill -0 $cap 2>/dev/null; then
		kill -INT $cap
		wait $cap
		bad "interface gone: the capture ends by itself" "still running 5 s after the interface went away"
	else
		wait $cap
		rc=$?
		if [ $rc = 1 ] && grep -qi "capture failed\|went down\|no such device" "$tmp/gone.err" && "$wl" read -r "$tmp/gone.pcap" >/dev/null; then
			ok "interface gone: the capture ends with a reason, exit 1, pcap readable"
		else
			bad "interface gone: the capture ends with a reason, exit 1, pcap readable" "exit $rc" "$(cat "$tmp/gone.err")"
		fi
	fi
else
	echo "skip interface gone: cannot create a veth pair here"
fi

# 7. The server is gone (killed before the exchange): the driver says so, the trace still prints, exit 1.
expect "server gone: the exchange fails with the reason, trace and summary still print" 1 \
	"result: FAILED: not every client" "$wl" lab echo --server 127.0.0.1:4099 --state "$state"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
