#!/bin/sh
# bootstrap.sh - installs the Debian packages wirelab needs that are missing
# (debian-packages.txt), non-interactively; running it again installs nothing.
# Usage: sh bootstrap.sh            (as root on Debian 12)
set -eu
cd "$(dirname "$0")"

if [ "$(id -u)" != 0 ]; then
	echo "bootstrap: run as root (it uses apt-get)" >&2
	exit 2
fi

# slapd: no default database, wirelab generates its own (see shared LAB notes)
if ! dpkg-query -W -f='${Status}' slapd 2>/dev/null | grep -q 'ok installed'; then
	echo 'slapd slapd/no_configuration boolean true' | debconf-set-selections
fi
# tshark: no question about dumpcap capabilities
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections

missing=""
for p in $(grep -v '^#' debian-packages.txt | tr -s ' \n' '\n' | sort -u); do
	[ -n "$p" ] || continue
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "bootstrap: every package is installed"
	exit 0
fi
echo "bootstrap: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# services must not start from the package scripts: the lab runs its own copies
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	trap 'rm -f "$policy"' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing
echo "bootstrap: done"
