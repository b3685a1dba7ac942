/* ldap.c - LDAPv3: every LDAPMessage, its operation by name, the search filter
 * rendered back to text, each entry returned, each result code by name.
 *
 * Specs: RFC 4511 (protocol), RFC 4515 (filter text), RFC 4513 (bind),
 * RFC 4532 (Who-am-I), RFC 4511 section 4.14 (StartTLS), RFC 1798 (CLDAP,
 * the same messages over UDP).
 *
 *   LDAPMessage ::= SEQUENCE {                      30 len
 *       messageID   INTEGER (0 .. maxInt),          02 len id
 *       protocolOp  CHOICE { [APPLICATION n] ... }, 60+n / 40+n len ...
 *       controls    [0] Controls OPTIONAL }         a0 len ...
 *
 *   protocolOp:  0 bindRequest   1 bindResponse  2 unbindRequest
 *                3 searchRequest 4 searchResEntry 5 searchResDone
 *               19 searchResRef  6/7 modify  8/9 add  10/11 del
 *               12/13 modDN  14/15 compare  16 abandon
 *               23/24 extendedReq/Resp  25 intermediateResponse
 *
 * Over TCP the messages follow one another in the stream; a message may span
 * segments and a segment may hold several. Field names and values are
 * Wireshark's (ldap.protocolOp and ldap.filter are the CHOICE numbers); the
 * filter as text is wl.ldap.filter.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ber.h"
#include "wl.h"

#define LDAP_MAX_MSG (4u << 20)  /* the engine buffers at most 4 MiB per direction */
#define FILTER_TEXT 2048
#define ENTRY_NOTES 24            /* attribute lines shown per entry */

static const uint16_t ldap_tcp_ports[] = { 389, 3268, 3389, 0 };
static const uint16_t ldap_udp_ports[] = { 389, 0 };

/* A request a response may answer: its messageID, frame and time. */
struct ldap_req {
	int64_t id;
	uint64_t frame;
	int64_t ns;
};
#define LDAP_REQS 16

struct ldap_state {
	uint8_t tls[2];           /* after StartTLS: the rest is TLS */
	uint8_t lost[2];          /* framing lost (gap or garbage): skip the rest */
	uint8_t sasl;             /* a SASL bind was seen: wrapped messages possible */
	uint8_t starttls_pending;
	int64_t starttls_id;
	unsigned entries[2];      /* searchResEntry since the last searchResDone */
	uint8_t cldap;            /* over UDP (RFC 1798) */
	struct ldap_req reqs[LDAP_REQS];  /* the latest requests, for ldap.response_to (-v) */
	unsigned nreqs;
};

/* One message being decoded: where fields go and the first error met. */
struct lp {
	struct wl_ctx *ctx;
	struct ldap_state *st;
	struct wl_msg *m;
	int err;
	int64_t id;
	int verbose;              /* -v: the counts of sequences, matchedDN empty too */
	char text[512];           /* the ladder line */
};

static void lp_chk(struct lp *p, const struct wl_cur *c)
{
	if (c->err && !p->err)
		p->err = c->err;
}

static const struct wl_tok op_names[] = {
	{ 0, "bindRequest" }, { 1, "bindResponse" }, { 2, "unbindRequest" },
	{ 3, "searchRequest" }, { 4, "searchResEntry" }, { 5, "searchResDone" },
	{ 6, "modifyRequest" }, { 7, "modifyResponse" }, { 8, "addRequest" },
	{ 9, "addResponse" }, { 10, "delRequest" }, { 11, "delResponse" },
	{ 12, "modDNRequest" }, { 13, "modDNResponse" }, { 14, "compareRequest" },
	{ 15, "compareResponse" }, { 16, "abandonRequest" }, { 19, "searchResRef" },
	{ 23, "extendedReq" }, { 24, "extendedResp" }, { 25, "intermediateResponse" },
	{ 0, NULL }
};

static const struct wl_tok result_names[] = {
	{ 0, "success" }, { 1, "operationsError" }, { 2, "protocolError" },
	{ 3, "timeLimitExceeded" }, { 4, "sizeLimitExceeded" }, { 5, "compareFalse" },
	{ 6, "compareTrue" }, { 7, "authMethodNotSupported" }, { 8, "strongerAuthRequired" },
	{ 10, "referral" }, { 11, "adminLimitExceeded" }, { 12, "unavailableCriticalExtension" },
	{ 13, "confidentialityRequired" }, { 14, "saslBindInProgress" },
	{ 16, "noSuchAttribute" }, { 17, "undefinedAttributeType" },
	{ 18, "inappropriateMatching" }, { 19, "constraintViolation" },
	{ 20, "attributeOrValueExists" }, { 21, "invalidAttributeSyntax" },
	{ 32, "noSuchObject" }, { 33, "aliasProblem" }, { 34, "invalidDNSyntax" },
	{ 36, "aliasDereferencingProblem" }, { 48, "inappropriateAuthentication" },
	{ 49, "invalidCredentials" }, { 50, "insufficientAccessRights" }, { 51, "busy" },
	{ 52, "unavailable" }, { 53, "unwillingToPerform" }, { 54, "loopDetect" },
	{ 64, "namingViolation" }, { 65, "objectClassViolation" },
	{ 66, "notAllowedOnNonLeaf" }, { 67, "notAllowedOnRDN" },
	{ 68, "entryAlreadyExists" }, { 69, "objectClassModsProhibited" },
	{ 71, "affectsMultipleDSAs" }, { 80, "other" }, { 118, "canceled" },
	{ 119, "noSuchOperation" }, { 120, "tooLate" }, { 121, "cannotCancel" },
	{ 122, "assertionFailed" }, { 123, "authorizationDenied" },
	{ 0, NULL }
};

static const struct wl_tok scope_names[] = {
	{ 0, "baseObject" }, { 1, "singleLevel" }, { 2, "wholeSubtree" }, { 3, "subordinateSubtree" },
	{ 0, NULL }
};

static const struct wl_tok deref_names[] = {
	{ 0, "neverDerefAliases" }, { 1, "derefInSearching" }, { 2, "derefFindingBaseObj" },
	{ 3, "derefAlways" }, { 0, NULL }
};

static const struct wl_tok modop_names[] = {
	{ 0, "add" }, { 1, "delete" }, { 2, "replace" }, { 3, "increment" }, { 0, NULL }
};

static const struct {
	const char *oid, *name;
} ext_oids[] = {
	{ "1.3.6.1.4.1.1466.20037", "StartTLS" },
	{ "1.3.6.1.4.1.4203.1.11.3", "Who-am-I" },
	{ "1.3.6.1.4.1.4203.1.11.1", "Password Modify" },
	{ "1.3.6.1.4.1.1466.20036", "Notice of Disconnection" },
	{ "1.3.6.1.1.8", "Cancel" },
	{ "1.3.6.1.4.1.4203.1.9.1.1", "Sync Request" },
	{ "1.3.6.1.1.21.1", "Start Transaction" },
	{ "1.3.6.1.1.21.3", "End Transaction" },
};

static const char *ext_name(const char *oid)
{
	for (size_t i = 0; i < sizeof ext_oids / sizeof ext_oids[0]; i++)
		if (!strcmp(ext_oids[i].oid, oid))
			return ext_oids[i].name;
	return NULL;
}

/* ---- small helpers ---- */

struct bstr {
	const uint8_t *p;
	size_t n;
};

/* The bytes of a string, to read them again through the cursor. */
static struct wl_cur bcur(struct bstr s)
{
	return wl_cur_make(s.p, s.n);
}

/* The bytes of an element of class cls and tag tag (a string of any kind). */
static struct bstr take_str(struct lp *p, struct wl_cur *c, uint8_t cls, uint32_t tag)
{
	struct wl_cur v = wl_ber_take(c, cls, tag);
	struct bstr s = { NULL, 0 };
	lp_chk(p, c);
	s.n = wl_left(&v);
	s.p = wl_bytes(&v, s.n);
	if (!s.p)
		s.n = 0;
	return s;
}

static int64_t take_int(struct lp *p, struct wl_cur *c, uint8_t cls, uint32_t tag)
{
	struct wl_cur v = wl_ber_take(c, cls, tag);
	int ovf;
	int64_t x = wl_ber_int(&v, &ovf);
	lp_chk(p, c);
	lp_chk(p, &v);
	if (ovf && !p->err)
		p->err = WL_EINVAL;
	return x;
}

/* A string field, left out when empty (tshark prints nothing for it). */
static void f_str(struct lp *p, const char *name, struct bstr s)
{
	/* tshark shows an LDAPString up to its first NUL (a Windows DC ends its
	 * errorMessage with one: ldap_invalid_credentials.pcap) */
	struct wl_cur c = bcur(s);
	long nul = wl_find(&c, 0);
	if (nul >= 0)
		s.n = (size_t)nul;
	if (s.n)
		wl_f_str(p->m, name, s.p, s.n);
}

/* Printable copy for the ladder: control bytes become '.', long text is cut. */
static void show(char *out, size_t n, struct bstr s, size_t max)
{
	size_t o = 0;
	if (!n)
		return;
	struct wl_cur c = bcur(s);
	for (size_t i = 0; i < s.n && o + 4 < n; i++) {
		if (i == max) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		uint8_t b = wl_u8(&c);
		out[o++] = (char)(b < 0x20 || b == 0x7f ? '.' : b);
	}
	out[o] = '\0';
}

static int printable(struct bstr s)
{
	struct wl_cur c = bcur(s);
	while (wl_left(&c)) {
		uint8_t b = wl_u8(&c);
		if (b < 0x20 && b != '\t')
			return 0;
	}
	return 1;
}

static void text_add(struct lp *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(struct lp *p, const char *fmt, ...)
{
	size_t o = strlen(p->text);
	va_list ap;
	va_start(ap, fmt);
	if (o < sizeof p->text)
		wl_vsnprintf(p->text + o, sizeof p->text - o, fmt, ap);
	va_end(ap);
}

/* text_add(p, "%s%s%s", a, b, c) without a format to parse: the pieces of
 * most ladder texts are a quote or space around one name. */
static void text_cat(struct lp *p, const char *a, const char *b, const char *c)
{
	const char *parts[3] = { a, b, c };
	size_t o = strlen(p->text);
	for (int i = 0; i < 3; i++) {
		const char *s = parts[i] ? parts[i] : "(null)";  /* as "%s" writes NULL */
		size_t k = strlen(s), room = sizeof p->text - 1 - o;
		if (k > room)
			k = room;
		memcpy(p->text + o, s, k);
		o += k;
	}
	p->text[o] = '\0';
}

/* ---- filters (RFC 4515 text) ---- */

struct sb {
	char b[FILTER_TEXT];
	size_t n;
	int full;
};

static void sb_put(struct sb *s, const char *t, size_t n)
{
	if (s->full || s->n + n + 4 >= sizeof s->b) {
		if (!s->full) {
			memcpy(s->b + s->n, "...", 4);
			s->n += 3;
		}
		s->full = 1;
		return;
	}
	memcpy(s->b + s->n, t, n);
	s->n += n;
	s->b[s->n] = '\0';
}

static void sb_str(struct sb *s, const char *t) { sb_put(s, t, strlen(t)); }

/* An assertion value escaped as RFC 4515 section 3 says: * ( ) \ NUL and
 * bytes that are not printable become \XX; UTF-8 stays as it is. */
static void sb_value(struct sb *s, struct bstr v)
{
	struct wl_cur c = bcur(v);
	for (size_t i = 0; i < v.n; i++) {
		uint8_t b = wl_u8(&c);
		char e[4];
		if (b == '*' || b == '(' || b == ')' || b == '\\' || b < 0x20 || b == 0x7f) {
			wl_snprintf(e, sizeof e, "\\%02x", b);
			sb_put(s, e, 3);
		} else {
			e[0] = (char)b;
			sb_put(s, e, 1);
		}
	}
}

static void sb_attr(struct sb *s, struct bstr a)
{
	char t[256];
	show(t, sizeof t, a, 200);
	sb_str(s, t);
}

static void filter(struct lp *p, struct wl_cur *c, struct sb *s, unsigned depth, int top);

/* An and/or set; with -v its size and each member's filter choice, as
 * tshark's ldap.and/ldap.and_item (or/or_item). */
static void filter_set(struct lp *p, struct wl_cur v, struct sb *s, unsigned depth, int is_or)
{
	if (p->verbose) {
		struct wl_cur scan = v;
		unsigned n = 0;
		while (wl_left(&scan)) {
			struct wl_ber h;
			wl_ber_tlv(&scan, &h);
			if (!wl_ok(&scan))
				break;  /* the walk below says it is malformed */
			wl_f_uint(p->m, is_or ? "ldap.or_item" : "ldap.and_item", h.tag);
			n++;
		}
		wl_f_uint(p->m, is_or ? "ldap.or" : "ldap.and", n);
	}
	while (wl_left(&v) && !p->err)
		filter(p, &v, s, depth + 1, 0);
	lp_chk(p, &v);
}

static int bstr_starts(struct bstr s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

static int bstr_is_ci(struct bstr s, const char *word)
{
	size_t n = strlen(word);
	if (s.n != n)
		return 0;
	struct wl_cur c = bcur(s);
	for (size_t i = 0; i < n; i++) {
		uint8_t b = wl_u8(&c);
		if (tolower(b) != word[i])
			return 0;
	}
	return 1;
}

/* ldap.assertionValue as tshark 4.0 shows it: the text when every byte is
 * printable ASCII, else its first 24 bytes in hex joined by ':' (":…" after
 * them when there are more). The value of NtVer, DomainSid and a 16-byte
 * DomainGuid it decodes as other fields (netlogon flags, ldap.sid,
 * ldap.guid) and shows no assertionValue for. */
static void assertion_value(struct lp *p, struct bstr attr, struct bstr val)
{
	if (bstr_starts(attr, "NtVer") || bstr_starts(attr, "DomainSid") ||
	    (val.n == 16 && bstr_starts(attr, "DomainGuid")))
		return;
	struct wl_cur c = bcur(val);
	int ascii = 1;
	while (wl_left(&c) && ascii) {
		uint8_t b = wl_u8(&c);
		ascii = b >= 0x20 && b < 0x7f;
	}
	if (ascii) {
		f_str(p, "ldap.assertionValue", val);
		return;
	}
	char hex[24 * 3 + 8];
	size_t o = 0, shown = val.n > 24 ? 24 : val.n;
	c = bcur(val);
	for (size_t i = 0; i < shown; i++)
		o += (size_t)wl_snprintf(hex + o, sizeof hex - o, i ? ":%02x" : "%02x", wl_u8(&c));
	if (val.n > shown)
		wl_snprintf(hex + o, sizeof hex - o, ":\xe2\x80\xa6");  /* U+2026 */
	wl_f_cstr(p->m, "ldap.assertionValue", hex);
}

static void filter_ava(struct lp *p, struct wl_cur v, struct sb *s, const char *op)
{
	struct bstr a = take_str(p, &v, WL_BER_UNIV, WL_BER_OCTETS);
	struct bstr val = take_str(p, &v, WL_BER_UNIV, WL_BER_OCTETS);
	f_str(p, "ldap.attributeDesc", a);
	assertion_value(p, a, val);
	sb_attr(s, a);
	sb_str(s, op);
	sb_value(s, val);
}

static void filter_substrings(struct lp *p, struct wl_cur v, struct sb *s)
{
	static const char *const part[] = { "ldap.initial", "ldap.any", "ldap.final" };
	struct bstr a = take_str(p, &v, WL_BER_UNIV, WL_BER_OCTETS);
	f_str(p, "ldap.type", a);
	sb_attr(s, a);
	sb_str(s, "=");
	struct wl_cur seq = wl_ber_take(&v, WL_BER_UNIV, WL_BER_SEQUENCE);
	lp_chk(p, &v);
	int last = -1, last_star = 0;
	unsigned items = 0;
	while (wl_left(&seq) && !p->err) {
		struct wl_ber h;
		struct wl_cur x = wl_ber_tlv(&seq, &h);
		lp_chk(p, &seq);
		if (p->err)
			break;
		if (h.cls != WL_BER_CTX || h.tag > 2) {
			p->err = WL_EINVAL;
			break;
		}
		struct bstr b = { NULL, wl_left(&x) };
		b.p = wl_bytes(&x, b.n);
		if (!b.p)
			b.n = 0;
		wl_f_str(p->m, part[h.tag], b.p, b.n);
		if (p->verbose)
			wl_f_uint(p->m, "ldap.substrings_item", h.tag);
		items++;
		if (h.tag != 0 && !last_star)
			sb_str(s, "*");
		sb_value(s, b);
		last_star = h.tag == 1;
		if (last_star)
			sb_str(s, "*");
		last = (int)h.tag;
	}
	if (last <= 0)
		sb_str(s, "*");  /* (cn=abc*) or a substring filter with no parts */
	if (p->verbose)
		wl_f_uint(p->m, "ldap.substrings", items);
	lp_chk(p, &seq);
}

static void filter_extensible(struct lp *p, struct wl_cur v, struct sb *s)
{
	struct bstr rule = { NULL, 0 }, type = { NULL, 0 }, val = { NULL, 0 };
	int dn = 0;
	while (wl_left(&v) && !p->err) {
		struct wl_ber h;
		struct wl_cur x = wl_ber_tlv(&v, &h);
		lp_chk(p, &v);
		if (p->err)
			break;
		struct bstr b = { NULL, wl_left(&x) };
		if (h.tag == 4) {
			dn = wl_ber_bool(&x);
			lp_chk(p, &x);
			continue;
		}
		b.p = wl_bytes(&x, b.n);
		if (!b.p)
			b.n = 0;
		if (h.tag == 1)
			rule = b;
		else if (h.tag == 2)
			type = b;
		else if (h.tag == 3)
			val = b;
	}
	f_str(p, "ldap.matchingRule", rule);
	f_str(p, "ldap.type", type);
	f_str(p, "ldap.matchValue", val);
	if (dn)
		wl_f_bool(p->m, "ldap.dnAttributes", 1);
	sb_attr(s, type);
	if (dn)
		sb_str(s, ":dn");
	if (rule.n) {
		sb_str(s, ":");
		sb_attr(s, rule);
	}
	sb_str(s, ":=");
	sb_value(s, val);
}

/* One Filter CHOICE element into s; at the top level its number is ldap.filter. */
static void filter(struct lp *p, struct wl_cur *c, struct sb *s, unsigned depth, int top)
{
	static const char *const ava_op[] = { [3] = "=", [5] = ">=", [6] = "<=", [8] = "~=" };
	struct wl_ber h;
	if (depth > WL_BER_MAX_DEPTH) {
		p->err = WL_EINVAL;
		wl_note(p->m, WL_ERROR, "malformed: filter nested deeper than %d levels", WL_BER_MAX_DEPTH);
		return;
	}
	struct wl_cur v = wl_ber_tlv(c, &h);
	lp_chk(p, c);
	if (p->err)
		return;
	if (h.cls != WL_BER_CTX || h.tag > 9) {
		p->err = WL_EINVAL;
		return;
	}
	if (top)
		wl_f_uint(p->m, "ldap.filter", h.tag);
	sb_str(s, "(");
	switch (h.tag) {
	case 0:
	case 1:
		sb_str(s, h.tag ? "|" : "&");
		filter_set(p, v, s, depth, h.tag == 1);
		break;
	case 2:
		sb_str(s, "!");
		filter(p, &v, s, depth + 1, 0);
		lp_chk(p, &v);
		break;
	case 3: case 5: case 6: case 8:
		filter_ava(p, v, s, ava_op[h.tag]);
		break;
	case 4:
		filter_substrings(p, v, s);
		break;
	case 7: {
		struct bstr a = { NULL, wl_left(&v) };
		a.p = wl_bytes(&v, a.n);
		if (!a.p)
			a.n = 0;
		f_str(p, "ldap.present", a);
		sb_attr(s, a);
		sb_str(s, "=*");
		break;
	}
	default:
		filter_extensible(p, v, s);
		break;
	}
	sb_str(s, ")");
}

/* ---- attributes ---- */

/* PartialAttribute ::= SEQUENCE { type, vals SET OF value }, optionally as
 * "type: value" notes (LDIF-like) for entries. */
static unsigned attribute(struct lp *p, struct wl_cur *c, unsigned notes_left)
{
	struct wl_cur a = wl_ber_take(c, WL_BER_UNIV, WL_BER_SEQUENCE);
	lp_chk(p, c);
	struct bstr type = take_str(p, &a, WL_BER_UNIV, WL_BER_OCTETS);
	f_str(p, "ldap.type", type);
	struct wl_cur vals = wl_ber_take(&a, WL_BER_UNIV, WL_BER_SET);
	lp_chk(p, &a);
	unsigned used = 0, n = 0;
	while (wl_left(&vals) && !p->err) {
		struct bstr v = take_str(p, &vals, WL_BER_UNIV, WL_BER_OCTETS);
		if (p->err)
			break;
		n++;
		/* a CLDAP netlogon value tshark decodes as mscldap.*, not as bytes */
		if (!(p->st->cldap && bstr_is_ci(type, "netlogon")))
			wl_f_bytes(p->m, "ldap.AttributeValue", v.p, v.n);
		if (used < notes_left) {
			char t[128], vt[96];
			show(t, sizeof t, type, 60);
			if (printable(v)) {
				show(vt, sizeof vt, v, 80);
				wl_note(p->m, WL_INFO, "%s: %s", t, vt);
			} else {
				wl_note(p->m, WL_INFO, "%s:: (%zu bytes of binary)", t, v.n);
			}
			used++;
		}
	}
	lp_chk(p, &vals);
	if (p->verbose && !p->err)
		wl_f_uint(p->m, "ldap.vals", n);
	return used;
}

static void attribute_list(struct lp *p, struct wl_cur *c, int notes)
{
	struct wl_cur l = wl_ber_take(c, WL_BER_UNIV, WL_BER_SEQUENCE);
	lp_chk(p, c);
	unsigned left = notes ? ENTRY_NOTES : 0, n = 0;
	while (wl_left(&l) && !p->err) {
		left -= attribute(p, &l, left);
		n++;
	}
	lp_chk(p, &l);
	if (notes && !left)
		wl_note(p->m, WL_INFO, "(more values not listed)");
	if (p->verbose && !p->err)
		wl_f_uint(p->m, "ldap.attributes", n);
}

/* ---- operations ---- */

static void op_bind_req(struct lp *p, struct wl_cur v)
{
	int64_t ver = take_int(p, &v, WL_BER_UNIV, WL_BER_INTEGER);
	struct bstr name = take_str(p, &v, WL_BER_UNIV, WL_BER_OCTETS);
	wl_f_uint(p->m, "ldap.version", (uint64_t)ver);
	f_str(p, "ldap.name", name);
	struct wl_ber h;
	struct wl_cur a = wl_ber_tlv(&v, &h);
	lp_chk(p, &v);
	if (p->err)
		return;
	char dn[160];
	show(dn, sizeof dn, name, 120);
	wl_f_uint(p->m, "ldap.authentication", h.tag);
	if (h.cls == WL_BER_CTX && h.tag == 0) {
		struct bstr pw = { NULL, wl_left(&a) };
		pw.p = wl_bytes(&a, pw.n);
		if (!pw.p)
			pw.n = 0;
		if (pw.n)
			wl_f_secret(p->m, "ldap.simple", pw.p, pw.n);
		if (!name.n && !pw.n) {
			text_add(p, " anonymous");
			wl_note(p->m, WL_INFO, "LDAP bind: anonymous (empty name, empty password)");
		} else {
			char pt[96];
			show(pt, sizeof pt, pw, 64);
			text_add(p, " \"%s\" simple %s", name.n ? dn : "<ROOT>", wl_secret(p->ctx, pt));
			wl_note(p->m, WL_INFO, "LDAP bind: simple authentication with a DN and a password");
			const char *tunnel = wl_carrier(p->ctx);
			if (pw.n && tunnel)
				wl_note(p->m, WL_INFO, "the password travels inside %s (LDAPS): hidden on the "
					"wire, in the clear for the server and the key holder", tunnel);
			else if (pw.n) {
				wl_note(p->m, WL_WARN, "password sent in clear text (simple bind without TLS)");
				wl_flow_fact(p->ctx, "cleartext password", "for %s in frame %llu",
					     name.n ? dn : "<ROOT>", (unsigned long long)wl_frame(p->ctx));
			}
			else
				wl_note(p->m, WL_WARN, "unauthenticated bind: a name with an empty password");
		}
	} else if (h.cls == WL_BER_CTX && h.tag == 3) {
		struct bstr mech = take_str(p, &a, WL_BER_UNIV, WL_BER_OCTETS);
		f_str(p, "ldap.mechanism", mech);
		if (wl_left(&a)) {
			struct bstr cred = take_str(p, &a, WL_BER_UNIV, WL_BER_OCTETS);
			wl_f_bytes(p->m, "ldap.credentials", cred.p, cred.n);
		}
		char mt[64];
		show(mt, sizeof mt, mech, 40);
		text_add(p, " \"%s\" SASL %s", name.n ? dn : "<ROOT>", mt);
		wl_note(p->m, WL_INFO, "LDAP bind: SASL %s, the mechanism carries the credentials", mt);
		p->st->sasl = 1;
	} else {
		text_add(p, " \"%s\" authentication [%u]", dn, h.tag);
		wl_note(p->m, WL_INFO, "LDAP bind with authentication choice %u", h.tag);
		if (h.tag == 10 || h.tag == 11)
			p->st->sasl = 1;  /* Microsoft's NTLM choices */
	}
}

/* LDAPResult ::= resultCode, matchedDN, diagnosticMessage, referral [3] OPT */
static int64_t result(struct lp *p, struct wl_cur *v)
{
	struct wl_cur e = wl_ber_take(v, WL_BER_UNIV, WL_BER_ENUMERATED);
	int ovf;
	int64_t rc = wl_ber_int(&e, &ovf);
	lp_chk(p, v);
	lp_chk(p, &e);
	if (p->err)
		return -1;
	struct bstr dn = take_str(p, v, WL_BER_UNIV, WL_BER_OCTETS);
	struct bstr msg = take_str(p, v, WL_BER_UNIV, WL_BER_OCTETS);
	wl_f_uint(p->m, "ldap.resultCode", (uint64_t)rc);
	if (p->verbose && !dn.n)
		wl_f_cstr(p->m, "ldap.matchedDN", "");  /* as tshark, which shows it empty */
	f_str(p, "ldap.matchedDN", dn);
	f_str(p, "ldap.errorMessage", msg);
	const char *rn = wl_tok(result_names, (uint32_t)rc, "unknown");
	text_cat(p, " ", rn, "");
	if (rc)
		text_add(p, " (%lld)", (long long)rc);
	if (msg.n) {
		char t[160];
		show(t, sizeof t, msg, 100);
		text_cat(p, " \"", t, "\"");
	}
	if (wl_ber_next_is(v, WL_BER_CTX, 3)) {
		struct wl_cur r = wl_ber_take(v, WL_BER_CTX, 3);
		while (wl_left(&r) && !p->err) {
			struct bstr u = take_str(p, &r, WL_BER_UNIV, WL_BER_OCTETS);
			f_str(p, "ldap.LDAPURL", u);
		}
		lp_chk(p, &r);
	}
	return rc;
}

static void result_note(struct lp *p, int64_t rc, const char *what)
{
	if (rc < 0)
		return;
	if (rc == 0)
		wl_note(p->m, WL_INFO, "%s: success", what);
	else if (rc == 49)
		wl_note(p->m, WL_WARN, "%s refused: invalidCredentials (wrong DN or password)", what);
	else if (rc == 14)
		wl_note(p->m, WL_INFO, "%s: saslBindInProgress, the SASL exchange needs another round", what);
	else if (rc == 5 || rc == 6)
		wl_note(p->m, WL_INFO, "%s: the assertion is %s", what, rc == 6 ? "true" : "false");
	else
		wl_note(p->m, WL_WARN, "%s failed: %s (%lld)", what,
			wl_tok(result_names, (uint32_t)rc, "unknown"), (long long)rc);
}

static void op_bind_resp(struct lp *p, struct wl_cur v)
{
	int64_t rc = result(p, &v);
	if (wl_ber_next_is(&v, WL_BER_CTX, 7)) {
		struct bstr cr = take_str(p, &v, WL_BER_CTX, 7);
		wl_f_bytes(p->m, "ldap.serverSaslCreds", cr.p, cr.n);
	}
	result_note(p, rc, "bind");
}

static void op_search_req(struct lp *p, struct wl_cur v)
{
	struct bstr base = take_str(p, &v, WL_BER_UNIV, WL_BER_OCTETS);
	int64_t scope = take_int(p, &v, WL_BER_UNIV, WL_BER_ENUMERATED);
	int64_t deref = take_int(p, &v, WL_BER_UNIV, WL_BER_ENUMERATED);
	int64_t size = take_int(p, &v, WL_BER_UNIV, WL_BER_INTEGER);
	int64_t time = take_int(p, &v, WL_BER_UNIV, WL_BER_INTEGER);
	struct wl_cur tb = wl_ber_take(&v, WL_BER_UNIV, WL_BER_BOOLEAN);
	int types = wl_ber_bool(&tb);
	lp_chk(p, &v);
	lp_chk(p, &tb);
	if (p->err)
		return;
	f_str(p, "ldap.baseObject", base);
	wl_f_uint(p->m, "ldap.scope", (uint64_t)scope);
	wl_f_uint(p->m, "ldap.derefAliases", (uint64_t)deref);
	wl_f_uint(p->m, "ldap.sizeLimit", (uint64_t)size);
	wl_f_uint(p->m, "ldap.timeLimit", (uint64_t)time);
	wl_f_bool(p->m, "ldap.typesOnly", types);
	struct sb s = { .n = 0 };
	s.b[0] = '\0';
	filter(p, &v, &s, 1, 1);
	if (s.n && !p->err)
		wl_f_cstr(p->m, "wl.ldap.filter", s.b);
	if (p->err)
		wl_snprintf(s.b, sizeof s.b, "(invalid filter)");
	char dn[160], attrs[256] = "";
	size_t ao = 0;
	show(dn, sizeof dn, base, 120);
	struct wl_cur al = wl_ber_take(&v, WL_BER_UNIV, WL_BER_SEQUENCE);
	lp_chk(p, &v);
	unsigned nattrs = 0;
	while (wl_left(&al) && !p->err) {
		struct bstr a = take_str(p, &al, WL_BER_UNIV, WL_BER_OCTETS);
		f_str(p, "ldap.AttributeDescription", a);
		nattrs++;
		char t[64];
		show(t, sizeof t, a, 40);
		if (ao < sizeof attrs)
			ao += (size_t)wl_snprintf(attrs + ao, sizeof attrs - ao, "%s%s", ao ? "," : "", t);
	}
	lp_chk(p, &al);
	if (p->verbose && !p->err)
		wl_f_uint(p->m, "ldap.attributes", nattrs);
	text_add(p, " \"%s\" %s %s [%s]", base.n ? dn : "<ROOT>",
		 wl_tok(scope_names, (uint32_t)scope, "?"), s.b, ao ? attrs : "all");
	wl_note(p->m, WL_INFO, "search: base %s, scope %s, filter %s, attributes %s",
		base.n ? dn : "<ROOT> (the root DSE)", wl_tok(scope_names, (uint32_t)scope, "?"),
		s.b, ao ? attrs : "all user attributes");
	if (deref)
		wl_note(p->m, WL_INFO, "aliases: %s", wl_tok(deref_names, (uint32_t)deref, "?"));
	if (types)
		wl_note(p->m, WL_INFO, "typesOnly: attribute names only, no values");
}

static void op_search_entry(struct lp *p, struct wl_cur v, enum wl_dir dir)
{
	struct bstr dn = take_str(p, &v, WL_BER_UNIV, WL_BER_OCTETS);
	f_str(p, "ldap.objectName", dn);
	char t[200];
	show(t, sizeof t, dn, 160);
	text_cat(p, " \"", dn.n ? t : "<ROOT>", "\"");
	wl_note(p->m, WL_INFO, "entry found: dn: %s", dn.n ? t : "<ROOT>");
	p->st->entries[dir]++;
	attribute_list(p, &v, 1);
}

static void op_search_done(struct lp *p, struct wl_cur v, enum wl_dir dir)
{
	int64_t rc = result(p, &v);
	unsigned n = p->st->entries[dir];
	p->st->entries[dir] = 0;
	if (rc == 0)
		wl_note(p->m, WL_INFO, "search done: %u entr%s returned", n, n == 1 ? "y" : "ies");
	else
		result_note(p, rc, "search");
}

static void op_search_ref(struct lp *p, struct wl_cur v)
{
	unsigned n = 0;
	while (wl_left(&v) && !p->err) {
		struct bstr u = take_str(p, &v, WL_BER_UNIV, WL_BER_OCTETS);
		f_str(p, "ldap.LDAPURL", u);
		if (!n++) {
			char t[160];
			show(t, sizeof t, u, 120);
			text_cat(p, " ", t, "");
		}
	}
	wl_note(p->m, WL_INFO, "search continuation: %u referral URL%s to follow", n, n == 1 ? "" : "s");
}

static void op_modify(struct lp *p, struct wl_cur v)
{
	struct bstr dn = take_str(p, &v, WL_BER_UNIV, WL_BER_OCTETS);
	f_str(p, "ldap.object", dn);
	char t[200];
	show(t, sizeof t, dn, 160);
	text_cat(p, " \"", t, "\"");
	wl_note(p->m, WL_INFO, "modify: changes to the attributes of one entry");
	struct wl_cur ch = wl_ber_take(&v, WL_BER_UNIV, WL_BER_SEQUENCE);
	lp_chk(p, &v);
	unsigned changes = 0;
	while (wl_left(&ch) && !p->err) {
		struct wl_cur one = wl_ber_take(&ch, WL_BER_UNIV, WL_BER_SEQUENCE);
		lp_chk(p, &ch);
		int64_t op = take_int(p, &one, WL_BER_UNIV, WL_BER_ENUMERATED);
		if (p->err)
			break;
		changes++;
		wl_f_uint(p->m, "ldap.operation", (uint64_t)op);
		text_cat(p, " ", wl_tok(modop_names, (uint32_t)op, "?"), "");
		attribute(p, &one, 0);
	}
	lp_chk(p, &ch);
	if (p->verbose && !p->err)
		wl_f_uint(p->m, "ldap.modification", changes);
}

static void op_add(struct lp *p, struct wl_cur v)
{
	struct bstr dn = take_str(p, &v, WL_BER_UNIV, WL_BER_OCTETS);
	f_str(p, "ldap.entry", dn);
	char t[200];
	show(t, sizeof t, dn, 160);
	text_cat(p, " \"", t, "\"");
	wl_note(p->m, WL_INFO, "add: a new entry with its attributes");
	attribute_list(p, &v, 1);
}

static void op_del(struct lp *p, struct wl_cur v)
{
	struct bstr dn = { NULL, wl_left(&v) };
	dn.p = wl_bytes(&v, dn.n);
	if (!dn.p)
		dn.n = 0;
	f_str(p, "ldap.delRequest", dn);
	char t[200];
	show(t, sizeof t, dn, 160);
	text_cat(p, " \"", t, "\"");
	wl_note(p->m, WL_INFO, "delete: remove one (leaf) entry");
}

static void op_moddn(struct lp *p, struct wl_cur v)
{
	struct bstr dn = take_str(p, &v, WL_BER_UNIV, WL_BER_OCTETS);
	struct bstr rdn = take_str(p, &v, WL_BER_UNIV, WL_BER_OCTETS);
	struct wl_cur b = wl_ber_take(&v, WL_BER_UNIV, WL_BER_BOOLEAN);
	int del = wl_ber_bool(&b);
	lp_chk(p, &v);
	lp_chk(p, &b);
	f_str(p, "ldap.entry", dn);
	f_str(p, "ldap.newrdn", rdn);
	wl_f_bool(p->m, "ldap.deleteoldrdn", del);
	if (wl_ber_next_is(&v, WL_BER_CTX, 0)) {
		struct bstr sup = take_str(p, &v, WL_BER_CTX, 0);
		f_str(p, "ldap.newSuperior", sup);
	}
	char t[200], r[100];
	show(t, sizeof t, dn, 120);
	show(r, sizeof r, rdn, 60);
	text_add(p, " \"%s\" -> %s", t, r);
	wl_note(p->m, WL_INFO, "modify DN: rename or move an entry");
}

static void op_compare(struct lp *p, struct wl_cur v)
{
	struct bstr dn = take_str(p, &v, WL_BER_UNIV, WL_BER_OCTETS);
	f_str(p, "ldap.entry", dn);
	struct wl_cur ava = wl_ber_take(&v, WL_BER_UNIV, WL_BER_SEQUENCE);
	lp_chk(p, &v);
	struct sb s = { .n = 0 };
	s.b[0] = '\0';
	filter_ava(p, ava, &s, "=");
	char t[200];
	show(t, sizeof t, dn, 120);
	text_add(p, " \"%s\" %s", t, s.b);
	wl_note(p->m, WL_INFO, "compare: does the entry hold this value? (answer: compareTrue/False)");
}

static void op_abandon(struct lp *p, struct wl_cur v)
{
	int ovf;
	int64_t id = wl_ber_int(&v, &ovf);
	lp_chk(p, &v);
	wl_f_uint(p->m, "ldap.abandonRequest", (uint64_t)id);
	text_add(p, " of message %lld", (long long)id);
	wl_note(p->m, WL_INFO, "abandon: the client gives up an operation (no reply)");
}

static void op_ext_req(struct lp *p, struct wl_cur v)
{
	struct bstr oid = take_str(p, &v, WL_BER_CTX, 0);
	char t[128];
	show(t, sizeof t, oid, 100);
	f_str(p, "ldap.requestName", oid);
	if (wl_ber_next_is(&v, WL_BER_CTX, 1)) {
		struct bstr val = take_str(p, &v, WL_BER_CTX, 1);
		wl_f_bytes(p->m, "ldap.requestValue", val.p, val.n);
	}
	const char *n = ext_name(t);
	text_cat(p, " ", n ? n : t, "");
	if (n && !strcmp(n, "StartTLS")) {
		p->st->starttls_pending = 1;
		p->st->starttls_id = p->id;
		wl_note(p->m, WL_INFO, "StartTLS: after a success reply the connection switches to TLS");
	} else if (n && !strcmp(n, "Who-am-I")) {
		wl_note(p->m, WL_INFO, "Who-am-I: the client asks which identity it is bound as");
	} else {
		wl_note(p->m, WL_INFO, "extended operation %s", n ? n : t);
	}
}

static void op_ext_resp(struct lp *p, struct wl_cur v, enum wl_dir dir)
{
	int64_t rc = result(p, &v);
	if (wl_ber_next_is(&v, WL_BER_CTX, 10)) {
		struct bstr oid = take_str(p, &v, WL_BER_CTX, 10);
		f_str(p, "ldap.responseName", oid);
		char t[128];
		show(t, sizeof t, oid, 100);
		const char *n = ext_name(t);
		text_cat(p, " ", n ? n : t, "");
		if (n && !strcmp(n, "Notice of Disconnection"))
			wl_note(p->m, WL_WARN, "notice of disconnection: the server is closing the connection");
	}
	if (wl_ber_next_is(&v, WL_BER_CTX, 11)) {
		struct bstr val = take_str(p, &v, WL_BER_CTX, 11);
		wl_f_bytes(p->m, "ldap.response", val.p, val.n);
		if (val.n && printable(val)) {
			char t[160];
			show(t, sizeof t, val, 120);
			text_cat(p, " \"", t, "\"");
			wl_note(p->m, WL_INFO, "extended response: %s", t);
		}
	}
	if (p->st->starttls_pending && p->st->starttls_id == p->id) {
		p->st->starttls_pending = 0;
		if (rc == 0) {
			p->st->tls[0] = p->st->tls[1] = 1;
			wl_note(p->m, WL_INFO, "StartTLS accepted: everything after this is TLS");
			return;
		}
	}
	result_note(p, rc, "extended operation");
	(void)dir;
}

static void op_intermediate(struct lp *p, struct wl_cur v)
{
	if (wl_ber_next_is(&v, WL_BER_CTX, 0)) {
		struct bstr oid = take_str(p, &v, WL_BER_CTX, 0);
		f_str(p, "ldap.responseName", oid);
	}
	wl_note(p->m, WL_INFO, "intermediate response of an extended operation");
}

/* pagedResultsControl (RFC 2696): tshark 4.0 decodes its value as
 * SearchControlValue ::= SEQUENCE { size INTEGER, cookie OCTET STRING }
 * (ldap.size, ldap.cookie), without ldap.controlValue. 0 when the value is
 * not that, so the caller shows the bytes. */
static int paged_results(struct lp *p, struct bstr val)
{
	struct wl_cur c = bcur(val);
	struct wl_cur s = wl_ber_take(&c, WL_BER_UNIV, WL_BER_SEQUENCE);
	struct wl_cur n = wl_ber_take(&s, WL_BER_UNIV, WL_BER_INTEGER);
	int ovf = 0;
	int64_t size = wl_ber_int(&n, &ovf);
	struct wl_cur k = wl_ber_take(&s, WL_BER_UNIV, WL_BER_OCTETS);
	if (c.err || s.err || n.err || k.err || ovf || wl_left(&c) || wl_left(&s) ||
	    size < INT32_MIN || size > INT32_MAX)
		return 0;
	size_t kn = wl_left(&k);
	wl_f_int(p->m, "ldap.size", size);
	wl_f_bytes(p->m, "ldap.cookie", wl_bytes(&k, kn), kn);
	return 1;
}

static int bstr_is(struct bstr s, const char *word)
{
	return s.n == strlen(word) && memcmp(s.p, word, s.n) == 0;
}

static void controls(struct lp *p, struct wl_cur v)
{
	while (wl_left(&v) && !p->err) {
		struct wl_cur c = wl_ber_take(&v, WL_BER_UNIV, WL_BER_SEQUENCE);
		lp_chk(p, &v);
		struct bstr type = take_str(p, &c, WL_BER_UNIV, WL_BER_OCTETS);
		f_str(p, "ldap.controlType", type);
		if (wl_ber_next_is(&c, WL_BER_UNIV, WL_BER_BOOLEAN)) {
			struct wl_cur b = wl_ber_take(&c, WL_BER_UNIV, WL_BER_BOOLEAN);
			wl_f_bool(p->m, "ldap.criticality", wl_ber_bool(&b));
			lp_chk(p, &b);
		}
		if (wl_left(&c)) {
			struct bstr val = take_str(p, &c, WL_BER_UNIV, WL_BER_OCTETS);
			if (!(bstr_is(type, "1.2.840.113556.1.4.319") && paged_results(p, val)))
				wl_f_bytes(p->m, "ldap.controlValue", val.p, val.n);
		}
	}
	lp_chk(p, &v);
}

/* One complete LDAPMessage (the SEQUENCE's value). */
/* Requests a response answers (RFC 4511 4.1.1.1: the same messageID). */
static int op_is_request(uint32_t op)
{
	return op == 0 || op == 3 || op == 6 || op == 8 || op == 10 || op == 12 || op == 14 || op == 23;
}

static int op_is_response(uint32_t op)
{
	return op == 1 || op == 4 || op == 5 || op == 7 || op == 9 || op == 11 || op == 13 ||
	       op == 15 || op == 19 || op == 24;
}

/* With -v, ldap.response_to and ldap.time as tshark: the latest request of
 * the response's messageID on this flow. */
static void match_request(struct lp *p, uint32_t op)
{
	struct ldap_state *st = p->st;
	if (op_is_request(op)) {
		st->reqs[st->nreqs++ % LDAP_REQS] =
			(struct ldap_req){ p->id, wl_frame(p->ctx), wl_time_ns(p->ctx) };
		return;
	}
	if (!op_is_response(op))
		return;
	unsigned kept = st->nreqs < LDAP_REQS ? st->nreqs : LDAP_REQS;
	for (unsigned i = 1; i <= kept; i++) {
		const struct ldap_req *r = &st->reqs[(st->nreqs - i) % LDAP_REQS];
		if (r->id == p->id) {
			wl_f_uint(p->m, "ldap.response_to", r->frame);
			wl_f_double(p->m, "ldap.time", (double)(wl_time_ns(p->ctx) - r->ns) / 1e9);
			return;
		}
	}
}

static void ldap_message(struct ldap_state *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur v)
{
	struct lp p = { .ctx = ctx, .st = st, .verbose = wl_opts(ctx)->verbose };
	struct wl_ber h;
	struct wl_cur idv = wl_ber_take(&v, WL_BER_UNIV, WL_BER_INTEGER);
	int ovf;
	p.id = wl_ber_int(&idv, &ovf);
	lp_chk(&p, &v);
	lp_chk(&p, &idv);
	struct wl_cur op = { NULL, NULL, WL_EINVAL };
	memset(&h, 0, sizeof h);
	if (!p.err) {
		op = wl_ber_tlv(&v, &h);
		lp_chk(&p, &v);
	}
	int known = !p.err && h.cls == WL_BER_APP && wl_tok(op_names, h.tag, NULL);
	const char *name = known ? wl_tok(op_names, h.tag, NULL) : "message";
	p.m = wl_msg_new(ctx, "ldap", name, dir);
	if (p.err) {
		wl_msg_text(p.m, "LDAP message");
		wl_note(p.m, WL_ERROR, "malformed: LDAP message header (messageID, protocolOp)");
		return;
	}
	wl_f_uint(p.m, "ldap.messageID", (uint64_t)p.id);
	if (!known) {
		wl_msg_text(p.m, "LDAP message(%lld) unknown operation", (long long)p.id);
		wl_note(p.m, WL_ERROR, "malformed: unknown protocolOp [APPLICATION %u]", h.tag);
		return;
	}
	wl_f_uint(p.m, "ldap.protocolOp", h.tag);
	if (p.verbose)
		match_request(&p, h.tag);
	/* "name(id)" by hand: %lld is not one of wl_snprintf's quick conversions */
	char num[WL_U64_DIGITS + 2];
	uint64_t mag = p.id < 0 ? (uint64_t)0 - (uint64_t)p.id : (uint64_t)p.id;
	size_t k = wl_u64_dec(num + sizeof num - 1, mag);
	num[sizeof num - 1] = '\0';
	if (p.id < 0)
		num[sizeof num - 2 - k++] = '-';
	p.text[0] = '\0';
	text_cat(&p, name, "(", num + sizeof num - 1 - k);
	text_cat(&p, ")", "", "");
	switch (h.tag) {
	case 0: op_bind_req(&p, op); break;
	case 1: op_bind_resp(&p, op); break;
	case 2: wl_note(p.m, WL_INFO, "unbind: the client ends the session (no reply)"); break;
	case 3: op_search_req(&p, op); break;
	case 4: op_search_entry(&p, op, dir); break;
	case 5: op_search_done(&p, op, dir); break;
	case 6: op_modify(&p, op); break;
	case 8: op_add(&p, op); break;
	case 10: op_del(&p, op); break;
	case 12: op_moddn(&p, op); break;
	case 14: op_compare(&p, op); break;
	case 16: op_abandon(&p, op); break;
	case 19: op_search_ref(&p, op); break;
	case 23: op_ext_req(&p, op); break;
	case 24: op_ext_resp(&p, op, dir); break;
	case 25: op_intermediate(&p, op); break;
	default: {  /* 7, 9, 11, 13, 15: LDAPResult */
		int64_t rc = result(&p, &op);
		result_note(&p, rc, name);
		break;
	}
	}
	if (!p.err && wl_ber_next_is(&v, WL_BER_CTX, 0)) {
		struct wl_cur c = wl_ber_take(&v, WL_BER_CTX, 0);
		controls(&p, c);
	}
	wl_msg_text(p.m, "%s", p.text);
	if (p.err == WL_ETRUNC)
		wl_note(p.m, WL_ERROR, "malformed: an element's length runs past its container");
	else if (p.err)
		wl_note(p.m, WL_ERROR, "malformed: invalid %s", name);
}

/* ---- framing ---- */

static enum wl_probe ldap_probe(struct wl_cur c, enum wl_dir dir)
{
	struct wl_ber h;
	(void)dir;
	int r = wl_ber_peek(&c, &h);
	if (r < 0)
		return WL_PROBE_NO;
	if (r == 0)
		return WL_PROBE_NEED_MORE;
	if (h.cls != WL_BER_UNIV || !h.cons || h.tag != WL_BER_SEQUENCE || h.len < 5 ||
	    h.len > LDAP_MAX_MSG)
		return WL_PROBE_NO;
	wl_skip(&c, h.hdr);
	r = wl_ber_peek(&c, &h);
	if (r <= 0)
		return r ? WL_PROBE_NO : WL_PROBE_NEED_MORE;
	if (h.cls != WL_BER_UNIV || h.cons || h.tag != WL_BER_INTEGER || h.len < 1 || h.len > 4)
		return WL_PROBE_NO;
	wl_skip(&c, h.hdr + h.len);
	r = wl_ber_peek(&c, &h);
	if (r <= 0)
		return r ? WL_PROBE_NO : WL_PROBE_NEED_MORE;
	if (h.cls != WL_BER_APP || !wl_tok(op_names, h.tag, NULL))
		return WL_PROBE_NO;
	return WL_PROBE_YES;
}

static void *ldap_open(struct wl_ctx *ctx)
{
	(void)ctx;
	return calloc(1, sizeof(struct ldap_state));
}

static void ldap_close(void *st, struct wl_ctx *ctx)
{
	(void)ctx;
	free(st);
}

static void ldap_gap(void *vst, struct wl_ctx *ctx, enum wl_dir dir, uint64_t len)
{
	struct ldap_state *st = vst;
	(void)ctx;
	(void)len;
	st->lost[dir] = 1;
}

/* Bytes after StartTLS, after a gap or after garbage: one message per chunk. */
static size_t skip_rest(struct ldap_state *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	size_t n = wl_left(&c);
	struct wl_msg *m = wl_msg_new(ctx, "ldap", st->tls[dir] ? "tls" : "data", dir);
	if (st->tls[dir]) {
		wl_msg_text(m, "TLS %zu bytes (after StartTLS)", n);
		wl_note(m, WL_INFO, "encrypted: LDAP runs inside TLS from here on");
	} else {
		wl_msg_text(m, "%zu bytes not dissected", n);
		wl_note(m, WL_INFO, "LDAP framing lost earlier in this direction");
	}
	return n;
}

/* A SASL security layer (RFC 4422 section 3.7): 4-byte length, then a token. */
static size_t sasl_wrapped(struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	uint32_t len = wl_be32(&c);
	if (!wl_ok(&c) || wl_left(&c) < len)
		return 0;
	struct wl_msg *m = wl_msg_new(ctx, "ldap", "sasl-wrapped", dir);
	wl_msg_text(m, "SASL-wrapped %u bytes", len);
	wl_note(m, WL_INFO, "SASL security layer: the LDAP message inside is signed or encrypted");
	return 4u + len;
}

static size_t ldap_stream(void *vst, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct ldap_state *st = vst;
	size_t used = 0;
	while (wl_left(&c)) {
		/* after a gap, a chunk that starts like an LDAPMessage resumes the decoding */
		if (st->lost[dir] && !st->tls[dir] && ldap_probe(c, dir) == WL_PROBE_YES)
			st->lost[dir] = 0;
		if (st->tls[dir] || st->lost[dir])
			return used + skip_rest(st, ctx, dir, c);
		if (st->sasl && wl_peek(&c, 0) == 0) {
			size_t n = sasl_wrapped(ctx, dir, c);
			if (!n)
				return used;
			wl_skip(&c, n);
			used += n;
			continue;
		}
		struct wl_ber h;
		int r = wl_ber_peek(&c, &h);
		if (r == 0)
			return used;
		if (r < 0 || h.cls != WL_BER_UNIV || h.tag != WL_BER_SEQUENCE || h.len > LDAP_MAX_MSG) {
			struct wl_msg *m = wl_msg_new(ctx, "ldap", "message", dir);
			wl_msg_text(m, "not an LDAP message");
			wl_note(m, WL_ERROR, "malformed: expected an LDAPMessage SEQUENCE with a definite length");
			st->lost[dir] = 1;
			continue;
		}
		if (wl_left(&c) < h.hdr + h.len)
			return used;
		wl_skip(&c, h.hdr);
		ldap_message(st, ctx, dir, wl_sub(&c, h.len));
		used += h.hdr + h.len;
	}
	return used;
}

/* CLDAP: whole LDAPMessages in one datagram. */
static void ldap_datagram(void *vst, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct ldap_state *st = vst;
	st->cldap = 1;
	while (wl_left(&c)) {
		struct wl_ber h;
		struct wl_cur v = wl_ber_tlv(&c, &h);
		if (!h.hdr || h.cls != WL_BER_UNIV || h.tag != WL_BER_SEQUENCE) {
			struct wl_msg *m = wl_msg_new(ctx, "ldap", "message", dir);
			wl_msg_text(m, "not an LDAP message");
			wl_note(m, WL_ERROR, "malformed: expected an LDAPMessage SEQUENCE");
			return;
		}
		ldap_message(st, ctx, dir, v);
		if (c.err)
			return;  /* the last message was cut short; it said so */
	}
}

static const struct wl_field_info ldap_fields_verbose[] = {
	{ "ldap.and", WL_FT_UINT, "and filter: how many filters it holds" },
	{ "ldap.and_item", WL_FT_UINT, "and filter: a member's filter choice" },
	{ "ldap.or", WL_FT_UINT, "or filter: how many filters it holds" },
	{ "ldap.or_item", WL_FT_UINT, "or filter: a member's filter choice" },
	{ "ldap.substrings", WL_FT_UINT, "substrings filter: how many parts" },
	{ "ldap.substrings_item", WL_FT_UINT, "substrings filter: a part's kind (0 initial, 1 any, 2 final)" },
	{ "ldap.attributes", WL_FT_UINT, "how many attributes a search asks for or an entry or add carries" },
	{ "ldap.vals", WL_FT_UINT, "how many values an attribute carries" },
	{ "ldap.modification", WL_FT_UINT, "modify: how many changes" },
	{ "ldap.response_to", WL_FT_UINT, "response: the frame of its request" },
	{ "ldap.time", WL_FT_DOUBLE, "response: seconds since its request" },
	{ NULL, 0, NULL },
};

static const struct wl_field_info ldap_fields[] = {
	{ "ldap.messageID", WL_FT_UINT, "message ID, echoed by the response" },
	{ "ldap.protocolOp", WL_FT_UINT, "operation: the [APPLICATION n] number" },
	{ "ldap.version", WL_FT_UINT, "LDAP version in a bind (3)" },
	{ "ldap.name", WL_FT_STR, "DN bound as" },
	{ "ldap.authentication", WL_FT_UINT, "0 simple, 3 SASL" },
	{ "ldap.simple", WL_FT_STR, "simple bind password (cleartext)" },
	{ "ldap.mechanism", WL_FT_STR, "SASL mechanism" },
	{ "ldap.credentials", WL_FT_BYTES, "SASL credentials" },
	{ "ldap.serverSaslCreds", WL_FT_BYTES, "server's SASL credentials" },
	{ "ldap.baseObject", WL_FT_STR, "search base DN" },
	{ "ldap.scope", WL_FT_UINT, "0 base, 1 one level, 2 subtree" },
	{ "ldap.derefAliases", WL_FT_UINT, "alias dereferencing" },
	{ "ldap.sizeLimit", WL_FT_UINT, "maximum entries" },
	{ "ldap.timeLimit", WL_FT_UINT, "maximum seconds" },
	{ "ldap.typesOnly", WL_FT_BOOL, "names only, no values" },
	{ "ldap.filter", WL_FT_UINT, "top filter CHOICE number (0 and, 3 equality, 7 present...)" },
	{ "wl.ldap.filter", WL_FT_STR, "the filter as RFC 4515 text" },
	{ "ldap.attributeDesc", WL_FT_STR, "attribute of an assertion" },
	{ "ldap.assertionValue", WL_FT_STR, "value of an assertion" },
	{ "ldap.present", WL_FT_STR, "attribute of a presence filter" },
	{ "ldap.initial", WL_FT_STR, "substring filter: initial" },
	{ "ldap.any", WL_FT_STR, "substring filter: any" },
	{ "ldap.final", WL_FT_STR, "substring filter: final" },
	{ "ldap.matchingRule", WL_FT_STR, "extensible match rule" },
	{ "ldap.matchValue", WL_FT_STR, "extensible match value" },
	{ "ldap.dnAttributes", WL_FT_BOOL, "extensible match on DN attributes" },
	{ "ldap.AttributeDescription", WL_FT_STR, "attribute asked for in a search" },
	{ "ldap.objectName", WL_FT_STR, "DN of a returned entry" },
	{ "ldap.type", WL_FT_STR, "attribute type" },
	{ "ldap.AttributeValue", WL_FT_BYTES, "attribute value" },
	{ "ldap.resultCode", WL_FT_UINT, "result code" },
	{ "ldap.matchedDN", WL_FT_STR, "matched DN" },
	{ "ldap.errorMessage", WL_FT_STR, "diagnostic message" },
	{ "ldap.LDAPURL", WL_FT_STR, "referral URL" },
	{ "ldap.object", WL_FT_STR, "DN of the modified entry" },
	{ "ldap.operation", WL_FT_UINT, "modify: 0 add, 1 delete, 2 replace" },
	{ "ldap.entry", WL_FT_STR, "DN of the added, renamed or compared entry" },
	{ "ldap.delRequest", WL_FT_STR, "DN to delete" },
	{ "ldap.newrdn", WL_FT_STR, "new RDN" },
	{ "ldap.deleteoldrdn", WL_FT_BOOL, "delete the old RDN" },
	{ "ldap.newSuperior", WL_FT_STR, "new parent" },
	{ "ldap.abandonRequest", WL_FT_UINT, "message ID abandoned" },
	{ "ldap.requestName", WL_FT_STR, "extended request OID" },
	{ "ldap.requestValue", WL_FT_BYTES, "extended request value" },
	{ "ldap.responseName", WL_FT_STR, "extended response OID" },
	{ "ldap.response", WL_FT_BYTES, "extended response value" },
	{ "ldap.controlType", WL_FT_STR, "control OID" },
	{ "ldap.criticality", WL_FT_BOOL, "control is critical" },
	{ "ldap.controlValue", WL_FT_BYTES, "control value" },
	{ "ldap.size", WL_FT_INT, "paged results: page size asked, or the estimate returned (RFC 2696)" },
	{ "ldap.cookie", WL_FT_BYTES, "paged results: the cookie to resume from (empty: the last page)" },
	{ NULL, 0, NULL }
};

const struct wl_dissector wl_dissector_ldap = {
	.name = "ldap",
	.desc = "LDAPv3 directory access (RFC 4511), CLDAP over UDP",
	.tcp_ports = ldap_tcp_ports,
	.udp_ports = ldap_udp_ports,
	.probe = ldap_probe,
	.open = ldap_open,
	.stream = ldap_stream,
	.datagram = ldap_datagram,
	.gap = ldap_gap,
	.close = ldap_close,
	.fields = ldap_fields,
	.fields_verbose = ldap_fields_verbose,
};
