/* smb_rpc.h - DCE/RPC over an SMB named pipe (the PDUs an IOCTL
 * FSCTL_PIPE_TRANSCEIVE carries), and the srvsvc calls a share listing uses. */
#ifndef WL_SMB_RPC_H
#define WL_SMB_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "wl.h"

/* What the pipe's PDUs say that a later one needs: kept by the caller per
 * pipe (file id) and per call (its request). */
#define SMB_RPC_HANDLES 4       /* policy handles remembered per pipe */

struct smb_rpc_pipe {
	uint8_t iface;           /* the bound interface (smb_rpc_iface_name), 0 unknown */
	uint8_t handle_next;
	struct {
		uint8_t h[20];       /* a policy handle a response returned ... */
		uint64_t frame;      /* ... in this frame (0: the slot is free) */
	} handle[SMB_RPC_HANDLES];
};

struct smb_rpc_call {
	uint8_t have;            /* a request was seen */
	uint16_t opnum;
	uint64_t frame;          /* of the request */
	int64_t ts;
};

struct smb_rpc {
	struct wl_msg *m;
	int verbose;             /* the header and NDR fields (dcerpc.*, srvsvc.*) */
	struct smb_rpc_pipe *pipe;   /* or NULL */
	struct smb_rpc_call *call;   /* the request's record: written by a request, read by its response */
	int64_t now;             /* this message's time */
	uint64_t frame;          /* ... and frame */
	char text[96];           /* out: a few words for the message's line */
};

/* One DCE/RPC connection-oriented PDU (C706 §12.6), pdu being all of it. */
void smb_rpc_pdu(struct smb_rpc *r, struct wl_cur pdu);

/* The interface's name ("srvsvc"), or NULL. */
const char *smb_rpc_iface_name(uint8_t iface);

#endif
