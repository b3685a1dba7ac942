/* geoip.h - address lookups in MaxMind DB files (libmaxminddb) for
 * `wirelab geoip`: GeoLite2/GeoIP2 City, Country and ASN databases and the
 * ip-location-db ones (country_code, city, timezone, ...), several at once,
 * the first database that has a value giving it. */
#ifndef WL_GEOIP_H
#define WL_GEOIP_H

#include <stddef.h>
#include <stdint.h>

#include "ipcalc.h"

#define WL_GEO_MAXDB 8

struct wl_geodb {
	void *mmdb[WL_GEO_MAXDB];        /* MMDB_s * */
	char path[WL_GEO_MAXDB][512];
	size_t n;
};

struct wl_geo {
	int found;
	char country[8], country_name[96];
	char continent[8], continent_name[64];
	char subdivision[128], city[128], time_zone[64];
	int has_location;
	double latitude, longitude;
	uint32_t asn;                    /* 0 if none */
	char as_org[256];
	char network[WL_IP_STRLEN + 8];  /* the database's network holding the address */
	const char *db;                  /* the database that answered first */
};

/* The standard places, in the order they are tried (NULL-terminated):
 * GeoLite2 City, ASN and Country under /usr/share/GeoIP, /var/lib/GeoIP and
 * /usr/local/share/GeoIP, then every *.mmdb in /usr/local/share/wirelab/geoip. */
extern const char *const wl_geoip_default_paths[];
/* The first database in the standard locations (a folder entry: its first
 * *.mmdb by name), or NULL: what `read` annotates flows with by default. */
const char *wl_geoip_default_file(char *buf, size_t n);
#define WL_GEOIP_INSTALL_DIR "/usr/local/share/wirelab/geoip"

/* Opens the files given, or (n == 0) every one of the candidates that exists
 * (a candidate ending in "/" is a folder: its *.mmdb files). Returns 0, or -1
 * with a one-line reason and the fix in err. */
int wl_geodb_open(struct wl_geodb *g, const char *const *files, size_t n, const char *const *candidates,
		  char *err, size_t errlen);
void wl_geodb_close(struct wl_geodb *g);

/* 1 if the address can be in a GeoIP database: global unicast. The
 * special-purpose blocks of RFC 6890 (private, loopback, documentation, ...)
 * have no place in the world, even where a WHOIS-derived database lists them. */
int wl_geo_listed(int fam, wl_u128 addr);

/* Looks one address up in every database. Returns 0 (out->found says if it
 * was there; never for an address that is not wl_geo_listed), or -1 on a
 * database error (reason in err). */
int wl_geo_lookup(const struct wl_geodb *g, int fam, wl_u128 addr, struct wl_geo *out, char *err,
		  size_t errlen);

/* A lookup on one line, for a flow's summary: "US, Mountain View, AS15169
 * GOOGLE", "not in the database", or "in the database, without country,
 * city or ASN". Returns out. */
const char *wl_geo_brief(const struct wl_geo *g, char *out, size_t n);

/* The English short name of an ISO 3166-1 alpha-2 code, or NULL. */
const char *wl_country_name(const char *code);

#endif
