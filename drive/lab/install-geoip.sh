#!/bin/sh
# install-geoip.sh - installs a freely licensed GeoIP database for `wirelab geoip`:
# the npm package @ip-location-db/geo-whois-asn-country-mmdb (country per address,
# from WHOIS and ASN data; licence CC0-1.0, https://github.com/sapics/ip-location-db).
#
#   drive/lab/install-geoip.sh [DEST]     (default /usr/local/share/wirelab/geoip)
#
# Needs npm (apt-get install npm). `wirelab geoip` looks in DEST by default;
# another folder works with `wirelab geoip --db DEST/FILE.mmdb`.
set -eu

PKG=@ip-location-db/geo-whois-asn-country-mmdb
DEST=${1:-/usr/local/share/wirelab/geoip}

if ! command -v npm >/dev/null 2>&1; then
	echo "install-geoip.sh: npm not found: apt-get install npm" >&2
	exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

npm install --prefix "$tmp" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "$PKG" >&2
src="$tmp/node_modules/$PKG"
found=0
mkdir -p "$DEST"
# the package holds one database for both families and the same split by
# family; the combined one is enough
files=$(ls "$src"/geo-whois-asn-country.mmdb 2>/dev/null || ls "$src"/*.mmdb 2>/dev/null || true)
for f in $files; do
	[ -f "$f" ] || continue
	install -m 0644 "$f" "$DEST/"
	echo "installed $DEST/$(basename "$f")"
	found=1
done
if [ "$found" -eq 0 ]; then
	echo "install-geoip.sh: no .mmdb file in $PKG" >&2
	exit 1
fi
for f in "$src"/LICENSE* "$src"/README* "$src"/package.json; do
	[ -f "$f" ] && install -m 0644 "$f" "$DEST/"
done
echo "licence: CC0-1.0 (public domain), source https://github.com/sapics/ip-location-db"
