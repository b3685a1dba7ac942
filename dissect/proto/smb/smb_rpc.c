/* smb_rpc.c - DCE/RPC connection-oriented PDUs through an SMB named pipe
 * (bind, bind_ack, request, response, fault), and srvsvc NetShareEnumAll,
 * the call behind a share listing.
 *
 * Specs: C706 (DCE 1.1 RPC) §12.6 (the connection-oriented PDUs) and §14
 * (NDR), [MS-RPCE] §2.2.2, [MS-SRVS] §3.1.4.8 (NetrShareEnumAll).
 *
 * Common header (16 bytes; the integers in the byte order drep names):
 *   +--------+--------+--------+--------+
 *   | ver 5  | minor  | type   | flags  |
 *   | drep (4): integer/char | float | 0 | 0
 *   | frag length   | auth length  |
 *   | call id (4)                       |
 *   +--------+--------+--------+--------+
 * request: alloc hint (4), context id (2), opnum (2), then the stub;
 * response: alloc hint (4), context id (2), cancel count (1), 1 reserved.
 */
#include <stdio.h>
#include <string.h>

#include "smb_rpc.h"
#include "smb2_ctx.h"

enum { PT_REQUEST = 0, PT_RESPONSE = 2, PT_FAULT = 3, PT_BIND = 11, PT_BIND_ACK = 12,
       PT_BIND_NAK = 13, PT_ALTER = 14, PT_ALTER_RESP = 15 };

static const struct wl_tok pkt_names[] = {
	{ PT_REQUEST, "request" }, { PT_RESPONSE, "response" }, { PT_FAULT, "fault" },
	{ PT_BIND, "bind" }, { PT_BIND_ACK, "bind_ack" }, { PT_BIND_NAK, "bind_nak" },
	{ PT_ALTER, "alter_context" }, { PT_ALTER_RESP, "alter_context_resp" }, { 0, NULL },
};

/* Interfaces by UUID (the bytes as on the wire, little-endian groups first). */
static const struct {
	const char *uuid, *name;
} ifaces[] = {
	{ NULL, NULL },
	{ "4b324fc8-1670-01d3-1278-5a47bf6ee188", "srvsvc" },
	{ "6bffd098-a112-3610-9833-46c3f87e345a", "wkssvc" },
	{ "12345778-1234-abcd-ef00-0123456789ab", "lsarpc" },
	{ "12345778-1234-abcd-ef00-0123456789ac", "samr" },
	{ "12345678-1234-abcd-ef00-01234567cffb", "netlogon" },
	{ "338cd001-2244-31f1-aaaa-900038001003", "winreg" },
	{ "367abb81-9844-35f1-ad32-98f038001003", "svcctl" },
	{ "12345678-1234-abcd-ef00-0123456789ab", "spoolss" },
	{ "3919286a-b10c-11d0-9ba8-00c04fd92ef5", "dssetup" },
	{ "e1af8308-5d1f-11c9-91a4-08002b14a0fa", "epm" },
	{ "1ff70682-0a51-30e8-076d-740be8cee98b", "atsvc" },
	{ "82273fdc-e32a-18c3-3f78-827929dc23ea", "eventlog" },
};
#define SRVSVC 1
#define LSARPC 3
#define NIFACES (sizeof ifaces / sizeof ifaces[0])

static const struct {
	const char *uuid, *name;
} syntaxes[] = {
	{ "8a885d04-1ceb-11c9-9fe8-08002b104860", "NDR" },
	{ "71710533-beba-4937-8319-b5dbef9ccc36", "NDR64" },
};

static const struct wl_tok srvsvc_ops[] = {
	{ 12, "NetSessEnum" }, { 15, "NetShareEnumAll" }, { 16, "NetShareGetInfo" },
	{ 21, "NetSrvGetInfo" }, { 28, "NetRemoteTOD" }, { 0, NULL },
};

static const struct wl_tok ack_results[] = {
	{ 0, "acceptance" }, { 1, "user rejection" }, { 2, "provider rejection" },
	{ 3, "negotiate ack" }, { 0, NULL },
};

/* Share types ([MS-SRVS] §2.2.2.4): the low byte, and the special bit. */
static const struct wl_tok share_types[] = {
	{ 0, "disk" }, { 1, "printer" }, { 2, "device" }, { 3, "IPC" }, { 0, NULL },
};

const char *smb_rpc_iface_name(uint8_t iface)
{
	return iface && iface < NIFACES ? ifaces[iface].name : NULL;
}

/* The same text as an SMB2 GUID (both are DCE UUIDs, little-endian first
 * fields): smb2_guid_str writes it by hand, not by 16 conversions. */
static void uuid_text(const uint8_t *g, char *out, size_t cap)
{
	smb2_guid_str(g, out, cap);
}

static uint8_t iface_find(const char *uuid)
{
	for (uint8_t i = 1; i < NIFACES; i++)
		if (strcmp(ifaces[i].uuid, uuid) == 0)
			return i;
	return 0;
}

static const char *syntax_name(const char *uuid)
{
	for (size_t i = 0; i < sizeof syntaxes / sizeof syntaxes[0]; i++)
		if (strcmp(syntaxes[i].uuid, uuid) == 0)
			return syntaxes[i].name;
	return NULL;
}

/* A cursor over NDR data with the offset it started at, for alignment. */
struct ndr {
	struct wl_cur c;
	size_t total;
	struct smb_rpc *r;
};

static void ndr_align(struct ndr *n, size_t a)
{
	size_t at = n->total - wl_left(&n->c);
	size_t pad = (a - at % a) % a;
	wl_skip(&n->c, pad < wl_left(&n->c) ? pad : wl_left(&n->c));
}

static uint32_t ndr_u32(struct ndr *n)
{
	ndr_align(n, 4);
	return wl_le32(&n->c);
}

/* A [unique] pointer: its referent id (0 is NULL), as tshark shows it. */
static uint32_t ndr_ptr(struct ndr *n)
{
	ndr_align(n, 4);
	struct wl_cur at = n->c;
	uint32_t ref = wl_le32(&n->c);
	if (!wl_ok(&n->c) || !n->r->verbose)
		return ref;
	if (ref)
		wl_f_hex(n->r->m, "dcerpc.referent_id", ref);
	else
		wl_f_bytes(n->r->m, "dcerpc.null_pointer", wl_bytes(&at, 4), 4);
	return ref;
}

/* A conformant varying UTF-16 string (max count, offset, actual count, units). */
static void ndr_string(struct ndr *n, const char *field, char *out, size_t cap)
{
	uint32_t max = ndr_u32(n), off = wl_le32(&n->c), count = wl_le32(&n->c);
	out[0] = '\0';
	if (!wl_ok(&n->c))
		return;
	if (count > wl_left(&n->c) / 2) {
		wl_fail(&n->c, WL_ETRUNC);
		return;
	}
	struct wl_cur s = wl_sub(&n->c, 2u * count);
	wl_utf16_text(s, out, cap, 1);
	if (n->r->verbose) {
		wl_f_uint(n->r->m, "dcerpc.array.max_count", max);
		wl_f_uint(n->r->m, "dcerpc.array.offset", off);
		wl_f_uint(n->r->m, "dcerpc.array.actual_count", count);
	}
	if (field)
		wl_f_cstr(n->r->m, field, out);
}

/* LSA calls that return a policy handle (first in their response) and
 * that take none (the rest take one first, [MS-LSAD] 3.1.4): OpenPolicy,
 * OpenPolicy2, GetUserName. */
static int lsa_opens_handle(uint16_t opnum)
{
	return opnum == 6 || opnum == 44;
}

static int lsa_takes_handle(uint16_t opnum)
{
	return !lsa_opens_handle(opnum) && opnum != 45;
}

/* A policy handle a response returned, kept with the frame tshark names
 * (dcerpc.nt.open_frame, packet-dcerpc-nt.c dissect_nt_policy_hnd). */
static void handle_open(struct smb_rpc *r, const uint8_t *h)
{
	struct smb_rpc_pipe *p = r->pipe;
	unsigned slot = SMB_RPC_HANDLES;
	for (unsigned i = 0; i < SMB_RPC_HANDLES; i++)
		if (p->handle[i].frame && memcmp(p->handle[i].h, h, 20) == 0)
			slot = i;   /* returned again: the newest open counts */
	if (slot == SMB_RPC_HANDLES) {
		slot = p->handle_next % SMB_RPC_HANDLES;   /* the oldest goes */
		p->handle_next = (uint8_t)((slot + 1) % SMB_RPC_HANDLES);
	}
	memcpy(p->handle[slot].h, h, 20);
	p->handle[slot].frame = r->frame;
}

static void handle_named(struct smb_rpc *r, const uint8_t *h)
{
	for (unsigned i = 0; i < SMB_RPC_HANDLES; i++)
		if (r->pipe->handle[i].frame && memcmp(r->pipe->handle[i].h, h, 20) == 0) {
			wl_f_uint(r->m, "dcerpc.nt.open_frame", r->pipe->handle[i].frame);
			return;
		}
}

/* The policy handle an LSA request passes or a response returns (-v). */
static void lsa_handle(struct smb_rpc *r, int request, uint16_t opnum, struct wl_cur stub)
{
	const uint8_t *h = wl_bytes(&stub, 20);
	if (!h || !r->pipe || r->pipe->iface != LSARPC || !r->verbose)
		return;
	if (request && lsa_takes_handle(opnum))
		handle_named(r, h);
	else if (!request && lsa_opens_handle(opnum)) {
		handle_open(r, h);
		handle_named(r, h);
	}
}

/* ------------------------------------------------------------- lsarpc stubs
 * The NDR of the LSA calls a name lookup makes ([MS-LSAT] 3.1.4, [MS-LSAD]
 * 3.1.4), read for the generic fields tshark shows in them: each pointer's
 * referent id or NULL, each conformant array's max count and each string's
 * offset and actual count. Embedded pointers' referents follow their struct
 * (or array), top-level ones follow at once (C706 14.3.12). */

#define LSA_ARRAY_MAX 64         /* names, domains, sids read per call */

/* A conformant array's max count (dcerpc.array.max_count). */
static uint32_t ndr_max_count(struct ndr *n)
{
	uint32_t max = ndr_u32(n);
	if (wl_ok(&n->c) && n->r->verbose)
		wl_f_uint(n->r->m, "dcerpc.array.max_count", max);
	return max;
}

/* An lsa_String's lengths and buffer pointer; its string comes later. */
static uint32_t lsa_string_head(struct ndr *n)
{
	ndr_align(n, 4);
	wl_skip(&n->c, 4);               /* length, size */
	return ndr_ptr(n);
}

static void lsa_string_body(struct ndr *n, uint32_t ptr)
{
	char text[256];
	if (ptr && wl_ok(&n->c))
		ndr_string(n, NULL, text, sizeof text);
}

/* A unique pointer to an lsa_String. */
static void lsa_string_ptr(struct ndr *n)
{
	if (ndr_ptr(n))
		lsa_string_body(n, lsa_string_head(n));
}

static void lsa_system_name(struct ndr *n)
{
	char name[256];
	if (ndr_ptr(n))
		ndr_string(n, NULL, name, sizeof name);
}

/* lsa_GetUserName: system name, account name (a reference to a unique
 * pointer, so only the latter on the wire), authority name (unique to unique). */
static void lsa_get_user_name(struct ndr *n, int request)
{
	if (request)
		lsa_system_name(n);
	lsa_string_ptr(n);
	if (ndr_ptr(n))
		lsa_string_ptr(n);
}

/* lsa_OpenPolicy2 request: system name, then an lsa_ObjectAttribute whose
 * four pointers' referents (the QoS) follow it. */
static void lsa_open_policy2(struct ndr *n)
{
	lsa_system_name(n);
	ndr_u32(n);                      /* len */
	ndr_ptr(n);                      /* root dir */
	ndr_ptr(n);                      /* object name */
	ndr_u32(n);                      /* attributes */
	ndr_ptr(n);                      /* security descriptor */
	ndr_ptr(n);                      /* QoS: len, level, mode, effective, not shown */
}

/* lsa_LookupNames request: handle, the names (a conformant array of
 * lsa_String, their strings after it), an empty lsa_TransSidArray. */
static void lsa_lookup_names_request(struct ndr *n)
{
	wl_skip(&n->c, 20);              /* the policy handle */
	uint32_t num = ndr_u32(n);
	uint32_t max = ndr_max_count(n);
	if (!wl_ok(&n->c) || num > LSA_ARRAY_MAX || max != num)
		return;
	uint32_t ptrs[LSA_ARRAY_MAX];
	for (uint32_t i = 0; i < num; i++)
		ptrs[i] = lsa_string_head(n);
	for (uint32_t i = 0; i < num && wl_ok(&n->c); i++)
		lsa_string_body(n, ptrs[i]);
	ndr_u32(n);                      /* sids count */
	ndr_ptr(n);                      /* sids */
}

/* A dom_sid2: its conformant count (the sub-authorities, shown by tshark
 * under its own name), revision, count, authority, sub-authorities. */
static void lsa_sid(struct ndr *n)
{
	ndr_u32(n);
	wl_skip(&n->c, 1);
	uint8_t subs = wl_u8(&n->c);
	wl_skip(&n->c, 6 + 4u * subs);
}

/* lsa_RefDomainList: count, domains, max size; then the lsa_DomainInfo
 * array (a name and a SID pointer each) and their referents in order. */
static void lsa_ref_domains(struct ndr *n)
{
	uint32_t count = ndr_u32(n);
	uint32_t dptr = ndr_ptr(n);
	ndr_u32(n);                      /* max size */
	if (!dptr || !wl_ok(&n->c))
		return;
	uint32_t max = ndr_max_count(n);
	if (!wl_ok(&n->c) || max > LSA_ARRAY_MAX || max < count)
		return;
	uint32_t names[LSA_ARRAY_MAX], sids[LSA_ARRAY_MAX];
	for (uint32_t i = 0; i < max; i++) {
		names[i] = lsa_string_head(n);
		sids[i] = ndr_ptr(n);
	}
	for (uint32_t i = 0; i < max && wl_ok(&n->c); i++) {
		lsa_string_body(n, names[i]);
		if (sids[i])
			lsa_sid(n);
	}
}

/* lsa_LookupNames response: the domains, then the lsa_TransSidArray (a
 * count and a pointer to the lsa_TranslatedSid array: type, rid, index). */
static void lsa_lookup_names_response(struct ndr *n)
{
	if (ndr_ptr(n))
		lsa_ref_domains(n);
	ndr_u32(n);                      /* sids count */
	if (ndr_ptr(n))
		ndr_max_count(n);
}

/* The LSA calls decoded (-v): GetUserName, OpenPolicy2, LookupNames. */
static void lsa_stub(struct smb_rpc *r, int request, uint16_t opnum, struct wl_cur stub)
{
	if (!r->verbose || !r->pipe || r->pipe->iface != LSARPC)
		return;
	struct ndr n = { stub, wl_left(&stub), r };
	if (opnum == 45)
		lsa_get_user_name(&n, request);
	else if (opnum == 44 && request)
		lsa_open_policy2(&n);
	else if (opnum == 14 && request)
		lsa_lookup_names_request(&n);
	else if (opnum == 14)
		lsa_lookup_names_response(&n);
}

/* NetShareEnumAll request: server, level, an empty container, max buffer, resume handle. */
static void srvsvc_enum_request(struct smb_rpc *r, struct wl_cur stub)
{
	struct ndr n = { stub, wl_left(&stub), r };
	char unc[256];
	if (ndr_ptr(&n))
		ndr_string(&n, "srvsvc.srvsvc_NetShareEnumAll.server_unc", unc, sizeof unc);
	uint32_t level = ndr_u32(&n);
	wl_skip(&n.c, 4);                /* the union's discriminant, the level again */
	if (!wl_ok(&n.c))
		return;
	wl_f_uint(r->m, "srvsvc.srvsvc_NetShareEnumAll.level", level);
	if (ndr_ptr(&n) && (level == 0 || level == 1)) {
		uint32_t count = ndr_u32(&n);
		if (!wl_ok(&n.c))
			return;
		wl_f_uint(r->m, level ? "srvsvc.srvsvc_NetShareCtr1.count" :
			  "srvsvc.srvsvc_NetShareCtr0.count", count);
		ndr_ptr(&n);
	}
	uint32_t max = ndr_u32(&n);
	if (!wl_ok(&n.c))
		return;
	wl_f_uint(r->m, "srvsvc.srvsvc_NetShareEnumAll.max_buffer", max);
	if (ndr_ptr(&n)) {
		uint32_t h = ndr_u32(&n);
		if (wl_ok(&n.c))
			wl_f_uint(r->m, "srvsvc.srvsvc_NetShareEnumAll.resume_handle", h);
	}
}

/* NetShareEnumAll response, level 1: each share's name, type and comment. */
static void srvsvc_enum_response(struct smb_rpc *r, struct wl_cur stub)
{
	struct ndr n = { stub, wl_left(&stub), r };
	uint32_t level = ndr_u32(&n);
	wl_skip(&n.c, 4);
	if (!wl_ok(&n.c))
		return;
	if (r->verbose)
		wl_f_uint(r->m, "srvsvc.srvsvc_NetShareEnumAll.level", level);
	if (level != 1 || !ndr_ptr(&n))
		return;
	uint32_t count = ndr_u32(&n);
	if (!wl_ok(&n.c))
		return;
	if (r->verbose)
		wl_f_uint(r->m, "srvsvc.srvsvc_NetShareCtr1.count", count);
	if (!ndr_ptr(&n) || count > 256)
		return;
	uint32_t max = ndr_u32(&n);
	if (!wl_ok(&n.c))
		return;
	if (r->verbose)
		wl_f_uint(r->m, "dcerpc.array.max_count", max);
	uint32_t types[256], name_ref[256], comment_ref[256];
	for (uint32_t i = 0; i < count; i++) {
		name_ref[i] = ndr_ptr(&n);
		types[i] = ndr_u32(&n);
		comment_ref[i] = ndr_ptr(&n);
		if (!wl_ok(&n.c))
			return;
		if (r->verbose)
			wl_f_uint(r->m, "srvsvc.srvsvc_NetShareInfo1.type", types[i]);
	}
	char list[512];
	size_t o = 0;
	list[0] = '\0';
	for (uint32_t i = 0; i < count && wl_ok(&n.c); i++) {
		char name[128] = "", comment[128] = "";
		if (name_ref[i])
			ndr_string(&n, "srvsvc.srvsvc_NetShareInfo1.name", name, sizeof name);
		if (comment_ref[i])
			ndr_string(&n, r->verbose ? "srvsvc.srvsvc_NetShareInfo1.comment" : NULL,
				   comment, sizeof comment);
		if (!wl_ok(&n.c))
			break;
		int k = wl_snprintf(list + o, sizeof list - o, "%s%s (%s%s%s%s%s)", o ? ", " : "", name,
				 wl_tok(share_types, types[i] & 0xff, "?"),
				 types[i] & 0x80000000u ? ", special" : "", comment[0] ? ": \"" : "",
				 comment, comment[0] ? "\"" : "");
		if (k > 0)
			o += (size_t)k < sizeof list - o ? (size_t)k : sizeof list - o - 1;
	}
	if (o)
		wl_note(r->m, WL_INFO, "the server's shares (srvsvc NetShareEnumAll): %s", list);
	if (o)
		wl_snprintf(r->text, sizeof r->text, " shares");
	uint32_t total = ndr_u32(&n);
	if (!wl_ok(&n.c) || !r->verbose)
		return;
	wl_f_uint(r->m, "srvsvc.srvsvc_NetShareEnumAll.totalentries", total);
	if (ndr_ptr(&n)) {
		uint32_t h = ndr_u32(&n);
		if (wl_ok(&n.c))
			wl_f_uint(r->m, "srvsvc.srvsvc_NetShareEnumAll.resume_handle", h);
	}
	uint32_t werr = ndr_u32(&n);
	if (wl_ok(&n.c))
		wl_f_hex(r->m, "srvsvc.werror", werr);
}

static void rpc_bind(struct smb_rpc *r, struct wl_cur c, int ack)
{
	uint16_t xmit = wl_le16(&c), recv = wl_le16(&c);
	uint32_t group = wl_le32(&c);
	if (!wl_ok(&c))
		return;
	if (r->verbose) {
		wl_f_uint(r->m, "dcerpc.cn_max_xmit", xmit);
		wl_f_uint(r->m, "dcerpc.cn_max_recv", recv);
		wl_f_hex(r->m, "dcerpc.cn_assoc_group", group);
	}
	char u[40];
	if (ack) {
		uint16_t alen = wl_le16(&c);
		struct wl_cur addr = wl_sub(&c, alen);
		size_t at = 10u + alen;      /* from the body's start: align to 4 */
		wl_skip(&c, (4 - at % 4) % 4 < wl_left(&c) ? (4 - at % 4) % 4 : wl_left(&c));
		uint8_t n = wl_u8(&c);
		wl_skip(&c, 3);
		if (!wl_ok(&c))
			return;
		char sec[64];
		wl_oem_text(addr, sec, sizeof sec, 1);
		if (r->verbose) {
			wl_f_uint(r->m, "dcerpc.cn_sec_addr_len", alen);
			if (alen)
				wl_f_cstr(r->m, "dcerpc.cn_sec_addr", sec);
			wl_f_uint(r->m, "dcerpc.cn_num_results", n);
		}
		for (unsigned i = 0; i < n && i < 16; i++) {
			uint16_t result = wl_le16(&c), reason = wl_le16(&c);
			const uint8_t *id = wl_bytes(&c, 16);
			uint32_t ver = wl_le32(&c);
			if (!wl_ok(&c))
				break;
			uuid_text(id, u, sizeof u);
			if (r->verbose) {
				wl_f_uint(r->m, "dcerpc.cn_ack_result", result);
				if (result)
					wl_f_uint(r->m, "dcerpc.cn_ack_reason", reason);
				wl_f_cstr(r->m, "dcerpc.cn_ack_trans_id", u);
				wl_f_uint(r->m, "dcerpc.cn_ack_trans_ver", ver);
			}
			if (i == 0)
				wl_note(r->m, result ? WL_WARN : WL_INFO, "DCE/RPC bind_ack: %s%s%s",
					wl_tok(ack_results, result, "?"), alen ? ", port " : "",
					alen ? sec : "");
		}
		return;
	}
	uint8_t nctx = wl_u8(&c);
	wl_skip(&c, 3);
	if (!wl_ok(&c))
		return;
	if (r->verbose)
		wl_f_uint(r->m, "dcerpc.cn_num_ctx_items", nctx);
	for (unsigned i = 0; i < nctx && i < 16; i++) {
		uint16_t ctx_id = wl_le16(&c);
		uint8_t ntrans = wl_u8(&c);
		wl_skip(&c, 1);
		const uint8_t *id = wl_bytes(&c, 16);
		uint16_t vmaj = wl_le16(&c), vmin = wl_le16(&c);
		if (!wl_ok(&c))
			break;
		uuid_text(id, u, sizeof u);
		uint8_t iface = iface_find(u);
		if (r->verbose) {
			wl_f_uint(r->m, "dcerpc.cn_ctx_id", ctx_id);
			wl_f_uint(r->m, "dcerpc.cn_num_trans_items", ntrans);
			wl_f_cstr(r->m, "dcerpc.cn_bind_to_uuid", u);
			wl_f_uint(r->m, "dcerpc.cn_bind_if_ver", vmaj);
			wl_f_uint(r->m, "dcerpc.cn_bind_if_ver_minor", vmin);
		}
		const char *syn = NULL;
		for (unsigned k = 0; k < ntrans && k < 16; k++) {
			const uint8_t *t = wl_bytes(&c, 16);
			uint32_t tver = wl_le32(&c);
			if (!wl_ok(&c))
				break;
			char tu[40];
			uuid_text(t, tu, sizeof tu);
			if (!syn)
				syn = syntax_name(tu);
			if (r->verbose && strncmp(tu, "6cb71c2c-9812-4540-", 19) == 0) {
				/* bind time feature negotiation: the bits sit in the UUID's tail */
				uint16_t bits = (uint16_t)(t[8] | t[9] << 8);
				wl_f_hex(r->m, "dcerpc.cn_bind_trans_btfn", bits);
				wl_f_bool(r->m, "dcerpc.cn_bind_trans_btfn.01", bits & 1);
				wl_f_bool(r->m, "dcerpc.cn_bind_trans_btfn.02", (bits & 2) != 0);
			} else if (r->verbose) {
				wl_f_cstr(r->m, "dcerpc.cn_bind_trans_id", tu);
			}
			if (r->verbose)
				wl_f_uint(r->m, "dcerpc.cn_bind_trans_ver", tver);
		}
		if (i == 0) {
			if (r->pipe)
				r->pipe->iface = iface;
			wl_note(r->m, WL_INFO, "DCE/RPC bind to the %s interface %s v%u.%u%s%s", iface ?
				ifaces[iface].name : "unknown", u, vmaj, vmin, syn ? ", transfer syntax " : "",
				syn ? syn : "");
			wl_snprintf(r->text, sizeof r->text, " bind %s", iface ? ifaces[iface].name : "?");
		}
	}
}

void smb_rpc_pdu(struct smb_rpc *r, struct wl_cur pdu)
{
	struct wl_cur c = pdu;
	uint8_t ver = wl_u8(&c), minor = wl_u8(&c), type = wl_u8(&c), flags = wl_u8(&c);
	const uint8_t *drep = wl_bytes(&c, 4);
	uint16_t frag = wl_le16(&c), auth = wl_le16(&c);
	uint32_t call = wl_le32(&c);
	if (!wl_ok(&c) || ver != 5)
		return;
	if (!(drep[0] & 0x10)) {
		wl_note(r->m, WL_INFO, "DCE/RPC %s in big-endian data representation: not decoded",
			wl_tok(pkt_names, type, "PDU"));
		return;
	}
	if (r->verbose) {
		static const char *const bits[8] = {
			"dcerpc.cn_flags.first_frag", "dcerpc.cn_flags.last_frag",
			"dcerpc.cn_flags.cancel_pending", "dcerpc.cn_flags.reserved",
			"dcerpc.cn_flags.mpx", "dcerpc.cn_flags.dne", "dcerpc.cn_flags.maybe",
			"dcerpc.cn_flags.object",
		};
		wl_f_uint(r->m, "dcerpc.ver", ver);
		wl_f_uint(r->m, "dcerpc.ver_minor", minor);
		wl_f_uint(r->m, "dcerpc.pkt_type", type);
		wl_f_hex(r->m, "dcerpc.cn_flags", flags);
		for (unsigned i = 0; i < 8; i++)
			wl_f_bool(r->m, bits[i], (flags >> i) & 1);
		wl_f_bytes(r->m, "dcerpc.drep", drep, 4);
		wl_f_uint(r->m, "dcerpc.drep.byteorder", drep[0] >> 4);
		wl_f_uint(r->m, "dcerpc.drep.character", drep[0] & 0xf);
		wl_f_uint(r->m, "dcerpc.drep.fp", drep[1]);
		wl_f_uint(r->m, "dcerpc.cn_frag_len", frag);
		wl_f_uint(r->m, "dcerpc.cn_auth_len", auth);
		wl_f_uint(r->m, "dcerpc.cn_call_id", call);
	}
	size_t body_len = frag > 16 && frag <= wl_left(&pdu) ? frag - 16u : wl_left(&c);
	if (auth && (size_t)auth + 8 <= body_len)
		body_len -= (size_t)auth + 8;   /* the auth verifier's trailer */
	struct wl_cur body = wl_sub(&c, body_len);
	const char *iface = r->pipe ? smb_rpc_iface_name(r->pipe->iface) : NULL;
	if (type == PT_BIND || type == PT_ALTER || type == PT_BIND_ACK || type == PT_ALTER_RESP) {
		rpc_bind(r, body, type == PT_BIND_ACK || type == PT_ALTER_RESP);
		return;
	}
	if (type != PT_REQUEST && type != PT_RESPONSE && type != PT_FAULT) {
		wl_note(r->m, WL_INFO, "DCE/RPC %s through the named pipe", wl_tok(pkt_names, type, "PDU"));
		return;
	}
	uint32_t hint = wl_le32(&body);
	uint16_t ctx_id = wl_le16(&body);
	uint16_t opnum = 0;
	uint8_t cancels = 0;
	if (type == PT_REQUEST) {
		opnum = wl_le16(&body);
	} else {
		cancels = wl_u8(&body);
		wl_skip(&body, 1);
	}
	if (!wl_ok(&body))
		return;
	if (type != PT_REQUEST && r->call && r->call->have)
		opnum = r->call->opnum;
	int known = type == PT_REQUEST || (r->call && r->call->have);
	if (r->verbose) {
		wl_f_uint(r->m, "dcerpc.cn_alloc_hint", hint);
		wl_f_uint(r->m, "dcerpc.cn_ctx_id", ctx_id);
		if (type != PT_REQUEST)
			wl_f_uint(r->m, "dcerpc.cn_cancel_count", cancels);
		if (known)
			wl_f_uint(r->m, "dcerpc.opnum", opnum);
		if (type != PT_REQUEST && known) {
			wl_f_uint(r->m, "dcerpc.request_in", r->call->frame);
			wl_f_double(r->m, "dcerpc.time", (double)(r->now - r->call->ts) / 1e9);
		}
		if (known && iface && r->pipe->iface == SRVSVC)
			wl_f_uint(r->m, "srvsvc.opnum", opnum);
		/* tshark repeats the request's frame under the interface's own tree
		 * (packet-dcerpc.c dcerpc_try_handoff), for every interface it knows */
		if (known && iface && type != PT_REQUEST)
			wl_f_uint(r->m, "dcerpc.request_in", r->call->frame);
	}
	const char *op = iface && r->pipe->iface == SRVSVC ? wl_tok(srvsvc_ops, opnum, NULL) : NULL;
	if (type == PT_REQUEST) {
		if (r->call) {
			r->call->have = 1;
			r->call->opnum = opnum;
		}
		if (op)
			wl_note(r->m, WL_INFO, "DCE/RPC request: %s %s (opnum %u)%s", iface, op, opnum,
				opnum == 15 ? ", the list of shares" : "");
		else
			wl_note(r->m, WL_INFO, "DCE/RPC request: %s opnum %u", iface ? iface : "interface",
				opnum);
		wl_snprintf(r->text, sizeof r->text, " %s", op ? op : "request");
		if (op && opnum == 15 && r->verbose)
			srvsvc_enum_request(r, body);
		lsa_handle(r, 1, opnum, body);
		lsa_stub(r, 1, opnum, body);
		return;
	}
	if (type == PT_FAULT) {
		uint32_t status = wl_le32(&body);
		wl_note(r->m, WL_WARN, "DCE/RPC fault 0x%08x%s%s", status, op ? " for " : "", op ? op : "");
		return;
	}
	if (known) {
		lsa_handle(r, 0, opnum, body);
		lsa_stub(r, 0, opnum, body);
	}
	if (op && opnum == 15)
		srvsvc_enum_response(r, body);
	else if (known && op)
		wl_note(r->m, WL_INFO, "DCE/RPC response to %s %s", iface, op);
	else if (known)
		wl_note(r->m, WL_INFO, "DCE/RPC response to %s opnum %u", iface ? iface : "interface",
			opnum);
	else
		wl_note(r->m, WL_INFO, "DCE/RPC response; its request is not in the capture");
}
