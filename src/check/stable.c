/* stable.c - what of a message a fresh run of a lab exchange must repeat
 * (`wirelab lab X --expect STORED.pcap`): the names of all its fields, and
 * the values of those that do not change from one run to the next. The
 * fields whose values do change are listed once, below, with the reason;
 * docs/ci.md lists the same table for people (tests/test_check.c holds the
 * two together). */
#include <arpa/inet.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

struct volatile_rule {
	const char *pattern;     /* fnmatch over the field name */
	const char *why;
};

/* Transport messages (tcp, udp, ip: ports, tcp.seq/ack and their raw values,
 * windows, timestamps) are never part of the sequence at all. */
static const struct volatile_rule rules[] = {
	{ "*.srcport", "ports: the client's is ephemeral" },
	{ "*.dstport", "ports: the client's is ephemeral" },
	{ "*.port", "ftp.passive.port, ftp.active.port, ftp.epsv.port: the data connection's port" },
	{ "*time*", "times and durations: ntp.*time, smb2.time, smb2.last_write.time, dns.time, "
		    "snmp.msgAuthoritativeEngineTime, certificate validity" },
	{ "ntp.org", "NTP timestamps (origin, receive, transmit, reference)" },
	{ "ntp.rec", "NTP timestamps" },
	{ "ntp.xmt", "NTP timestamps" },
	{ "ntp.rootdelay", "the server's measured delay and dispersion" },
	{ "ntp.rootdispersion", "the server's measured delay and dispersion" },
	{ "ntp.precision", "chronyd measures its clock's precision when it starts (230 or 231 on one machine)" },
	{ "wl.ntp.offset", "offset and delay measured by this run" },
	{ "wl.ntp.delay", "offset and delay measured by this run" },
	{ "wl.tls.cert.not_*", "certificate validity: the lab's certificates are made per state folder" },
	{ "*frame*", "frame numbers (a request's, a data connection's setup): they move with the TCP segments" },
	{ "*.response_to", "frame numbers of the request" },
	{ "*request_in", "frame numbers of the request" },
	{ "ssh.cookie", "random per KEXINIT" },
	{ "ssh.ecdh.*", "ephemeral key exchange keys" },
	{ "ssh.host_key*", "the server's host key: made per lab state folder" },
	{ "ssh.host_sig*", "the signature over this run's exchange hash" },
	{ "wl.ssh.host_key.fingerprint", "the server's host key" },
	{ "wl.ssh.encrypted_bytes", "sizes of ciphertext: random padding" },
	{ "*.random", "tls.handshake.random: 32 random bytes per hello" },
	{ "*session_id*", "tls.handshake.session_id: random (TLS 1.3 middlebox compatibility) or the server's choice" },
	{ "*session_ticket*", "a new ticket each run" },
	{ "tls.handshake.extensions_key_share_key_exchange", "ephemeral key shares (TLS 1.3)" },
	{ "tls.handshake.*_point", "ephemeral ECDH public keys (TLS 1.2 server_point, client_point)" },
	{ "tls.handshake.epms", "the premaster secret, random per session, encrypted with a randomised padding" },
	{ "tls.handshake.sig", "the ServerKeyExchange's signature over this run's randoms and key share" },
	{ "tls.handshake.client_cert_vrfy.sig", "the CertificateVerify's signature over this run's handshake" },
	{ "x509af.serialNumber", "the lab's certificates are made per state folder" },
	{ "wl.tls.cert.key", "the certificate's public key: made per state folder" },
	{ "tls.handshake.*length", "sizes that follow from keys, certificates and tickets" },
	{ "tls.handshake.*_len", "sizes that follow from keys" },
	{ "tls.record.length", "sizes that follow from keys, certificates and tickets" },
	{ "dns.id", "query IDs are random" },
	{ "snmp.request_id", "request IDs are random" },
	{ "snmp.msgID", "message IDs are random" },
	{ "snmp.msgAuthenticationParameters", "a MAC over this run's message" },
	{ "snmp.msgPrivacyParameters", "the salt of this run's encryption" },
	{ "snmp.encryptedPDU", "ciphertext" },
	{ "snmp.decrypted_pdu", "the decrypted scoped PDU holds the random request ID" },
	{ "snmp.value.timeticks", "uptimes (sysUpTime, sysORLastChange)" },
	{ "ntlmssp.ntlmserverchallenge", "a random challenge per session" },
	{ "smb2.client_guid", "random per client" },
	{ "smb2.sesid", "session IDs are the server's random choice" },
	{ "wl.smb2.transform.sesid", "session IDs" },
	{ "smb2.fid", "file IDs are the server's random choice" },
	{ "smb2.tid", "tree IDs are the server's choice" },
	{ "smb2.aid", "async IDs are the server's choice" },
	{ "smb2.header.transform.nonce", "a nonce per encrypted message" },
	{ "smb2.header.transform.signature", "the encryption's tag" },
	{ "smb2.header.transform.msg_size", "sizes of ciphertext (a folded step may hold an interim reply)" },
	{ "smb2.flags.async", "whether the server answers asynchronously: a matter of its timing" },
	{ "smb2.flags", "holds the async bit; its other bits are compared as smb2.flags.response, .signature, .chained" },
	{ "smb2.credits.granted", "flow control: the server grants credits by its load, in an interim reply or the final one" },
	{ NULL, NULL },
};

/* Fields whose presence is itself a matter of timing: neither their name nor
 * their value is compared. An SMB2 answer's header holds an async ID when the
 * server chose to answer asynchronously, else the tree ID (and the tree's name
 * and share type follow from that); a request always names its tree. */
static const char *const optional_fields[] = { "smb2.aid", NULL };
static const char *const optional_in_answers[] = { "smb2.tid", "smb2.tree", "smb2.share_type", NULL };

/* Values that say something about the agent's host rather than the exchange
 * (the kernel in sysDescr, the host name, its interfaces): an SNMP varbind's
 * value under these OIDs. */
static const char *const host_oids[] = {
	"1.3.6.1.2.1.1.1.",      /* sysDescr: the kernel */
	"1.3.6.1.2.1.1.5.",      /* sysName: the host name */
	"1.3.6.1.2.1.1.9.1.4.",  /* sysORUpTime */
	"1.3.6.1.2.1.2.",        /* interfaces: how many, and each */
	"1.3.6.1.2.1.4.",        /* ip */
	"1.3.6.1.2.1.25.",       /* host resources */
	NULL,
};

const char *const wl_volatile_context[] = {
	"smb2.aid, and smb2.tid, smb2.tree and smb2.share_type in SMB2 answers — an answer's header carries an async ID or the tree ID, by the server's timing: neither name nor value is compared (a request's tree is)",
	"an SMB2 interim response (STATUS_PENDING) — the server sends one when an answer takes it long: it adds nothing to its step",
	"ftp.request.arg of PORT and EPRT, ftp.response.arg of 227 and 229 — they carry the data connection's port",
	"snmp.value.* of sysDescr, sysName, sysORUpTime, interfaces, ip and host resources — they describe the agent's host",
	NULL,
};

const char *wl_volatile_rule(size_t i, const char **why)
{
	if (i >= sizeof rules / sizeof rules[0] - 1)
		return NULL;
	*why = rules[i].why;
	return rules[i].pattern;
}

int wl_field_volatile(const char *proto, const char *name)
{
	(void)proto;
	for (const struct volatile_rule *r = rules; r->pattern; r++)
		if (fnmatch(r->pattern, name, 0) == 0)
			return 1;
	return 0;
}

/* ---- values in context ---- */

static const struct wl_field *find_field(const struct wl_msg *m, const char *name)
{
	for (unsigned i = 0; i < m->nfields; i++)
		if (strcmp(m->fields[i].name, name) == 0)
			return &m->fields[i];
	return NULL;
}

static int str_is(const struct wl_msg *m, const struct wl_field *f, const char *s)
{
	size_t n = strlen(s);
	return f && f->type == WL_FT_STR && f->len == n && memcmp(wl_msg_pool(m, f->v.off), s, n) == 0;
}

static int uint_is(const struct wl_field *f, uint64_t v)
{
	return f && (f->type == WL_FT_UINT || f->type == WL_FT_HEX) && f->v.u == v;
}

/* FTP's PORT/EPRT argument and 227/229 reply text hold a port. */
static int ftp_port_text(const struct wl_msg *m, const char *name)
{
	if (strcmp(name, "ftp.request.arg") == 0) {
		const struct wl_field *c = find_field(m, "ftp.request.command");
		return str_is(m, c, "PORT") || str_is(m, c, "EPRT");
	}
	if (strcmp(name, "ftp.response.arg") == 0) {
		const struct wl_field *c = find_field(m, "ftp.response.code");
		return uint_is(c, 227) || uint_is(c, 229);
	}
	return 0;
}

static int host_oid(const struct wl_msg *m, const struct wl_field *name_field)
{
	if (!name_field || name_field->type != WL_FT_STR)
		return 0;
	char oid[128];
	snprintf(oid, sizeof oid, "%.*s.", (int)(name_field->len < 120 ? name_field->len : 120),
		 wl_msg_pool(m, name_field->v.off));
	for (const char *const *p = host_oids; *p; p++)
		if (strncmp(oid, *p, strlen(*p)) == 0)
			return 1;
	return 0;
}

/* ---- a value as text ---- */

#define MAX_VALUE 160

static void hex_text(char *out, size_t n, const uint8_t *p, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len && o + 3 < n; i++)
		o += (size_t)snprintf(out + o, n - o, "%02x", p[i]);
}

/* Printable ASCII as it is, anything else as '?': an entry is a line of text. */
static void str_text(char *out, size_t n, const char *s, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len && o + 1 < n; i++)
		out[o++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[o] = '\0';
}

static void value_text(const struct wl_msg *m, const struct wl_field *f, char *out, size_t n)
{
	const char *pool = wl_msg_pool(m, 0);
	out[0] = '\0';
	switch (f->type) {
	case WL_FT_UINT:
	case WL_FT_HEX: snprintf(out, n, "%" PRIu64, f->v.u); break;
	case WL_FT_INT: snprintf(out, n, "%" PRId64, f->v.i); break;
	case WL_FT_BOOL: snprintf(out, n, "%d", f->v.u != 0); break;
	case WL_FT_DOUBLE: snprintf(out, n, "%.9g", f->v.d); break;
	case WL_FT_TIME: snprintf(out, n, "%" PRId64, f->v.i); break;
	case WL_FT_STR: str_text(out, n, pool + f->v.off, f->len); break;
	case WL_FT_BYTES: hex_text(out, n, (const uint8_t *)pool + f->v.off, f->len); break;
	case WL_FT_IPV4: inet_ntop(AF_INET, pool + f->v.off, out, (socklen_t)n); break;
	case WL_FT_IPV6: inet_ntop(AF_INET6, pool + f->v.off, out, (socklen_t)n); break;
	default: break;
	}
}

static int listed(const char *const *list, const char *name)
{
	for (const char *const *p = list; *p; p++)
		if (strcmp(name, *p) == 0)
			return 1;
	return 0;
}

static int optional(const struct wl_msg *m, int answer, const char *name)
{
	(void)m;
	return listed(optional_fields, name) || (answer && listed(optional_in_answers, name));
}

#define STATUS_PENDING 0x103u

/* SMB2's "not yet, later": whether the server sends one is its timing. */
static int interim_reply(const struct wl_msg *m)
{
	return strcmp(m->proto, "smb2") == 0 && uint_is(find_field(m, "smb2.nt_status"), STATUS_PENDING);
}

void wl_stable_entries(const struct wl_msg *m, void (*add)(void *arg, const char *entry), void *arg)
{
	const struct wl_field *oid = NULL;  /* the varbind a snmp.value.* belongs to */
	if (interim_reply(m))
		return;
	const struct wl_field *resp = find_field(m, "smb2.flags.response");
	int answer = resp && resp->v.u;
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct wl_field *f = &m->fields[i];
		if (optional(m, answer, f->name))
			continue;
		if (strcmp(f->name, "snmp.name") == 0)
			oid = f;
		int host_value = strncmp(f->name, "snmp.value.", 11) == 0 && host_oid(m, oid);
		if (host_value || ftp_port_text(m, f->name) || wl_field_volatile(m->proto, f->name)) {
			add(arg, f->name);
			continue;
		}
		char entry[MAX_VALUE + 128], value[MAX_VALUE + 1];
		value_text(m, f, value, sizeof value);
		snprintf(entry, sizeof entry, "%s=%s", f->name, value);
		add(arg, entry);
	}
}

/* ---- a step's entries: a set, in name order ---- */

/* By name (up to '='), then by value: one name's entries stay together. */
static int entry_order(const char *a, const char *b)
{
	size_t na = strcspn(a, "="), nb = strcspn(b, "=");
	int c = memcmp(a, b, na < nb ? na : nb);
	if (c || na != nb)
		return c ? c : na < nb ? -1 : 1;
	return strcmp(a + na, b + nb);
}

#define MAX_ENTRIES 8192  /* per step: a fold of many big messages stays bounded */

int wl_entry_set_add(struct wl_entry_set *s, const char *e)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = entry_order(s->v[mid], e);
		if (c == 0)
			return 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (s->n >= MAX_ENTRIES) {
		s->overflow = 1;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		char **nv = realloc(s->v, cap * sizeof *nv);
		if (!nv)
			return -1;
		s->v = nv;
		s->cap = cap;
	}
	char *d = strdup(e);
	if (!d)
		return -1;
	memmove(s->v + lo + 1, s->v + lo, (s->n - lo) * sizeof *s->v);
	s->v[lo] = d;
	s->n++;
	return 0;
}

void wl_entry_set_free(struct wl_entry_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static size_t name_len(const char *e)
{
	return strcspn(e, "=");
}

/* One name's entries [i, end) of s. */
static size_t group_end(const struct wl_entry_set *s, size_t i)
{
	size_t n = name_len(s->v[i]), j = i + 1;
	while (j < s->n && name_len(s->v[j]) == n && memcmp(s->v[j], s->v[i], n) == 0)
		j++;
	return j;
}

static int groups_equal(const struct wl_entry_set *a, size_t i, size_t ie, const struct wl_entry_set *b,
			size_t j, size_t je)
{
	if (ie - i != je - j)
		return 0;
	for (; i < ie; i++, j++)
		if (strcmp(a->v[i], b->v[j]) != 0)
			return 0;
	return 1;
}

/* "230,331" from a group's entries; "(not compared)" for a bare name. */
static void group_values(const struct wl_entry_set *s, size_t i, size_t ie, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t k = i; k < ie && o + 1 < n; k++) {
		const char *e = s->v[k], *eq = strchr(e, '=');
		o += (size_t)snprintf(out + o, n - o, "%s%s", k > i ? "," : "", eq ? eq + 1 : "(not compared)");
	}
	if (o + 1 >= n && n > 4)
		memcpy(out + n - 4, "...", 4);
}

int wl_entry_set_diff(const struct wl_entry_set *a, const struct wl_entry_set *b, char *out, size_t n)
{
	size_t i = 0, j = 0;
	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : 0;
		if (!c) {
			size_t la = name_len(a->v[i]), lb = name_len(b->v[j]);
			c = memcmp(a->v[i], b->v[j], la < lb ? la : lb);
			if (!c)
				c = la < lb ? -1 : la > lb;
		}
		size_t ie = c <= 0 ? group_end(a, i) : i, je = c >= 0 ? group_end(b, j) : j;
		if (c || !groups_equal(a, i, ie, b, j, je)) {
			const char *name = c <= 0 ? a->v[i] : b->v[j];
			int nl = (int)name_len(name);
			char av[200], bv[200];
			group_values(a, i, ie, av, sizeof av);
			group_values(b, j, je, bv, sizeof bv);
			if (c < 0)
				snprintf(out, n, "%.*s: %s in the stored capture, absent in the live run", nl, name, av);
			else if (c > 0)
				snprintf(out, n, "%.*s: absent in the stored capture, %s in the live run", nl, name, bv);
			else
				snprintf(out, n, "%.*s: %s → %s", nl, name, av, bv);
			return 1;
		}
		i = ie;
		j = je;
	}
	return 0;
}
