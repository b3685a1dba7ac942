/* geoip.c - `wirelab geoip ADDRESS|HOSTNAME...`: where in the world an address
 * is, from MaxMind DB files read with libmaxminddb.
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
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "geoip.h"
#include "jsonf.h"
#include "wirelab.h"

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

/* ---- the command ---- */

static void usage(FILE *f)
{
	fputs("usage: wirelab geoip ADDRESS|HOSTNAME... [--db FILE.mmdb]... [-T text|json]\n"
	      "\n"
	      "Where in the world an address is: country, continent, region, city, time zone,\n"
	      "coordinates and autonomous system (ASN), as far as the database knows them. Names are\n"
	      "resolved first and each of their addresses is looked up.\n"
	      "\n"
	      "  --db FILE    a MaxMind DB file (GeoLite2 City/Country/ASN, ip-location-db, ...);\n"
	      "               repeat it to combine databases (e.g. City + ASN)\n"
	      "  -T json      one JSON object per address (JSON Lines)\n"
	      "\n"
	      "Without --db: GeoLite2-{City,ASN,Country}.mmdb in /usr/share/GeoIP, /var/lib/GeoIP or\n"
	      "/usr/local/share/GeoIP, and every *.mmdb in " WL_GEOIP_INSTALL_DIR ".\n"
	      "drive/lab/install-geoip.sh installs a free (CC0) country database there.\n"
	      "Private, loopback and documentation addresses are in no database: \"not found\".\n"
	      "\n"
	      "Exit status: 0 fine (found or not), 2 usage error, no database, or a name that does\n"
	      "not resolve.\n",
	      f);
}

static const char *basename_of(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static void print_text(FILE *f, const char *query, int fam, wl_u128 v, const struct wl_geo *o)
{
	char a[WL_IP_STRLEN];
	wl_ip_str(fam, v, a, sizeof a);
	if (strcmp(query, a) == 0)
		fprintf(f, "%s\n", a);
	else
		fprintf(f, "%s (%s)\n", a, query);
	if (!o->found) {
		const struct wl_ipclass *k = wl_ip_classify(fam, v);
		if (strcmp(k->kind, "global") == 0)
			fputs("  not found in the database\n", f);
		else
			fprintf(f, "  not found: %s (%s), a special-purpose address with no place in the world\n",
				k->name, k->rfc);
		return;
	}
	if (o->country[0] || o->country_name[0])
		fprintf(f, "  country:    %s%s%s%s\n", o->country, o->country_name[0] ? " (" : "", o->country_name,
			o->country_name[0] ? ")" : "");
	if (o->continent[0] || o->continent_name[0])
		fprintf(f, "  continent:  %s%s%s%s\n", o->continent, o->continent_name[0] ? " (" : "",
			o->continent_name, o->continent_name[0] ? ")" : "");
	if (o->subdivision[0])
		fprintf(f, "  region:     %s\n", o->subdivision);
	if (o->city[0])
		fprintf(f, "  city:       %s\n", o->city);
	if (o->time_zone[0])
		fprintf(f, "  time zone:  %s\n", o->time_zone);
	if (o->has_location)
		fprintf(f, "  location:   %.4f, %.4f\n", o->latitude, o->longitude);
	if (o->asn || o->as_org[0]) {
		fputs("  ASN:        ", f);
		if (o->asn)
			fprintf(f, "AS%u%s", o->asn, o->as_org[0] ? " " : "");
		fprintf(f, "%s\n", o->as_org);
	}
	fprintf(f, "  network:    %s (%s)\n", o->network, basename_of(o->db));
}

static void jstr_if(FILE *f, int *first, const char *key, const char *v)
{
	if (!v[0])
		return;
	wl_json_fkey(f, first, key);
	wl_json_fstr(f, v);
}

static void print_json(FILE *f, const char *query, int fam, wl_u128 v, const struct wl_geo *o)
{
	char a[WL_IP_STRLEN];
	int first = 1;
	wl_ip_str(fam, v, a, sizeof a);
	fputc('{', f);
	wl_json_fkey(f, &first, "query");
	wl_json_fstr(f, query);
	wl_json_fkey(f, &first, "address");
	wl_json_fstr(f, a);
	wl_json_fkey(f, &first, "found");
	fputs(o->found ? "true" : "false", f);
	if (!o->found) {
		const struct wl_ipclass *k = wl_ip_classify(fam, v);
		wl_json_fkey(f, &first, "type");
		wl_json_fstr(f, k->kind);
		fputs("}\n", f);
		return;
	}
	jstr_if(f, &first, "country", o->country);
	jstr_if(f, &first, "country_name", o->country_name);
	jstr_if(f, &first, "continent", o->continent);
	jstr_if(f, &first, "continent_name", o->continent_name);
	jstr_if(f, &first, "region", o->subdivision);
	jstr_if(f, &first, "city", o->city);
	jstr_if(f, &first, "time_zone", o->time_zone);
	if (o->has_location) {
		wl_json_fkey(f, &first, "latitude");
		fprintf(f, "%.4f", o->latitude);
		wl_json_fkey(f, &first, "longitude");
		fprintf(f, "%.4f", o->longitude);
	}
	if (o->asn) {
		wl_json_fkey(f, &first, "asn");
		fprintf(f, "%u", o->asn);
	}
	jstr_if(f, &first, "as_org", o->as_org);
	jstr_if(f, &first, "network", o->network);
	wl_json_fkey(f, &first, "database");
	wl_json_fstr(f, basename_of(o->db));
	fputs("}\n", f);
}

static int lookup_one(const struct wl_geodb *g, const char *query, int fam, wl_u128 v, int json)
{
	struct wl_geo o;
	char err[600];
	if (wl_geo_lookup(g, fam, v, &o, err, sizeof err) < 0) {
		wl_err("%s", err);
		return -1;
	}
	if (json)
		print_json(stdout, query, fam, v, &o);
	else
		print_text(stdout, query, fam, v, &o);
	return 0;
}

/* A name: every address it resolves to, each once. */
static int lookup_name(const struct wl_geodb *g, const char *name, int json)
{
	struct addrinfo hints, *res;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc != 0) {
		wl_err("%s: not an address, and the name does not resolve (%s)", name, gai_strerror(rc));
		return -1;
	}
	wl_u128 seen[32];
	int seenf[32];
	size_t nseen = 0;
	int ret = 0;
	for (struct addrinfo *a = res; a && ret == 0; a = a->ai_next) {
		int fam;
		wl_u128 v = 0;
		if (a->ai_family == AF_INET) {
			fam = WL_IP4;
			v = ntohl(((const struct sockaddr_in *)(const void *)a->ai_addr)->sin_addr.s_addr);
		} else if (a->ai_family == AF_INET6) {
			fam = WL_IP6;
			const uint8_t *b = ((const struct sockaddr_in6 *)(const void *)a->ai_addr)->sin6_addr.s6_addr;
			for (int i = 0; i < 16; i++)
				v = v << 8 | b[i];
		} else {
			continue;
		}
		int dup = 0;
		for (size_t i = 0; i < nseen && !dup; i++)
			dup = seen[i] == v && seenf[i] == fam;
		if (dup || nseen == 32)
			continue;
		seen[nseen] = v;
		seenf[nseen++] = fam;
		ret = lookup_one(g, name, fam, v, json);
	}
	freeaddrinfo(res);
	return ret;
}

int wl_cmd_geoip(int argc, char **argv)
{
	const char *dbs[WL_GEO_MAXDB];
	size_t ndb = 0;
	int json = 0;
	const char **queries = calloc((size_t)argc, sizeof *queries);
	size_t nq = 0;
	if (!queries) {
		wl_err("out of memory");
		return WL_EXIT_USAGE;
	}
	int rc = WL_EXIT_OK;
	for (int i = 1; i < argc && rc == WL_EXIT_OK; i++) {
		const char *s = argv[i];
		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			usage(stdout);
			free(queries);
			return WL_EXIT_OK;
		}
		if (strcmp(s, "--db") == 0 || strncmp(s, "--db=", 5) == 0 || strcmp(s, "--geoip-db") == 0) {
			const char *v = s[4] == '=' ? s + 5 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v || !*v || ndb == WL_GEO_MAXDB) {
				wl_err(v ? "at most %d databases" : "--db needs a file (wirelab geoip --help)", WL_GEO_MAXDB);
				rc = WL_EXIT_USAGE;
			} else {
				dbs[ndb++] = v;
			}
		} else if (strncmp(s, "-T", 2) == 0) {
			const char *v = s[2] ? s + 2 : (i + 1 < argc ? argv[++i] : "");
			if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
				wl_err("-T %s: expected text or json", v);
				rc = WL_EXIT_USAGE;
			}
			json = strcmp(v, "json") == 0;
		} else if (s[0] == '-' && s[1]) {
			wl_err("unknown option '%s' (wirelab geoip --help)", s);
			rc = WL_EXIT_USAGE;
		} else {
			queries[nq++] = s;
		}
	}
	if (rc == WL_EXIT_OK && nq == 0) {
		wl_err("which address? wirelab geoip ADDRESS|HOSTNAME... (wirelab geoip --help)");
		rc = WL_EXIT_USAGE;
	}
	struct wl_geodb g;
	char err[700];
	if (rc == WL_EXIT_OK && wl_geodb_open(&g, dbs, ndb, wl_geoip_default_paths, err, sizeof err) < 0) {
		wl_err("%s", err);
		rc = WL_EXIT_USAGE;
	}
	if (rc != WL_EXIT_OK) {
		free(queries);
		return rc;
	}
	for (size_t i = 0; i < nq; i++) {
		int fam;
		wl_u128 v;
		const char *q = queries[i];
		int ok = q[0] ? 0 : -1;
		if (ok == 0 && strspn(q, "0123456789.") == strlen(q)) {
			/* looks like an IPv4 address: a wrong one is an error, not a name */
			if (wl_ip_parse_addr(q, strlen(q), &fam, &v, err, sizeof err) < 0) {
				wl_err("%s", err);
				ok = -1;
			} else {
				ok = lookup_one(&g, q, fam, v, json);
			}
		} else if (ok == 0 && strchr(q, ':')) {
			if (wl_ip_parse_addr(q, strlen(q), &fam, &v, err, sizeof err) < 0) {
				wl_err("%s", err);
				ok = -1;
			} else {
				ok = lookup_one(&g, q, fam, v, json);
			}
		} else if (ok == 0) {
			ok = lookup_name(&g, q, json);
		} else {
			wl_err("empty address");
		}
		if (ok < 0)
			rc = WL_EXIT_USAGE;
	}
	wl_geodb_close(&g);
	free(queries);
	if (fflush(stdout) != 0)
		rc = WL_EXIT_USAGE;
	return rc;
}
