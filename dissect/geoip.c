/* geoip.c - where a flow's public addresses are: country, city and network
 * (ASN) from a MaxMind DB file (libmaxminddb), given by --geoip-db.
 *
 * Each public endpoint of a flow is looked up once, when the flow is created,
 * and the answer becomes a fact of the flow's closing summary ("geoip
 * 8.8.8.8: US, Mountain View, AS15169 GOOGLE"). Private, loopback, link-local,
 * multicast and documentation addresses are in no database and are skipped.
 * Without --geoip-db nothing happens; a database that cannot be opened is
 * reported once, on the first public address. Country and city databases
 * (GeoLite2/DB-IP style, "country.iso_code", "city.names.en") and ASN databases
 * ("autonomous_system_number", "autonomous_system_organization") all work: the
 * fields a file lacks are left out.
 */
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "core.h"

struct wl_geoip {
	int state;               /* 0 not tried, 1 open, -1 failed */
	MMDB_s db;
};

struct net { uint8_t a[4]; uint8_t bits; };

/* RFC 6890 special-purpose IPv4 blocks that no GeoIP database knows */
static const struct net v4_special[] = {
	{ { 0, 0, 0, 0 }, 8 }, { { 10, 0, 0, 0 }, 8 }, { { 100, 64, 0, 0 }, 10 },
	{ { 127, 0, 0, 0 }, 8 }, { { 169, 254, 0, 0 }, 16 }, { { 172, 16, 0, 0 }, 12 },
	{ { 192, 0, 0, 0 }, 24 }, { { 192, 0, 2, 0 }, 24 }, { { 192, 168, 0, 0 }, 16 },
	{ { 198, 18, 0, 0 }, 15 }, { { 198, 51, 100, 0 }, 24 }, { { 203, 0, 113, 0 }, 24 },
	{ { 224, 0, 0, 0 }, 3 },  /* multicast and reserved, up to 255.255.255.255 */
};

static int in_net(const uint8_t *a, const struct net *n)
{
	uint32_t x = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	uint32_t y = (uint32_t)n->a[0] << 24 | (uint32_t)n->a[1] << 16 | (uint32_t)n->a[2] << 8 | n->a[3];
	uint32_t mask = n->bits ? ~0u << (32 - n->bits) : 0;
	return (x & mask) == (y & mask);
}

int wl__geoip_public(int af, const uint8_t *a)
{
	if (af == 4) {
		for (size_t i = 0; i < sizeof v4_special / sizeof v4_special[0]; i++)
			if (in_net(a, &v4_special[i]))
				return 0;
		return 1;
	}
	/* global unicast 2000::/3, without the documentation prefix 2001:db8::/32 */
	if ((a[0] & 0xE0) != 0x20)
		return 0;
	return !(a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8);
}

static int get_str(MMDB_lookup_result_s *r, char *out, size_t n, const char *const *path)
{
	MMDB_entry_data_s d;
	if (MMDB_aget_value(&r->entry, &d, path) != MMDB_SUCCESS || !d.has_data ||
	    d.type != MMDB_DATA_TYPE_UTF8_STRING)
		return 0;
	snprintf(out, n, "%.*s", (int)d.data_size, d.utf8_string);
	return 1;
}

static int get_uint(MMDB_lookup_result_s *r, uint32_t *v, const char *const *path)
{
	MMDB_entry_data_s d;
	if (MMDB_aget_value(&r->entry, &d, path) != MMDB_SUCCESS || !d.has_data)
		return 0;
	if (d.type == MMDB_DATA_TYPE_UINT32)
		*v = d.uint32;
	else if (d.type == MMDB_DATA_TYPE_UINT16)
		*v = d.uint16;
	else
		return 0;
	return 1;
}

/* "US, Mountain View, AS15169 GOOGLE", "not in the database", or NULL on error. */
static const char *describe(MMDB_s *db, int af, const uint8_t *a, char *out, size_t n)
{
	struct sockaddr_in s4 = { 0 };
	struct sockaddr_in6 s6 = { 0 };
	const struct sockaddr *sa;
	if (af == 4) {
		s4.sin_family = AF_INET;
		memcpy(&s4.sin_addr, a, 4);
		sa = (const struct sockaddr *)&s4;
	} else {
		s6.sin6_family = AF_INET6;
		memcpy(&s6.sin6_addr, a, 16);
		sa = (const struct sockaddr *)&s6;
	}
	int err = MMDB_SUCCESS;
	MMDB_lookup_result_s r = MMDB_lookup_sockaddr(db, sa, &err);
	if (err != MMDB_SUCCESS)
		return NULL;
	if (!r.found_entry) {
		snprintf(out, n, "not in the database");
		return out;
	}
	static const char *const p_country[] = { "country", "iso_code", NULL };
	static const char *const p_city[] = { "city", "names", "en", NULL };
	static const char *const p_asn[] = { "autonomous_system_number", NULL };
	static const char *const p_org[] = { "autonomous_system_organization", NULL };
	char country[16] = "", city[96] = "", org[128] = "";
	uint32_t asn = 0;
	/* ip-location-db's free databases (the README's) use flat keys instead */
	static const char *const p_country_flat[] = { "country_code", NULL };
	static const char *const p_city_flat[] = { "city", NULL };
	if (!get_str(&r, country, sizeof country, p_country))
		get_str(&r, country, sizeof country, p_country_flat);
	if (!get_str(&r, city, sizeof city, p_city))
		get_str(&r, city, sizeof city, p_city_flat);
	int has_asn = get_uint(&r, &asn, p_asn);
	get_str(&r, org, sizeof org, p_org);
	size_t o = 0;
	out[0] = '\0';
	if (country[0])
		o += (size_t)snprintf(out + o, n - o, "%s", country);
	if (city[0] && o < n)
		o += (size_t)snprintf(out + o, n - o, "%s%s", o ? ", " : "", city);
	if (has_asn && o < n)
		o += (size_t)snprintf(out + o, n - o, "%sAS%u%s%s", o ? ", " : "", asn, org[0] ? " " : "", org);
	if (!out[0])
		snprintf(out, n, "in the database, without country, city or ASN");
	return out;
}

static MMDB_s *open_db(struct wl_ctx *ctx)
{
	if (!ctx->opts.geoip_db)
		return NULL;
	if (!ctx->geoip) {
		ctx->geoip = calloc(1, sizeof *ctx->geoip);
		if (!ctx->geoip)
			return NULL;
	}
	if (ctx->geoip->state == 0) {
		int rc = MMDB_open(ctx->opts.geoip_db, MMDB_MODE_MMAP, &ctx->geoip->db);
		ctx->geoip->state = rc == MMDB_SUCCESS ? 1 : -1;
		if (rc != MMDB_SUCCESS)
			wl_flow_fact(ctx, "geoip", "cannot open %s: %s", ctx->opts.geoip_db, MMDB_strerror(rc));
	}
	return ctx->geoip->state == 1 ? &ctx->geoip->db : NULL;
}

void wl__geoip_flow(struct wl_ctx *ctx, struct wl_flow *f)
{
	if (!ctx->opts.geoip_db)
		return;
	struct wl_flow *save = ctx->flow;
	ctx->flow = f;
	for (int side = 0; side < 2; side++) {
		if (!wl__geoip_public(f->af, f->addr[side]))
			continue;
		MMDB_s *db = open_db(ctx);
		if (!db)
			break;
		char desc[300], key[80], ep[WL_EP_STRLEN];
		if (!describe(db, f->af, f->addr[side], desc, sizeof desc))
			continue;
		wl__ep_str(ep, sizeof ep, f->af, f->addr[side], -1);
		snprintf(key, sizeof key, "geoip %s", ep);
		wl_flow_fact(ctx, key, "%s", desc);
	}
	ctx->flow = save;
}

void wl__geoip_free(struct wl_ctx *ctx)
{
	if (!ctx->geoip)
		return;
	if (ctx->geoip->state == 1)
		MMDB_close(&ctx->geoip->db);
	free(ctx->geoip);
	ctx->geoip = NULL;
}
