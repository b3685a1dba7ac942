/* smb2_ctx.h - SMB2 create contexts and leases in tshark's detail (-v):
 * the chain's elements ([MS-SMB2] §2.2.13.2, §2.2.14.2), the lease request
 * and response (RqLs, v1 and v2), the maximal-access answer (MxAc), the
 * on-disk id (QFid), Apple's AAPL server query, and the lease break
 * notification (§2.2.23.2). smb.c keeps the default fields of the chain
 * (a durable handle's file id, the maximal access); these read it again. */
#ifndef WL_SMB2_CTX_H
#define WL_SMB2_CTX_H

#include <stddef.h>
#include <stdint.h>

#include "wl.h"

#define SMB2_CTX_MAX 32       /* create contexts read per message */

/* A GUID as Windows writes it (the first three groups little-endian). */
void smb2_guid_str(const uint8_t *g, char *out, size_t cap);

/* One bit of a flags word, as its own boolean field (tshark's bitmask
 * items); a table of them ends with a NULL name. */
struct smb_bit {
	uint64_t mask;
	const char *name;
};
void smb_f_bits(struct wl_msg *m, uint64_t v, const struct smb_bit *b);

/* The -v fields of a chain of create contexts, all being the chain's bytes
 * (a request's or a response's, resp says which). Stops at the first element
 * that does not fit; the default path (smb.c) notes why. */
void smb2_ctx_chain_v(struct wl_msg *m, struct wl_cur all, int resp);

/* The -v fields of a lease break notification's body after its
 * structure size (§2.2.23.2, 42 bytes). */
void smb2_lease_break_v(struct wl_msg *m, struct wl_cur body);

/* Their entries in the dissector's field table. */
#define SMB2_CTX_FIELDS \
	{ "smb2.create.chain_offset", WL_FT_HEX, "Chain Offset" }, \
	{ "smb2.tag", WL_FT_STR, "Tag" }, \
	{ "smb2.mxac_status", WL_FT_HEX, "Query Status" }, \
	{ "smb2.qfid_fid", WL_FT_BYTES, "Opaque File ID" }, \
	{ "smb2.lease.lease_key", WL_FT_STR, "Lease Key" }, \
	{ "smb2.lease.lease_state", WL_FT_HEX, "Lease State" }, \
	{ "smb2.lease.lease_state.read_caching", WL_FT_BOOL, "Read Caching" }, \
	{ "smb2.lease.lease_state.handle_caching", WL_FT_BOOL, "Handle Caching" }, \
	{ "smb2.lease.lease_state.write_caching", WL_FT_BOOL, "Write Caching" }, \
	{ "smb2.lease.lease_flags", WL_FT_HEX, "Lease Flags" }, \
	{ "smb2.lease.lease_state.break_ack_required", WL_FT_BOOL, "Break Ack Required" }, \
	{ "smb2.lease.lease_state.break_in_progress", WL_FT_BOOL, "Break In Progress" }, \
	{ "smb2.lease.lease_state.parent_lease_key_set", WL_FT_BOOL, "Parent Lease Key Set" }, \
	{ "smb2.lease.lease_duration", WL_FT_HEX, "Lease Duration" }, \
	{ "smb2.lease.parent_lease_key", WL_FT_STR, "Parent Lease Key" }, \
	{ "smb2.lease.lease_oplock", WL_FT_HEX, "Lease Epoch" }, \
	{ "smb2.lease.lease_reserved", WL_FT_HEX, "Lease Reserved" }, \
	{ "smb2.lease.lease_break_reason", WL_FT_HEX, "Lease Break Reason" }, \
	{ "smb2.lease.access_mask_hint", WL_FT_HEX, "Access Mask Hint" }, \
	{ "smb2.lease.share_mask_hint", WL_FT_HEX, "Share Mask Hint" }, \
	{ "smb2.aapl.command_code", WL_FT_UINT, "AAPL Command Code" }, \
	{ "smb2.aapl.reserved", WL_FT_HEX, "AAPL Reserved" }, \
	{ "smb2.aapl.query_bitmask", WL_FT_HEX, "AAPL Query Bitmask" }, \
	{ "smb2.aapl.bitmask.server_caps", WL_FT_BOOL, "Server capabilities" }, \
	{ "smb2.aapl.bitmask.volume_caps", WL_FT_BOOL, "Volume capabilities" }, \
	{ "smb2.aapl.bitmask.model_info", WL_FT_BOOL, "Model information" }, \
	{ "smb2.aapl.caps", WL_FT_HEX, "Client/Server capabilities" }, \
	{ "smb2.aapl.caps.supports_read_dir_addr", WL_FT_BOOL, "Supports READDIRATTR" }, \
	{ "smb2.aapl.caps.supports_osx_copyfile", WL_FT_BOOL, "Supports macOS copyfile" }, \
	{ "smb2.aapl.caps.unix_based", WL_FT_BOOL, "UNIX-based" }, \
	{ "smb2.aapl.supports_nfs_ace", WL_FT_BOOL, "Supports NFS ACE" },

#endif
