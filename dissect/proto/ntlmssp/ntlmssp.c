/* ntlmssp.c - NTLMSSP ([MS-NLMP] §2.2): the NTLM login carried in another
 * protocol's security blob (SMB's SESSION_SETUP inside SPNEGO; LDAP's SASL
 * and sicily binds).
 *
 * Every message starts with the signature and its type; variable parts are
 * named by 8-byte security buffer descriptors whose offsets count from the
 * start of the message, each checked against it:
 *   +--------+--------+--------+--------+--------+--------+--------+--------+
 *   | 'N' 'T' 'L' 'M' 'S' 'S' 'P' 0                                        |
 *   | message type (4, LE: 1 NEGOTIATE, 2 CHALLENGE, 3 AUTHENTICATE)        |
 *   | CHALLENGE: target name (8) | flags (4) | server challenge (8) | ...   |
 *   | AUTHENTICATE: LM, NT response, domain, user, host, session key (8 each)|
 *   |               flags (4) ...                                           |
 *   +--------+--------+--------+--------+--------+--------+--------+--------+
 *   security buffer: length (2) | max length (2) | offset (4)
 */
#include <stdio.h>
#include <string.h>

#include "ntlmssp.h"

enum { NTLM_UNICODE = 0x1, NTLM_VERSION = 0x02000000 };

/* One message being read: the blob, the wider field set's switch (-v) and
 * where the variable data begins (the smallest offset of a non-empty buffer):
 * what lies between the fixed fields and it is the version, then the MIC. */
struct ntlm_rd {
	struct wl_msg *m;
	struct wl_cur blob;
	int verbose;
	size_t data_start;
};

/* The names of a security buffer descriptor's parts, as tshark has them
 * (field names are kept by pointer: static strings only). */
struct ntlm_desc {
	const char *length, *maxlen, *offset;
};
static const struct ntlm_desc desc_string = { "ntlmssp.string.length", "ntlmssp.string.maxlen",
					      "ntlmssp.string.offset" };
static const struct ntlm_desc desc_blob = { "ntlmssp.blob.length", "ntlmssp.blob.maxlen",
					    "ntlmssp.blob.offset" };
static const struct ntlm_desc desc_target_info = { "ntlmssp.challenge.target_info.length",
						   "ntlmssp.challenge.target_info.maxlen",
						   "ntlmssp.challenge.target_info.offset" };

/* A security buffer descriptor (length, max length, offset) of NTLMSSP and
 * the bytes it names, checked against the blob. Under -v its parts go out
 * under kind's names, for a non-empty buffer. */
static int ntlm_field(struct ntlm_rd *r, struct wl_cur *c, const char *what,
		      const struct ntlm_desc *kind, struct wl_cur *out)
{
	uint16_t len = wl_le16(c), max = wl_le16(c);
	uint32_t off = wl_le32(c);
	*out = wl_cur_make(NULL, 0);
	if (!wl_ok(c))
		return 0;
	if (len == 0)
		return 1;
	if (off < r->data_start)
		r->data_start = off;
	size_t have = wl_left(&r->blob);
	if (off > have || len > have - off) {
		wl_note(r->m, WL_ERROR, "malformed: NTLMSSP %s at offset %u, %u bytes, lies outside the "
			"%zu-byte blob", what, off, len, have);
		return 0;
	}
	*out = wl_at(&r->blob, off, len);
	if (r->verbose) {
		wl_f_uint(r->m, kind->length, len);
		wl_f_uint(r->m, kind->maxlen, max);
		wl_f_uint(r->m, kind->offset, off);
	}
	return 1;
}

static void ntlm_string(struct wl_msg *m, struct wl_cur v, uint32_t flags, const char *field,
			const char *what, char *out, size_t cap, int null_if_empty)
{
	if (flags & NTLM_UNICODE)
		wl_note_utf16(m, wl_utf16_text(v, out, cap, 0), what);
	else
		wl_oem_text(v, out, cap, 0);
	if (field)
		wl_f_cstr(m, field, out[0] || !null_if_empty ? out : "NULL");
}

/* A blob's bytes as a field (-v). An empty one is shown over its 8-byte
 * descriptor, as tshark does (its value then prints as the descriptor). */
static void ntlm_blob(struct ntlm_rd *r, const char *field, struct wl_cur desc, struct wl_cur v)
{
	size_t n = wl_left(&v);
	if (!r->verbose)
		return;
	if (n)
		wl_f_bytes(r->m, field, wl_bytes(&v, n), n);
	else if (wl_left(&desc) >= 8 && wl_peek(&desc, 0) == 0 && wl_peek(&desc, 1) == 0)
		wl_f_bytes(r->m, field, wl_bytes(&desc, 8), 8);
}

/* FILETIME (100 ns since 1601) to ns since 1970; before 1970 is 0. */
static int64_t ntlm_filetime(uint64_t ft)
{
	const uint64_t epoch = 116444736000000000ull;
	if (ft < epoch || ft > epoch + (uint64_t)INT64_MAX / 100)
		return 0;
	return (int64_t)((ft - epoch) * 100);
}

/* The AV pairs ([MS-NLMP] §2.2.2.1) of a CHALLENGE's target info or an
 * NTLMv2 response: by default the three names of the CHALLENGE, under -v
 * every item (type, length, value) under the names of its list, as tshark. */
enum { AV_STR, AV_FLAGS, AV_TIME, AV_BYTES };
#define AV_IDS 11

struct av_list {
	const char *type, *length;
	const char *value[AV_IDS];
};

static const uint8_t av_kind[AV_IDS] = {
	[1] = AV_STR, [2] = AV_STR, [3] = AV_STR, [4] = AV_STR, [5] = AV_STR, [6] = AV_FLAGS,
	[7] = AV_TIME, [8] = AV_BYTES, [9] = AV_STR, [10] = AV_BYTES,
};

#define AV_NAMES(p) { \
	[1] = p ".nb_computer_name", [2] = p ".nb_domain_name", [3] = p ".dns_computer_name", \
	[4] = p ".dns_domain_name", [5] = p ".dns_tree_name", [6] = p ".flags", \
	[7] = p ".timestamp", [8] = p ".restrictions", [9] = p ".target_name", \
	[10] = p ".channel_bindings" }

static const struct av_list av_challenge = {
	"ntlmssp.challenge.target_info.item.type", "ntlmssp.challenge.target_info.item.length",
	AV_NAMES("ntlmssp.challenge.target_info"),
};
static const struct av_list av_v2 = {
	"ntlmssp.ntlmv2_response.item.type", "ntlmssp.ntlmv2_response.item.length",
	AV_NAMES("ntlmssp.ntlmv2_response"),
};

static void ntlm_av_pairs(struct ntlm_rd *r, struct wl_cur *ti, const struct av_list *names,
			  int defaults)
{
	for (int n = 0; wl_left(ti) >= 4 && n < 64; n++) {
		uint16_t id = wl_le16(ti), len = wl_le16(ti);
		if (r->verbose) {
			wl_f_hex(r->m, names->type, id);
			wl_f_uint(r->m, names->length, len);
		}
		if (id == 0)
			break;
		struct wl_cur v = wl_sub(ti, len);
		if (!wl_ok(ti)) {
			wl_note(r->m, WL_ERROR, "malformed: NTLMSSP AV pair %u cut short", id);
			break;
		}
		if (id >= AV_IDS || !names->value[id])
			continue;
		int shown_by_default = defaults && id <= 3;
		if (!shown_by_default && (!r->verbose || len == 0))
			continue;
		const char *name = names->value[id];
		if (av_kind[id] == AV_STR) {
			char text[WL_NTLMSSP_NAME];
			wl_note_utf16(r->m, wl_utf16_text(v, text, sizeof text, 0), "NTLMSSP AV pair name");
			/* a name of NULs only is empty: tshark's value then prints as nothing */
			if (text[0] || shown_by_default)
				wl_f_cstr(r->m, name, text);
		} else if (av_kind[id] == AV_FLAGS && len >= 4) {
			wl_f_hex(r->m, name, wl_le32(&v));
		} else if (av_kind[id] == AV_TIME && len >= 8) {
			wl_f_time(r->m, name, ntlm_filetime(wl_le64(&v)));
		} else if (av_kind[id] == AV_BYTES) {
			wl_f_bytes(r->m, name, wl_bytes(&v, len), len);
		}
	}
}

static void ntlm_challenge(struct ntlm_rd *r, struct wl_cur c, struct wl_ntlmssp *ai)
{
	struct wl_msg *m = r->m;
	struct wl_cur tn, ti;
	int have_tn = ntlm_field(r, &c, "target name", &desc_string, &tn);
	uint32_t flags = wl_le32(&c);
	const uint8_t *chal = wl_bytes(&c, 8);
	const uint8_t *reserved = wl_bytes(&c, 8);
	wl_f_hex(m, "ntlmssp.negotiateflags", flags);
	ai->flags = flags;
	if (chal) {
		wl_f_bytes(m, "ntlmssp.ntlmserverchallenge", chal, 8);
		memcpy(ai->challenge, chal, 8);
		ai->have_challenge = 1;
	}
	if (reserved && r->verbose)
		wl_f_bytes(m, "ntlmssp.reserved", reserved, 8);
	if (have_tn)
		ntlm_string(m, tn, flags, "ntlmssp.challenge.target_name", "NTLMSSP target name",
			    ai->target, sizeof ai->target, 0);
	if (wl_left(&c) >= 8 && r->data_start >= 48 &&
	    ntlm_field(r, &c, "target info", &desc_target_info, &ti))
		ntlm_av_pairs(r, &ti, &av_challenge, 1);
	if (!chal)
		wl_note_cursor(m, &c, "NTLMSSP CHALLENGE");
}

/* An NTLMv2 response ([MS-NLMP] §2.2.2.8): the proof, then the client's
 * blob with its time, challenge and AV pairs (-v). */
static void ntlm_v2_response(struct ntlm_rd *r, struct wl_cur nt)
{
	struct wl_cur c = nt;
	const uint8_t *proof = wl_bytes(&c, 16);
	uint8_t rv = wl_u8(&c), hirv = wl_u8(&c);
	const uint8_t *z6 = wl_bytes(&c, 6);
	uint64_t t = wl_le64(&c);
	const uint8_t *chal = wl_bytes(&c, 8);
	const uint8_t *z4 = wl_bytes(&c, 4);
	if (!wl_ok(&c))
		return;
	wl_f_bytes(r->m, "ntlmssp.ntlmv2_response.ntproofstr", proof, 16);
	wl_f_uint(r->m, "ntlmssp.ntlmv2_response.rversion", rv);
	wl_f_uint(r->m, "ntlmssp.ntlmv2_response.hirversion", hirv);
	wl_f_bytes(r->m, "ntlmssp.ntlmv2_response.z", z6, 6);
	wl_f_time(r->m, "ntlmssp.ntlmv2_response.time", ntlm_filetime(t));
	wl_f_bytes(r->m, "ntlmssp.ntlmv2_response.chal", chal, 8);
	wl_f_bytes(r->m, "ntlmssp.ntlmv2_response.z", z4, 4);
	ntlm_av_pairs(r, &c, &av_v2, 0);
	size_t pad = wl_left(&c);
	if (pad)
		wl_f_bytes(r->m, "ntlmssp.ntlmv2_response.pad", wl_bytes(&c, pad), pad);
}

/* 1 when the message was read to its flags: ai->kind says which response it carries. */
static int ntlm_auth(struct ntlm_rd *r, struct wl_cur c, struct wl_ntlmssp *ai)
{
	struct wl_msg *m = r->m;
	struct wl_cur lm, nt, dom, user, host, key;
	struct wl_cur d_lm = c;
	ntlm_field(r, &c, "LM response", &desc_blob, &lm);
	ntlm_blob(r, "ntlmssp.auth.lmresponse", d_lm, lm);
	struct wl_cur d_nt = c;
	ntlm_field(r, &c, "NT response", &desc_blob, &nt);
	ntlm_blob(r, "ntlmssp.auth.ntresponse", d_nt, nt);
	int okd = ntlm_field(r, &c, "domain", &desc_string, &dom);
	int oku = ntlm_field(r, &c, "user name", &desc_string, &user);
	int okh = ntlm_field(r, &c, "host name", &desc_string, &host);
	struct wl_cur d_key = c;
	ntlm_field(r, &c, "session key", &desc_blob, &key);
	ntlm_blob(r, "ntlmssp.auth.sesskey", d_key, key);
	uint32_t flags = wl_le32(&c);
	if (!wl_ok(&c)) {
		wl_note_cursor(m, &c, "NTLMSSP AUTHENTICATE");
		return 0;
	}
	wl_f_hex(m, "ntlmssp.negotiateflags", flags);
	if (okd)
		ntlm_string(m, dom, flags, "ntlmssp.auth.domain", "NTLMSSP domain", ai->domain,
			    sizeof ai->domain, 1);
	if (oku)
		ntlm_string(m, user, flags, "ntlmssp.auth.username", "NTLMSSP user name", ai->user,
			    sizeof ai->user, 1);
	if (okh)
		ntlm_string(m, host, flags, "ntlmssp.auth.hostname", "NTLMSSP host name", ai->host,
			    sizeof ai->host, 1);
	size_t ntlen = wl_left(&nt);
	if (r->verbose && ntlen > 24) {
		struct wl_cur whole = nt;
		wl_f_bytes(m, "ntlmssp.ntlmv2_response", wl_bytes(&whole, ntlen), ntlen);
		ntlm_v2_response(r, nt);
		if (wl_left(&lm) == 24) {
			struct wl_cur cc = wl_at(&lm, 16, 8);
			wl_f_bytes(m, "ntlmssp.ntlmclientchallenge", wl_bytes(&cc, 8), 8);
		}
	}
	/* The MIC: 16 bytes after the version, when the data starts after them. */
	size_t mic_at = (flags & NTLM_VERSION) ? 72 : 64;
	if (r->verbose && r->data_start >= mic_at + 16 && wl_left(&r->blob) >= mic_at + 16) {
		struct wl_cur mc = wl_at(&r->blob, mic_at, 16);
		wl_f_bytes(m, "ntlmssp.authenticate.mic", wl_bytes(&mc, 16), 16);
	}
	if (ntlen == 0 && !ai->user[0])
		ai->kind = "anonymous";
	else if (ntlen > 24)
		ai->kind = "NTLMv2";
	else if (ntlen == 24)
		ai->kind = "NTLMv1";
	else
		ai->kind = "no NT response";
	return 1;
}

/* NEGOTIATE's optional domain and workstation (OEM strings), under -v. */
static void ntlm_negotiate(struct ntlm_rd *r, struct wl_cur c)
{
	wl_f_hex(r->m, "ntlmssp.negotiateflags", wl_le32(&c));
	if (!r->verbose || wl_left(&c) < 16)
		return;
	static const char *const names[2] = { "ntlmssp.negotiate.domain",
					      "ntlmssp.negotiate.callingworkstation" };
	for (int i = 0; i < 2; i++) {
		struct wl_cur v;
		if (!ntlm_field(r, &c, i ? "workstation" : "domain", &desc_string, &v))
			return;
		char text[WL_NTLMSSP_NAME];
		ntlm_string(r->m, v, 0, names[i], "NTLMSSP name", text, sizeof text, 1);
	}
}

/* The negotiate flags, one boolean each, as tshark names them ([MS-NLMP] §2.2.2.5). */
static const char *const flag_names[32] = {
	"ntlmssp.negotiateunicode", "ntlmssp.negotiateoem", "ntlmssp.requesttarget",
	"ntlmssp.negotiate00000008", "ntlmssp.negotiatesign", "ntlmssp.negotiateseal",
	"ntlmssp.negotiatedatagram", "ntlmssp.negotiatelmkey", "ntlmssp.negotiate00000100",
	"ntlmssp.negotiatentlm", "ntlmssp.negotiatentonly", "ntlmssp.negotiateanonymous",
	"ntlmssp.negotiateoemdomainsupplied", "ntlmssp.negotiateoemworkstationsupplied",
	"ntlmssp.negotiate00004000", "ntlmssp.negotiatealwayssign", "ntlmssp.targettypedomain",
	"ntlmssp.targettypeserver", "ntlmssp.targettypeshare", "ntlmssp.negotiatentlm2",
	"ntlmssp.negotiateidentify", "ntlmssp.negotiatent00200000", "ntlmssp.requestnonntsession",
	"ntlmssp.negotiatetargetinfo", "ntlmssp.negotiatent01000000", "ntlmssp.negotiateversion",
	"ntlmssp.negotiatent04000000", "ntlmssp.negotiatent08000000", "ntlmssp.negotiatent10000000",
	"ntlmssp.negotiate128", "ntlmssp.negotiatekeyexch", "ntlmssp.negotiate56",
};

/* The 8-byte VERSION structure after the fixed fields, when the flags say it is there. */
static void ntlm_version(struct wl_msg *m, struct wl_cur blob, size_t at, uint32_t flags)
{
	if (!(flags & NTLM_VERSION))
		return;
	struct wl_cur v = wl_at(&blob, at, 8);
	uint8_t major = wl_u8(&v), minor = wl_u8(&v);
	uint16_t build = wl_le16(&v);
	wl_skip(&v, 3);
	uint8_t rev = wl_u8(&v);
	if (!wl_ok(&v))
		return;
	wl_f_uint(m, "ntlmssp.version.major", major);
	wl_f_uint(m, "ntlmssp.version.minor", minor);
	wl_f_uint(m, "ntlmssp.version.build_number", build);
	wl_f_uint(m, "ntlmssp.version.ntlm_current_revision", rev);
}

static const char *ntlm_message(struct wl_msg *m, struct wl_cur blob, struct wl_ntlmssp *ai,
				int verbose)
{
	struct ntlm_rd r = { m, blob, verbose, wl_left(&blob) };
	struct wl_cur c = blob;
	const uint8_t *sig = wl_bytes(&c, 8);
	uint32_t type = wl_le32(&c);
	if (!wl_ok(&c) || memcmp(sig, "NTLMSSP", 8) != 0) {
		wl_note(m, WL_ERROR, "malformed: NTLMSSP message cut short or without its signature");
		return NULL;
	}
	ai->type = type;
	if (verbose)
		wl_f_cstr(m, "ntlmssp.identifier", "NTLMSSP");
	wl_f_hex(m, "ntlmssp.messagetype", type);
	const char *kind = NULL;
	if (type == 1) {
		ntlm_negotiate(&r, c);
	} else if (type == 2) {
		ntlm_challenge(&r, c, ai);
	} else if (type == 3) {
		if (ntlm_auth(&r, c, ai))
			kind = ai->kind;
	} else {
		wl_note(m, WL_ERROR, "malformed: unknown NTLMSSP message type %u", type);
		return NULL;
	}
	if (!verbose)
		return kind;
	struct wl_cur fc = wl_at(&blob, type == 1 ? 12 : type == 2 ? 20 : 60, 4);
	uint32_t flags = wl_le32(&fc);
	if (!wl_ok(&fc))
		return kind;
	for (unsigned i = 0; i < 32; i++)
		wl_f_bool(m, flag_names[i], (flags >> i) & 1);
	ntlm_version(m, blob, type == 1 ? 32 : type == 2 ? 48 : 64, flags);
	return kind;
}

const char *wl_ntlmssp_v(struct wl_msg *m, struct wl_cur blob, struct wl_ntlmssp *ai, int verbose)
{
	return ntlm_message(m, blob, ai, verbose);
}

const char *wl_ntlmssp(struct wl_msg *m, struct wl_cur blob, struct wl_ntlmssp *ai)
{
	return ntlm_message(m, blob, ai, 0);
}

void wl_ntlmssp_verifier(struct wl_msg *m, struct wl_cur v)
{
	uint32_t vers = wl_le32(&v);
	const uint8_t *body = wl_bytes(&v, 12);
	if (!wl_ok(&v))
		return;
	wl_f_uint(m, "ntlmssp.verf.vers", vers);
	wl_f_bytes(m, "ntlmssp.verf.body", body, 12);
}

static const struct wl_tok ntlm_types[] = {
	{ 1, "NTLMSSP_NEGOTIATE" }, { 2, "NTLMSSP_CHALLENGE" }, { 3, "NTLMSSP_AUTH" }, { 0, NULL },
};

const char *wl_ntlmssp_type_name(uint32_t type)
{
	return wl_tok(ntlm_types, type, NULL);
}

/* The fields wl_ntlmssp_v() adds under -v (the callers list them in their tables). */
const struct wl_field_info wl_ntlmssp_fields[] = {
	WL_NTLMSSP_FIELDS_V
	{ NULL, 0, NULL },
};
