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

enum { NTLM_UNICODE = 0x1, NTLM_ANONYMOUS = 0x800 };

/* A security buffer descriptor (length, max length, offset) of NTLMSSP and
 * the bytes it names, checked against the blob. */
static int ntlm_field(struct wl_msg *m, const struct wl_cur *blob, struct wl_cur *c,
		      const char *what, struct wl_cur *out)
{
	uint16_t len = wl_le16(c);
	wl_skip(c, 2);
	uint32_t off = wl_le32(c);
	*out = wl_cur_make(NULL, 0);
	if (!wl_ok(c))
		return 0;
	if (len == 0)
		return 1;
	size_t have = wl_left(blob);
	if (off > have || len > have - off) {
		wl_note(m, WL_ERROR, "malformed: NTLMSSP %s at offset %u, %u bytes, lies outside the "
			"%zu-byte blob", what, off, len, have);
		return 0;
	}
	*out = wl_at(blob, off, len);
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

static const struct wl_tok av_fields[] = {
	{ 1, "ntlmssp.challenge.target_info.nb_computer_name" },
	{ 2, "ntlmssp.challenge.target_info.nb_domain_name" },
	{ 3, "ntlmssp.challenge.target_info.dns_computer_name" },
	{ 0, NULL },
};

static void ntlm_target_info(struct wl_msg *m, struct wl_cur ti)
{
	for (int n = 0; wl_left(&ti) >= 4 && n < 32; n++) {
		uint16_t id = wl_le16(&ti), len = wl_le16(&ti);
		if (id == 0)
			break;
		struct wl_cur v = wl_sub(&ti, len);
		if (!wl_ok(&ti)) {
			wl_note(m, WL_ERROR, "malformed: NTLMSSP target info item %u cut short", id);
			break;
		}
		const char *f = wl_tok(av_fields, id, NULL);
		if (f) {
			char name[WL_NTLMSSP_NAME];
			wl_note_utf16(m, wl_utf16_text(v, name, sizeof name, 0), "NTLMSSP target info name");
			wl_f_cstr(m, f, name);
		}
	}
}

static void ntlm_challenge(struct wl_msg *m, struct wl_cur blob, struct wl_cur c, struct wl_ntlmssp *ai)
{
	struct wl_cur tn, ti;
	int have_tn = ntlm_field(m, &blob, &c, "target name", &tn);
	uint32_t flags = wl_le32(&c);
	const uint8_t *chal = wl_bytes(&c, 8);
	wl_skip(&c, 8);
	wl_f_hex(m, "ntlmssp.negotiateflags", flags);
	ai->flags = flags;
	if (chal) {
		wl_f_bytes(m, "ntlmssp.ntlmserverchallenge", chal, 8);
		memcpy(ai->challenge, chal, 8);
		ai->have_challenge = 1;
	}
	if (have_tn)
		ntlm_string(m, tn, flags, "ntlmssp.challenge.target_name", "NTLMSSP target name",
			    ai->target, sizeof ai->target, 0);
	if (wl_left(&c) >= 8 && ntlm_field(m, &blob, &c, "target info", &ti))
		ntlm_target_info(m, ti);
	if (!chal)
		wl_note_cursor(m, &c, "NTLMSSP CHALLENGE");
}

/* 1 when the message was read to its flags: ai->kind says which response it carries. */
static int ntlm_auth(struct wl_msg *m, struct wl_cur blob, struct wl_cur c, struct wl_ntlmssp *ai)
{
	struct wl_cur lm, nt, dom, user, host, key;
	int ok = ntlm_field(m, &blob, &c, "LM response", &lm);
	ok &= ntlm_field(m, &blob, &c, "NT response", &nt);
	int okd = ntlm_field(m, &blob, &c, "domain", &dom);
	int oku = ntlm_field(m, &blob, &c, "user name", &user);
	int okh = ntlm_field(m, &blob, &c, "host name", &host);
	ntlm_field(m, &blob, &c, "session key", &key);
	uint32_t flags = wl_le32(&c);
	if (!wl_ok(&c)) {
		wl_note_cursor(m, &c, "NTLMSSP AUTHENTICATE");
		return 0;
	}
	(void)ok;
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
	if (!(flags & 0x02000000))
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

const char *wl_ntlmssp_v(struct wl_msg *m, struct wl_cur blob, struct wl_ntlmssp *ai, int verbose)
{
	const char *r = wl_ntlmssp(m, blob, ai);
	if (!verbose || ai->type < 1 || ai->type > 3)
		return r;
	struct wl_cur c = wl_at(&blob, ai->type == 1 ? 12 : ai->type == 2 ? 20 : 60, 4);
	uint32_t flags = wl_le32(&c);
	if (!wl_ok(&c))
		return r;
	for (unsigned i = 0; i < 32; i++)
		wl_f_bool(m, flag_names[i], (flags >> i) & 1);
	ntlm_version(m, blob, ai->type == 1 ? 32 : ai->type == 2 ? 48 : 64, flags);
	return r;
}

const char *wl_ntlmssp(struct wl_msg *m, struct wl_cur blob, struct wl_ntlmssp *ai)
{
	struct wl_cur c = blob;
	const uint8_t *sig = wl_bytes(&c, 8);
	uint32_t type = wl_le32(&c);
	if (!wl_ok(&c) || memcmp(sig, "NTLMSSP", 8) != 0) {
		wl_note(m, WL_ERROR, "malformed: NTLMSSP message cut short or without its signature");
		return NULL;
	}
	ai->type = type;
	wl_f_hex(m, "ntlmssp.messagetype", type);
	if (type == 1) {
		wl_f_hex(m, "ntlmssp.negotiateflags", wl_le32(&c));
	} else if (type == 2) {
		ntlm_challenge(m, blob, c, ai);
	} else if (type == 3) {
		if (ntlm_auth(m, blob, c, ai))
			return ai->kind;
	} else {
		wl_note(m, WL_ERROR, "malformed: unknown NTLMSSP message type %u", type);
	}
	return NULL;
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
	{ "ntlmssp.negotiateunicode", WL_FT_BOOL, "Negotiate UNICODE" },
	{ "ntlmssp.negotiateoem", WL_FT_BOOL, "Negotiate OEM" },
	{ "ntlmssp.requesttarget", WL_FT_BOOL, "Request Target" },
	{ "ntlmssp.negotiate00000008", WL_FT_BOOL, "Request 0x00000008" },
	{ "ntlmssp.negotiatesign", WL_FT_BOOL, "Negotiate Sign" },
	{ "ntlmssp.negotiateseal", WL_FT_BOOL, "Negotiate Seal" },
	{ "ntlmssp.negotiatedatagram", WL_FT_BOOL, "Negotiate Datagram" },
	{ "ntlmssp.negotiatelmkey", WL_FT_BOOL, "Negotiate Lan Manager Key" },
	{ "ntlmssp.negotiate00000100", WL_FT_BOOL, "Negotiate 0x00000100" },
	{ "ntlmssp.negotiatentlm", WL_FT_BOOL, "Negotiate NTLM key" },
	{ "ntlmssp.negotiatentonly", WL_FT_BOOL, "Negotiate NT Only" },
	{ "ntlmssp.negotiateanonymous", WL_FT_BOOL, "Negotiate Anonymous" },
	{ "ntlmssp.negotiateoemdomainsupplied", WL_FT_BOOL, "Negotiate OEM Domain Supplied" },
	{ "ntlmssp.negotiateoemworkstationsupplied", WL_FT_BOOL, "Negotiate OEM Workstation Supplied" },
	{ "ntlmssp.negotiate00004000", WL_FT_BOOL, "Negotiate 0x00004000" },
	{ "ntlmssp.negotiatealwayssign", WL_FT_BOOL, "Negotiate Always Sign" },
	{ "ntlmssp.targettypedomain", WL_FT_BOOL, "Target Type Domain" },
	{ "ntlmssp.targettypeserver", WL_FT_BOOL, "Target Type Server" },
	{ "ntlmssp.targettypeshare", WL_FT_BOOL, "Target Type Share" },
	{ "ntlmssp.negotiatentlm2", WL_FT_BOOL, "Negotiate Extended Security" },
	{ "ntlmssp.negotiateidentify", WL_FT_BOOL, "Negotiate Identify" },
	{ "ntlmssp.negotiatent00200000", WL_FT_BOOL, "Negotiate 0x00200000" },
	{ "ntlmssp.requestnonntsession", WL_FT_BOOL, "Request Non-NT Session" },
	{ "ntlmssp.negotiatetargetinfo", WL_FT_BOOL, "Negotiate Target Info" },
	{ "ntlmssp.negotiatent01000000", WL_FT_BOOL, "Negotiate 0x01000000" },
	{ "ntlmssp.negotiateversion", WL_FT_UINT, "Negotiate Version" },
	{ "ntlmssp.negotiatent04000000", WL_FT_BOOL, "Negotiate 0x04000000" },
	{ "ntlmssp.negotiatent08000000", WL_FT_BOOL, "Negotiate 0x08000000" },
	{ "ntlmssp.negotiatent10000000", WL_FT_BOOL, "Negotiate 0x10000000" },
	{ "ntlmssp.negotiate128", WL_FT_BOOL, "Negotiate 128" },
	{ "ntlmssp.negotiatekeyexch", WL_FT_BOOL, "Negotiate Key Exchange" },
	{ "ntlmssp.negotiate56", WL_FT_BOOL, "Negotiate 56" },
	{ "ntlmssp.version.major", WL_FT_UINT, "Major Version" },
	{ "ntlmssp.version.minor", WL_FT_UINT, "Minor Version" },
	{ "ntlmssp.version.build_number", WL_FT_UINT, "Build Number" },
	{ "ntlmssp.version.ntlm_current_revision", WL_FT_UINT, "NTLM Current Revision" },
	{ NULL, 0, NULL },
};
