/* cmd_geoip.c - `wirelab geoip ADDRESS|HOSTNAME...`: where in the world an
 * address is, from the GeoIP reader (src/iptools/geoip.c), as text or JSON. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "geoip.h"
#include "jsonf.h"
#include "wirelab.h"

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
