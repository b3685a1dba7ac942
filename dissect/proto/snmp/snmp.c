/* snmp.c - SNMP v1, v2c and v3: community or USM header, the PDU, every
 * variable binding with its OID, MIB name and value.
 *
 * Specs: RFC 1157 (v1), RFC 3416 (PDUs), RFC 3417 (BER on UDP), RFC 1901
 * (v2c), RFC 1910 (v2u), RFC 3412 (v3 message), RFC 3414 (USM), RFC 7860 (USM
 * with SHA-2), RFC 3826 (AES), RFC 3411 (engine IDs), RFC 2578 (SMI types),
 * RFC 3418 (sysServices); MIB names from the modules in dissect/mibs/ through
 * net-snmp's MIB parser (never /etc/snmp or /var/lib/snmp). With SNMPv3 users
 * given (usm.c), each authenticated message's HMAC is checked and each
 * encrypted scoped PDU decrypted and dissected like a plaintext one.
 *
 *   v1/v2c Message ::= SEQUENCE {          v3 SNMPv3Message ::= SEQUENCE {
 *     version   INTEGER (0 v1, 1 v2c),       msgVersion INTEGER (3),
 *     community OCTET STRING,                msgGlobalData SEQUENCE { msgID,
 *     data      PDU }                          msgMaxSize, msgFlags, msgSecurityModel },
 *                                            msgSecurityParameters OCTET STRING
 *   PDU ::= [n] IMPLICIT SEQUENCE {            (USM: engineID, boots, time, user,
 *     request-id    INTEGER,                    auth params, priv params),
 *     error-status  INTEGER,                 msgData CHOICE { ScopedPDU SEQUENCE {
 *     error-index   INTEGER,                   contextEngineID, contextName, PDU },
 *     variable-bindings SEQUENCE OF            encryptedPDU OCTET STRING } }
 *       SEQUENCE { name OID, value } }
 *
 *   [0] get  [1] get-next  [2] response  [3] set  [4] v1 trap  [5] getBulk
 *   [6] inform  [7] v2 trap  [8] report
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include <openssl/crypto.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "ber.h"
#include "snmp_usm.h"
#include "wl.h"

#ifndef WL_MIB_DIR
#define WL_MIB_DIR "dissect/proto/snmp/mibs"
#endif
#define VB_NOTES 24

static const uint16_t snmp_udp_ports[] = { 161, 162, 1161, 0 };

extern const struct wl_dissector wl_dissector_snmp;  /* its shared users table is keyed by it */

static const struct wl_tok pdu_names[] = {
	{ 0, "get-request" }, { 1, "get-next-request" }, { 2, "get-response" },
	{ 3, "set-request" }, { 4, "trap" }, { 5, "getBulkRequest" },
	{ 6, "informRequest" }, { 7, "snmpV2-trap" }, { 8, "report" }, { 0, NULL }
};

static const struct wl_tok pdu_teach[] = {
	{ 0, "the manager asks the agent for the values of these OIDs" },
	{ 1, "the manager asks for the next OID after each one (a walk step)" },
	{ 2, "the agent answers with the values" },
	{ 3, "the manager writes these values" },
	{ 4, "the agent reports an event unasked (SNMPv1)" },
	{ 5, "several get-next steps in one request (v2c/v3)" },
	{ 6, "a notification the receiver must acknowledge" },
	{ 7, "the agent reports an event unasked" },
	{ 8, "the engine reports a problem or its engine ID (v3 discovery)" },
	{ 0, NULL }
};

static const struct wl_tok error_names[] = {
	{ 0, "noError" }, { 1, "tooBig" }, { 2, "noSuchName" }, { 3, "badValue" },
	{ 4, "readOnly" }, { 5, "genErr" }, { 6, "noAccess" }, { 7, "wrongType" },
	{ 8, "wrongLength" }, { 9, "wrongEncoding" }, { 10, "wrongValue" },
	{ 11, "noCreation" }, { 12, "inconsistentValue" }, { 13, "resourceUnavailable" },
	{ 14, "commitFailed" }, { 15, "undoFailed" }, { 16, "authorizationError" },
	{ 17, "notWritable" }, { 18, "inconsistentName" }, { 0, NULL }
};

static const struct wl_tok trap_names[] = {
	{ 0, "coldStart" }, { 1, "warmStart" }, { 2, "linkDown" }, { 3, "linkUp" },
	{ 4, "authenticationFailure" }, { 5, "egpNeighborLoss" }, { 6, "enterpriseSpecific" },
	{ 0, NULL }
};

static const struct wl_tok version_names[] = {
	{ 0, "v1" }, { 1, "v2c" }, { 2, "v2u" }, { 3, "v3" }, { 0, NULL }
};

static const struct wl_tok secmodel_names[] = {
	{ 0, "any" }, { 1, "SNMPv1" }, { 2, "SNMPv2c" }, { 3, "USM" }, { 4, "TSM" }, { 0, NULL }
};

static const struct wl_tok engine_formats[] = {
	{ 1, "IPv4" }, { 2, "IPv6" }, { 3, "MAC" }, { 4, "text" }, { 5, "octets" }, { 0, NULL }
};

/* ---- OID names: net-snmp's MIB parser over dissect/mibs, or a small table ---- */

static const char *const mib_modules[] = {
	"SNMPv2-MIB", "IF-MIB", "SNMP-USER-BASED-SM-MIB", "SNMP-MPD-MIB",
};

struct mib_lib {
	pthread_once_t once;
	struct tree *head;   /* NULL: net-snmp could not load the modules */
};

static struct mib_lib mib_lib = { PTHREAD_ONCE_INIT, NULL };

static void mib_load(void)
{
	const char *dir = getenv("WIRELAB_MIBDIRS");
	char probe[1024];
	if (!dir || !*dir)
		dir = WL_MIB_DIR;
	wl_snprintf(probe, sizeof probe, "%s/SNMPv2-MIB.txt", dir);
	if (access(probe, R_OK) != 0)
		return;  /* the built-in table answers */
	/* Only our directory, no configuration files, nothing persistent. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIBDIRS, dir);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS, 0);
	netsnmp_init_mib_internals();
	if (add_mibdir(dir) <= 0)
		return;
	struct tree *t = NULL;
	for (size_t i = 0; i < sizeof mib_modules / sizeof mib_modules[0]; i++) {
		struct tree *r = read_module(mib_modules[i]);
		if (r)
			t = r;
	}
	mib_lib.head = t;
}

static const struct {
	const char *prefix, *name;   /* numeric prefix, MODULE::label */
} mib_builtin[] = {
	{ "1.3.6.1.2.1.1.1", "SNMPv2-MIB::sysDescr" }, { "1.3.6.1.2.1.1.2", "SNMPv2-MIB::sysObjectID" },
	{ "1.3.6.1.2.1.1.3", "SNMPv2-MIB::sysUpTime" }, { "1.3.6.1.2.1.1.4", "SNMPv2-MIB::sysContact" },
	{ "1.3.6.1.2.1.1.5", "SNMPv2-MIB::sysName" }, { "1.3.6.1.2.1.1.6", "SNMPv2-MIB::sysLocation" },
	{ "1.3.6.1.2.1.1.7", "SNMPv2-MIB::sysServices" }, { "1.3.6.1.2.1.1.8", "SNMPv2-MIB::sysORLastChange" },
	{ "1.3.6.1.2.1.1.9.1.2", "SNMPv2-MIB::sysORID" }, { "1.3.6.1.2.1.1.9.1.3", "SNMPv2-MIB::sysORDescr" },
	{ "1.3.6.1.2.1.1.9.1.4", "SNMPv2-MIB::sysORUpTime" }, { "1.3.6.1.2.1.1", "SNMPv2-MIB::system" },
	{ "1.3.6.1.6.3.15.1.1.1", "SNMP-USER-BASED-SM-MIB::usmStatsUnsupportedSecLevels" },
	{ "1.3.6.1.6.3.15.1.1.6", "SNMP-USER-BASED-SM-MIB::usmStatsDecryptionErrors" },
	{ "1.3.6.1.6.3.15.1.1.4", "SNMP-USER-BASED-SM-MIB::usmStatsUnknownEngineIDs" },
	{ "1.3.6.1.6.3.15.1.1.3", "SNMP-USER-BASED-SM-MIB::usmStatsUnknownUserNames" },
	{ "1.3.6.1.6.3.15.1.1.2", "SNMP-USER-BASED-SM-MIB::usmStatsNotInTimeWindows" },
	{ "1.3.6.1.6.3.15.1.1.5", "SNMP-USER-BASED-SM-MIB::usmStatsWrongDigests" },
	{ "1.3.6.1.6.3.1.1.4.1", "SNMPv2-MIB::snmpTrapOID" },
	{ "1.3.6.1.2.1.1", "SNMPv2-MIB::system" }, { "1.3.6.1.4.1", "SNMPv2-SMI::enterprises" },
	{ "1.3.6.1.2.1", "SNMPv2-SMI::mib-2" },
};

static int builtin_name(const char *dotted, char *out, size_t n)
{
	for (size_t i = 0; i < sizeof mib_builtin / sizeof mib_builtin[0]; i++) {
		size_t k = strlen(mib_builtin[i].prefix);
		if (!strncmp(dotted, mib_builtin[i].prefix, k) && (dotted[k] == '.' || !dotted[k])) {
			wl_snprintf(out, n, "%s%s", mib_builtin[i].name, dotted + k);
			return 1;
		}
	}
	return 0;
}

/* s appended to out at *o, cut to outn - 1 bytes as snprintf cuts; *o counts
 * what would have been written. */
static void text_put(char *out, size_t outn, size_t *o, const char *s, size_t len)
{
	if (*o + 1 < outn) {
		size_t room = outn - 1 - *o;
		memcpy(out + *o, s, len < room ? len : room);
		out[*o + (len < room ? len : room)] = '\0';
	}
	*o += len;
}

/* The index part of an OID's name, ".5.1" for the arcs from skip on: the
 * tail of its dotted text (which holds every arc: WL_BER_OID_TEXT is sized
 * for WL_BER_OID_ARCS of them). */
static const char *dotted_from(const char *dotted, int skip)
{
	const char *q = dotted;
	for (int i = 0; i < skip && q; i++)
		q = strchr(q + (i > 0), '.');
	return q ? q : "";
}

/* MODULE::label.index for the arcs; 0 when no module knows them. */
static int oid_name(const uint64_t *arcs, int n, const char *dotted, char *out, size_t outn)
{
	pthread_once(&mib_lib.once, mib_load);
	if (!mib_lib.head || n <= 0)
		return builtin_name(dotted, out, outn);
	oid o[WL_BER_OID_ARCS];
	for (int i = 0; i < n; i++)
		o[i] = (oid)arcs[i];
	struct tree *t = get_tree(o, (size_t)n, mib_lib.head);
	if (!t || !t->label)
		return 0;
	int depth = 0;
	for (struct tree *u = t; u; u = u->parent)
		depth++;
	if (depth < 4 || depth > n)
		return 0;  /* only iso.org.dod: no name worth showing */
	char mod[256];
	const char *mn = module_name(t->modid, mod);
	const char *index = dotted_from(dotted, depth);
	size_t o2 = 0;
	if (outn)
		out[0] = '\0';
	text_put(out, outn, &o2, mn, strlen(mn));
	text_put(out, outn, &o2, "::", 2);
	text_put(out, outn, &o2, t->label, strlen(t->label));
	text_put(out, outn, &o2, index, strlen(index));
	return 1;
}

/* ---- OID texts, shared by every flow of the engine ----
 * A poller asks for the same OIDs every round, and a response repeats its
 * request's names: each OID's dotted text and MIB name (arcs, get_tree and
 * the name's text, most of an SNMP message's cost) are made once and then
 * found by the OID's BER value bytes, which name the arcs exactly. */
#define OID_CACHE 1024           /* entries, a power of two */
#define OID_WAYS 4               /* per set: a set's few OIDs polled in turn stay */
#define OID_KEY_MAX 48           /* longer encodings are not kept */

struct oid_entry {
	uint8_t len;                 /* of key; 0: empty */
	uint8_t key[OID_KEY_MAX];
	uint16_t dotted_len, name_len;
	char *text;                  /* dotted text, NUL, name, NUL */
};

struct usm_table;

/* The engine-wide state of SNMP (wl_engine_shared() keeps one per dissector). */
struct snmp_shared {
	struct usm_table *usm;       /* the SNMPv3 users, made when first asked for */
	int usm_made;
	struct oid_entry oids[OID_CACHE];
	char *intro[9][4];           /* intro_note()'s texts by PDU tag and version */
};

static void usm_drop(void *v);

static void *shared_make(void)
{
	return calloc(1, sizeof(struct snmp_shared));
}

static void shared_drop(void *v)
{
	struct snmp_shared *sh = v;
	if (!sh)
		return;
	usm_drop(sh->usm);
	for (unsigned i = 0; i < OID_CACHE; i++)
		free(sh->oids[i].text);
	for (unsigned i = 0; i < 9; i++)
		for (unsigned k = 0; k < 4; k++)
			free(sh->intro[i][k]);
	free(sh);
}

static struct snmp_shared *snmp_shared(struct wl_ctx *ctx)
{
	return wl_engine_shared(ctx, &wl_dissector_snmp, shared_make, shared_drop);
}

/* The OID_WAYS entries an OID's bytes may sit in, the most recent first. */
static struct oid_entry *oid_set(struct snmp_shared *sh, const uint8_t *key, size_t n)
{
	uint32_t h = 2166136261u ^ (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		h = (h ^ key[i]) * 16777619u;
	return &sh->oids[h % (OID_CACHE / OID_WAYS) * OID_WAYS];
}

/* The entry for key, moved to the front of its set; NULL when not kept. */
static const struct oid_entry *oid_find(struct snmp_shared *sh, const uint8_t *key, size_t n)
{
	struct oid_entry *e = oid_set(sh, key, n);
	for (unsigned i = 0; i < OID_WAYS; i++) {
		if (e[i].len != n || memcmp(e[i].key, key, n) != 0)
			continue;
		struct oid_entry hit = e[i];
		memmove(&e[1], &e[0], i * sizeof *e);
		e[0] = hit;
		return &e[0];
	}
	return NULL;
}

/* Keeps key's texts at the front of its set, dropping the least recent. */
static void oid_keep(struct snmp_shared *sh, const uint8_t *key, size_t n, const char *dotted,
		     const char *name)
{
	size_t dl = strlen(dotted), nl = strlen(name);
	char *text = malloc(dl + nl + 2);
	if (!text)
		return;
	memcpy(text, dotted, dl + 1);
	memcpy(text + dl + 1, name, nl + 1);
	struct oid_entry *e = oid_set(sh, key, n);
	free(e[OID_WAYS - 1].text);
	memmove(&e[1], &e[0], (OID_WAYS - 1) * sizeof *e);
	e[0] = (struct oid_entry){ .len = (uint8_t)n, .dotted_len = (uint16_t)dl,
				   .name_len = (uint16_t)nl, .text = text };
	memcpy(e[0].key, key, n);
}

/* ---- one message ---- */

/* Requests waiting for their response (snmp.response_to, snmp.time). */
#define PENDING 32

struct pending {
	int64_t id;
	uint64_t frame;
	int64_t ns;
	uint8_t used;
};

struct snmp_state {
	uint8_t warned;           /* the community warning is given once per flow */
	unsigned next;            /* the slot the next request takes */
	struct pending req[PENDING];
};

struct sp {
	struct wl_ctx *ctx;
	struct snmp_state *st;
	struct snmp_shared *sh;   /* NULL when the engine has no room for it */
	struct wl_msg *m;
	int err;
	int version;
	int verbose;              /* -v: the wider Wireshark field set */
	int pdu_tag;              /* the PDU's context tag, -1 before it */
	unsigned vb_notes;
	char text[400];
};

static void sp_chk(struct sp *p, const struct wl_cur *c)
{
	if (c->err && !p->err)
		p->err = c->err;
}

static void text_add(struct sp *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(struct sp *p, const char *fmt, ...)
{
	size_t o = strlen(p->text);
	va_list ap;
	va_start(ap, fmt);
	if (o < sizeof p->text)
		wl_vsnprintf(p->text + o, sizeof p->text - o, fmt, ap);
	va_end(ap);
}

static int64_t take_int(struct sp *p, struct wl_cur *c)
{
	struct wl_cur v = wl_ber_take(c, WL_BER_UNIV, WL_BER_INTEGER);
	int ovf;
	int64_t x = wl_ber_int(&v, &ovf);
	sp_chk(p, c);
	sp_chk(p, &v);
	return x;
}

/* An INTEGER of a field tshark types FT_UINT32: its bytes read unsigned, no
 * sign extension, the low 32 bits kept (a boots of 02 01 dd is 221, not -35). */
static uint32_t take_u32(struct sp *p, struct wl_cur *c, int *negative)
{
	struct wl_cur v = wl_ber_take(c, WL_BER_UNIV, WL_BER_INTEGER);
	int ovf;
	*negative = wl_peek(&v, 0) >= 0x80;
	uint64_t x = wl_ber_uint(&v, &ovf);
	sp_chk(p, c);
	sp_chk(p, &v);
	return (uint32_t)x;
}

struct bstr {
	const uint8_t *p;
	size_t n;
};

static struct bstr all_of(struct wl_cur *v)
{
	struct bstr s = { NULL, wl_left(v) };
	s.p = wl_bytes(v, s.n);
	if (!s.p)
		s.n = 0;
	return s;
}

static struct bstr take_octets(struct sp *p, struct wl_cur *c)
{
	struct wl_cur v = wl_ber_take(c, WL_BER_UNIV, WL_BER_OCTETS);
	sp_chk(p, c);
	return all_of(&v);
}

static int is_text(struct bstr s)
{
	struct wl_cur c = wl_cur_make(s.p, s.n);
	for (size_t i = 0; i < s.n; i++) {
		uint8_t b = wl_u8(&c);
		if ((b < 0x20 && b != '\n' && b != '\r' && b != '\t') || b == 0x7f)
			return 0;
		if (b == 0 && i + 1 != s.n)
			return 0;
	}
	return 1;
}

/* net-snmp's way: STRING: "text" when printable, else Hex-STRING: 00 11 ... */
static void octets_text(char *out, size_t n, struct bstr s)
{
	size_t o = 0;
	struct wl_cur c = wl_cur_make(s.p, s.n);
	static const char hex[] = "0123456789ABCDEF";
	if (n)
		out[0] = '\0';
	if (is_text(s)) {
		text_put(out, n, &o, "STRING: \"", 9);
		for (size_t i = 0; i < s.n && o + 6 < n; i++) {
			uint8_t b = wl_u8(&c);
			out[o++] = (char)(b < 0x20 ? ' ' : b);
		}
		text_put(out, n, &o, "\"", 1);
		return;
	}
	text_put(out, n, &o, "Hex-STRING:", 11);
	for (size_t i = 0; i < s.n && o + 8 < n; i++) {
		uint8_t b = wl_u8(&c);
		char x[3] = { ' ', hex[b >> 4], hex[b & 15] };   /* " %02X" */
		text_put(out, n, &o, x, 3);
	}
}

static void ticks_text(char *out, size_t n, uint64_t t)
{
	uint64_t cs = t % 100, s = t / 100;
	uint64_t d = s / 86400, h = s / 3600 % 24, mi = s / 60 % 60, se = s % 60;
	if (d)
		wl_snprintf(out, n, "Timeticks: (%llu) %llu day%s, %llu:%02llu:%02llu.%02llu",
			 (unsigned long long)t, (unsigned long long)d, d == 1 ? "" : "s",
			 (unsigned long long)h, (unsigned long long)mi, (unsigned long long)se,
			 (unsigned long long)cs);
	else
		wl_snprintf(out, n, "Timeticks: (%llu) %llu:%02llu:%02llu.%02llu", (unsigned long long)t,
			 (unsigned long long)h, (unsigned long long)mi, (unsigned long long)se,
			 (unsigned long long)cs);
}

/* An OID's dotted text and MIB name, made from its arcs; 0 when invalid. */
static int oid_texts(struct wl_cur v, char name[WL_BER_OID_TEXT], char dotted[WL_BER_OID_TEXT])
{
	uint64_t arcs[WL_BER_OID_ARCS];
	int k = wl_ber_oid_arcs(&v, arcs, WL_BER_OID_ARCS);
	if (k < 0) {
		wl_snprintf(name, WL_BER_OID_TEXT, "(invalid OID)");
		dotted[0] = '\0';
		return 0;
	}
	wl_ber_arcs_text(arcs, k, dotted, WL_BER_OID_TEXT);
	if (!oid_name(arcs, k, dotted, name, WL_BER_OID_TEXT))
		memcpy(name, dotted, strlen(dotted) + 1);
	return 1;
}

/* An OID value: snmp.name or snmp.value.oid, its dotted text and MIB name
 * into the buffers, from the engine's cache when the OID was seen before. */
static int oid_field(struct sp *p, struct wl_cur v, const char *field, char name[WL_BER_OID_TEXT],
		     char dotted[WL_BER_OID_TEXT])
{
	struct wl_cur kc = v;
	size_t kn = wl_left(&kc);
	const uint8_t *key = p->sh && kn && kn <= OID_KEY_MAX ? wl_bytes(&kc, kn) : NULL;
	const struct oid_entry *e = key ? oid_find(p->sh, key, kn) : NULL;
	if (e) {
		memcpy(dotted, e->text, e->dotted_len + 1u);
		memcpy(name, e->text + e->dotted_len + 1, e->name_len + 1u);
	} else if (!oid_texts(v, name, dotted)) {
		p->err = WL_EINVAL;
		return 0;
	} else if (key) {
		oid_keep(p->sh, key, kn, dotted, name);
	}
	wl_f_cstr(p->m, field, dotted);
	return 1;
}

/* RFC 3418 sysServices: bit L-1 set for each layer L the node serves. */
static void services_text(char *out, size_t n, int64_t v)
{
	static const char *const layer[] = { "physical", "datalink/subnetwork", "internet",
					     "end-to-end", "session", "presentation", "applications" };
	size_t o = (size_t)wl_snprintf(out, n, "layers");
	int any = 0;
	for (int i = 0; i < 7 && o < n; i++)
		if (v >= 0 && (v >> i) & 1) {
			o += (size_t)wl_snprintf(out + o, n - o, "%s %d (%s)", any ? "," : "", i + 1, layer[i]);
			any = 1;
		}
	if (!any && o < n)
		wl_snprintf(out + o, n - o, " none");
}

/* The OIDs whose OCTET STRING value tshark also shows as snmp.var-bind_str. */
static int string_oid(const char *dotted)
{
	return !strcmp(dotted, "1.3.6.1.2.1.1.1.0") || !strcmp(dotted, "1.3.6.1.2.1.1.5.0");
}

/* One value of a varbind: its field and its text as snmpget prints it. */
static void vb_value(struct sp *p, struct wl_cur *c, const char *dotted, char *out, size_t n)
{
	struct wl_ber h;
	struct wl_cur v = wl_ber_tlv(c, &h);
	sp_chk(p, c);
	if (p->err) {
		wl_snprintf(out, n, "(cut short)");
		return;
	}
	int ovf = 0;
	if (h.cls == WL_BER_UNIV && h.tag == WL_BER_INTEGER) {
		int64_t x = wl_ber_int(&v, &ovf);
		wl_f_int(p->m, "snmp.value.int", x);
		wl_snprintf(out, n, "INTEGER: %lld", (long long)x);
		if (!strcmp(dotted, "1.3.6.1.2.1.1.7.0") && !ovf) {
			char lt[160];
			services_text(lt, sizeof lt, x);
			wl_snprintf(out, n, "INTEGER: %lld (%s)", (long long)x, lt);
		}
	} else if (h.cls == WL_BER_UNIV && h.tag == WL_BER_OCTETS) {
		struct bstr s = all_of(&v);
		wl_f_bytes(p->m, "snmp.value.octets", s.p, s.n);
		if (p->verbose && s.n && string_oid(dotted))
			wl_f_str(p->m, "snmp.var-bind_str", s.p, s.n);
		octets_text(out, n, s);
	} else if (h.cls == WL_BER_UNIV && h.tag == WL_BER_NULL) {
		wl_f_bool(p->m, "snmp.value.null", 1);
		wl_snprintf(out, n, "NULL");
	} else if (h.cls == WL_BER_UNIV && h.tag == WL_BER_OID) {
		char nm[WL_BER_OID_TEXT], dt[WL_BER_OID_TEXT];
		oid_field(p, v, "snmp.value.oid", nm, dt);
		if (wl_snprintf(out, n, "OID: %s", nm) >= (int)n)
			out[n - 1] = '\0';  /* cut: the field holds the whole OID */
	} else if (h.cls == WL_BER_APP && h.tag == 0 && wl_left(&v) == 4) {
		uint8_t a[4];
		wl_copy(&v, a, 4);
		wl_f_ipv4(p->m, "snmp.value.ipv4", a);
		wl_snprintf(out, n, "IpAddress: %u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	} else if (h.cls == WL_BER_APP && (h.tag == 2 || h.tag == 7)) {
		/* Gauge32 and UInteger32: tshark's fields are signed 64-bit */
		int64_t x = wl_ber_int(&v, &ovf);
		wl_f_int(p->m, h.tag == 2 ? "snmp.value.g32" : "snmp.value.u32", x);
		wl_snprintf(out, n, "Gauge32: %lld", (long long)x);
	} else if (h.cls == WL_BER_APP && (h.tag == 1 || h.tag == 3 || h.tag == 6)) {
		static const char *const tname[] = { NULL, "Counter32", NULL, "Timeticks", NULL, NULL, "Counter64" };
		uint64_t x = wl_ber_uint(&v, &ovf);
		wl_f_uint(p->m, h.tag == 3 ? "snmp.value.timeticks" : "snmp.value.counter", x);
		if (h.tag == 3)
			ticks_text(out, n, x);
		else
			wl_snprintf(out, n, "%s: %llu", tname[h.tag], (unsigned long long)x);
	} else if (h.cls == WL_BER_APP && h.tag == 4) {
		struct bstr s = all_of(&v);
		wl_f_bytes(p->m, "snmp.value.opaque", s.p, s.n);
		wl_snprintf(out, n, "OPAQUE: %zu bytes", s.n);
	} else if (h.cls == WL_BER_CTX && h.tag <= 2) {
		static const char *const ex[] = { "snmp.noSuchObject", "snmp.noSuchInstance",
						  "snmp.endOfMibView" };
		static const char *const ext[] = {
			"No Such Object available on this agent at this OID",
			"No Such Instance currently exists at this OID",
			"No more variables left in this MIB View (It is past the end of the MIB tree)" };
		wl_f_bool(p->m, ex[h.tag], 1);
		wl_snprintf(out, n, "%s", ext[h.tag]);
	} else {
		struct bstr s = all_of(&v);
		wl_f_bytes(p->m, "snmp.value.unk", s.p, s.n);
		char tb[40];
		wl_snprintf(out, n, "%s (%zu bytes)", wl_ber_tag_name(&h, tb, sizeof tb), s.n);
	}
	sp_chk(p, &v);
	if (ovf)
		wl_note(p->m, WL_WARN, "value does not fit 64 bits");
}

/* What each USM and MPD statistics OID in a report tells (RFC 3414 3.2, RFC 3412 7.2). */
static const struct {
	const char *oid;
	enum wl_level lvl;
	const char *why;
} report_why[] = {
	{ "1.3.6.1.6.3.15.1.1.1.0", WL_WARN, "usmStatsUnsupportedSecLevels: the agent does not offer the security level asked for" },
	{ "1.3.6.1.6.3.15.1.1.2.0", WL_INFO, "usmStatsNotInTimeWindows: the message's boots and time lie outside the agent's 150 s window; the report carries the agent's, so the manager can synchronise and retry" },
	{ "1.3.6.1.6.3.15.1.1.3.0", WL_WARN, "usmStatsUnknownUserNames: the agent has no such user" },
	{ "1.3.6.1.6.3.15.1.1.4.0", WL_INFO, "usmStatsUnknownEngineIDs: engine discovery, the agent tells its engine ID, boots and time (RFC 3414 4)" },
	{ "1.3.6.1.6.3.15.1.1.5.0", WL_WARN, "usmStatsWrongDigests: the agent's HMAC check failed, the manager's authentication password (key) is wrong" },
	{ "1.3.6.1.6.3.15.1.1.6.0", WL_WARN, "usmStatsDecryptionErrors: the agent could not decrypt the scoped PDU, the privacy password (key) is wrong" },
	{ "1.3.6.1.6.3.11.2.1.1.0", WL_WARN, "snmpUnknownSecurityModels: the agent does not know the security model" },
	{ "1.3.6.1.6.3.11.2.1.2.0", WL_WARN, "snmpInvalidMsgs: the agent found the message invalid" },
	{ "1.3.6.1.6.3.11.2.1.3.0", WL_WARN, "snmpUnknownPDUHandlers: no application in the agent takes this PDU" },
};

static void report_note(struct sp *p, const char *dotted)
{
	for (size_t i = 0; i < sizeof report_why / sizeof report_why[0]; i++)
		if (!strcmp(report_why[i].oid, dotted)) {
			wl_note(p->m, report_why[i].lvl, "%s", report_why[i].why);
			return;
		}
}

static void varbinds(struct sp *p, struct wl_cur *c, int first_in_text, int report)
{
	struct wl_cur l = wl_ber_take(c, WL_BER_UNIV, WL_BER_SEQUENCE);
	sp_chk(p, c);
	unsigned n = 0;
	int list_ok = !p->err;   /* tshark counts the VarBinds only of a list it could read */
	while (wl_left(&l) && !p->err) {
		struct wl_cur vb = wl_ber_take(&l, WL_BER_UNIV, WL_BER_SEQUENCE);
		sp_chk(p, &l);
		if (p->err) {
			list_ok = 0;
			break;
		}
		struct wl_cur o = wl_ber_take(&vb, WL_BER_UNIV, WL_BER_OID);
		sp_chk(p, &vb);
		if (p->err) {
			n++;
			break;
		}
		char name[WL_BER_OID_TEXT], dotted[WL_BER_OID_TEXT], val[600];
		oid_field(p, o, "snmp.name", name, dotted);
		wl_f_cstr(p->m, "wl.snmp.name_text", name);
		vb_value(p, &vb, dotted, val, sizeof val);
		int request_null = !strcmp(val, "NULL") && p->m && (first_in_text & 2);
		if (n == 0 && (first_in_text & 1))
			text_add(p, request_null ? " %s" : " %s = %s", name, val);
		if (p->vb_notes < VB_NOTES) {
			if (request_null)
				wl_note(p->m, WL_INFO, "%s", name);
			else
				wl_note(p->m, WL_INFO, "%s = %s", name, val);
			p->vb_notes++;
		}
		if (report && !p->err)
			report_note(p, dotted);
		n++;
	}
	if (l.err)
		list_ok = 0;
	sp_chk(p, &l);
	if (p->verbose && list_ok)
		wl_f_uint(p->m, "snmp.variable_bindings", n);
	if (n > 1)
		text_add(p, " (+%u more)", n - 1);
	if (n == 0)
		text_add(p, " (no variables)");
}

/* snmp.response_to and snmp.time, as tshark pairs them: a get, get-next,
 * set, getBulk or inform waits for the response with its request-id. */
static void track(struct sp *p, uint32_t tag, int64_t id)
{
	struct snmp_state *st = p->st;
	if (!st || !p->verbose)
		return;
	if (tag == 0 || tag == 1 || tag == 3 || tag == 5 || tag == 6) {
		struct pending *q = &st->req[st->next++ % PENDING];
		for (unsigned i = 0; i < PENDING; i++)
			if (st->req[i].used && st->req[i].id == id)
				q = &st->req[i];  /* a retransmission: the latest request counts */
		*q = (struct pending){ id, wl_frame(p->ctx), wl_time_ns(p->ctx), 1 };
	} else if (tag == 2) {
		for (unsigned i = 0; i < PENDING; i++)
			if (st->req[i].used && st->req[i].id == id && st->req[i].frame < wl_frame(p->ctx)) {
				wl_f_uint(p->m, "snmp.response_to", st->req[i].frame);
				wl_f_double(p->m, "snmp.time", (double)(wl_time_ns(p->ctx) - st->req[i].ns) / 1e9);
				return;
			}
	}
}

/* PDUs ::= CHOICE { [0] get ... [8] report }; field names the tag (snmp.data,
 * or snmp.plaintext inside SNMPv2u). */
static void pdu(struct sp *p, struct wl_cur *c, const char *field)
{
	struct wl_ber h;
	struct wl_cur v = wl_ber_tlv(c, &h);
	sp_chk(p, c);
	if (p->err)
		return;
	if (h.cls != WL_BER_CTX || h.tag > 8) {
		p->err = WL_EINVAL;
		return;
	}
	wl_f_uint(p->m, field, h.tag);
	p->pdu_tag = (int)h.tag;
	const char *name = wl_tok(pdu_names, h.tag, "?");
	text_add(p, "%s", name);
	if (h.tag == 4) {  /* SNMPv1 Trap-PDU */
		char ent[WL_BER_OID_TEXT], dt[WL_BER_OID_TEXT];
		struct wl_cur e = wl_ber_take(&v, WL_BER_UNIV, WL_BER_OID);
		sp_chk(p, &v);
		if (!p->err)
			oid_field(p, e, "snmp.enterprise", ent, dt);
		struct wl_cur a = wl_ber_take(&v, WL_BER_APP, 0);
		sp_chk(p, &v);
		if (wl_left(&a) == 4) {
			uint8_t ip[4];
			wl_copy(&a, ip, 4);
			wl_f_ipv4(p->m, "snmp.agent_addr", ip);
		}
		int64_t gen = take_int(p, &v), spec = take_int(p, &v);
		struct wl_cur ts = wl_ber_take(&v, WL_BER_APP, 3);
		int ovf;
		uint64_t t = wl_ber_uint(&ts, &ovf);
		sp_chk(p, &v);
		if (p->err)
			return;
		wl_f_int(p->m, "snmp.generic_trap", (int32_t)gen);
		wl_f_int(p->m, "snmp.specific_trap", (int32_t)spec);
		wl_f_uint(p->m, "snmp.time_stamp", (uint32_t)t);
		text_add(p, " %s", wl_tok(trap_names, (uint32_t)gen, "?"));
		wl_note(p->m, WL_INFO, "enterprise %s, generic trap %lld (%s), specific %lld", ent, (long long)gen,
			wl_tok(trap_names, (uint32_t)gen, "?"), (long long)spec);
		varbinds(p, &v, 0, 0);
		return;
	}
	int64_t id = take_int(p, &v), es = take_int(p, &v), ei = take_int(p, &v);
	if (p->err)
		return;
	wl_f_int(p->m, "snmp.request_id", (int32_t)id);
	if (h.tag == 5) {
		wl_f_uint(p->m, "snmp.non_repeaters", (uint32_t)es);
		wl_f_uint(p->m, "snmp.max_repetitions", (uint32_t)ei);
		text_add(p, " non-repeaters=%lld max-repetitions=%lld", (long long)es, (long long)ei);
	} else {
		wl_f_int(p->m, "snmp.error_status", (int32_t)es);
		wl_f_int(p->m, "snmp.error_index", (int32_t)ei);
		if (es) {
			text_add(p, " %s", wl_tok(error_names, (uint32_t)es, "?"));
			wl_note(p->m, WL_WARN, "error: %s (%lld) at variable %lld",
				wl_tok(error_names, (uint32_t)es, "?"), (long long)es, (long long)ei);
		}
	}
	track(p, h.tag, (int32_t)id);
	int is_request = h.tag == 0 || h.tag == 1 || h.tag == 5;
	varbinds(p, &v, 1 | (is_request ? 2 : 0), h.tag == 8);
}

/* ---- engine IDs (RFC 3411 SnmpEngineID, RFC 1910 agentID) ---- */

/* A few IANA private enterprise numbers engine IDs carry. */
static const struct wl_tok enterprises[] = {
	{ 9, "ciscoSystems" }, { 11, "Hewlett-Packard" }, { 311, "Microsoft" }, { 2021, "UCD-SNMP" },
	{ 2636, "Juniper" }, { 4526, "Netgear" }, { 8072, "net-snmp" }, { 14823, "Aruba" }, { 0, NULL }
};

/* The parts of an engine ID as tshark shows them (the same for
 * msgAuthoritativeEngineID and contextEngineID). */
static void engine_id_parts(struct sp *p, struct bstr e, int note)
{
	struct wl_cur c = wl_cur_make(e.p, e.n);
	if (!e.n)
		return;
	int conform = wl_peek(&c, 0) >> 7;
	wl_f_bool(p->m, "snmp.engineid.conform", conform);
	if (e.n < 4)
		return;
	uint32_t ent = wl_be32(&c) & 0x7fffffffu;
	wl_f_uint(p->m, "snmp.engineid.enterprise", ent);
	if (!conform) {
		struct bstr rest = all_of(&c);
		if (rest.n == 8 && p->verbose)
			wl_f_bytes(p->m, "snmp.agentid_trailer", rest.p, rest.n);
		if (note)
			wl_note(p->m, WL_INFO, "engine ID: RFC 1910 agentID, enterprise %u (%s)%s", ent,
				wl_tok(enterprises, ent, "?"), rest.n == 8 ? "" : ", not the 12 octets RFC 1910 wants");
		return;
	}
	if (!wl_left(&c))
		return;
	uint8_t fmt = wl_u8(&c);
	struct bstr rest = all_of(&c);
	wl_f_uint(p->m, "snmp.engineid.format", fmt);
	char what[96] = "";
	if (fmt == 1 && rest.n == 4) {
		wl_f_ipv4(p->m, "snmp.engineid.ipv4", rest.p);
		wl_snprintf(what, sizeof what, "IPv4 %u.%u.%u.%u", rest.p[0], rest.p[1], rest.p[2], rest.p[3]);
	} else if (fmt == 2 && rest.n == 16) {
		wl_f_ipv6(p->m, "snmp.engineid.ipv6", rest.p);
		wl_snprintf(what, sizeof what, "IPv6 address");
	} else if (fmt == 3 && (rest.n == 6 || (ent == 9 && rest.n == 7))) {
		struct wl_cur r = wl_cur_make(rest.p, rest.n);
		if (rest.n == 7)
			wl_f_hex(p->m, "snmp.engineid.cisco.type", wl_u8(&r));
		uint8_t mac[6];
		wl_copy(&r, mac, 6);
		wl_f_strf(p->m, "snmp.engineid.mac", "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
			  mac[3], mac[4], mac[5]);
		wl_snprintf(what, sizeof what, "MAC %02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
			 mac[4], mac[5]);
	} else if (fmt == 4 && rest.n <= 27) {
		wl_f_str(p->m, "snmp.engineid.text", rest.p, rest.n);
		if (is_text(rest))
			wl_snprintf(what, sizeof what, "\"%.*s\"", (int)rest.n, (const char *)rest.p);
	} else if (fmt == 128 && (ent == 2021 || ent == 8072)) {
		/* net-snmp's own: 4 random bytes, then its creation time (LE seconds) */
		if (rest.n == 8 || rest.n == 12) {
			struct wl_cur r = wl_cur_make(rest.p, rest.n);
			wl_f_bytes(p->m, "snmp.engineid.data", rest.p, 4);
			wl_skip(&r, 4);
			uint64_t secs = rest.n == 8 ? wl_le32(&r) : wl_le64(&r);
			if (p->verbose)
				wl_f_time(p->m, "snmp.engineid.time", (int64_t)secs * 1000000000);
			wl_snprintf(what, sizeof what, "net-snmp random, made %llu s after 1970",
				 (unsigned long long)secs);
		}
	} else if (fmt != 1 && fmt != 2 && fmt != 3 && fmt != 4 && rest.n <= 27) {
		wl_f_bytes(p->m, "snmp.engineid.data", rest.p, rest.n);
	}
	if (note)
		wl_note(p->m, WL_INFO, "engine ID: enterprise %u (%s), format %u (%s)%s%s", ent,
			wl_tok(enterprises, ent, "?"), fmt,
			fmt >= 128 ? "enterprise-specific" : wl_tok(engine_formats, fmt, "reserved"),
			what[0] ? ": " : "", what);
}

/* ---- SNMPv3 users (snmp_usm.h): shared by every flow of the engine ---- */

#define KEY_CACHE 16

struct usm_table {
	int loaded;
	unsigned n;
	struct wl_usm_user users[WL_USM_USERS];
	char problem[200];         /* the first user that could not be read */
	int problem_told;
	struct {
		int user;              /* -1: empty */
		uint8_t eid[WL_USM_ENGINE];
		size_t eidn;
		int ok;
		struct wl_usm_keys k;
	} cache[KEY_CACHE];
	unsigned cache_next;
	struct wl_usm_crypto *crypto;
};

static struct usm_table *usm_make(void)
{
	struct usm_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	for (unsigned i = 0; i < KEY_CACHE; i++)
		t->cache[i].user = -1;
	t->crypto = wl_usm_crypto_new();
	return t;
}

static void usm_drop(void *v)
{
	struct usm_table *t = v;
	if (!t)
		return;
	wl_usm_crypto_free(t->crypto);
	OPENSSL_cleanse(t, sizeof *t);  /* passwords and keys */
	free(t);
}

static void usm_add(struct usm_table *t, const char *spec)
{
	char err[200];
	if (t->n >= WL_USM_USERS) {
		if (!t->problem[0])
			wl_snprintf(t->problem, sizeof t->problem, "more than %d SNMPv3 users: the rest are left out",
				 WL_USM_USERS);
		return;
	}
	if (wl_usm_user_parse(spec, &t->users[t->n], err, sizeof err) == 0)
		t->n++;
	else if (!t->problem[0])
		wl_snprintf(t->problem, sizeof t->problem, "%s", err);
}

/* Lines of a users file: Wireshark snmp_users records or the colon forms. */
static void usm_file(struct usm_table *t, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	if (!f) {
		if (!t->problem[0])
			wl_snprintf(t->problem, sizeof t->problem, "cannot read SNMPv3 users file %.150s", path);
		return;
	}
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		const char *s = line + strspn(line, " \t");
		if (*s && *s != '#')
			usm_add(t, s);
	}
	fclose(f);
}

static struct usm_table *usm_users(struct sp *p)
{
	const struct wl_opts *o = wl_opts(p->ctx);
	if (!o->snmp_user && !o->snmp_users[0] && !o->snmp_users_file)
		return NULL;
	struct snmp_shared *sh = p->sh;
	if (sh && !sh->usm_made) {
		sh->usm_made = 1;
		sh->usm = usm_make();
	}
	struct usm_table *t = sh ? sh->usm : NULL;
	if (t && !t->loaded) {
		t->loaded = 1;
		if (o->snmp_user)
			usm_add(t, o->snmp_user);
		for (size_t i = 0; i < sizeof o->snmp_users / sizeof o->snmp_users[0] && o->snmp_users[i]; i++)
			usm_add(t, o->snmp_users[i]);
		if (o->snmp_users_file)
			usm_file(t, o->snmp_users_file);
	}
	return t;
}

/* A user's keys localized to eid, from the cache or made now. */
static const struct wl_usm_keys *usm_keys(struct usm_table *t, int u, struct bstr eid)
{
	for (unsigned i = 0; i < KEY_CACHE; i++)
		if (t->cache[i].user == u && t->cache[i].eidn == eid.n && (!eid.n || !memcmp(t->cache[i].eid, eid.p, eid.n)))
			return t->cache[i].ok ? &t->cache[i].k : NULL;
	if (eid.n > WL_USM_ENGINE)
		return NULL;
	unsigned i = t->cache_next++ % KEY_CACHE;
	t->cache[i].user = u;
	t->cache[i].eidn = eid.n;
	if (eid.n)
		memcpy(t->cache[i].eid, eid.p, eid.n);
	t->cache[i].ok = wl_usm_localize(&t->users[u], eid.p, eid.n, &t->cache[i].k) == 0;
	return t->cache[i].ok ? &t->cache[i].k : NULL;
}

/* ---- SNMPv3 (RFC 3412 message, RFC 3414 USM) ---- */

struct usm_params {
	struct bstr eid, name, auth, priv;
	uint32_t boots, time;
	int ok;                   /* the USM parameters were read to their end */
};

/* UsmSecurityParameters inside msgSecurityParameters; each field is shown
 * as far as the bytes go, even when a length lies. */
static void usm(struct sp *p, struct bstr sec, char *user, size_t un, struct usm_params *up)
{
	struct wl_cur o = wl_cur_make(sec.p, sec.n);
	struct wl_cur u = wl_ber_take(&o, WL_BER_UNIV, WL_BER_SEQUENCE);
	sp_chk(p, &o);
	user[0] = '\0';
	struct bstr eid = take_octets(p, &u);
	if (u.err)
		return;
	wl_f_bytes(p->m, "snmp.msgAuthoritativeEngineID", eid.p, eid.n);
	engine_id_parts(p, eid, 1);
	int neg_b = 0, neg_t = 0;
	uint32_t boots = take_u32(p, &u, &neg_b);
	if (!u.err)
		wl_f_uint(p->m, "snmp.msgAuthoritativeEngineBoots", boots);
	uint32_t time = take_u32(p, &u, &neg_t);
	if (!u.err)
		wl_f_uint(p->m, "snmp.msgAuthoritativeEngineTime", time);
	if (neg_b || neg_t)
		wl_note(p->m, WL_WARN, "engine %s encoded as a negative INTEGER (RFC 3414: 0..2147483647); read as its unsigned bytes, as tshark does",
			neg_b ? "boots" : "time");
	struct bstr name = take_octets(p, &u);
	if (u.err)
		return;
	if (name.n || p->verbose)
		wl_f_str(p->m, "snmp.msgUserName", name.p, name.n);
	wl_snprintf(user, un, "%.*s", (int)(name.n < 64 ? name.n : 64), (const char *)name.p);
	for (char *q = user; *q; q++)
		if ((unsigned char)*q < 0x20)
			*q = '.';
	struct bstr auth = take_octets(p, &u);
	if (!u.err)
		wl_f_bytes(p->m, "snmp.msgAuthenticationParameters", auth.p, auth.n);
	struct bstr priv = take_octets(p, &u);
	if (!u.err)
		wl_f_bytes(p->m, "snmp.msgPrivacyParameters", priv.p, priv.n);
	*up = (struct usm_params){ eid, name, auth, priv, boots, time, !u.err && !o.err };
	if (!eid.n)
		wl_note(p->m, WL_INFO, "engine discovery: empty engine ID, the agent will report its own");
	wl_note(p->m, WL_INFO, "USM: user \"%s\", engine boots %u, time %u s, %s", user, boots, time,
		auth.n ? (priv.n ? "authenticated and encrypted" : "authenticated") : "no authentication");
}

/* Where msgAuthenticationParameters' value lies in wholeMsg: the headers are
 * walked on one flat cursor, so the offset is what it has left behind. */
static int auth_params_at(struct wl_cur w, size_t *off, size_t *len)
{
	size_t total = wl_left(&w);
	struct wl_ber h;
	if (!wl_ber_hdr(&w, &h) || h.tag != WL_BER_SEQUENCE)      /* SNMPv3Message */
		return -1;
	for (int i = 0; i < 2; i++) {                               /* msgVersion, msgGlobalData */
		if (!wl_ber_hdr(&w, &h))
			return -1;
		wl_skip(&w, h.len);
	}
	if (!wl_ber_hdr(&w, &h) || h.tag != WL_BER_OCTETS ||       /* msgSecurityParameters */
	    !wl_ber_hdr(&w, &h) || h.tag != WL_BER_SEQUENCE)        /* UsmSecurityParameters */
		return -1;
	for (int i = 0; i < 4; i++) {                               /* engine ID, boots, time, user */
		if (!wl_ber_hdr(&w, &h))
			return -1;
		wl_skip(&w, h.len);
	}
	if (!wl_ber_hdr(&w, &h) || h.cls != WL_BER_UNIV || h.tag != WL_BER_OCTETS || wl_left(&w) < h.len)
		return -1;
	*off = total - wl_left(&w);
	*len = h.len;
	return 0;
}

/* ScopedPDU ::= SEQUENCE { contextEngineID, contextName, data PDU } */
static void scoped_pdu(struct sp *p, struct wl_cur *c)
{
	struct wl_cur s = wl_ber_take(c, WL_BER_UNIV, WL_BER_SEQUENCE);
	sp_chk(p, c);
	struct bstr ceid = take_octets(p, &s);
	struct bstr cname = take_octets(p, &s);
	if (p->err)
		return;
	wl_f_bytes(p->m, "snmp.contextEngineID", ceid.p, ceid.n);
	/* tshark decodes the parts of both engine IDs of a readable message, so
	 * snmp.engineid.* come twice per frame: without -v too, or the frame disagrees */
	engine_id_parts(p, ceid, 0);
	if (cname.n || p->verbose)
		wl_f_str(p->m, "snmp.contextName", cname.p, cname.n);
	pdu(p, &s, "snmp.data");
	sp_chk(p, &s);
}

/* A decryption is taken as plaintext only when it reads as a whole ScopedPDU:
 * a SEQUENCE filling the bytes (DES pads to 8, some agents pad AES to 16),
 * two OCTET STRINGs and a PDU, every element inside well formed. A wrong key
 * gives random bytes, which this refuses. */
static int plausible_scoped(struct wl_cur c, enum wl_usm_priv prv)
{
	size_t total = wl_left(&c);
	struct wl_ber h;
	struct wl_cur v = wl_ber_tlv(&c, &h);
	if (c.err || h.cls != WL_BER_UNIV || h.tag != WL_BER_SEQUENCE || !h.cons)
		return 0;
	size_t pad = total - h.hdr - h.len;
	if (pad >= (prv == WL_USM_PRIV_DES ? 8u : 16u))
		return 0;
	if (wl_ber_depth(v, WL_BER_MAX_DEPTH) < 0)
		return 0;
	struct wl_ber e;
	for (int i = 0; i < 2; i++) {
		struct wl_cur x = wl_ber_tlv(&v, &e);
		(void)x;
		if (v.err || e.cls != WL_BER_UNIV || e.tag != WL_BER_OCTETS)
			return 0;
	}
	return wl_ber_peek(&v, &e) == 1 && e.cls == WL_BER_CTX && e.cons && e.tag <= 8;
}

/* The users a message may be from: its user name, and its engine ID when the
 * user names one. */
static unsigned candidates(const struct usm_table *t, const struct usm_params *up, int *out)
{
	unsigned k = 0;
	for (unsigned i = 0; t && i < t->n; i++) {
		const struct wl_usm_user *u = &t->users[i];
		if (u->name_len == up->name.n && up->name.n && !memcmp(u->name, up->name.p, up->name.n) &&
		    (!u->engine_len || (u->engine_len == up->eid.n && !memcmp(u->engine, up->eid.p, up->eid.n))))
			out[k++] = (int)i;
	}
	return k;
}

/* Checks the HMAC (flags auth) with each candidate; the user it verifies
 * with, else the first candidate (-1 when there is none). */
static int authenticate(struct sp *p, struct usm_table *t, const struct usm_params *up, struct wl_cur whole,
			const int *cand, unsigned nc, const char *user)
{
	size_t off = 0, len = 0;
	if (!nc)
		return -1;
	if (auth_params_at(whole, &off, &len) < 0) {
		wl_note(p->m, WL_INFO, "HMAC not checked: the message is cut short or malformed");
		return cand[0];
	}
	int first_bad = -1, cannot = -1, nokeys = -1;
	for (unsigned i = 0; i < nc; i++) {
		struct wl_usm_user *u = &t->users[cand[i]];
		const struct wl_usm_keys *k = usm_keys(t, cand[i], up->eid);
		if (!k) {
			nokeys = cand[i];
			continue;
		}
		int r = wl_usm_verify(u->auth, k, whole, off, len);
		if (r == 1) {
			wl_f_bool(p->m, "snmp.v3.auth", 1);
			wl_note(p->m, WL_INFO, "authentic: the %s verifies with user \"%s\"'s key (its password localized to this engine ID): sent by someone who knows the password, and not changed on the way",
				wl_usm_auth_name(u->auth), user);
			return cand[i];
		}
		if (r == 0 && first_bad < 0)
			first_bad = cand[i];
		if (r < 0 && cannot < 0)
			cannot = cand[i];
	}
	if (first_bad >= 0) {
		wl_f_bool(p->m, "snmp.v3.auth", 0);
		wl_note(p->m, WL_WARN, "authentication failed: the %s does not verify with user \"%s\"'s key: the sender used another authentication password, or the message was changed on the way",
			wl_usm_auth_name(t->users[first_bad].auth), user);
		return first_bad;
	}
	if (cannot < 0) {
		wl_note(p->m, WL_WARN, "HMAC not checked: the keys of user \"%s\" could not be made", user);
		return nokeys;
	}
	wl_note(p->m, WL_WARN, "HMAC not checked: msgAuthenticationParameters has %zu bytes, user \"%s\"'s %s takes %zu (another algorithm?)",
		len, user, wl_usm_auth_name(t->users[cannot].auth), wl_usm_mac_len(t->users[cannot].auth));
	return cannot;
}

/* Decrypts the encryptedPDU with user u's privacy key and, when the result is
 * a ScopedPDU, dissects it like a plaintext one. */
static void decrypt_pdu(struct sp *p, struct usm_table *t, int u, const struct usm_params *up, struct bstr enc,
			const char *user)
{
	const struct wl_usm_user *us = &t->users[u];
	if (us->priv == WL_USM_PRIV_NONE) {
		wl_note(p->m, WL_INFO, "not decrypted: user \"%s\" was given without a privacy protocol", user);
		return;
	}
	const struct wl_usm_keys *k = usm_keys(t, u, up->eid);
	if (!k) {
		wl_note(p->m, WL_INFO, "not decrypted: the keys of user \"%s\" could not be made", user);
		return;
	}
	uint8_t *plain = enc.n ? malloc(enc.n) : NULL;
	if (enc.n && !plain)
		return;
	size_t pn = 0;
	enum wl_usm_dec d = wl_usm_decrypt(t->crypto, us->priv, k, up->boots, up->time,
					   wl_cur_make(up->priv.p, up->priv.n), wl_cur_make(enc.p, enc.n), plain, &pn);
	char pt[160];
	if (d != WL_USM_DEC_OK) {
		wl_note(p->m, WL_WARN, "not decrypted (%s): %s", wl_usm_priv_text(us, pt, sizeof pt), wl_usm_dec_text(d));
	} else if (!plausible_scoped(wl_cur_make(plain, pn), us->priv)) {
		wl_note(p->m, WL_WARN, "decryption with user \"%s\"'s privacy key (%s) gave no ScopedPDU: a wrong privacy password or protocol; the bytes are not shown as plaintext",
			user, wl_usm_priv_text(us, pt, sizeof pt));
	} else {
		struct wl_cur c = wl_cur_make(plain, pn);
		wl_f_bytes(p->m, "snmp.decrypted_pdu", plain, pn);
		wl_note(p->m, WL_INFO, "decrypted with user \"%s\"'s privacy key: %s, the key localized to the engine ID%s",
			user, wl_usm_priv_text(us, pt, sizeof pt),
			us->priv == WL_USM_PRIV_DES ? ", IV = pre-IV XOR salt" : ", IV = engine boots, time and the salt");
		text_add(p, " decrypted: ");
		scoped_pdu(p, &c);
	}
	free(plain);
}

static void v3(struct sp *p, struct wl_cur *c, struct wl_cur whole)
{
	struct wl_cur g = wl_ber_take(c, WL_BER_UNIV, WL_BER_SEQUENCE);
	sp_chk(p, c);
	int neg;
	uint32_t id = take_u32(p, &g, &neg), max = take_u32(p, &g, &neg);
	struct bstr flags = take_octets(p, &g);
	uint32_t model = take_u32(p, &g, &neg);
	struct bstr sec = take_octets(p, c);
	if (p->err)
		return;
	wl_f_uint(p->m, "snmp.msgID", id);
	wl_f_uint(p->m, "snmp.msgMaxSize", max);
	wl_f_bytes(p->m, "snmp.msgFlags", flags.p, flags.n);
	struct wl_cur fc = wl_cur_make(flags.p, flags.n);
	uint8_t fl = wl_u8(&fc);  /* 0 when there is no byte */
	wl_f_bool(p->m, "snmp.v3.flags.report", fl & 4);
	wl_f_bool(p->m, "snmp.v3.flags.crypt", fl & 2);
	wl_f_bool(p->m, "snmp.v3.flags.auth", fl & 1);
	wl_f_uint(p->m, "snmp.msgSecurityModel", model);
	char user[80] = "";
	struct usm_params up = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, 0, 0, 0 };
	if (model == 3)
		usm(p, sec, user, sizeof user, &up);
	else
		wl_f_bytes(p->m, "snmp.msgSecurityParameters", sec.p, sec.n);
	if (p->err)
		return;
	const char *lvl = (fl & 3) == 3 ? "authPriv" : (fl & 1) ? "authNoPriv" : "noAuthNoPriv";
	wl_note(p->m, WL_INFO, "SNMPv3 msgID %u, flags 0x%02x (%s%s), security model %u (%s)", id, fl, lvl,
		fl & 4 ? ", reportable" : "", model, wl_tok(secmodel_names, model, "?"));

	/* the users given: which one sent this, is it authentic */
	struct usm_table *t = model == 3 && up.ok ? usm_users(p) : NULL;
	if (t && t->problem[0] && !t->problem_told) {
		t->problem_told = 1;
		wl_note(p->m, WL_WARN, "%s", t->problem);
	}
	int cand[WL_USM_USERS];
	unsigned nc = candidates(t, &up, cand);
	int who = nc ? cand[0] : -1;
	if (fl & 1) {
		if (nc)
			who = authenticate(p, t, &up, whole, cand, nc, user);
		else if (t && t->n && up.name.n)
			wl_note(p->m, WL_INFO, "HMAC not checked: no SNMPv3 user \"%s\" was given (--snmp-user)", user);
	}
	if (wl_ber_next_is(c, WL_BER_UNIV, WL_BER_OCTETS)) {
		struct bstr enc = take_octets(p, c);
		if (p->verbose)
			wl_f_uint(p->m, "snmp.msgData", 1);
		wl_f_bytes(p->m, "snmp.encryptedPDU", enc.p, enc.n);
		text_add(p, "encrypted scopedPDU (%zu bytes)%s%s%s", enc.n, user[0] ? " user \"" : "",
			 user, user[0] ? "\"" : "");
		wl_note(p->m, WL_INFO, "encrypted: the PDU (OIDs and values) is hidden; user, engine ID and flags stay visible");
		if (!p->err && who >= 0 && (fl & 2))
			decrypt_pdu(p, t, who, &up, enc, user);
		else if (!p->err && t && t->n && up.name.n && !nc)
			wl_note(p->m, WL_INFO, "not decrypted: no SNMPv3 user \"%s\" was given (--snmp-user)", user);
		return;
	}
	if (p->verbose)
		wl_f_uint(p->m, "snmp.msgData", 0);
	scoped_pdu(p, c);
	if (user[0])
		text_add(p, " user \"%s\"", user);
	/* a report goes unencrypted on purpose: the agent may not know the keys */
	if (!(fl & 2) && (fl & 1 || user[0]) && p->pdu_tag != 8)
		wl_note(p->m, WL_WARN, "no privacy: the PDU travels in clear text");
}

enum { PEEK_NONE = -1, PEEK_ENCRYPTED = -2 };

/* The PDU's context tag (0-8) before anything is emitted, or PEEK_ENCRYPTED,
 * or PEEK_NONE when there is no PDU of a known type. */
static int peek_tag(struct wl_cur msg, int64_t version)
{
	struct wl_ber h;
	if (version == 3) {
		wl_ber_tlv(&msg, &h);  /* msgGlobalData */
		wl_ber_tlv(&msg, &h);  /* msgSecurityParameters */
		if (wl_ber_next_is(&msg, WL_BER_UNIV, WL_BER_OCTETS))
			return PEEK_ENCRYPTED;
		msg = wl_ber_take(&msg, WL_BER_UNIV, WL_BER_SEQUENCE);
	}
	wl_ber_tlv(&msg, &h);  /* community / contextEngineID */
	if (version == 3)
		wl_ber_tlv(&msg, &h);  /* contextName */
	if (wl_ber_peek(&msg, &h) == 1 && h.cls == WL_BER_CTX && h.tag <= 8)
		return (int)h.tag;
	return PEEK_NONE;
}

/* The first note of a message of PDU tag and version v (0-3): the same for
 * every such message, so its text (five conversions around a long one) is
 * made once per engine. */
static void intro_note(struct sp *p, int tag, int v)
{
	char **kept = p->sh ? &p->sh->intro[tag][v] : NULL;
	char buf[512];
	if (kept && *kept) {
		wl_note(p->m, WL_INFO, "%s", *kept);
		return;
	}
	int n = wl_snprintf(buf, sizeof buf, "SNMP %s (PDU %d), version %d (%s): %s",
			    wl_tok(pdu_names, (uint32_t)tag, "?"), tag, v,
			    wl_tok(version_names, (uint32_t)v, "?"), wl_tok(pdu_teach, (uint32_t)tag, "?"));
	if (n < 0 || (size_t)n >= sizeof buf)
		return;  /* cannot be: the names and texts are short */
	wl_note(p->m, WL_INFO, "%s", buf);
	if (kept)
		*kept = strdup(buf);
}

static void snmpd_message(struct snmp_state *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct sp p = { .ctx = ctx, .st = st, .sh = snmp_shared(ctx), .verbose = wl_opts(ctx)->verbose != 0, .pdu_tag = -1 };
	/* wholeMsg, for the HMAC: the outer SEQUENCE as it came */
	struct wl_ber oh;
	struct wl_cur whole = { NULL, NULL, WL_EINVAL };
	if (wl_ber_peek(&c, &oh) == 1 && wl_left(&c) - oh.hdr >= oh.len)
		whole = wl_at(&c, 0, oh.hdr + oh.len);
	struct wl_cur msg = wl_ber_take(&c, WL_BER_UNIV, WL_BER_SEQUENCE);
	int cut = c.err == WL_ETRUNC;
	struct wl_cur ver = wl_ber_take(&msg, WL_BER_UNIV, WL_BER_INTEGER);
	int ovf;
	int64_t v = wl_ber_int(&ver, &ovf);
	sp_chk(&p, &c);
	sp_chk(&p, &msg);
	sp_chk(&p, &ver);
	if (p.err || v < 0 || v > 3) {
		p.m = wl_msg_new(ctx, "snmp", "message", dir);
		wl_msg_text(p.m, "SNMP message");
		wl_note(p.m, WL_ERROR, "malformed: not an SNMP message (SEQUENCE, version 0-3)");
		return;
	}
	p.version = (int)v;
	int tag = peek_tag(msg, v);
	const char *type = tag == PEEK_ENCRYPTED ? "encryptedPDU" :
			   tag == PEEK_NONE ? "message" : wl_tok(pdu_names, (uint32_t)tag, "message");
	p.m = wl_msg_new(ctx, "snmp", type, dir);
	if (tag == PEEK_ENCRYPTED)
		wl_note(p.m, WL_INFO, "SNMP version 3 (v3) with privacy: the scoped PDU is encrypted");
	else if (tag == PEEK_NONE)
		wl_note(p.m, WL_INFO, "SNMP message, version %d (%s)", (int)v,
			wl_tok(version_names, (uint32_t)v, "?"));
	else
		intro_note(&p, tag, (int)v);
	if (v == 3) {
		wl_f_int(p.m, "snmp.msgVersion", v);
		wl_snprintf(p.text, sizeof p.text, "v3 ");
		v3(&p, &msg, whole);
	} else {
		wl_f_int(p.m, "snmp.version", v);
		struct bstr com = take_octets(&p, &msg);
		if (!p.err && v < 2) {
			if (com.n)
				wl_f_secret(p.m, "snmp.community", com.p, com.n);
			char cs[72];
			wl_snprintf(cs, sizeof cs, "%.*s", (int)(com.n < 64 ? com.n : 64), (const char *)com.p);
			for (char *q = cs; *q; q++)
				if ((unsigned char)*q < 0x20)
					*q = '.';
			wl_snprintf(p.text, sizeof p.text, "%s \"%s\" ", wl_tok(version_names, (uint32_t)v, "?"),
				 wl_secret(ctx, cs));
			pdu(&p, &msg, "snmp.data");
			if (!st->warned)
				wl_note(p.m, WL_WARN, "community string \"%s\" sent in clear text (SNMP%s)",
					wl_secret(ctx, cs), v ? "v2c" : "v1");
			st->warned = 1;
		} else if (!p.err) {
			/* SNMPv2u (RFC 1910): parameters, then plaintext PDUs or encrypted bytes */
			wl_f_bytes(p.m, "snmp.parameters", com.p, com.n);
			wl_snprintf(p.text, sizeof p.text, "v2u ");
			if (wl_ber_next_is(&msg, WL_BER_UNIV, WL_BER_OCTETS)) {
				struct bstr enc = take_octets(&p, &msg);
				wl_f_uint(p.m, "snmp.datav2u", 1);
				wl_f_bytes(p.m, "snmp.encrypted", enc.p, enc.n);
				text_add(&p, "encrypted (%zu bytes)", enc.n);
			} else {
				wl_f_uint(p.m, "snmp.datav2u", 0);
				pdu(&p, &msg, "snmp.plaintext");
			}
		}
	}
	wl_msg_text(p.m, "%s", p.text);
	if (p.err && cut)
		wl_note(p.m, WL_ERROR, "malformed: SNMP message cut short");
	else if (p.err)
		wl_note(p.m, WL_ERROR, "malformed: invalid SNMP element (a length past its container or a wrong tag)");
}

static enum wl_probe snmpd_probe(struct wl_cur c, enum wl_dir dir)
{
	struct wl_ber h;
	(void)dir;
	if (wl_ber_peek(&c, &h) != 1 || h.cls != WL_BER_UNIV || h.tag != WL_BER_SEQUENCE || !h.cons)
		return WL_PROBE_NO;
	wl_skip(&c, h.hdr);
	struct wl_cur v = wl_ber_take(&c, WL_BER_UNIV, WL_BER_INTEGER);
	if (wl_left(&v) != 1)
		return WL_PROBE_NO;
	uint8_t ver = wl_u8(&v);
	if (ver > 3)
		return WL_PROBE_NO;
	if (wl_ber_next_is(&c, WL_BER_UNIV, ver == 3 ? WL_BER_SEQUENCE : WL_BER_OCTETS))
		return WL_PROBE_YES;
	return WL_PROBE_NO;
}

static void *snmpd_open(struct wl_ctx *ctx)
{
	(void)ctx;
	return calloc(1, sizeof(struct snmp_state));
}

static void snmpd_close(void *st, struct wl_ctx *ctx)
{
	(void)ctx;
	free(st);
}

static void snmpd_datagram(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	snmpd_message(st, ctx, dir, c);
}

/* Emitted only with -v; a filter or -e that names one turns it on. */
static const struct wl_field_info snmp_fields_verbose[] = {
	{ "snmp.variable_bindings", WL_FT_UINT, "number of variable bindings (-v)" },
	{ "snmp.var-bind_str", WL_FT_STR, "sysDescr.0 or sysName.0 as text (-v)" },
	{ "snmp.response_to", WL_FT_UINT, "frame of the request this response answers (-v)" },
	{ "snmp.time", WL_FT_DOUBLE, "seconds since the request (-v)" },
	{ "snmp.engineid.time", WL_FT_TIME, "net-snmp engine ID creation time (-v)" },
	{ "snmp.agentid_trailer", WL_FT_BYTES, "RFC 1910 agentID trailer (-v)" },
	{ "snmp.msgData", WL_FT_UINT, "scoped PDU: 0 plaintext, 1 encrypted (-v)" },
	{ "snmp.contextName", WL_FT_STR, "context name" },
	{ NULL, 0, NULL },
};

static const struct wl_field_info snmp_fields[] = {
	{ "snmp.version", WL_FT_INT, "0 v1, 1 v2c, 2 v2u" },
	{ "snmp.community", WL_FT_STR, "community string (cleartext)" },
	{ "snmp.parameters", WL_FT_BYTES, "v2u parameters" },
	{ "snmp.datav2u", WL_FT_UINT, "v2u data: 0 plaintext, 1 encrypted" },
	{ "snmp.plaintext", WL_FT_UINT, "v2u PDU type: the context tag number" },
	{ "snmp.encrypted", WL_FT_BYTES, "v2u encrypted data" },
	{ "snmp.data", WL_FT_UINT, "PDU type: the context tag number" },
	{ "snmp.request_id", WL_FT_INT, "request ID, echoed by the response" },
	{ "snmp.error_status", WL_FT_INT, "error status" },
	{ "snmp.error_index", WL_FT_INT, "error index (1-based varbind)" },
	{ "snmp.non_repeaters", WL_FT_UINT, "getBulk non-repeaters" },
	{ "snmp.max_repetitions", WL_FT_UINT, "getBulk max-repetitions" },
	{ "snmp.name", WL_FT_STR, "varbind OID" },
	{ "wl.snmp.name_text", WL_FT_STR, "varbind OID as a MIB name" },
	{ "snmp.value.int", WL_FT_INT, "INTEGER value" },
	{ "snmp.value.octets", WL_FT_BYTES, "OCTET STRING value" },
	{ "snmp.value.null", WL_FT_BOOL, "NULL value" },
	{ "snmp.value.oid", WL_FT_STR, "OBJECT IDENTIFIER value" },
	{ "snmp.value.ipv4", WL_FT_IPV4, "IpAddress value" },
	{ "snmp.value.counter", WL_FT_UINT, "Counter32/Counter64 value" },
	{ "snmp.value.g32", WL_FT_INT, "Gauge32 value" },
	{ "snmp.value.u32", WL_FT_INT, "Unsigned32 value" },
	{ "snmp.value.timeticks", WL_FT_UINT, "TimeTicks value (1/100 s)" },
	{ "snmp.value.opaque", WL_FT_BYTES, "Opaque value" },
	{ "snmp.value.unk", WL_FT_BYTES, "value of an unknown type" },
	{ "snmp.noSuchObject", WL_FT_BOOL, "exception noSuchObject" },
	{ "snmp.noSuchInstance", WL_FT_BOOL, "exception noSuchInstance" },
	{ "snmp.endOfMibView", WL_FT_BOOL, "exception endOfMibView" },
	{ "snmp.enterprise", WL_FT_STR, "v1 trap enterprise OID" },
	{ "snmp.agent_addr", WL_FT_IPV4, "v1 trap agent address" },
	{ "snmp.generic_trap", WL_FT_INT, "v1 generic trap" },
	{ "snmp.specific_trap", WL_FT_INT, "v1 specific trap" },
	{ "snmp.time_stamp", WL_FT_UINT, "v1 trap time stamp" },
	{ "snmp.msgVersion", WL_FT_INT, "3" },
	{ "snmp.msgID", WL_FT_UINT, "v3 message ID" },
	{ "snmp.msgMaxSize", WL_FT_UINT, "largest message the sender accepts" },
	{ "snmp.msgFlags", WL_FT_BYTES, "v3 flags: 1 auth, 2 priv, 4 reportable" },
	{ "snmp.v3.flags.auth", WL_FT_BOOL, "authenticated" },
	{ "snmp.v3.flags.crypt", WL_FT_BOOL, "encrypted" },
	{ "snmp.v3.flags.report", WL_FT_BOOL, "reportable" },
	{ "snmp.msgSecurityModel", WL_FT_UINT, "3 = USM" },
	{ "snmp.msgSecurityParameters", WL_FT_BYTES, "security parameters (not USM)" },
	{ "snmp.msgAuthoritativeEngineID", WL_FT_BYTES, "authoritative engine ID" },
	{ "snmp.engineid.conform", WL_FT_BOOL, "engine ID follows RFC 3411 (else RFC 1910)" },
	{ "snmp.engineid.enterprise", WL_FT_UINT, "engine ID enterprise number" },
	{ "snmp.engineid.format", WL_FT_UINT, "engine ID format (1 IPv4, 2 IPv6, 3 MAC, 4 text, 5 octets, 128+ enterprise)" },
	{ "snmp.engineid.text", WL_FT_STR, "engine ID text" },
	{ "snmp.engineid.ipv4", WL_FT_IPV4, "engine ID IPv4 address" },
	{ "snmp.engineid.ipv6", WL_FT_IPV6, "engine ID IPv6 address" },
	{ "snmp.engineid.mac", WL_FT_STR, "engine ID MAC address" },
	{ "snmp.engineid.cisco.type", WL_FT_HEX, "Cisco engine ID type (0 agent, 1 manager)" },
	{ "snmp.engineid.data", WL_FT_BYTES, "engine ID data" },
	{ "snmp.msgAuthoritativeEngineBoots", WL_FT_UINT, "engine boots" },
	{ "snmp.msgAuthoritativeEngineTime", WL_FT_UINT, "engine time (s)" },
	{ "snmp.msgUserName", WL_FT_STR, "USM user name" },
	{ "snmp.msgAuthenticationParameters", WL_FT_BYTES, "HMAC (12 bytes for MD5/SHA-1, 16-48 for SHA-2)" },
	{ "snmp.msgPrivacyParameters", WL_FT_BYTES, "privacy salt" },
	{ "snmp.v3.auth", WL_FT_BOOL, "the HMAC verifies with the given user's key" },
	{ "snmp.contextEngineID", WL_FT_BYTES, "context engine ID" },
	{ "snmp.encryptedPDU", WL_FT_BYTES, "encrypted scoped PDU" },
	{ "snmp.decrypted_pdu", WL_FT_BYTES, "the scoped PDU decrypted with the given user's key" },
	{ NULL, 0, NULL }
};

const struct wl_dissector wl_dissector_snmp = {
	.name = "snmp",
	.desc = "SNMP v1/v2c/v3 (RFC 3416, 3412, 3414) with MIB names, USM checks and decryption",
	.udp_ports = snmp_udp_ports,
	.probe = snmpd_probe,
	.open = snmpd_open,
	.datagram = snmpd_datagram,
	.close = snmpd_close,
	.fields = snmp_fields,
	.fields_verbose = snmp_fields_verbose,
};
