/* smb2_ctx.c - SMB2 create contexts and leases in tshark's detail (-v);
 * see smb2_ctx.h. Names, types and value formats as tshark 4.0 shows them. */
#include "smb2_ctx.h"

#include <string.h>

void smb2_guid_str(const uint8_t *g, char *out, size_t cap)
{
	/* by hand: 16 conversions of a format were a fifth of an SMB2 message */
	static const char hex[] = "0123456789abcdef";
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	char s[37];
	size_t n = 0;
	for (unsigned i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			s[n++] = '-';
		s[n++] = hex[g[order[i]] >> 4];
		s[n++] = hex[g[order[i]] & 15];
	}
	/* cut to cap as the snprintf "%s" it replaces (cap > 0) */
	if (n > cap - 1)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static void f_guid(struct wl_msg *m, const char *name, const uint8_t *g)
{
	char s[40];
	smb2_guid_str(g, s, sizeof s);
	wl_f_cstr(m, name, s);
}

void smb_f_bits(struct wl_msg *m, uint64_t v, const struct smb_bit *b)
{
	for (; b->name; b++)
		wl_f_bool(m, b->name, (v & b->mask) != 0);
}

static const struct smb_bit lease_state_bits[] = {
	{ 1, "smb2.lease.lease_state.read_caching" }, { 2, "smb2.lease.lease_state.handle_caching" },
	{ 4, "smb2.lease.lease_state.write_caching" }, { 0, NULL },
};
/* tshark files the flags' bits under lease_state too */
static const struct smb_bit lease_flag_bits[] = {
	{ 1, "smb2.lease.lease_state.break_ack_required" },
	{ 2, "smb2.lease.lease_state.break_in_progress" },
	{ 4, "smb2.lease.lease_state.parent_lease_key_set" }, { 0, NULL },
};
static const struct smb_bit aapl_query_bits[] = {
	{ 1, "smb2.aapl.bitmask.server_caps" }, { 2, "smb2.aapl.bitmask.volume_caps" },
	{ 4, "smb2.aapl.bitmask.model_info" }, { 0, NULL },
};
static const struct smb_bit aapl_caps_bits[] = {
	{ 1, "smb2.aapl.caps.supports_read_dir_addr" }, { 2, "smb2.aapl.caps.supports_osx_copyfile" },
	{ 4, "smb2.aapl.caps.unix_based" }, { 8, "smb2.aapl.supports_nfs_ace" }, { 0, NULL },
};

static void f_lease_state(struct wl_msg *m, uint32_t st)
{
	wl_f_hex(m, "smb2.lease.lease_state", st);
	smb_f_bits(m, st, lease_state_bits);
}

static void f_lease_flags(struct wl_msg *m, uint32_t fl)
{
	wl_f_hex(m, "smb2.lease.lease_flags", fl);
	smb_f_bits(m, fl, lease_flag_bits);
}

/* SMB2_CREATE_REQUEST_LEASE(_V2) and its response (§2.2.13.2.8, .10;
 * §2.2.14.2.10, .11): the same layout both ways, v2 being the 52-byte one. */
static void lease_ctx(struct wl_msg *m, struct wl_cur d)
{
	size_t n = wl_left(&d);
	if (n != 32 && n != 52) {
		wl_note(m, WL_WARN, "malformed: a lease create context of %zu bytes (32 or 52 expected)", n);
		return;
	}
	const uint8_t *key = wl_bytes(&d, 16);
	uint32_t st = wl_le32(&d), fl = wl_le32(&d);
	uint64_t dur = wl_le64(&d);
	f_guid(m, "smb2.lease.lease_key", key);
	f_lease_state(m, st);
	f_lease_flags(m, fl);
	wl_f_hex(m, "smb2.lease.lease_duration", dur);
	if (n == 32)
		return;
	const uint8_t *parent = wl_bytes(&d, 16);
	uint16_t epoch = wl_le16(&d), res = wl_le16(&d);
	f_guid(m, "smb2.lease.parent_lease_key", parent);
	wl_f_hex(m, "smb2.lease.lease_oplock", epoch);
	wl_f_hex(m, "smb2.lease.lease_reserved", res);
}

/* Apple's AAPL server query request: command 1 (kAAPL_SERVER_QUERY), what
 * the client asks about and what it can do itself. */
static void aapl_request(struct wl_msg *m, struct wl_cur d)
{
	uint32_t cmd = wl_le32(&d), res = wl_le32(&d);
	if (!wl_ok(&d))
		return;
	wl_f_uint(m, "smb2.aapl.command_code", cmd);
	wl_f_hex(m, "smb2.aapl.reserved", res);
	if (cmd != 1)
		return;
	uint64_t query = wl_le64(&d), caps = wl_le64(&d);
	if (!wl_ok(&d))
		return;
	wl_f_hex(m, "smb2.aapl.query_bitmask", query);
	smb_f_bits(m, query, aapl_query_bits);
	wl_f_hex(m, "smb2.aapl.caps", caps);
	smb_f_bits(m, caps, aapl_caps_bits);
}

/* One element's data by its tag. */
static void ctx_data(struct wl_msg *m, const char *tag, struct wl_cur d, int resp)
{
	if (strcmp(tag, "RqLs") == 0) {
		lease_ctx(m, d);
	} else if (strcmp(tag, "MxAc") == 0 && resp) {
		uint32_t st = wl_le32(&d);
		if (wl_ok(&d))
			wl_f_hex(m, "smb2.mxac_status", st);
	} else if (strcmp(tag, "QFid") == 0 && resp && wl_left(&d) >= 32) {
		wl_f_bytes(m, "smb2.qfid_fid", wl_bytes(&d, 32), 32);
	} else if (strcmp(tag, "AAPL") == 0 && !resp) {
		aapl_request(m, d);
	}
}

/* One element at the start of c; returns its next offset, 0 at the end or
 * when it does not fit. */
static uint32_t ctx_element(struct wl_msg *m, struct wl_cur c, int resp)
{
	struct wl_cur h = c;
	uint32_t next = wl_le32(&h);
	uint16_t noff = wl_le16(&h), nlen = wl_le16(&h);
	wl_skip(&h, 2);
	uint16_t doff = wl_le16(&h);
	uint32_t dlen = wl_le32(&h);
	if (!wl_ok(&h))
		return 0;
	struct wl_cur n = wl_at(&c, noff, nlen), d = wl_at(&c, doff, dlen);
	wl_f_hex(m, "smb2.create.chain_offset", next);
	char tag[8] = "";
	const uint8_t *t = nlen == 4 ? wl_bytes(&n, 4) : NULL;   /* the tags this reads are 4 bytes */
	if (t) {
		memcpy(tag, t, 4);
		wl_f_str(m, "smb2.tag", tag, 4);
	}
	wl_f_hex(m, "smb2.olb.offset", noff);
	wl_f_uint(m, "smb2.olb.length", nlen);
	wl_f_hex(m, "smb2.olb.offset", doff);
	wl_f_uint(m, "smb2.olb.length", dlen);
	if (tag[0] && wl_ok(&d))
		ctx_data(m, tag, d, resp);
	return next;
}

void smb2_ctx_chain_v(struct wl_msg *m, struct wl_cur all, int resp)
{
	size_t at = 0;
	for (unsigned i = 0; i < SMB2_CTX_MAX; i++) {
		size_t left = wl_left(&all) - at;
		uint32_t next = ctx_element(m, wl_at(&all, at, left), resp);
		/* each step moves on by at least a header: no loop */
		if (next < 16 || next > left)
			return;
		at += next;
	}
}

void smb2_lease_break_v(struct wl_msg *m, struct wl_cur b)
{
	uint16_t epoch = wl_le16(&b);
	uint32_t fl = wl_le32(&b);
	const uint8_t *key = wl_bytes(&b, 16);
	uint32_t cur = wl_le32(&b), nst = wl_le32(&b), why = wl_le32(&b);
	uint32_t amask = wl_le32(&b), smask = wl_le32(&b);
	if (!wl_ok(&b)) {
		wl_note_cursor(m, &b, "lease break notification");
		return;
	}
	wl_f_hex(m, "smb2.lease.lease_oplock", epoch);
	f_lease_flags(m, fl);
	f_guid(m, "smb2.lease.lease_key", key);
	f_lease_state(m, cur);
	f_lease_state(m, nst);
	wl_f_hex(m, "smb2.lease.lease_break_reason", why);
	wl_f_hex(m, "smb2.lease.access_mask_hint", amask);
	wl_f_hex(m, "smb2.lease.share_mask_hint", smask);
}
