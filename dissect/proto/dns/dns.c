/* dns.c - DNS messages over UDP and TCP: header, question, every resource
 * record section, EDNS(0), DNSSEC records, and query/response pairing.
 *
 * RFC 1035 (messages, name compression), RFC 3596 (AAAA), RFC 2782 (SRV),
 * RFC 6891 (EDNS(0), OPT), RFC 7873 (cookies), RFC 7871 (client subnet),
 * RFC 4034 / 5155 (DNSSEC: DNSKEY, RRSIG, DS, NSEC, NSEC3), RFC 8659 (CAA),
 * RFC 4255 (SSHFP), RFC 6762 (mDNS on 5353), RFC 7766 (DNS over TCP).
 * Type, rcode and opcode names come from ldns; the wire is read here, through
 * the cursor.
 *
 *                                   1  1  1  1  1  1
 *     0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                      ID                       |
 *   |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 *   |                    QDCOUNT                    |
 *   |                    ANCOUNT                    |
 *   |                    NSCOUNT                    |
 *   |                    ARCOUNT                    |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   question: QNAME QTYPE QCLASS; each record: NAME TYPE CLASS TTL RDLENGTH RDATA
 *   over TCP every message is preceded by its length (2 bytes).
 *
 * A name is labels (length 0..63, then bytes) ending in a zero byte, or in a
 * 2-byte pointer (top bits 11) to an earlier name in the same message. Pointers
 * that loop, point forward or out of the message, labels with the reserved top
 * bits (a "length" over 63) and names over 255 bytes are notes, never a crash.
 */
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wl.h"

#define NAME_TXT 1100      /* 255 wire bytes, escaped: at most 4 chars per byte */
#define MAX_HOPS 128       /* compression pointers followed in one name */
#define PENDING 64         /* outstanding queries remembered per flow */
#define SUMMARY 160

enum { T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_PTR = 12, T_HINFO = 13, T_MX = 15,
       T_TXT = 16, T_AAAA = 28, T_SRV = 33, T_DNAME = 39, T_OPT = 41, T_DS = 43,
       T_SSHFP = 44, T_RRSIG = 46, T_NSEC = 47, T_DNSKEY = 48, T_NSEC3 = 50, T_SPF = 99,
       T_CAA = 257 };

struct pending {
	uint8_t used;
	uint16_t id;
	uint64_t frame;
	int64_t ns;
};

struct dns_state {
	struct pending q[PENDING];
	unsigned next;
	uint8_t desync[2];       /* TCP: a gap lost the message boundaries */
	uint32_t want[2];        /* TCP: bytes a length prefix announced, not all here */
	uint32_t have[2];
};

/* A cursor together with the message offset of its end, so that the offset of
 * its read position is known (compression pointers are message offsets). */
struct span {
	struct wl_cur c;
	size_t end;
};

struct dnsp {
	struct wl_ctx *ctx;
	struct wl_msg *m;
	struct wl_cur msg;       /* the whole message */
	size_t len;
	int mdns, llmnr;
	int tcp;                 /* over TCP: len is the 2-byte length prefix */
	int errors;
	int fwd_noted;
	unsigned ext_rcode;      /* high bits of the rcode, from OPT */
	int have_opt;
	int have_soa_auth;
	unsigned answers_shown;
	char summary[SUMMARY];
	char all[480];           /* the answers that fit whole, for the note under the ladder line */
	unsigned all_n;          /* how many of them */
};

/* snprintf for text that may be cut (the ladder line is short anyway) */
static void txtf(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void txtf(char *dst, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wl_vsnprintf(dst, n, fmt, ap);
	va_end(ap);
}

static size_t span_off(const struct span *s) { return s->end - wl_left(&s->c); }

static const struct wl_tok ext_rcodes[] = {
	{ 11, "DSOTYPENI" }, { 16, "BADVERS" }, { 17, "BADKEY" }, { 18, "BADTIME" }, { 19, "BADMODE" },
	{ 20, "BADNAME" }, { 21, "BADALG" }, { 22, "BADTRUNC" }, { 23, "BADCOOKIE" },
	{ 0, NULL },
};

static const struct wl_tok meta_types[] = {
	{ 249, "TKEY" }, { 250, "TSIG" }, { 251, "IXFR" }, { 252, "AXFR" }, { 253, "MAILB" },
	{ 254, "MAILA" }, { 255, "ANY" }, { 0, NULL },
};

static const struct wl_tok edns_opts[] = {
	{ 3, "NSID" }, { 5, "DAU" }, { 6, "DHU" }, { 7, "N3U" }, { 8, "client subnet" },
	{ 9, "EXPIRE" }, { 10, "COOKIE" }, { 11, "TCP keepalive" }, { 12, "padding" },
	{ 13, "CHAIN" }, { 14, "key tag" }, { 15, "extended error" }, { 0, NULL },
};

static const char *type_name(uint16_t t, char *buf, size_t n)
{
	const char *s = wl_tok(meta_types, t, NULL);
	if (s)
		return s;
	const ldns_rr_descriptor *d = t ? ldns_rr_descript(t) : NULL;
	if (d && d->_type == t && d->_name && strncmp(d->_name, "TYPE", 4) != 0)
		return d->_name;
	wl_snprintf(buf, n, "TYPE%u", t);
	return buf;
}

static const char *rcode_name(unsigned rc, char *buf, size_t n)
{
	const char *s = wl_tok(ext_rcodes, rc, NULL);
	if (s)
		return s;
	ldns_lookup_table *l = ldns_lookup_by_id(ldns_rcodes, (int)rc);
	if (l && l->name)
		return l->name;
	wl_snprintf(buf, n, "RCODE%u", rc);
	return buf;
}

static const char *opcode_name(unsigned op, char *buf, size_t n)
{
	ldns_lookup_table *l = ldns_lookup_by_id(ldns_opcodes, (int)op);
	if (l && l->name)
		return l->name;
	wl_snprintf(buf, n, "OPCODE%u", op);
	return buf;
}

static void bad(struct dnsp *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(struct dnsp *p, const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	va_start(ap, fmt);
	wl_vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	p->errors++;
	if (p->errors <= 8)
		wl_note(p->m, WL_ERROR, "malformed: %s", buf);
}

/* ---- names ---- */

static size_t put_label(char *out, size_t cap, size_t o, struct wl_cur lab)
{
	while (wl_left(&lab) && o + 5 < cap) {
		uint8_t ch = wl_u8(&lab);
		if (ch == '.' || ch == '\\')
			o += (size_t)wl_snprintf(out + o, cap - o, "\\%c", ch);
		else if (ch > 0x20 && ch < 0x7f)
			out[o++] = (char)ch;
		else
			o += (size_t)wl_snprintf(out + o, cap - o, "\\%03u", ch);
	}
	out[o] = '\0';
	return o;
}

/* Reads the name at s, decompressing, into out ("<Root>" for the root, as
 * tshark). Leaves s after the name. Returns 0, or -1 after a note; s is then
 * invalid when the end of the name could not be found. */
static int read_name(struct dnsp *p, struct span *s, char *out, size_t cap)
{
	struct wl_cur w = s->c;
	size_t wend = s->end;
	uint16_t seen[MAX_HOPS];
	unsigned hops = 0;
	int jumped = 0, err = 0, toolong = 0;
	size_t o = 0, wire = 1;
	out[0] = '\0';
	for (;;) {
		size_t here = wend - wl_left(&w);
		uint8_t b = wl_u8(&w);
		if (!wl_ok(&w)) {
			bad(p, "name runs past the end of the message");
			err = 1;
			break;
		}
		if (b == 0)
			break;
		if ((b & 0xC0) == 0xC0) {
			uint16_t ptr = (uint16_t)((b & 0x3F) << 8 | wl_u8(&w));
			if (!wl_ok(&w)) {
				bad(p, "compression pointer cut short");
				err = 1;
				break;
			}
			if (!jumped) {
				s->c = w;
				jumped = 1;
			}
			if (ptr >= p->len) {
				bad(p, "compression pointer to offset %u, past the message (%zu bytes)", ptr, p->len);
				err = 1;
				break;
			}
			int loop = 0;
			for (unsigned i = 0; i < hops; i++)
				loop |= seen[i] == ptr;
			if (loop || hops == MAX_HOPS) {
				bad(p, "compression pointer loop (offset %u visited again)", ptr);
				err = 1;
				break;
			}
			seen[hops++] = ptr;
			if (ptr >= here && !p->fwd_noted) {
				p->fwd_noted = 1;
				wl_note(p->m, WL_WARN, "forward compression pointer (offset %u from %zu): RFC 1035 points only to earlier names", ptr, here);
			}
			w = wl_at(&p->msg, ptr, p->len - ptr);
			wend = p->len;
			continue;
		}
		if (b & 0xC0) {
			bad(p, "label length %u over 63 (reserved label type 0x%02x)", b, b & 0xC0);
			err = 1;
			break;
		}
		struct wl_cur lab = wl_sub(&w, b);
		if (!wl_ok(&w)) {
			bad(p, "label of %u bytes runs past the end of the message", b);
			err = 1;
			break;
		}
		wire += b + 1u;
		if (wire > 255) {
			toolong = 1;
			continue;
		}
		if (o && o + 1 < cap)
			out[o++] = '.';
		o = put_label(out, cap, o, lab);
	}
	if (!jumped)
		s->c = w;
	if (toolong) {
		bad(p, "name longer than 255 bytes (%zu)", wire);
		err = 1;
	}
	if (!o && !err)
		wl_snprintf(out, cap, "<Root>");
	if (err && !jumped)
		wl_invalid(&s->c);
	return err ? -1 : 0;
}

/* ---- record data, one handler per type ---- */

struct rd {
	struct dnsp *p;
	struct span s;           /* the RDATA */
	char txt[SUMMARY];       /* short text for the ladder line */
};

static int rd_name(struct rd *r, const char *field, char *out, size_t cap)
{
	int rc = read_name(r->p, &r->s, out, cap);
	wl_f_cstr(r->p->m, field, out);
	return rc;
}

static void rd_a(struct rd *r)
{
	const uint8_t *a = wl_bytes(&r->s.c, 4);
	if (!a)
		return;
	wl_f_ipv4(r->p->m, "dns.a", a);
	txtf(r->txt, sizeof r->txt, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

static void rd_aaaa(struct rd *r)
{
	const uint8_t *a = wl_bytes(&r->s.c, 16);
	if (!a)
		return;
	wl_f_ipv6(r->p->m, "dns.aaaa", a);
	char buf[64];
	/* inet_ntop-like text for the ladder line */
	unsigned g[8];
	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)(a[2 * i] << 8 | a[2 * i + 1]);
	int best = -1, bestn = 0;
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestn && j - i > 1) {
			best = i;
			bestn = j - i;
		}
		i = j > i ? j : i + 1;
	}
	size_t o = 0;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			o += (size_t)wl_snprintf(buf + o, sizeof buf - o, "::");
			i += bestn - 1;
			continue;
		}
		o += (size_t)wl_snprintf(buf + o, sizeof buf - o, "%s%x",
				      (o && buf[o - 1] != ':') ? ":" : "", g[i]);
	}
	txtf(r->txt, sizeof r->txt, "%s", buf);
}

static void rd_one_name(struct rd *r, const char *field)
{
	char n[NAME_TXT];
	rd_name(r, field, n, sizeof n);
	txtf(r->txt, sizeof r->txt, "%s", n);
}

static void rd_cname(struct rd *r) { rd_one_name(r, "dns.cname"); }
static void rd_ns(struct rd *r) { rd_one_name(r, "dns.ns"); }
static void rd_ptr(struct rd *r) { rd_one_name(r, "dns.ptr.domain_name"); }
static void rd_dname(struct rd *r) { rd_one_name(r, "dns.dname"); }

static void rd_mx(struct rd *r)
{
	uint16_t pref = wl_be16(&r->s.c);
	if (!wl_ok(&r->s.c))
		return;
	wl_f_uint(r->p->m, "dns.mx.preference", pref);
	char n[NAME_TXT];
	rd_name(r, "dns.mx.mail_exchange", n, sizeof n);
	txtf(r->txt, sizeof r->txt, "%u %s", pref, n);
}

static void rd_soa(struct rd *r)
{
	char mname[NAME_TXT], rname[NAME_TXT];
	if (rd_name(r, "dns.soa.mname", mname, sizeof mname) < 0 ||
	    rd_name(r, "dns.soa.rname", rname, sizeof rname) < 0)
		return;
	static const char *const f[] = { "dns.soa.serial_number", "dns.soa.refresh_interval",
		"dns.soa.retry_interval", "dns.soa.expire_limit", "dns.soa.minimum_ttl" };
	uint32_t v[5];
	for (int i = 0; i < 5; i++)
		v[i] = wl_be32(&r->s.c);
	if (!wl_ok(&r->s.c))
		return;
	for (int i = 0; i < 5; i++)
		wl_f_uint(r->p->m, f[i], v[i]);
	txtf(r->txt, sizeof r->txt, "%s serial %u", mname, v[0]);
}

static void rd_txt_field(struct rd *r, const char *field)
{
	size_t o = 0;
	while (wl_left(&r->s.c)) {
		uint8_t n = wl_u8(&r->s.c);
		const uint8_t *s = wl_bytes(&r->s.c, n);
		if (!s)
			return;
		wl_f_str(r->p->m, field, s, n);
		if (o < sizeof r->txt - 4)
			o += (size_t)wl_snprintf(r->txt + o, sizeof r->txt - o, "%s\"%.*s\"",
					      o ? " " : "", (int)n, (const char *)s);
	}
}

static void rd_txt(struct rd *r) { rd_txt_field(r, "dns.txt"); }
static void rd_spf(struct rd *r) { rd_txt_field(r, "dns.spf"); }

static void rd_hinfo(struct rd *r)
{
	uint8_t n = wl_u8(&r->s.c);
	const uint8_t *cpu = wl_bytes(&r->s.c, n);
	uint8_t k = wl_u8(&r->s.c);
	const uint8_t *os = wl_bytes(&r->s.c, k);
	if (!cpu || !os)
		return;
	wl_f_str(r->p->m, "dns.hinfo.cpu", cpu, n);
	wl_f_str(r->p->m, "dns.hinfo.os", os, k);
	txtf(r->txt, sizeof r->txt, "%.*s %.*s", (int)n, (const char *)cpu, (int)k, (const char *)os);
}

static void rd_srv(struct rd *r)
{
	uint16_t prio = wl_be16(&r->s.c), weight = wl_be16(&r->s.c), port = wl_be16(&r->s.c);
	if (!wl_ok(&r->s.c))
		return;
	wl_f_uint(r->p->m, "dns.srv.priority", prio);
	wl_f_uint(r->p->m, "dns.srv.weight", weight);
	wl_f_uint(r->p->m, "dns.srv.port", port);
	char n[NAME_TXT];
	rd_name(r, "dns.srv.target", n, sizeof n);
	txtf(r->txt, sizeof r->txt, "%s:%u prio %u weight %u", n, port, prio, weight);
}

static void rd_caa(struct rd *r)
{
	uint8_t flags = wl_u8(&r->s.c), tl = wl_u8(&r->s.c);
	const uint8_t *tag = wl_bytes(&r->s.c, tl);
	size_t vl = wl_left(&r->s.c);
	const uint8_t *val = wl_bytes(&r->s.c, vl);
	if (!tag)
		return;
	wl_f_uint(r->p->m, "dns.caa.flags", flags);
	wl_f_bool(r->p->m, "dns.caa.flags.issuer_critical", flags & 0x80);
	wl_f_uint(r->p->m, "dns.caa.tag_length", tl);
	wl_f_str(r->p->m, "dns.caa.tag", tag, tl);
	const char *field = "dns.caa.value";
	if (tl == 5 && memcmp(tag, "issue", 5) == 0)
		field = "dns.caa.issue";
	else if (tl == 9 && memcmp(tag, "issuewild", 9) == 0)
		field = "dns.caa.issuewild";
	else if (tl == 5 && memcmp(tag, "iodef", 5) == 0)
		field = "dns.caa.iodef";
	wl_f_str(r->p->m, field, val ? val : tag, val ? vl : 0);
	txtf(r->txt, sizeof r->txt, "%u %.*s \"%.*s\"", flags, (int)tl, (const char *)tag,
		 (int)(val ? vl : 0), val ? (const char *)val : "");
}

static void rd_sshfp(struct rd *r)
{
	uint8_t alg = wl_u8(&r->s.c), ft = wl_u8(&r->s.c);
	size_t n = wl_left(&r->s.c);
	const uint8_t *fp = wl_bytes(&r->s.c, n);
	if (!wl_ok(&r->s.c))
		return;
	wl_f_uint(r->p->m, "dns.sshfp.algorithm", alg);
	wl_f_uint(r->p->m, "dns.sshfp.fingerprint.type", ft);
	wl_f_bytes(r->p->m, "dns.sshfp.fingerprint", fp, n);
	txtf(r->txt, sizeof r->txt, "algorithm %u, %zu-byte fingerprint", alg, n);
}

static const char *alg_name(uint8_t a)
{
	ldns_lookup_table *l = ldns_lookup_by_id(ldns_algorithms, a);
	return l && l->name ? l->name : "unknown";
}

static void rd_ds(struct rd *r)
{
	uint16_t tag = wl_be16(&r->s.c);
	uint8_t alg = wl_u8(&r->s.c), dt = wl_u8(&r->s.c);
	size_t n = wl_left(&r->s.c);
	const uint8_t *dg = wl_bytes(&r->s.c, n);
	if (!wl_ok(&r->s.c))
		return;
	wl_f_uint(r->p->m, "dns.ds.key_id", tag);
	wl_f_uint(r->p->m, "dns.ds.algorithm", alg);
	wl_f_uint(r->p->m, "dns.ds.digest_type", dt);
	wl_f_bytes(r->p->m, "dns.ds.digest", dg, n);
	txtf(r->txt, sizeof r->txt, "key %u %s", tag, alg_name(alg));
}

static void rd_rrsig(struct rd *r)
{
	uint16_t covered = wl_be16(&r->s.c);
	uint8_t alg = wl_u8(&r->s.c), labels = wl_u8(&r->s.c);
	uint32_t ottl = wl_be32(&r->s.c), exp = wl_be32(&r->s.c), inc = wl_be32(&r->s.c);
	uint16_t tag = wl_be16(&r->s.c);
	if (!wl_ok(&r->s.c))
		return;
	struct wl_msg *m = r->p->m;
	wl_f_uint(m, "dns.rrsig.type_covered", covered);
	wl_f_uint(m, "dns.rrsig.algorithm", alg);
	wl_f_uint(m, "dns.rrsig.labels", labels);
	wl_f_uint(m, "dns.rrsig.original_ttl", ottl);
	wl_f_time(m, "dns.rrsig.signature_expiration", (int64_t)exp * 1000000000);
	wl_f_time(m, "dns.rrsig.signature_inception", (int64_t)inc * 1000000000);
	wl_f_uint(m, "dns.rrsig.key_tag", tag);
	char n[NAME_TXT];
	if (rd_name(r, "dns.rrsig.signers_name", n, sizeof n) < 0)
		return;
	size_t sl = wl_left(&r->s.c);
	wl_f_bytes(m, "dns.rrsig.signature", wl_bytes(&r->s.c, sl), sl);
	char tb[16];
	txtf(r->txt, sizeof r->txt, "over %s by %s key %u", type_name(covered, tb, sizeof tb), n, tag);
}

static void rd_dnskey(struct rd *r)
{
	struct wl_cur all = r->s.c;
	uint16_t flags = wl_be16(&r->s.c);
	uint8_t proto = wl_u8(&r->s.c), alg = wl_u8(&r->s.c);
	size_t n = wl_left(&r->s.c);
	const uint8_t *key = wl_bytes(&r->s.c, n);
	if (!wl_ok(&r->s.c))
		return;
	/* key tag: RFC 4034 appendix B, over the whole RDATA */
	uint32_t ac = 0;
	for (size_t i = 0; wl_left(&all); i++)
		ac += (i & 1) ? wl_u8(&all) : (uint32_t)wl_u8(&all) << 8;
	ac += ac >> 16 & 0xFFFF;
	struct wl_msg *m = r->p->m;
	wl_f_hex(m, "dns.dnskey.flags", flags);
	wl_f_bool(m, "dns.dnskey.flags.zone_key", flags & 0x0100);
	wl_f_bool(m, "dns.dnskey.flags.key_revoked", flags & 0x0080);
	wl_f_bool(m, "dns.dnskey.flags.secure_entry_point", flags & 0x0001);
	wl_f_uint(m, "dns.dnskey.protocol", proto);
	wl_f_uint(m, "dns.dnskey.algorithm", alg);
	wl_f_uint(m, "dns.dnskey.key_id", ac & 0xFFFF);
	wl_f_bytes(m, "dns.dnskey.public_key", key, n);
	txtf(r->txt, sizeof r->txt, "%s %u %s", flags & 1 ? "KSK" : "ZSK", ac & 0xFFFF, alg_name(alg));
}

/* NSEC/NSEC3 type bitmap (RFC 4034 section 4.1.2): the types at the owner,
 * each as dns.resp.type as tshark lists them. */
static void type_bitmap(struct rd *r)
{
	while (wl_left(&r->s.c)) {
		uint8_t win = wl_u8(&r->s.c), len = wl_u8(&r->s.c);
		const uint8_t *bits = wl_bytes(&r->s.c, len);
		if (!bits || len == 0 || len > 32) {
			bad(r->p, "NSEC type bitmap window %u of %u bytes", win, len);
			wl_invalid(&r->s.c);
			return;
		}
		for (unsigned i = 0; i < len * 8u; i++)
			if (bits[i / 8] & (0x80 >> (i % 8)))
				wl_f_uint(r->p->m, "dns.resp.type", (unsigned)win << 8 | i);
	}
}

static void rd_nsec(struct rd *r)
{
	char n[NAME_TXT];
	if (rd_name(r, "dns.nsec.next_domain_name", n, sizeof n) < 0)
		return;
	type_bitmap(r);
	txtf(r->txt, sizeof r->txt, "next %s", n);
}

static void rd_nsec3(struct rd *r)
{
	uint8_t alg = wl_u8(&r->s.c), flags = wl_u8(&r->s.c);
	uint16_t it = wl_be16(&r->s.c);
	uint8_t sl = wl_u8(&r->s.c);
	const uint8_t *salt = wl_bytes(&r->s.c, sl);
	uint8_t hl = wl_u8(&r->s.c);
	const uint8_t *hash = wl_bytes(&r->s.c, hl);
	if (!wl_ok(&r->s.c))
		return;
	struct wl_msg *m = r->p->m;
	wl_f_uint(m, "dns.nsec3.algo", alg);
	wl_f_uint(m, "dns.nsec3.flags", flags);
	wl_f_bool(m, "dns.nsec3.flags.opt_out", flags & 1);
	wl_f_uint(m, "dns.nsec3.iterations", it);
	wl_f_uint(m, "dns.nsec3.salt_length", sl);
	wl_f_bytes(m, "dns.nsec3.salt_value", salt, sl);
	wl_f_uint(m, "dns.nsec3.hash_length", hl);
	/* base32hex without padding (RFC 4648 section 7), as the owner names */
	static const char b32[] = "0123456789abcdefghijklmnopqrstuv";
	char out[2 * 256];
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < hl; i++) {
		acc = acc << 8 | hash[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32[acc >> (bits - 5) & 31];
			bits -= 5;
		}
	}
	if (bits)
		out[o++] = b32[acc << (5 - bits) & 31];
	out[o] = '\0';
	wl_f_cstr(m, "dns.nsec3.hash_value", out);
	type_bitmap(r);
	txtf(r->txt, sizeof r->txt, "next hash %s", out);
}

struct opt_rd {
	struct dnsp *p;
	uint16_t code;
	struct wl_cur v;
};

static void opt_cookie(struct opt_rd *o)
{
	size_t n = wl_left(&o->v);
	wl_f_bytes(o->p->m, "dns.opt.cookie.client", wl_bytes(&o->v, n < 8 ? n : 8), n < 8 ? n : 8);
	/* a client-only cookie has an empty server cookie, as tshark shows it */
	if (n >= 8)
		wl_f_bytes(o->p->m, "dns.opt.cookie.server", wl_bytes(&o->v, n - 8), n - 8);
	if (n != 8 && (n < 16 || n > 40))
		bad(o->p, "DNS cookie of %zu bytes (8, or 16 to 40)", n);
}

static void opt_ecs(struct opt_rd *o)
{
	uint16_t fam = wl_be16(&o->v);
	uint8_t src = wl_u8(&o->v), scope = wl_u8(&o->v);
	if (!wl_ok(&o->v))
		return;
	wl_f_uint(o->p->m, "dns.opt.client.family", fam);
	wl_f_uint(o->p->m, "dns.opt.client.netmask", src);
	wl_f_uint(o->p->m, "dns.opt.client.scope", scope);
	uint8_t a[16] = { 0 };
	size_t n = wl_left(&o->v);
	size_t max = fam == 1 ? 4 : fam == 2 ? 16 : 0;
	if (!max || n > max) {
		wl_f_bytes(o->p->m, "dns.opt.client.addr", wl_bytes(&o->v, n), n);
		return;
	}
	wl_copy(&o->v, a, n);
	if (fam == 1)
		wl_f_ipv4(o->p->m, "dns.opt.client.addr4", a);
	else
		wl_f_ipv6(o->p->m, "dns.opt.client.addr6", a);
}

static void opt_padding(struct opt_rd *o)
{
	size_t n = wl_left(&o->v);
	wl_f_bytes(o->p->m, "dns.opt.padding", wl_bytes(&o->v, n), n);
}

static void opt_algs(struct opt_rd *o)
{
	const char *f = o->code == 5 ? "dns.opt.dau" : o->code == 6 ? "dns.opt.dhu" : "dns.opt.n3u";
	while (wl_left(&o->v))
		wl_f_uint(o->p->m, f, wl_u8(&o->v));
}

static void opt_keepalive(struct opt_rd *o)
{
	if (wl_left(&o->v) >= 2)
		wl_f_uint(o->p->m, "dns.opt.edns_tcp_keepalive.timeout", wl_be16(&o->v));
}

static void opt_ede(struct opt_rd *o)
{
	uint16_t code = wl_be16(&o->v);
	if (!wl_ok(&o->v))
		return;
	wl_f_uint(o->p->m, "dns.opt.ext_err.info_code", code);
	size_t n = wl_left(&o->v);
	if (n)
		wl_f_str(o->p->m, "dns.opt.ext_err.extra_text", wl_bytes(&o->v, n), n);
}

static const struct {
	uint16_t code;
	void (*fn)(struct opt_rd *o);
} opt_handlers[] = {
	{ 5, opt_algs }, { 6, opt_algs }, { 7, opt_algs }, { 8, opt_ecs }, { 10, opt_cookie },
	{ 11, opt_keepalive }, { 12, opt_padding }, { 15, opt_ede },
};

/* OPT (RFC 6891): CLASS is the UDP payload size, TTL the extended rcode,
 * version and DO bit, RDATA a list of options. */
static void rd_opt(struct rd *r, uint16_t cls, uint32_t ttl)
{
	struct dnsp *p = r->p;
	struct wl_msg *m = p->m;
	p->have_opt = 1;
	p->ext_rcode = ttl >> 24;
	wl_f_uint(m, "dns.rr.udp_payload_size", cls);
	wl_f_uint(m, "dns.resp.ext_rcode", ttl >> 24);
	wl_f_uint(m, "dns.resp.edns0_version", ttl >> 16 & 0xFF);
	wl_f_hex(m, "dns.resp.z", ttl & 0xFFFF);
	wl_f_bool(m, "dns.resp.z.do", ttl & 0x8000);
	txtf(r->txt, sizeof r->txt, "EDNS udp %u%s", cls, ttl & 0x8000 ? " DO" : "");
	size_t o = strlen(r->txt);
	while (wl_left(&r->s.c)) {
		uint16_t code = wl_be16(&r->s.c), len = wl_be16(&r->s.c);
		struct wl_cur v = wl_sub(&r->s.c, len);
		if (!wl_ok(&r->s.c)) {
			bad(p, "EDNS option %u of %u bytes runs past the OPT record", code, len);
			return;
		}
		wl_f_uint(m, "dns.opt.code", code);
		wl_f_uint(m, "dns.opt.len", len);
		const char *name = wl_tok(edns_opts, code, NULL);
		if (o < sizeof r->txt - 20)
			o += (size_t)wl_snprintf(r->txt + o, sizeof r->txt - o, ", %s", name ? name : "option");
		struct opt_rd od = { p, code, v };
		size_t i;
		for (i = 0; i < sizeof opt_handlers / sizeof opt_handlers[0]; i++)
			if (opt_handlers[i].code == code)
				break;
		/* tshark gives every option's data, decoded or not, empty too */
		struct wl_cur all = v;
		wl_f_bytes(m, "dns.opt.data", wl_bytes(&all, len), len);
		if (i < sizeof opt_handlers / sizeof opt_handlers[0])
			opt_handlers[i].fn(&od);
	}
}

static const struct {
	uint16_t type;
	void (*fn)(struct rd *r);
} rd_handlers[] = {
	{ T_A, rd_a }, { T_NS, rd_ns }, { T_CNAME, rd_cname }, { T_SOA, rd_soa },
	{ T_PTR, rd_ptr }, { T_HINFO, rd_hinfo }, { T_MX, rd_mx }, { T_TXT, rd_txt },
	{ T_AAAA, rd_aaaa }, { T_SRV, rd_srv }, { T_DNAME, rd_dname }, { T_DS, rd_ds },
	{ T_SSHFP, rd_sshfp }, { T_RRSIG, rd_rrsig }, { T_NSEC, rd_nsec }, { T_DNSKEY, rd_dnskey },
	{ T_NSEC3, rd_nsec3 }, { T_SPF, rd_spf }, { T_CAA, rd_caa },
};

/* ---- sections ---- */

static void summary_add(struct dnsp *p, const char *type, const char *txt)
{
	if (p->answers_shown++ == 0)
		txtf(p->summary, sizeof p->summary, "%s %s", type, txt);
	char one[sizeof p->all];
	txtf(one, sizeof one, "%s %s", type, txt);
	size_t o = strlen(p->all), k = strlen(one);
	/* whole answers only, in order: a cut one would read as a different value */
	if (p->all_n + 1 == p->answers_shown && o + k + 2 < sizeof p->all) {
		txtf(p->all + o, sizeof p->all - o, "%s%s", o ? ", " : "", one);
		p->all_n++;
	}
}

static void srv_owner(struct dnsp *p, const char *name)
{
	/* _service._proto.name */
	const char *d1 = strchr(name, '.');
	const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	if (name[0] != '_' || !d1 || d1[1] != '_' || !d2)
		return;
	wl_f_str(p->m, "dns.srv.service", name, (size_t)(d1 - name));
	wl_f_str(p->m, "dns.srv.proto", d1 + 1, (size_t)(d2 - d1 - 1));
	wl_f_cstr(p->m, "dns.srv.name", d2 + 1);
}

/* One resource record; returns -1 when the rest of the message is lost. */
static int parse_rr(struct dnsp *p, struct span *s, int section)
{
	char name[NAME_TXT], tb[16];
	if (read_name(p, s, name, sizeof name) < 0 && !wl_ok(&s->c))
		return -1;
	uint16_t type = wl_be16(&s->c), cls = wl_be16(&s->c);
	uint32_t ttl = wl_be32(&s->c);
	uint16_t rdlen = wl_be16(&s->c);
	if (!wl_ok(&s->c)) {
		bad(p, "resource record of %s cut short", name);
		return -1;
	}
	struct wl_msg *m = p->m;
	const char *tn = type_name(type, tb, sizeof tb);
	wl_f_cstr(m, "dns.resp.name", name);
	wl_f_uint(m, "dns.resp.type", type);
	if (type != T_OPT) {
		wl_f_uint(m, "dns.resp.class", p->mdns ? cls & 0x7FFF : cls);
		if (p->mdns)
			wl_f_bool(m, "dns.resp.cache_flush", cls & 0x8000);
		wl_f_uint(m, "dns.resp.ttl", ttl);
	} else if (p->mdns) {
		wl_f_bool(m, "dns.resp.cache_flush", cls & 0x8000);
	}
	wl_f_uint(m, "dns.resp.len", rdlen);
	if (rdlen > wl_left(&s->c)) {
		bad(p, "RDLENGTH %u of %s %s runs past the end of the message (%zu bytes left)",
		    rdlen, tn, name, wl_left(&s->c));
		wl_invalid(&s->c);
		return -1;
	}
	struct rd r = { .p = p };
	r.s.c = wl_sub(&s->c, rdlen);
	r.s.end = span_off(s);
	if (type == T_SRV)
		srv_owner(p, name);
	if (type == T_OPT) {
		if (section != 3 || strcmp(name, "<Root>") != 0)
			bad(p, "OPT record outside the additional section or not at the root");
		rd_opt(&r, cls, ttl);
	} else {
		size_t i;
		for (i = 0; i < sizeof rd_handlers / sizeof rd_handlers[0]; i++)
			if (rd_handlers[i].type == type)
				break;
		if (i < sizeof rd_handlers / sizeof rd_handlers[0]) {
			rd_handlers[i].fn(&r);
			if (!wl_ok(&r.s.c))
				bad(p, "%s record data does not fit its RDLENGTH %u", tn, rdlen);
			else if (wl_left(&r.s.c))
				bad(p, "%zu bytes after the %s record data (RDLENGTH %u)", wl_left(&r.s.c), tn, rdlen);
		} else {
			wl_snprintf(r.txt, sizeof r.txt, "%u bytes", rdlen);
		}
	}
	if (section == 1)
		summary_add(p, tn, r.txt);
	if (type == T_SOA && section == 2)
		p->have_soa_auth = 1;
	return 0;
}

static int parse_question(struct dnsp *p, struct span *s, char *qname, size_t cap, uint16_t *qtype)
{
	if (read_name(p, s, qname, cap) < 0 && !wl_ok(&s->c))
		return -1;
	uint16_t type = wl_be16(&s->c), cls = wl_be16(&s->c);
	if (!wl_ok(&s->c)) {
		bad(p, "question cut short");
		return -1;
	}
	wl_f_cstr(p->m, "dns.qry.name", qname);
	wl_f_uint(p->m, "dns.qry.type", type);
	wl_f_uint(p->m, "dns.qry.class", p->mdns ? cls & 0x7FFF : cls);
	if (p->mdns)
		wl_f_bool(p->m, "dns.qry.qu", cls & 0x8000);
	*qtype = type;
	return 0;
}

/* ---- pairing ---- */

static void remember_query(struct dns_state *st, struct dnsp *p, uint16_t id)
{
	for (unsigned i = 0; i < PENDING; i++) {
		if (st->q[i].used && st->q[i].id == id) {
			wl_note(p->m, WL_WARN, "query id 0x%04x again (frame %llu asked first): a retransmission",
				id, (unsigned long long)st->q[i].frame);
			wl_f_bool(p->m, "dns.retransmission", 1);
			/* the answer is paired with the first query, as tshark does
			 * (dns.response_to, dns.time from it) */
			return;
		}
	}
	struct pending *q = &st->q[st->next++ % PENDING];
	q->used = 1;
	q->id = id;
	q->frame = wl_frame(p->ctx);
	q->ns = wl_time_ns(p->ctx);
}

/* The query this response answers, or NULL; forgets it. */
static const struct pending *match_query(struct dns_state *st, uint16_t id, struct pending *out)
{
	for (unsigned i = 0; i < PENDING; i++) {
		if (st->q[i].used && st->q[i].id == id) {
			*out = st->q[i];
			st->q[i].used = 0;
			return out;
		}
	}
	return NULL;
}

/* ---- one message ---- */

static void teach_query(struct dnsp *p, const char *qname, const char *tn, uint16_t flags, int tcp)
{
	unsigned op = flags >> 11 & 0xF;
	char via[48] = "";
	if (tcp)  /* RFC 7766: each message after a 2-byte length */
		wl_snprintf(via, sizeof via, " over TCP (length prefix %zu)", p->len);
	if (op == 0)
		wl_note(p->m, WL_INFO, "DNS query%s: what is the %s record of %s?%s", via,
			tn, qname, flags & 0x0100 ? " (recursion desired)" : "");
	else {
		char ob[16];
		wl_note(p->m, WL_INFO, "DNS %s request for %s", opcode_name(op, ob, sizeof ob), qname);
	}
}

/* ns rounded to a multiple of unit, as printf rounds ns / unit to an integer;
 * -1 for an exact tie, where printf's rounding depends on the double. */
static int64_t round_units(int64_t ns, int64_t unit)
{
	int64_t q = ns / unit, r = ns % unit;
	if (2 * r == unit)
		return -1;
	return 2 * r > unit ? q + 1 : q;
}

/* " after %.1f ms (%.6f s)" of the delay ns, into out. The glibc float
 * conversion was most of a response's cost; integers give the same digits
 * wherever the double of ns / 1e6 (ns / 1e9) cannot fall across a rounding
 * boundary: for 0 <= ns < 1e15 its error is below the 1 ns that separates
 * any other value from a boundary, so only exact ties go to snprintf. */
static void put_after(char *out, size_t cap, int64_t ns)
{
	int64_t tenths = ns >= 0 && ns < 1000000000000000 ? round_units(ns, 100000) : -1;
	int64_t us = tenths >= 0 ? round_units(ns, 1000) : -1;
	if (us < 0) {
		snprintf(out, cap, " after %.1f ms (%.6f s)", (double)ns / 1e6, (double)ns / 1e9);
		return;
	}
	/* by hand: a padded conversion writes its zeros one call each */
	char t[80], d[WL_U64_DIGITS];
	size_t o = 7, k = wl_u64_dec(d + sizeof d, (uint64_t)tenths / 10);
	memcpy(t, " after ", 7);
	memcpy(t + o, d + sizeof d - k, k);
	o += k;
	t[o++] = '.';
	t[o++] = (char)('0' + tenths % 10);
	memcpy(t + o, " ms (", 5);
	o += 5;
	k = wl_u64_dec(d + sizeof d, (uint64_t)us / 1000000);
	memcpy(t + o, d + sizeof d - k, k);
	o += k;
	t[o++] = '.';
	for (int i = 5, f = (int)(us % 1000000); i >= 0; i--, f /= 10)
		t[o + (size_t)i] = (char)('0' + f % 10);
	o += 6;
	memcpy(t + o, " s)", 4);
	wl_snprintf(out, cap, "%s", t);  /* cut to cap as before */
}

static void teach_response(struct dnsp *p, const struct pending *q, unsigned rcode,
			   uint16_t id, uint16_t flags, uint16_t an, const char *qname, unsigned op)
{
	char when[80] = "";
	size_t w = 0;
	if (p->tcp)
		w = (size_t)wl_snprintf(when, sizeof when, " over TCP (length prefix %zu)", p->len);
	if (q && w < sizeof when)
		put_after(when + w, sizeof when - w, wl_time_ns(p->ctx) - q->ns);
	char rb[16];
	if (op == 5)  /* its sections are zone, prerequisites, updates: no answers */
		wl_note(p->m, WL_INFO, "DNS UPDATE response%s: %s (rcode %u)%s%s (RFC 2136)", when,
			rcode_name(rcode, rb, sizeof rb), rcode,
			rcode ? ": the update was refused, zone " : ": the server applied the update to zone ",
			qname);
	else if ((flags & 0x0200) && an == 0 && rcode == 0)
		wl_note(p->m, WL_INFO, "DNS response%s: the answer did not fit in %s, so the server sent only the question, with TC set",
			when, p->have_opt ? "the EDNS size the client offered" : "512 bytes of UDP");
	else if (rcode == 3)
		wl_note(p->m, WL_INFO, "DNS response%s: %s does not exist (NXDOMAIN, rcode 3)%s", when, qname,
			p->have_soa_auth ? "; the SOA in authority says how long to remember that" : "");
	else if (rcode)
		wl_note(p->m, WL_INFO, "DNS response%s: error %s (rcode %u)", when, rcode_name(rcode, rb, sizeof rb), rcode);
	else
		wl_note(p->m, WL_INFO, "DNS response%s: NOERROR (rcode 0), %u answer%s%s%s", when, an, an == 1 ? "" : "s",
			flags & 0x0400 ? ", authoritative (from the zone's own server)" : "",
			an == 0 ? " (the name exists, but not with this type)" : "");
	if (flags & 0x0200)
		wl_note(p->m, WL_WARN, "truncated (TC): the answer did not fit; the client should retry over TCP");
	if (!q && p->mdns)
		wl_note(p->m, WL_INFO, "mDNS: a multicast announcement, no query needed");
	else if (!q)
		wl_note(p->m, WL_INFO, "no query with id 0x%04x seen in this flow", id);
}

static void dns_flag_fields(struct wl_msg *m, uint16_t flags);

static void header_fields(struct wl_msg *m, uint16_t id, uint16_t flags, const uint16_t cnt[4], int llmnr)
{
	int resp = flags >> 15;
	unsigned op = flags >> 11 & 0xF;
	wl_f_hex(m, "dns.id", id);
	wl_f_hex(m, "dns.flags", flags);
	wl_f_bool(m, "dns.flags.response", resp);
	wl_f_uint(m, "dns.flags.opcode", op);
	if (llmnr) {
		/* RFC 4795 2.1.1: C, TC, T in place of AA, TC, RD; no RA, Z, AD, CD */
		wl_f_bool(m, "dns.flags.conflict", flags & 0x0400);
		wl_f_bool(m, "dns.flags.truncated", flags & 0x0200);
		wl_f_bool(m, "dns.flags.tentative", flags & 0x0100);
		if (resp)
			wl_f_uint(m, "dns.flags.rcode", flags & 0xF);
	} else {
		dns_flag_fields(m, flags);
	}
	static const char *const cn[2][4] = {
		{ "dns.count.queries", "dns.count.answers", "dns.count.auth_rr", "dns.count.add_rr" },
		{ "dns.count.zones", "dns.count.prerequisites", "dns.count.updates", "dns.count.add_rr" },
	};
	for (int i = 0; i < 4; i++)
		wl_f_uint(m, cn[op == 5][i], cnt[i]);
}

static void dns_flag_fields(struct wl_msg *m, uint16_t flags)
{
	int resp = flags >> 15;
	if (resp)
		wl_f_bool(m, "dns.flags.authoritative", flags & 0x0400);
	wl_f_bool(m, "dns.flags.truncated", flags & 0x0200);
	wl_f_bool(m, "dns.flags.recdesired", flags & 0x0100);
	if (resp)
		wl_f_bool(m, "dns.flags.recavail", flags & 0x0080);
	wl_f_bool(m, "dns.flags.z", flags & 0x0040);
	if (resp || (flags & 0x0020))  /* tshark shows a query's AD bit only when set */
		wl_f_bool(m, "dns.flags.authenticated", flags & 0x0020);
	wl_f_bool(m, "dns.flags.checkdisable", flags & 0x0010);
	if (resp)
		wl_f_uint(m, "dns.flags.rcode", flags & 0xF);
}

/* The four sections; qname/qtype get the first question. Stops at the
 * first record whose end cannot be found. */
static void sections(struct dnsp *p, struct span *s, const uint16_t cnt[4], char *qname, uint16_t *qtype)
{
	static const char *const sect[4] = { "questions", "answers", "authority records", "additional records" };
	for (int sec = 0; sec < 4; sec++) {
		for (unsigned i = 0; i < cnt[sec]; i++) {
			if (!wl_left(&s->c)) {
				bad(p, "the header announces %u %s, the message ends after %u", cnt[sec], sect[sec], i);
				return;
			}
			int rc;
			if (sec == 0) {
				char n[NAME_TXT];
				uint16_t t = 0;
				rc = parse_question(p, s, n, sizeof n, &t);
				if (i == 0) {
					memcpy(qname, n, NAME_TXT);
					*qtype = t;
				}
			} else {
				rc = parse_rr(p, s, sec);
			}
			if (rc < 0)
				return;
		}
	}
	if (wl_left(&s->c))
		wl_note(p->m, WL_WARN, "%zu bytes after the last record", wl_left(&s->c));
}

static void dns_message(struct dns_state *st, struct wl_ctx *ctx, enum wl_dir dir,
			struct wl_cur c, int tcp)
{
	struct dnsp p = { .ctx = ctx, .msg = c, .len = wl_left(&c), .tcp = tcp };
	uint16_t sp = wl_flow_port(ctx, WL_S2C), cp = wl_flow_port(ctx, WL_C2S);
	p.mdns = sp == 5353 || cp == 5353;
	p.llmnr = !p.mdns && (sp == 5355 || cp == 5355);
	/* DNS on the wire, under Wireshark's own protocol names */
	const char *proto = p.mdns ? "mdns" : p.llmnr ? "llmnr" : "dns";
	struct span s = { c, p.len };
	uint16_t id = wl_be16(&s.c), flags = wl_be16(&s.c);
	uint16_t cnt[4];
	for (int i = 0; i < 4; i++)
		cnt[i] = wl_be16(&s.c);
	int resp = flags >> 15;
	p.m = wl_msg_new(ctx, proto, !wl_ok(&s.c) ? "malformed" : resp ? "response" : "query", dir);
	struct wl_msg *m = p.m;
	if (tcp)
		wl_f_uint(m, "dns.length", p.len);
	if (!wl_ok(&s.c)) {
		wl_msg_text(m, "DNS message of %zu bytes", p.len);
		wl_note(m, WL_ERROR, "malformed: a DNS message of %zu bytes is shorter than the 12-byte header", p.len);
		return;
	}
	unsigned op = flags >> 11 & 0xF;
	header_fields(m, id, flags, cnt, p.llmnr);
	char qname[NAME_TXT] = "", tb[16];
	uint16_t qtype = 0;
	sections(&p, &s, cnt, qname, &qtype);
	unsigned rcode = (p.ext_rcode << 4) | (flags & 0xF);
	const char *tn = qname[0] ? type_name(qtype, tb, sizeof tb) : "?";
	char rb[16];
	if (!resp) {
		wl_msg_text(m, "0x%04x %s? %s", id, tn, qname[0] ? qname : "(no question)");
		teach_query(&p, qname, tn, flags, tcp);
		remember_query(st, &p, id);
	} else {
		struct pending qbuf;
		const struct pending *q = match_query(st, id, &qbuf);
		if (wl_opts(ctx)->verbose)
			wl_f_cstr(m, "wl.dns.rcode", rcode_name(rcode, rb, sizeof rb));
		if (q) {
			wl_f_uint(m, "dns.response_to", q->frame);
			wl_f_double(m, "dns.time", (double)(wl_time_ns(ctx) - q->ns) / 1e9);
		}
		if (op == 5)
			wl_msg_text(m, "0x%04x UPDATE %s: %s", id, qname,
				    rcode ? rcode_name(rcode, rb, sizeof rb) : "applied");
		else if (rcode)
			wl_msg_text(m, "0x%04x %s %s", id, rcode_name(rcode, rb, sizeof rb), qname);
		else if (p.summary[0] && p.answers_shown > 1)
			wl_msg_text(m, "0x%04x %s (+%u more)", id, p.summary, p.answers_shown - 1);
		else if (p.summary[0])
			wl_msg_text(m, "0x%04x %s", id, p.summary);
		else if (flags & 0x0200)
			wl_msg_text(m, "0x%04x %s %s: truncated (TC)", id, tn, qname);
		else
			wl_msg_text(m, "0x%04x %s %s: no answer", id, tn, qname);
		teach_response(&p, q, rcode, id, flags, cnt[1], qname, op);
		if (p.answers_shown > 1 && p.all_n < p.answers_shown)
			wl_note(m, WL_INFO, "answers: %s, and %u more (-v shows every record)", p.all,
				p.answers_shown - p.all_n);
		else if (p.answers_shown > 1)
			wl_note(m, WL_INFO, "answers: %s", p.all);
	}
	if (tcp && op == 0 && p.errors == 0 && p.len > 512 && resp)
		wl_note(m, WL_INFO, "a %zu-byte answer: over TCP there is no 512-byte limit", p.len);
}

/* ---- entry points ---- */

static void *dns_open(struct wl_ctx *ctx)
{
	(void)ctx;
	return calloc(1, sizeof(struct dns_state));
}

static void dns_close(void *st, struct wl_ctx *ctx)
{
	struct dns_state *s = st;
	for (int d = 0; d < 2; d++) {
		if (s->want[d]) {
			struct wl_msg *m = wl_msg_new(ctx, "dns", "malformed", (enum wl_dir)d);
			wl_msg_text(m, "DNS over TCP: message cut short");
			wl_note(m, WL_ERROR, "malformed: the length prefix announced %u bytes, only %u arrived before the end",
				s->want[d], s->have[d]);
		}
	}
	free(st);
}

static void dns_datagram(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	dns_message(st, ctx, dir, c, 0);
}

static size_t dns_stream(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct dns_state *s = st;
	size_t used = 0;
	if (s->desync[dir])
		return wl_left(&c);
	s->want[dir] = 0;
	while (wl_left(&c) >= 2) {
		struct wl_cur t = c;
		uint16_t n = wl_be16(&t);
		if (wl_left(&t) < n) {
			s->want[dir] = n;
			s->have[dir] = (uint32_t)wl_left(&t);
			break;
		}
		wl_skip(&c, 2);
		struct wl_cur body = wl_sub(&c, n);
		if (n == 0) {
			struct wl_msg *m = wl_msg_new(ctx, "dns", "malformed", dir);
			wl_msg_text(m, "DNS over TCP: empty message");
			wl_note(m, WL_ERROR, "malformed: length prefix 0");
		} else {
			dns_message(s, ctx, dir, body, 1);
		}
		used += 2u + n;
	}
	return used;
}

static void dns_gap(void *st, struct wl_ctx *ctx, enum wl_dir dir, uint64_t len)
{
	struct dns_state *s = st;
	if (s->desync[dir])
		return;
	s->desync[dir] = 1;
	s->want[dir] = 0;
	struct wl_msg *m = wl_msg_new(ctx, "dns", "gap", dir);
	wl_msg_text(m, "%llu bytes lost", (unsigned long long)len);
	wl_note(m, WL_WARN, "%llu bytes never captured: the next length prefix cannot be found, the rest of this direction is skipped",
		(unsigned long long)len);
}

/* A question that parses cleanly, with sane counts: DNS on an unknown port. */
static enum wl_probe probe_msg(struct wl_cur c)
{
	wl_skip(&c, 2);
	uint16_t flags = wl_be16(&c), qd = wl_be16(&c), an = wl_be16(&c), ns = wl_be16(&c), ar = wl_be16(&c);
	if (!wl_ok(&c))
		return WL_PROBE_NO;
	unsigned op = flags >> 11 & 0xF;
	if (qd != 1 || (op != 0 && op != 4 && op != 5) || (flags & 0x0040))
		return WL_PROBE_NO;
	if (!(flags & 0x8000) && (an || ns || ar > 2))
		return WL_PROBE_NO;
	if (an > 256 || ns > 256 || ar > 256)
		return WL_PROBE_NO;
	unsigned labels = 0, wire = 1;
	for (;;) {
		uint8_t b = wl_u8(&c);
		if (!wl_ok(&c) || b > 63)
			return WL_PROBE_NO;
		if (b == 0)
			break;
		wl_skip(&c, b);
		wire += b + 1u;
		if (++labels > 64 || wire > 255)
			return WL_PROBE_NO;
	}
	uint16_t type = wl_be16(&c), cls = wl_be16(&c) & 0x7FFF;
	if (!wl_ok(&c) || type == 0 || (cls != 1 && cls != 3 && cls != 4 && cls != 255))
		return WL_PROBE_NO;
	if (!(flags & 0x8000) && !ar && wl_left(&c))
		return WL_PROBE_NO;
	return WL_PROBE_YES;
}

static enum wl_probe dns_probe(struct wl_cur c, enum wl_dir dir)
{
	(void)dir;
	if (probe_msg(c) == WL_PROBE_YES)
		return WL_PROBE_YES;
	/* over TCP: a length prefix that matches what follows */
	struct wl_cur t = c;
	uint16_t n = wl_be16(&t);
	if (!wl_ok(&t) || wl_left(&t) < 12)
		return wl_left(&c) < 14 ? WL_PROBE_NEED_MORE : WL_PROBE_NO;
	if (n < 12 || n > wl_left(&t) + 0 || n != wl_left(&t))
		return n > wl_left(&t) && n >= 12 && n < 1024 ? WL_PROBE_NEED_MORE : WL_PROBE_NO;
	return probe_msg(wl_sub(&t, n));
}

static const uint16_t dns_ports[] = { 53, 1053, 5353, 5355, 0 };

/* Emitted only with -v; a filter or -e that names one turns it on. */
static const struct wl_field_info dns_fields_verbose[] = {
	{ "wl.dns.rcode", WL_FT_STR, "the response code's registry name, extended rcode included (NOERROR, NXDOMAIN, BADCOOKIE...; -v)" },
	{ NULL, 0, NULL },
};

static const struct wl_field_info dns_fields[] = {
	{ "dns.id", WL_FT_HEX, "transaction id, pairs a response with its query" },
	{ "dns.flags", WL_FT_HEX, "the 16 flag bits" },
	{ "dns.length", WL_FT_UINT, "DNS over TCP: the 2-byte length prefix (RFC 7766)" },
	{ "dns.flags.response", WL_FT_BOOL, "QR: a response" },
	{ "dns.flags.conflict", WL_FT_BOOL, "LLMNR C: the name is not unique (RFC 4795)" },
	{ "dns.flags.tentative", WL_FT_BOOL, "LLMNR T: the name is being checked for uniqueness" },
	{ "dns.flags.opcode", WL_FT_UINT, "0 query, 4 notify, 5 update" },
	{ "dns.flags.authoritative", WL_FT_BOOL, "AA (responses)" },
	{ "dns.flags.truncated", WL_FT_BOOL, "TC: retry over TCP" },
	{ "dns.flags.recdesired", WL_FT_BOOL, "RD" },
	{ "dns.flags.recavail", WL_FT_BOOL, "RA (responses)" },
	{ "dns.flags.z", WL_FT_BOOL, "reserved bit" },
	{ "dns.flags.authenticated", WL_FT_BOOL, "AD" },
	{ "dns.flags.checkdisable", WL_FT_BOOL, "CD" },
	{ "dns.flags.rcode", WL_FT_UINT, "response code (responses)" },
	{ "dns.count.queries", WL_FT_UINT, "QDCOUNT" },
	{ "dns.count.answers", WL_FT_UINT, "ANCOUNT" },
	{ "dns.count.auth_rr", WL_FT_UINT, "NSCOUNT" },
	{ "dns.count.add_rr", WL_FT_UINT, "ARCOUNT" },
	{ "dns.count.zones", WL_FT_UINT, "UPDATE: zones" },
	{ "dns.count.prerequisites", WL_FT_UINT, "UPDATE: prerequisites" },
	{ "dns.count.updates", WL_FT_UINT, "UPDATE: updates" },
	{ "dns.qry.name", WL_FT_STR, "question name" },
	{ "dns.qry.type", WL_FT_UINT, "question type" },
	{ "dns.qry.class", WL_FT_UINT, "question class" },
	{ "dns.qry.qu", WL_FT_BOOL, "mDNS: unicast response wanted" },
	{ "dns.resp.name", WL_FT_STR, "record owner name" },
	{ "dns.resp.type", WL_FT_UINT, "record type" },
	{ "dns.resp.class", WL_FT_UINT, "record class" },
	{ "dns.resp.cache_flush", WL_FT_BOOL, "mDNS cache flush" },
	{ "dns.resp.ttl", WL_FT_UINT, "time to live, seconds" },
	{ "dns.resp.len", WL_FT_UINT, "RDLENGTH" },
	{ "dns.a", WL_FT_IPV4, "A address (every section)" },
	{ "dns.aaaa", WL_FT_IPV6, "AAAA address" },
	{ "dns.cname", WL_FT_STR, "canonical name" },
	{ "dns.ns", WL_FT_STR, "name server" },
	{ "dns.dname", WL_FT_STR, "DNAME target" },
	{ "dns.ptr.domain_name", WL_FT_STR, "PTR target" },
	{ "dns.mx.preference", WL_FT_UINT, "MX preference (lower first)" },
	{ "dns.mx.mail_exchange", WL_FT_STR, "MX host" },
	{ "dns.txt", WL_FT_STR, "one TXT string" },
	{ "dns.spf", WL_FT_STR, "one SPF string" },
	{ "dns.hinfo.cpu", WL_FT_STR, "HINFO CPU" },
	{ "dns.hinfo.os", WL_FT_STR, "HINFO OS" },
	{ "dns.soa.mname", WL_FT_STR, "SOA primary name server" },
	{ "dns.soa.rname", WL_FT_STR, "SOA mailbox" },
	{ "dns.soa.serial_number", WL_FT_UINT, "SOA serial" },
	{ "dns.soa.refresh_interval", WL_FT_UINT, "SOA refresh" },
	{ "dns.soa.retry_interval", WL_FT_UINT, "SOA retry" },
	{ "dns.soa.expire_limit", WL_FT_UINT, "SOA expire" },
	{ "dns.soa.minimum_ttl", WL_FT_UINT, "SOA minimum (negative caching TTL)" },
	{ "dns.srv.service", WL_FT_STR, "SRV service" },
	{ "dns.srv.proto", WL_FT_STR, "SRV protocol" },
	{ "dns.srv.name", WL_FT_STR, "SRV domain" },
	{ "dns.srv.priority", WL_FT_UINT, "SRV priority" },
	{ "dns.srv.weight", WL_FT_UINT, "SRV weight" },
	{ "dns.srv.port", WL_FT_UINT, "SRV port" },
	{ "dns.srv.target", WL_FT_STR, "SRV target" },
	{ "dns.caa.flags", WL_FT_UINT, "CAA flags" },
	{ "dns.caa.flags.issuer_critical", WL_FT_BOOL, "CAA critical" },
	{ "dns.caa.tag_length", WL_FT_UINT, "CAA tag length" },
	{ "dns.caa.tag", WL_FT_STR, "CAA tag" },
	{ "dns.caa.value", WL_FT_STR, "CAA value (other tags)" },
	{ "dns.caa.issue", WL_FT_STR, "CAA issue" },
	{ "dns.caa.issuewild", WL_FT_STR, "CAA issuewild" },
	{ "dns.caa.iodef", WL_FT_STR, "CAA iodef" },
	{ "dns.sshfp.algorithm", WL_FT_UINT, "SSHFP key algorithm" },
	{ "dns.sshfp.fingerprint.type", WL_FT_UINT, "SSHFP hash" },
	{ "dns.sshfp.fingerprint", WL_FT_BYTES, "SSHFP fingerprint" },
	{ "dns.ds.key_id", WL_FT_UINT, "DS key tag" },
	{ "dns.ds.algorithm", WL_FT_UINT, "DS algorithm" },
	{ "dns.ds.digest_type", WL_FT_UINT, "DS digest type" },
	{ "dns.ds.digest", WL_FT_BYTES, "DS digest" },
	{ "dns.rrsig.type_covered", WL_FT_UINT, "RRSIG type covered" },
	{ "dns.rrsig.algorithm", WL_FT_UINT, "RRSIG algorithm" },
	{ "dns.rrsig.labels", WL_FT_UINT, "RRSIG labels" },
	{ "dns.rrsig.original_ttl", WL_FT_UINT, "RRSIG original TTL" },
	{ "dns.rrsig.signature_expiration", WL_FT_TIME, "RRSIG expiration" },
	{ "dns.rrsig.signature_inception", WL_FT_TIME, "RRSIG inception" },
	{ "dns.rrsig.key_tag", WL_FT_UINT, "RRSIG key tag" },
	{ "dns.rrsig.signers_name", WL_FT_STR, "RRSIG signer" },
	{ "dns.rrsig.signature", WL_FT_BYTES, "RRSIG signature" },
	{ "dns.dnskey.flags", WL_FT_HEX, "DNSKEY flags" },
	{ "dns.dnskey.flags.zone_key", WL_FT_BOOL, "DNSKEY zone key" },
	{ "dns.dnskey.flags.key_revoked", WL_FT_BOOL, "DNSKEY revoked" },
	{ "dns.dnskey.flags.secure_entry_point", WL_FT_BOOL, "DNSKEY key signing key" },
	{ "dns.dnskey.protocol", WL_FT_UINT, "DNSKEY protocol (3)" },
	{ "dns.dnskey.algorithm", WL_FT_UINT, "DNSKEY algorithm" },
	{ "dns.dnskey.key_id", WL_FT_UINT, "DNSKEY key tag (computed)" },
	{ "dns.dnskey.public_key", WL_FT_BYTES, "DNSKEY public key" },
	{ "dns.nsec.next_domain_name", WL_FT_STR, "NSEC next name" },
	{ "dns.nsec3.algo", WL_FT_UINT, "NSEC3 hash algorithm" },
	{ "dns.nsec3.flags", WL_FT_UINT, "NSEC3 flags" },
	{ "dns.nsec3.flags.opt_out", WL_FT_BOOL, "NSEC3 opt-out" },
	{ "dns.nsec3.iterations", WL_FT_UINT, "NSEC3 iterations" },
	{ "dns.nsec3.salt_length", WL_FT_UINT, "NSEC3 salt length" },
	{ "dns.nsec3.salt_value", WL_FT_BYTES, "NSEC3 salt" },
	{ "dns.nsec3.hash_length", WL_FT_UINT, "NSEC3 hash length" },
	{ "dns.nsec3.hash_value", WL_FT_STR, "NSEC3 next hashed owner (base32hex)" },
	{ "dns.rr.udp_payload_size", WL_FT_UINT, "EDNS UDP payload size" },
	{ "dns.resp.ext_rcode", WL_FT_UINT, "EDNS extended rcode (high bits)" },
	{ "dns.resp.edns0_version", WL_FT_UINT, "EDNS version" },
	{ "dns.resp.z", WL_FT_HEX, "EDNS flags" },
	{ "dns.resp.z.do", WL_FT_BOOL, "EDNS DO: DNSSEC records wanted" },
	{ "dns.opt.code", WL_FT_UINT, "EDNS option code" },
	{ "dns.opt.len", WL_FT_UINT, "EDNS option length" },
	{ "dns.opt.data", WL_FT_BYTES, "EDNS option data (unknown options)" },
	{ "dns.opt.cookie.client", WL_FT_BYTES, "client cookie" },
	{ "dns.opt.cookie.server", WL_FT_BYTES, "server cookie" },
	{ "dns.opt.client.family", WL_FT_UINT, "client subnet family" },
	{ "dns.opt.client.netmask", WL_FT_UINT, "client subnet source prefix" },
	{ "dns.opt.client.scope", WL_FT_UINT, "client subnet scope prefix" },
	{ "dns.opt.client.addr", WL_FT_BYTES, "client subnet (odd family)" },
	{ "dns.opt.client.addr4", WL_FT_IPV4, "client subnet" },
	{ "dns.opt.client.addr6", WL_FT_IPV6, "client subnet" },
	{ "dns.opt.padding", WL_FT_BYTES, "padding" },
	{ "dns.opt.dau", WL_FT_UINT, "DNSSEC algorithms understood" },
	{ "dns.opt.dhu", WL_FT_UINT, "DS hashes understood" },
	{ "dns.opt.n3u", WL_FT_UINT, "NSEC3 hashes understood" },
	{ "dns.opt.edns_tcp_keepalive.timeout", WL_FT_UINT, "TCP keepalive, 100 ms units" },
	{ "dns.opt.ext_err.info_code", WL_FT_UINT, "extended DNS error code" },
	{ "dns.opt.ext_err.extra_text", WL_FT_STR, "extended DNS error text" },
	{ "dns.retransmission", WL_FT_BOOL, "the query id was seen before" },

	{ "dns.response_to", WL_FT_UINT, "frame of the query this response answers" },
	{ "dns.time", WL_FT_DOUBLE, "seconds between query and response" },
	{ NULL, 0, NULL },
};

const struct wl_dissector wl_dissector_dns = {
	.name = "dns",
	.desc = "Domain Name System (RFC 1035) over UDP and TCP, with EDNS(0) and DNSSEC records",
	.tcp_ports = dns_ports,
	.udp_ports = dns_ports,
	.probe = dns_probe,
	.open = dns_open,
	.stream = dns_stream,
	.datagram = dns_datagram,
	.gap = dns_gap,
	.close = dns_close,
	.fields = dns_fields,
	.fields_verbose = dns_fields_verbose,
};
