/* geoip.c - the GeoIP reader: where in the world an address is, from MaxMind
 * DB files read with libmaxminddb, for `wirelab geoip` and for the flow facts
 * of a trace (--geoip-db).
 *
 * The MaxMind DB format (https://maxmind.github.io/MaxMind-DB/) is a binary
 * search tree on the address bits whose leaves point into a data section of
 * typed maps. Two schemas are understood:
 *   GeoLite2/GeoIP2   country.iso_code, country.names.en, continent.code,
 *                     city.names.en, subdivisions[0].names.en,
 *                     location.time_zone/latitude/longitude,
 *                     autonomous_system_number/_organization (ASN database)
 *   ip-location-db    country_code, city, state1, timezone, latitude,
 *                     longitude, autonomous_system_number/_organization
 * Private, loopback and documentation addresses are in no database: they get
 * "not found" with the reason (their RFC), not an error.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <maxminddb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "geoip.h"

const char *const wl_geoip_default_paths[] = {
	"/usr/share/GeoIP/GeoLite2-City.mmdb",
	"/usr/share/GeoIP/GeoLite2-ASN.mmdb",
	"/usr/share/GeoIP/GeoLite2-Country.mmdb",
	"/var/lib/GeoIP/GeoLite2-City.mmdb",
	"/var/lib/GeoIP/GeoLite2-ASN.mmdb",
	"/var/lib/GeoIP/GeoLite2-Country.mmdb",
	"/usr/local/share/GeoIP/GeoLite2-City.mmdb",
	"/usr/local/share/GeoIP/GeoLite2-ASN.mmdb",
	"/usr/local/share/GeoIP/GeoLite2-Country.mmdb",
	WL_GEOIP_INSTALL_DIR "/",
	NULL,
};

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

const char *wl_geoip_default_file(char *buf, size_t n)
{
	for (const char *const *c = wl_geoip_default_paths; *c; c++) {
		size_t len = strlen(*c);
		if (len && (*c)[len - 1] != '/') {
			if (access(*c, R_OK) == 0) {
				snprintf(buf, n, "%s", *c);
				return buf;
			}
			continue;
		}
		struct dirent **ents;
		int k = scandir(*c, &ents, NULL, by_name);
		const char *found = NULL;
		for (int i = 0; i < k; i++) {
			size_t l = strlen(ents[i]->d_name);
			if (!found && l > 5 && strcmp(ents[i]->d_name + l - 5, ".mmdb") == 0) {
				snprintf(buf, n, "%s%s", *c, ents[i]->d_name);
				found = buf;
			}
			free(ents[i]);
		}
		if (k >= 0)
			free(ents);
		if (found)
			return found;
	}
	return NULL;
}

#define HOWTO_GET                                                                                          \
	"install one with drive/lab/install-geoip.sh (npm package @ip-location-db/geo-whois-asn-country-mmdb, " \
	"CC0) or apt-get install geoipupdate (GeoLite2, free account), or pass --db FILE.mmdb"

/* ---- databases ---- */

static int open_one(struct wl_geodb *g, const char *path, char *err, size_t errlen)
{
	if (g->n == WL_GEO_MAXDB)
		return 0;
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->path[i], path) == 0)
			return 0;
	struct stat st;
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a file (a MaxMind DB .mmdb file is needed)", path);
		return -1;
	}
	MMDB_s *db = calloc(1, sizeof *db);
	if (!db) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = MMDB_open(path, MMDB_MODE_MMAP, db);
	if (rc != MMDB_SUCCESS) {
		snprintf(err, errlen, "%s: %s", path,
			 rc == MMDB_IO_ERROR ? strerror(errno) : MMDB_strerror(rc));
		free(db);
		return -1;
	}
	g->mmdb[g->n] = db;
	snprintf(g->path[g->n], sizeof g->path[0], "%s", path);
	g->n++;
	return 0;
}

static int open_folder(struct wl_geodb *g, const char *dir, char *err, size_t errlen)
{
	char pat[600];
	snprintf(pat, sizeof pat, "%s*.mmdb", dir);
	glob_t gl;
	if (glob(pat, 0, NULL, &gl) != 0)
		return 0;
	int rc = 0;
	for (size_t i = 0; i < gl.gl_pathc && rc == 0; i++)
		rc = open_one(g, gl.gl_pathv[i], err, errlen);
	globfree(&gl);
	return rc;
}

int wl_geodb_open(struct wl_geodb *g, const char *const *files, size_t n, const char *const *candidates,
		  char *err, size_t errlen)
{
	memset(g, 0, sizeof *g);
	for (size_t i = 0; i < n; i++)
		if (open_one(g, files[i], err, errlen) < 0) {
			wl_geodb_close(g);
			return -1;
		}
	if (n)
		return 0;
	for (const char *const *c = candidates; *c; c++) {
		size_t len = strlen(*c);
		struct stat st;
		int rc = 0;
		if (len && (*c)[len - 1] == '/')
			rc = open_folder(g, *c, err, errlen);
		else if (stat(*c, &st) == 0)
			rc = open_one(g, *c, err, errlen);
		if (rc < 0) {
			wl_geodb_close(g);
			return -1;
		}
	}
	if (g->n == 0) {
		snprintf(err, errlen, "no GeoIP database found (looked in /usr/share/GeoIP, /var/lib/GeoIP, "
				      "/usr/local/share/GeoIP, " WL_GEOIP_INSTALL_DIR "): " HOWTO_GET);
		return -1;
	}
	return 0;
}

void wl_geodb_close(struct wl_geodb *g)
{
	for (size_t i = 0; i < g->n; i++) {
		MMDB_close(g->mmdb[i]);
		free(g->mmdb[i]);
	}
	g->n = 0;
}

/* ---- values ---- */

static int get(MMDB_entry_s *e, MMDB_entry_data_s *d, const char *const *path)
{
	return MMDB_aget_value(e, d, path) == MMDB_SUCCESS && d->has_data;
}

/* A string at path, if the field is still empty. */
static void get_str(MMDB_entry_s *e, char *out, size_t n, const char *const *path)
{
	MMDB_entry_data_s d;
	if (out[0] || !get(e, &d, path) || d.type != MMDB_DATA_TYPE_UTF8_STRING)
		return;
	size_t len = d.data_size < n - 1 ? d.data_size : n - 1;
	memcpy(out, d.utf8_string, len);
	out[len] = '\0';
}

static int get_num(MMDB_entry_s *e, double *out, const char *const *path)
{
	MMDB_entry_data_s d;
	if (!get(e, &d, path))
		return 0;
	switch (d.type) {
	case MMDB_DATA_TYPE_DOUBLE: *out = d.double_value; return 1;
	case MMDB_DATA_TYPE_FLOAT: *out = d.float_value; return 1;
	case MMDB_DATA_TYPE_UINT16: *out = d.uint16; return 1;
	case MMDB_DATA_TYPE_UINT32: *out = d.uint32; return 1;
	case MMDB_DATA_TYPE_INT32: *out = d.int32; return 1;
	case MMDB_DATA_TYPE_UINT64: *out = (double)d.uint64; return 1;
	default: return 0;
	}
}

#define P(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void fill(MMDB_entry_s *e, struct wl_geo *o)
{
	get_str(e, o->country, sizeof o->country, P("country", "iso_code"));
	get_str(e, o->country, sizeof o->country, P("registered_country", "iso_code"));
	get_str(e, o->country, sizeof o->country, P("country_code"));
	get_str(e, o->country_name, sizeof o->country_name, P("country", "names", "en"));
	get_str(e, o->country_name, sizeof o->country_name, P("registered_country", "names", "en"));
	get_str(e, o->continent, sizeof o->continent, P("continent", "code"));
	get_str(e, o->continent_name, sizeof o->continent_name, P("continent", "names", "en"));
	get_str(e, o->subdivision, sizeof o->subdivision, P("subdivisions", "0", "names", "en"));
	get_str(e, o->subdivision, sizeof o->subdivision, P("state1"));
	get_str(e, o->city, sizeof o->city, P("city", "names", "en"));
	get_str(e, o->city, sizeof o->city, P("city"));
	get_str(e, o->time_zone, sizeof o->time_zone, P("location", "time_zone"));
	get_str(e, o->time_zone, sizeof o->time_zone, P("timezone"));
	get_str(e, o->as_org, sizeof o->as_org, P("autonomous_system_organization"));
	double lat, lon, asn;
	if (!o->has_location && ((get_num(e, &lat, P("location", "latitude")) &&
				  get_num(e, &lon, P("location", "longitude"))) ||
				 (get_num(e, &lat, P("latitude")) && get_num(e, &lon, P("longitude"))))) {
		o->has_location = 1;
		o->latitude = lat;
		o->longitude = lon;
	}
	if (!o->asn && get_num(e, &asn, P("autonomous_system_number")) && asn > 0 && asn < 4294967296.0)
		o->asn = (uint32_t)asn;
}

static void to_sockaddr(int fam, wl_u128 v, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (fam == WL_IP4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl((uint32_t)v);
		return;
	}
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	s6->sin6_family = AF_INET6;
	for (int i = 15; i >= 0; i--) {
		s6->sin6_addr.s6_addr[i] = (uint8_t)(v & 0xff);
		v >>= 8;
	}
}

static void set_network(struct wl_geo *o, const MMDB_s *db, int fam, wl_u128 v, unsigned netmask)
{
	unsigned prefix = netmask;
	/* IPv4 in an IPv6 tree sits under ::/96: its prefix counts those bits */
	if (fam == WL_IP4 && db->metadata.ip_version == 6)
		prefix = netmask >= 96 ? netmask - 96 : 0;
	if (prefix > wl_ip_bits(fam))
		prefix = wl_ip_bits(fam);
	char b[WL_IP_STRLEN];
	wl_ip_str(fam, v & wl_ip_mask(fam, prefix), b, sizeof b);
	snprintf(o->network, sizeof o->network, "%s/%u", b, prefix);
}

int wl_geo_listed(int fam, wl_u128 addr)
{
	return strcmp(wl_ip_classify(fam, addr)->kind, "global") == 0;
}

int wl_geo_lookup(const struct wl_geodb *g, int fam, wl_u128 addr, struct wl_geo *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (!wl_geo_listed(fam, addr))
		return 0;
	struct sockaddr_storage ss;
	to_sockaddr(fam, addr, &ss);
	for (size_t i = 0; i < g->n; i++) {
		MMDB_s *db = g->mmdb[i];
		int rc;
		MMDB_lookup_result_s r = MMDB_lookup_sockaddr(db, (const struct sockaddr *)&ss, &rc);
		if (rc == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR)
			continue;
		if (rc != MMDB_SUCCESS) {
			snprintf(err, errlen, "%s: %s", g->path[i], MMDB_strerror(rc));
			return -1;
		}
		if (!r.found_entry)
			continue;
		if (!out->found) {
			out->found = 1;
			out->db = g->path[i];
			set_network(out, db, fam, addr, r.netmask);
		}
		fill(&r.entry, out);
	}
	const char *cn = wl_country_name(out->country);
	if (out->found && !out->country_name[0] && cn)
		snprintf(out->country_name, sizeof out->country_name, "%s", cn);
	return 0;
}

const char *wl_geo_brief(const struct wl_geo *g, char *out, size_t n)
{
	if (!g->found) {
		snprintf(out, n, "not in the database");
		return out;
	}
	size_t o = 0;
	out[0] = '\0';
	if (g->country[0])
		o += (size_t)snprintf(out + o, n - o, "%s", g->country);
	if (g->city[0] && o < n)
		o += (size_t)snprintf(out + o, n - o, "%s%s", o ? ", " : "", g->city);
	if (g->asn && o < n)
		o += (size_t)snprintf(out + o, n - o, "%sAS%u%s%s", o ? ", " : "", g->asn,
				      g->as_org[0] ? " " : "", g->as_org);
	if (!out[0])
		snprintf(out, n, "in the database, without country, city or ASN");
	return out;
}
