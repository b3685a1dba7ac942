/* dns.c - wirelab's own authoritative DNS server, built on ldns, and the `dns`
 * exchange: an ldns resolver asking it for A, AAAA, MX, CNAME, TXT and PTR
 * records, a name that does not exist, and an answer too big for 512 bytes of
 * UDP, which makes the resolver retry over TCP.
 *
 * The server answers from two zones (the lab zone wirelab.test. and the
 * reverse zone 2.0.192.in-addr.arpa.), written from the text below into
 * <state>/dns/ when it starts and read back with ldns's zone parser. It
 * behaves like NSD: AA set, no RA; NS in authority and glue in additional;
 * a CNAME followed inside the zone; NXDOMAIN and NODATA with the SOA in
 * authority (TTL = SOA minimum); TC over UDP when the answer exceeds 512
 * bytes (or the EDNS size the client offers, at most 1232); EDNS(0) echoed;
 * REFUSED outside its zones. UDP and TCP on the same port (RFC 1035, 7766).
 */
#include <errno.h>
#include <ldns/ldns.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drive.h"
#include "sock.h"

#define DNS_PORT 1053
#define EDNS_MAX 1232        /* the DNS flag day 2020 UDP size */

static const char lab_zone[] =
	"; wirelab.test - the lab zone of wirelab's own DNS server (RFC 2606 .test,\n"
	"; RFC 5737 / RFC 3849 documentation addresses)\n"
	"$ORIGIN wirelab.test.\n"
	"$TTL 3600\n"
	"@        IN SOA   ns1.wirelab.test. hostmaster.wirelab.test. (\n"
	"                  2026112501 ; serial\n"
	"                  7200       ; refresh\n"
	"                  900        ; retry\n"
	"                  1209600    ; expire\n"
	"                  300 )      ; minimum: how long a \"does not exist\" is remembered\n"
	"@        IN NS    ns1\n"
	"@        IN NS    ns2\n"
	"@        IN A     192.0.2.10\n"
	"@        IN AAAA  2001:db8::10\n"
	"@        IN MX    10 mail\n"
	"@        IN MX    20 mail2\n"
	"@        IN MX    30 backup-mx.wirelab.test.\n"
	"@        IN TXT   \"v=spf1 mx -all\"\n"
	"@        IN TXT   \"wirelab lab zone\" \"two strings in one record\"\n"
	"ns1      IN A     192.0.2.1\n"
	"ns2      IN A     192.0.2.2\n"
	"www      IN A     192.0.2.10\n"
	"www      IN AAAA  2001:db8::10\n"
	"mail     IN A     192.0.2.25\n"
	"mail2    IN A     192.0.2.26\n"
	"backup-mx IN A    192.0.2.27\n"
	"alias    IN CNAME web\n"
	"web      IN CNAME www\n"
	"ftp      IN CNAME www\n"
	"_ldap._tcp IN SRV 0 5 3389 ldap\n"
	"ldap     IN A     192.0.2.30\n"
	"@        IN CAA   0 issue \"ca.wirelab.test\"\n"
	"; big: more TXT than fits in 512 bytes of UDP without EDNS\n"
	"big      IN TXT   \"01 This record set is larger than 512 bytes on purpose, so that...\"\n"
	"big      IN TXT   \"02 ...a UDP answer without EDNS has to be truncated (TC bit set)...\"\n"
	"big      IN TXT   \"03 ...and the resolver asks again over TCP, where the message is...\"\n"
	"big      IN TXT   \"04 ...preceded by its 2-byte length and may be up to 65535 bytes.\"\n"
	"big      IN TXT   \"05 Look for the TC flag in the UDP response and the TCP handshake.\"\n"
	"big      IN TXT   \"06 padding padding padding padding padding padding padding padding\"\n"
	"big      IN TXT   \"07 padding padding padding padding padding padding padding padding\"\n"
	"big      IN TXT   \"08 padding padding padding padding padding padding padding padding\"\n";

static const char rev_zone[] =
	"; 2.0.192.in-addr.arpa - reverse zone for the lab addresses in 192.0.2.0/24\n"
	"$ORIGIN 2.0.192.in-addr.arpa.\n"
	"$TTL 3600\n"
	"@        IN SOA   ns1.wirelab.test. hostmaster.wirelab.test. 2026112501 7200 900 1209600 300\n"
	"@        IN NS    ns1.wirelab.test.\n"
	"1        IN PTR   ns1.wirelab.test.\n"
	"2        IN PTR   ns2.wirelab.test.\n"
	"10       IN PTR   www.wirelab.test.\n"
	"25       IN PTR   mail.wirelab.test.\n"
	"26       IN PTR   mail2.wirelab.test.\n"
	"27       IN PTR   backup-mx.wirelab.test.\n"
	"30       IN PTR   ldap.wirelab.test.\n";

static const struct {
	const char *file, *origin, *text;
} zones[] = {
	{ "wirelab.test.zone", "wirelab.test.", lab_zone },
	{ "2.0.192.in-addr.arpa.zone", "2.0.192.in-addr.arpa.", rev_zone },
};
#define NZONES (sizeof zones / sizeof zones[0])

/* ---- the server ---- */

/* The zone files under <state>/dns/, written from the texts above (by the
 * lab's start and again by the server itself, so that `wirelab serve dns`
 * runs on its own): 0, or -1 with a reason. */
static int write_zones(const char *state_dir, char *err, size_t errlen)
{
	for (size_t i = 0; i < NZONES; i++) {
		char path[4096];
		if (wl_state_path(path, sizeof path, state_dir, "dns", zones[i].file) < 0 ||
		    wl_write_file(path, zones[i].text, 0644) < 0) {
			snprintf(err, errlen, "cannot write the zone file %s: %s", zones[i].file, strerror(errno));
			return -1;
		}
	}
	return 0;
}

struct dns_srv {
	ldns_zone *zone[NZONES];
	ldns_rdf *origin[NZONES];
};

static int load_zones(struct dns_srv *s, const char *state_dir)
{
	for (size_t i = 0; i < NZONES; i++) {
		char path[4096];
		if (wl_state_path(path, sizeof path, state_dir, "dns", zones[i].file) < 0)
			return -1;
		FILE *f = fopen(path, "r");
		if (!f) {
			fprintf(stderr, "dns: %s: %s\n", path, strerror(errno));
			return -1;
		}
		s->origin[i] = ldns_dname_new_frm_str(zones[i].origin);
		int line = 0;
		ldns_status st = ldns_zone_new_frm_fp_l(&s->zone[i], f, s->origin[i], 3600,
							LDNS_RR_CLASS_IN, &line);
		fclose(f);
		if (st != LDNS_STATUS_OK) {
			fprintf(stderr, "dns: %s line %d: %s\n", path, line, ldns_get_errorstr_by_id(st));
			return -1;
		}
		fprintf(stderr, "dns: zone %s loaded, %zu records\n", zones[i].origin,
			ldns_rr_list_rr_count(ldns_zone_rrs(s->zone[i])) + 1);
	}
	return 0;
}

static int zone_of(const struct dns_srv *s, const ldns_rdf *name)
{
	for (size_t i = 0; i < NZONES; i++)
		if (ldns_dname_compare(name, s->origin[i]) == 0 || ldns_dname_is_subdomain(name, s->origin[i]))
			return (int)i;
	return -1;
}

/* Records of the zone with this owner (and type, unless LDNS_RR_TYPE_ANY). */
static int add_rrs(ldns_pkt *p, ldns_pkt_section sec, const ldns_zone *z, const ldns_rdf *owner,
		   ldns_rr_type type)
{
	int n = 0;
	const ldns_rr_list *l = ldns_zone_rrs(z);
	for (size_t i = 0; i <= ldns_rr_list_rr_count(l); i++) {
		ldns_rr *rr = i < ldns_rr_list_rr_count(l) ? ldns_rr_list_rr(l, i) : ldns_zone_soa(z);
		if (ldns_dname_compare(ldns_rr_owner(rr), owner) != 0)
			continue;
		if (type != LDNS_RR_TYPE_ANY && ldns_rr_get_type(rr) != type)
			continue;
		ldns_pkt_push_rr(p, sec, ldns_rr_clone(rr));
		n++;
	}
	return n;
}

static int owner_exists(const ldns_zone *z, const ldns_rdf *owner)
{
	const ldns_rr_list *l = ldns_zone_rrs(z);
	if (ldns_dname_compare(ldns_rr_owner(ldns_zone_soa(z)), owner) == 0)
		return 1;
	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++)
		if (ldns_dname_compare(ldns_rr_owner(ldns_rr_list_rr(l, i)), owner) == 0)
			return 1;
	return 0;
}

static const ldns_rdf *cname_target(const ldns_zone *z, const ldns_rdf *owner)
{
	const ldns_rr_list *l = ldns_zone_rrs(z);
	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
		ldns_rr *rr = ldns_rr_list_rr(l, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME &&
		    ldns_dname_compare(ldns_rr_owner(rr), owner) == 0)
			return ldns_rr_rdf(rr, 0);
	}
	return NULL;
}

/* Glue: the addresses of the names the answer and authority point to. */
static void add_glue(ldns_pkt *p, const ldns_zone *z)
{
	ldns_pkt_section secs[2] = { LDNS_SECTION_ANSWER, LDNS_SECTION_AUTHORITY };
	for (int s = 0; s < 2; s++) {
		ldns_rr_list *l = ldns_pkt_get_section_clone(p, secs[s]);
		for (size_t i = 0; l && i < ldns_rr_list_rr_count(l); i++) {
			ldns_rr *rr = ldns_rr_list_rr(l, i);
			const ldns_rdf *target = NULL;
			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS)
				target = ldns_rr_rdf(rr, 0);
			else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_MX || ldns_rr_get_type(rr) == LDNS_RR_TYPE_SRV)
				target = ldns_rr_rdf(rr, ldns_rr_rd_count(rr) - 1);
			if (!target)
				continue;
			add_rrs(p, LDNS_SECTION_ADDITIONAL, z, target, LDNS_RR_TYPE_A);
			add_rrs(p, LDNS_SECTION_ADDITIONAL, z, target, LDNS_RR_TYPE_AAAA);
		}
		ldns_rr_list_deep_free(l);
	}
}

static void add_soa_negative(ldns_pkt *p, const ldns_zone *z)
{
	ldns_rr *soa = ldns_rr_clone(ldns_zone_soa(z));
	ldns_rr_set_ttl(soa, ldns_rdf2native_int32(ldns_rr_rdf(soa, 6)));  /* RFC 2308 */
	ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, soa);
}

static ldns_pkt *answer(const struct dns_srv *s, const ldns_pkt *q)
{
	ldns_pkt *p = ldns_pkt_new();
	if (!p)
		return NULL;
	ldns_pkt_set_id(p, ldns_pkt_id(q));
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_opcode(p, ldns_pkt_get_opcode(q));
	ldns_pkt_set_rd(p, ldns_pkt_rd(q));
	ldns_pkt_set_cd(p, ldns_pkt_cd(q));
	if (ldns_pkt_edns(q))
		ldns_pkt_set_edns_udp_size(p, EDNS_MAX);
	const ldns_rr_list *ql = ldns_pkt_question(q);
	if (ldns_pkt_get_opcode(q) != LDNS_PACKET_QUERY || ldns_rr_list_rr_count(ql) != 1) {
		ldns_pkt_set_rcode(p, ldns_pkt_get_opcode(q) != LDNS_PACKET_QUERY ? LDNS_RCODE_NOTIMPL
										  : LDNS_RCODE_FORMERR);
		return p;
	}
	ldns_rr *qrr = ldns_rr_list_rr(ql, 0);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, ldns_rr_clone(qrr));
	const ldns_rdf *name = ldns_rr_owner(qrr);
	ldns_rr_type type = ldns_rr_get_type(qrr);
	int zi = zone_of(s, name);
	if (zi < 0) {
		ldns_pkt_set_rcode(p, LDNS_RCODE_REFUSED);
		return p;
	}
	const ldns_zone *z = s->zone[zi];
	ldns_pkt_set_aa(p, true);
	int n = 0;
	const ldns_rdf *cur = name;
	for (int hops = 0; hops < 8 && cur; hops++) {
		int k = add_rrs(p, LDNS_SECTION_ANSWER, z, cur, type);
		n += k;
		const ldns_rdf *next = (!k && type != LDNS_RR_TYPE_CNAME) ? cname_target(z, cur) : NULL;
		if (next) {
			n += add_rrs(p, LDNS_SECTION_ANSWER, z, cur, LDNS_RR_TYPE_CNAME);
			if (zone_of(s, next) != zi)
				break;
		}
		cur = next;
	}
	if (n) {
		add_rrs(p, LDNS_SECTION_AUTHORITY, z, ldns_rr_owner(ldns_zone_soa(z)), LDNS_RR_TYPE_NS);
		add_glue(p, z);
	} else {
		if (!owner_exists(z, name))
			ldns_pkt_set_rcode(p, LDNS_RCODE_NXDOMAIN);
		add_soa_negative(p, z);
	}
	return p;
}

/* The answer's wire form for one query; over UDP cut to the header and
 * question with TC when it is larger than the client can take. */
static uint8_t *serve_one(const struct dns_srv *s, const uint8_t *buf, size_t n, int udp, size_t *outlen)
{
	ldns_pkt *q = NULL;
	if (ldns_wire2pkt(&q, buf, n) != LDNS_STATUS_OK)
		return NULL;  /* not DNS: no answer at all */
	if (ldns_pkt_qr(q)) {
		ldns_pkt_free(q);
		return NULL;
	}
	ldns_pkt *p = answer(s, q);
	uint8_t *wire = NULL;
	if (p && ldns_pkt2wire(&wire, p, outlen) == LDNS_STATUS_OK && udp) {
		size_t limit = 512;
		if (ldns_pkt_edns(q))
			limit = ldns_pkt_edns_udp_size(q) < 512 ? 512 :
				ldns_pkt_edns_udp_size(q) > EDNS_MAX ? EDNS_MAX : ldns_pkt_edns_udp_size(q);
		if (*outlen > limit) {
			LDNS_FREE(wire);
			wire = NULL;
			ldns_rr_list_deep_free(ldns_pkt_answer(p));
			ldns_rr_list_deep_free(ldns_pkt_authority(p));
			ldns_rr_list_deep_free(ldns_pkt_additional(p));
			ldns_pkt_set_answer(p, ldns_rr_list_new());
			ldns_pkt_set_authority(p, ldns_rr_list_new());
			ldns_pkt_set_additional(p, ldns_rr_list_new());
			ldns_pkt_set_ancount(p, 0);
			ldns_pkt_set_nscount(p, 0);
			ldns_pkt_set_arcount(p, 0);
			ldns_pkt_set_tc(p, true);
			if (ldns_pkt2wire(&wire, p, outlen) != LDNS_STATUS_OK)
				wire = NULL;
		}
	}
	ldns_pkt_free(p);
	ldns_pkt_free(q);
	return wire;
}

/* DNS over TCP (RFC 7766): each connection in a thread of its own, at most
 * DNS_TCP_MAX at once (past that the oldest is shut down to make room), so
 * that a client holding one open (silent, trickling a byte at a time, or
 * stuck after half a length prefix) delays nobody, UDP included. A query
 * (prefix and body) must arrive within DNS_TCP_IDLE_MS, and its answer be
 * taken within as long, or the connection ends. */
#define DNS_TCP_MAX 256
#define DNS_TCP_IDLE_MS 3000
#define DNS_TCP_BUF 65536

/* One query read and answered: 0, or -1 to close the connection. */
static int tcp_query(const struct dns_srv *s, int fd)
{
	int64_t deadline = wl_now_us() + DNS_TCP_IDLE_MS * 1000LL;
	uint8_t pre[2];
	if (wl_recv_all_by(fd, pre, 2, deadline) < 0)
		return -1;
	size_t len = (size_t)pre[0] << 8 | pre[1];
	/* only as much memory as the client has announced, and only once it has */
	uint8_t *buf = malloc(len ? len : 1);
	size_t outlen = 0;
	uint8_t *wire = NULL;
	if (buf && wl_recv_all_by(fd, buf, len, deadline) == 0)
		wire = serve_one(s, buf, len, 0, &outlen);
	free(buf);
	if (!wire)
		return -1;
	uint8_t op[2] = { (uint8_t)(outlen >> 8), (uint8_t)outlen };
	deadline = wl_now_us() + DNS_TCP_IDLE_MS * 1000LL;
	int bad = wl_send_all_by(fd, op, 2, deadline) < 0 || wl_send_all_by(fd, wire, outlen, deadline) < 0;
	LDNS_FREE(wire);
	return bad ? -1 : 0;
}

static void serve_tcp_conn(int fd, void *arg)
{
	/* fixed kernel buffers instead of autotuned ones (MBs each): a client
	 * pipelining queries and never reading the answers fills these, then the
	 * answer's deadline ends it */
	int bufsz = DNS_TCP_BUF;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof bufsz);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof bufsz);
	while (tcp_query(arg, fd) == 0)
		;
	close(fd);
}

static void serve_udp(const struct dns_srv *s, int ufd)
{
	uint8_t buf[4096];
	struct sockaddr_storage from;
	socklen_t flen = sizeof from;
	ssize_t n = recvfrom(ufd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
	size_t outlen = 0;
	uint8_t *wire = n > 0 ? serve_one(s, buf, (size_t)n, 1, &outlen) : NULL;
	if (wire) {
		sendto(ufd, wire, outlen, 0, (struct sockaddr *)&from, flen);
		LDNS_FREE(wire);
	}
}

static int serve_dns(const char *host, uint16_t port, const char *state_dir)
{
	/* static: shared with the TCP threads for the life of the process */
	static struct dns_srv s;
	static struct wl_conn_pool pool;
	char err[256];
	if (write_zones(state_dir, err, sizeof err) < 0) {
		fprintf(stderr, "dns: %s\n", err);
		return 1;
	}
	if (load_zones(&s, state_dir) < 0)
		return 1;
	if (wl_pool_init(&pool, serve_tcp_conn, &s, DNS_TCP_MAX) < 0)
		return 1;
	int ufd = wl_udp_socket(host, port);
	int tfd = ufd < 0 ? -1 : wl_tcp_listen(host, port, WL_LISTEN_BACKLOG);
	if (ufd < 0 || tfd < 0) {
		perror("dns: bind");
		return 1;
	}
	fprintf(stderr, "dns: serving udp and tcp %s:%u\n", host, port);
	for (;;) {
		struct pollfd pf[2] = { { ufd, POLLIN, 0 }, { tfd, POLLIN, 0 } };
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (pf[0].revents & POLLIN)
			serve_udp(&s, ufd);
		if (pf[1].revents & POLLIN) {
			int fd = accept(tfd, NULL, NULL);
			if (fd >= 0)
				wl_pool_serve(&pool, fd);
		}
	}
}

const struct wl_own_server wl_own_dns = { "dns", serve_dns };

static int start_dns(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	if (write_zones(ctx->state_dir, err, errlen) < 0)
		return -1;
	uint16_t port = ctx->port ? ctx->port : DNS_PORT;
	if (wl_own_start(ctx, "dns", port, 0, err, errlen) < 0)
		return -1;
	return wl_wait_port("127.0.0.1", port, 1, 0, 2000) < 0 ? -1 : 0;
}

const struct wl_server wl_server_dns = {
	.name = "dns", .desc = "wirelab's authoritative DNS server (ldns), zones wirelab.test and 2.0.192.in-addr.arpa",
	.packages = "", .port = DNS_PORT, .udp = 0, .start = start_dns,
};

/* ---- the exchange ---- */

struct ask {
	const char *name;
	ldns_rr_type type;
	int no_edns;             /* the big answer: no EDNS, so 512 bytes of UDP */
};

static const struct ask asks[] = {
	{ "www.wirelab.test", LDNS_RR_TYPE_A, 0 },
	{ "www.wirelab.test", LDNS_RR_TYPE_AAAA, 0 },
	{ "wirelab.test", LDNS_RR_TYPE_MX, 0 },
	{ "alias.wirelab.test", LDNS_RR_TYPE_A, 0 },
	{ "wirelab.test", LDNS_RR_TYPE_TXT, 0 },
	{ "10.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR, 0 },
	{ "nothere.wirelab.test", LDNS_RR_TYPE_A, 0 },
	{ "big.wirelab.test", LDNS_RR_TYPE_TXT, 1 },
};

static void rdf_str(const ldns_rdf *r, char *out, size_t n)
{
	char *s = r ? ldns_rdf2str(r) : NULL;
	snprintf(out, n, "%s", s ? s : "?");
	free(s);
	size_t len = strlen(out);
	if (r && ldns_rdf_get_type(r) == LDNS_RDF_TYPE_DNAME && len > 1 && out[len - 1] == '.')
		out[len - 1] = '\0';  /* names as host(1) prints them */
}

/* Prints one answer record the way host(1) does. */
static void print_rr(FILE *out, const ldns_rr *rr)
{
	char owner[300], a[300], b[300];
	rdf_str(ldns_rr_owner(rr), owner, sizeof owner);
	switch (ldns_rr_get_type(rr)) {
	case LDNS_RR_TYPE_A:
		rdf_str(ldns_rr_rdf(rr, 0), a, sizeof a);
		fprintf(out, "%s has address %s\n", owner, a);
		break;
	case LDNS_RR_TYPE_AAAA:
		rdf_str(ldns_rr_rdf(rr, 0), a, sizeof a);
		fprintf(out, "%s has IPv6 address %s\n", owner, a);
		break;
	case LDNS_RR_TYPE_MX:
		rdf_str(ldns_rr_rdf(rr, 0), a, sizeof a);
		rdf_str(ldns_rr_rdf(rr, 1), b, sizeof b);
		fprintf(out, "%s: mail server %s has preference %s\n", owner, b, a);
		break;
	case LDNS_RR_TYPE_CNAME:
		rdf_str(ldns_rr_rdf(rr, 0), a, sizeof a);
		fprintf(out, "%s is an alias for %s\n", owner, a);
		break;
	case LDNS_RR_TYPE_PTR:
		rdf_str(ldns_rr_rdf(rr, 0), a, sizeof a);
		fprintf(out, "%s domain name pointer %s\n", owner, a);
		break;
	case LDNS_RR_TYPE_TXT: {
		fprintf(out, "%s descriptive text", owner);
		for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
			rdf_str(ldns_rr_rdf(rr, i), a, sizeof a);
			fprintf(out, " %s", a);
		}
		fprintf(out, "\n");
		break;
	}
	default: {
		char *s = ldns_rr2str(rr);
		fprintf(out, "%s", s ? s : "?\n");
		free(s);
	}
	}
}

static int ask_one(ldns_resolver *res, const struct ask *a, const struct wl_drive_cfg *cfg,
		   struct wl_drive_result *r)
{
	char tb[16];
	const ldns_rr_descriptor *d = ldns_rr_descript((uint16_t)a->type);
	snprintf(tb, sizeof tb, "%s", d && d->_name ? d->_name : "?");
	ldns_resolver_set_edns_udp_size(res, a->no_edns ? 0 : EDNS_MAX);
	ldns_rdf *name = ldns_dname_new_frm_str(a->name);
	if (!name)
		return wl_drive_fail(r, "bad name %s", a->name);
	ldns_pkt *p = NULL;
	ldns_status st = ldns_resolver_query_status(&p, res, name, a->type, LDNS_RR_CLASS_IN, LDNS_RD);
	ldns_rdf_deep_free(name);
	if (st != LDNS_STATUS_OK || !p) {
		fprintf(cfg->out, ";; %s %s: %s\n", a->name, tb, ldns_get_errorstr_by_id(st));
		return wl_drive_fail(r, "no answer from %s:%u for %s %s: %s", cfg->host, cfg->port, a->name,
				     tb, ldns_get_errorstr_by_id(st));
	}
	if (ldns_pkt_tc(p)) {
		/* as dig does: the UDP answer was cut, ask again over TCP */
		fprintf(cfg->out, ";; Truncated, retrying in TCP mode.\n");
		ldns_pkt_free(p);
		p = NULL;
		ldns_resolver_set_usevc(res, true);
		name = ldns_dname_new_frm_str(a->name);
		st = ldns_resolver_query_status(&p, res, name, a->type, LDNS_RR_CLASS_IN, LDNS_RD);
		ldns_rdf_deep_free(name);
		ldns_resolver_set_usevc(res, false);
		if (st != LDNS_STATUS_OK || !p)
			return wl_drive_fail(r, "no answer over TCP for %s %s: %s", a->name, tb,
					     ldns_get_errorstr_by_id(st));
		wl_drive_fact(r, "%s %s: truncated over UDP, %zu bytes over TCP", a->name, tb, ldns_pkt_size(p));
	}
	ldns_pkt_rcode rc = ldns_pkt_get_rcode(p);
	ldns_rr_list *an = ldns_pkt_answer(p);
	if (rc == LDNS_RCODE_NXDOMAIN) {
		fprintf(cfg->out, "Host %s not found: 3(NXDOMAIN)\n", a->name);
		wl_drive_fact(r, "%s: NXDOMAIN", a->name);
	} else if (rc != LDNS_RCODE_NOERROR) {
		ldns_lookup_table *l = ldns_lookup_by_id(ldns_rcodes, (int)rc);
		fprintf(cfg->out, "Host %s: %s\n", a->name, l ? l->name : "error");
	} else if (!ldns_rr_list_rr_count(an)) {
		fprintf(cfg->out, "%s has no %s record\n", a->name, tb);
	}
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++)
		print_rr(cfg->out, ldns_rr_list_rr(an, i));
	ldns_pkt_free(p);
	return 0;
}

static int run_dns(const struct wl_drive_cfg *cfg, struct wl_drive_result *r)
{
	ldns_resolver *res = ldns_resolver_new();
	ldns_rdf *ns = res ? ldns_rdf_new_frm_str(strchr(cfg->host, ':') ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A,
						  cfg->host) : NULL;
	if (!ns) {
		ldns_resolver_free(res);
		return wl_drive_fail(r, "--server needs an IP address, not %s", cfg->host);
	}
	ldns_resolver_push_nameserver(res, ns);
	ldns_rdf_deep_free(ns);
	ldns_resolver_set_port(res, cfg->port);
	ldns_resolver_set_recursive(res, true);
	ldns_resolver_set_fallback(res, false);  /* TC: we retry over TCP ourselves */
	ldns_resolver_set_retry(res, 2);
	ldns_resolver_set_random(res, false);
	struct timeval tv = { 2, 0 };
	ldns_resolver_set_timeout(res, tv);
	int rc = 0;
	for (size_t i = 0; i < sizeof asks / sizeof asks[0] && rc == 0; i++)
		rc = ask_one(res, &asks[i], cfg, r);
	ldns_resolver_deep_free(res);
	if (rc)
		return rc;
	r->ok = 1;
	return 0;
}

const struct wl_driver wl_driver_dns = {
	.name = "dns", .desc = "ldns resolver: A, AAAA, MX, CNAME, TXT, PTR, NXDOMAIN and a truncated answer retried over TCP",
	.server = "dns", .port = DNS_PORT, .bpf = "udp port %u or tcp port %u", .run = run_dns,
};
