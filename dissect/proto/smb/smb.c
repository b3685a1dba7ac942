/* smb.c - SMB over TCP: NetBIOS session framing, SMB1 (negotiate and the
 * AndX chain), SMB2/3 with NTLMSSP login in SPNEGO, and the SMB3 transform.
 *
 * Specs: RFC 1002 §4.3 (NetBIOS session service), [MS-SMB2] (SMB 2 and 3),
 * [MS-CIFS]/[MS-SMB] (SMB1), RFC 4178 (SPNEGO; the NTLMSSP inside it is
 * dissect/proto/ntlmssp),
 * [MS-ERREF] §2.3 (NTSTATUS), [MS-FSCC] (FSCTLs, directory entries).
 *
 * NetBIOS session service / direct TCP (port 445: type 0, 24-bit length):
 *   +--------+--------+--------+--------+
 *   |  type  |    length (17 or 24 bits)|  then length bytes of SMB
 *   +--------+--------+--------+--------+
 *
 * SMB2 header (64 bytes, little-endian):
 *   0                   1                   2                   3
 *   +-------+-------+-------+-------+-------+-------+-------+-------+
 *   | 0xFE 'S' 'M' 'B'              | size = 64     | credit charge |
 *   | NT status (response) / channel sequence (request)             |
 *   | command       | credits req/granted | flags                   |
 *   | next command (offset of the next chained header, or 0)        |
 *   | message id (8)                                                |
 *   | process id (4) | tree id (4)  -- or async id (8) when ASYNC   |
 *   | session id (8)                                                |
 *   | signature (16)                                                |
 *   +-------+-------+-------+-------+-------+-------+-------+-------+
 *
 * SMB3 transform header (0xFD 'SMB', 52 bytes): signature (16), nonce (16),
 * original message size (4), reserved (2), flags (2), session id (8), then
 * the encrypted SMB2 message. SMB1 header (0xFF 'SMB', 32 bytes): command,
 * status, flags, flags2, pid high, signature, tid, pid, uid, mid; then a word
 * count, words, a byte count and bytes.
 *
 * Offsets inside SMB2 bodies count from the start of the SMB2 header. Every
 * one is checked against its container: one that points outside becomes a note.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlmssp.h"
#include "smb2_ctx.h"
#include "smb3crypt.h"
#include "smb_rpc.h"
#include "wl.h"

extern const struct wl_dissector wl_dissector_smb;

#define SMB_PEND 64          /* outstanding SMB2 requests paired by message id */
#define SMB_TREES 256        /* (server, session, tree id) -> share path, for all connections */
#define SMB_SESSIONS 64      /* (server, session id) -> keys, for all connections */
#define SMB_KEYS 8           /* --smb-key SESSIONID:KEY entries */
#define SMB1_TREES 16        /* SMB1 tree id -> share path, per connection as tshark keeps them */
#define SMB1_PEND 0x100      /* pend_add's cmd for an SMB1 command: apart from SMB2's */
#define SMB_FIDS 32          /* file id -> name, for READ/WRITE/CLOSE lines */
#define SMB_NAME 256         /* bytes kept of a path or file name (UTF-8) */
#define SMB_BIG (1u << 20)   /* PDUs larger than this are dissected at their head */
#define SMB_HEAD 4096        /* bytes of a big PDU needed to dissect its head */
#define SMB_CHAIN_MAX 64     /* chained SMB2 messages or AndX blocks per PDU */
#define SMB_TEXT 320

enum { NB_MSG = 0x00, NB_REQ = 0x81, NB_POS = 0x82, NB_NEG = 0x83, NB_RETARGET = 0x84, NB_KEEPALIVE = 0x85 };

enum {
	F_RESPONSE = 0x1, F_ASYNC = 0x2, F_RELATED = 0x4, F_SIGNED = 0x8,
	F_DFS = 0x10000000, F_REPLAY = 0x20000000,
};

enum {
	C_NEGOTIATE, C_SESSION_SETUP, C_LOGOFF, C_TREE_CONNECT, C_TREE_DISCONNECT, C_CREATE,
	C_CLOSE, C_FLUSH, C_READ, C_WRITE, C_LOCK, C_IOCTL, C_CANCEL, C_ECHO, C_QUERY_DIRECTORY,
	C_CHANGE_NOTIFY, C_QUERY_INFO, C_SET_INFO, C_OPLOCK_BREAK, C_NOTIFICATION,
};

enum {
	ST_SUCCESS = 0, ST_PENDING = 0x103, ST_NOTIFY_ENUM_DIR = 0x10c, ST_BUFFER_OVERFLOW = 0x80000005,
	ST_NO_MORE_FILES = 0x80000006, ST_MORE_PROCESSING = 0xc0000016,
	ST_LOGON_FAILURE = 0xc000006d,
};

struct smb_pend {
	uint8_t used;
	uint8_t klass;           /* QUERY_DIRECTORY / QUERY_INFO information class */
	uint8_t itype;           /* QUERY_INFO info type */
	uint16_t cmd;
	uint32_t ctl;            /* IOCTL code */
	uint64_t mid, sesid;
	uint64_t frame;
	int64_t ts;
	uint32_t smb1_access;    /* an NT CREATE_ANDX's desired access */
	uint16_t smb1_fid;       /* an SMB1 request's file id ... */
	uint8_t smb1_fid_seen;   /* ... when it named one: its response shows it too */
	struct smb_rpc_call rpc; /* IOCTL on a pipe: the DCE/RPC request */
	char name[SMB_NAME];     /* tree path, file name or search pattern */
};

/* A server: its address and port. Sessions and trees belong to the server,
 * not to the connection: SMB 3 multichannel binds one session to several
 * connections, and a client may open a new connection for a tree. */
struct smb_srv {
	uint8_t addr[16];
	uint16_t port;
};

struct smb_tree {
	uint8_t used;
	uint8_t share_type;
	struct smb_srv srv;
	uint32_t tid;
	uint64_t sesid;
	uint64_t frame;          /* of the TREE_CONNECT response (smb2.tcon_frame) */
	char name[SMB_NAME];
};

/* A session whose keys are known: from the NT password and its captured
 * login, or from --smb-key. */
struct smb_sess {
	uint8_t used;
	uint8_t keyed;           /* k holds its keys */
	uint8_t confirmed;       /* the login succeeded (its response was seen) */
	char acct[WL_NTLMSSP_NAME], domain[WL_NTLMSSP_NAME], host[WL_NTLMSSP_NAME];  /* smb2.acct ... (-v) */
	struct smb_srv srv;
	uint64_t sesid;
	uint64_t auth_frame;
	const char *key_from;    /* "the NT password", "--smb-key" */
	struct smb3_keys k;
};

/* What every SMB connection of one engine shares (wl_engine_shared). */
struct smb_shared {
	int opts_read;
	int have_nt_hash;
	uint8_t nt_hash[16];
	unsigned nkeys;
	struct {
		uint64_t sesid;
		uint8_t key[16];
	} keys[SMB_KEYS];
	struct smb_sess sess[SMB_SESSIONS];
	unsigned sess_next;
	struct smb_tree *tree;
	unsigned tree_cap, tree_next;
};

/* The transform whose plaintext is being dissected: its fields go on the
 * first message inside it. */
struct smb_xf {
	const uint8_t *hdr;      /* the 52-byte transform header */
	const struct smb_sess *sess;
	int done;
	int first;               /* the connection's first transform */
};

struct smb_fid {
	uint8_t used;
	uint8_t smb1;            /* an SMB1 file: id holds its tid and fid */
	uint8_t unnamed;         /* ... opened without its request's name */
	uint32_t access;         /* ... and the access it asked for */
	uint8_t id[16];
	uint64_t open_frame;     /* of the CREATE response */
	struct smb_rpc_pipe rpc; /* a named pipe's DCE/RPC binding */
	char name[SMB_NAME];
};

/* The tables grow on demand up to their caps: most connections use a handful
 * of entries, and a flow's state is made for every SMB connection seen. */
struct smb_state {
	struct smb_shared *sh;   /* NULL when the engine has no room for it */
	struct smb_pend *pend;
	struct smb_fid *fid;
	struct smb_tree *tree1;  /* SMB1's trees: tids belong to the connection */
	unsigned tree1_cap, tree1_next;
	unsigned pend_cap, fid_cap;
	unsigned pend_next, fid_next;
	struct smb_srv srv;
	struct smb_xf *xf;
	uint32_t nb_len;         /* the NetBIOS length of the PDU, for its first message */
	uint8_t nb_pending;
	uint8_t crypto;          /* a password or key was given: hash the handshake */
	uint16_t dialect, cipher, signing;
	uint8_t conn_hash[64];   /* 3.1.1 pre-authentication hash after NEGOTIATE */
	uint8_t setup_hash[64];  /* ... and through the SESSION_SETUPs of the login under way */
	uint64_t setup_sesid;
	uint8_t setup_active;
	uint8_t have_challenge;
	uint8_t challenge[8];
	uint64_t skip[2];        /* bytes of an oversized PDU still to pass over */
	uint8_t lost[2];         /* framing lost: look for the next SMB header */
	uint8_t smb1_offered_smb2;
	uint8_t encrypted_noted;
	uint8_t nsmb1_dialects;
	char smb1_dialect[12][24];
};

/* ------------------------------------------------------------------ tables */

static const struct wl_tok nt_status_names[] = {
	{ 0x00000000, "STATUS_SUCCESS" },
	{ 0x00000103, "STATUS_PENDING" },
	{ 0x00000104, "STATUS_REPARSE" },
	{ 0x0000010b, "STATUS_NOTIFY_CLEANUP" },
	{ 0x0000010c, "STATUS_NOTIFY_ENUM_DIR" },
	{ 0x80000005, "STATUS_BUFFER_OVERFLOW" },
	{ 0x80000006, "STATUS_NO_MORE_FILES" },
	{ 0x8000001a, "STATUS_NO_MORE_ENTRIES" },
	{ 0x8000002d, "STATUS_STOPPED_ON_SYMLINK" },
	{ 0xc0000001, "STATUS_UNSUCCESSFUL" },
	{ 0xc0000002, "STATUS_NOT_IMPLEMENTED" },
	{ 0xc0000003, "STATUS_INVALID_INFO_CLASS" },
	{ 0xc0000004, "STATUS_INFO_LENGTH_MISMATCH" },
	{ 0xc0000005, "STATUS_ACCESS_VIOLATION" },
	{ 0xc0000008, "STATUS_INVALID_HANDLE" },
	{ 0xc000000d, "STATUS_INVALID_PARAMETER" },
	{ 0xc000000e, "STATUS_NO_SUCH_DEVICE" },
	{ 0xc000000f, "STATUS_NO_SUCH_FILE" },
	{ 0xc0000010, "STATUS_INVALID_DEVICE_REQUEST" },
	{ 0xc0000011, "STATUS_END_OF_FILE" },
	{ 0xc0000016, "STATUS_MORE_PROCESSING_REQUIRED" },
	{ 0xc0000017, "STATUS_NO_MEMORY" },
	{ 0xc0000022, "STATUS_ACCESS_DENIED" },
	{ 0xc0000023, "STATUS_BUFFER_TOO_SMALL" },
	{ 0xc0000024, "STATUS_OBJECT_TYPE_MISMATCH" },
	{ 0xc0000033, "STATUS_OBJECT_NAME_INVALID" },
	{ 0xc0000034, "STATUS_OBJECT_NAME_NOT_FOUND" },
	{ 0xc0000035, "STATUS_OBJECT_NAME_COLLISION" },
	{ 0xc0000039, "STATUS_OBJECT_PATH_INVALID" },
	{ 0xc000003a, "STATUS_OBJECT_PATH_NOT_FOUND" },
	{ 0xc000003b, "STATUS_OBJECT_PATH_SYNTAX_BAD" },
	{ 0xc0000043, "STATUS_SHARING_VIOLATION" },
	{ 0xc0000044, "STATUS_QUOTA_EXCEEDED" },
	{ 0xc000004f, "STATUS_EAS_NOT_SUPPORTED" },
	{ 0xc0000054, "STATUS_FILE_LOCK_CONFLICT" },
	{ 0xc0000055, "STATUS_LOCK_NOT_GRANTED" },
	{ 0xc0000056, "STATUS_DELETE_PENDING" },
	{ 0xc000005e, "STATUS_NO_LOGON_SERVERS" },
	{ 0xc000005f, "STATUS_NO_SUCH_LOGON_SESSION" },
	{ 0xc0000061, "STATUS_PRIVILEGE_NOT_HELD" },
	{ 0xc0000062, "STATUS_INVALID_ACCOUNT_NAME" },
	{ 0xc0000064, "STATUS_NO_SUCH_USER" },
	{ 0xc000006a, "STATUS_WRONG_PASSWORD" },
	{ 0xc000006c, "STATUS_PASSWORD_RESTRICTION" },
	{ 0xc000006d, "STATUS_LOGON_FAILURE" },
	{ 0xc000006e, "STATUS_ACCOUNT_RESTRICTION" },
	{ 0xc000006f, "STATUS_INVALID_LOGON_HOURS" },
	{ 0xc0000070, "STATUS_INVALID_WORKSTATION" },
	{ 0xc0000071, "STATUS_PASSWORD_EXPIRED" },
	{ 0xc0000072, "STATUS_ACCOUNT_DISABLED" },
	{ 0xc000007f, "STATUS_DISK_FULL" },
	{ 0xc000009a, "STATUS_INSUFFICIENT_RESOURCES" },
	{ 0xc00000ac, "STATUS_PIPE_NOT_AVAILABLE" },
	{ 0xc00000ad, "STATUS_INVALID_PIPE_STATE" },
	{ 0xc00000ae, "STATUS_PIPE_BUSY" },
	{ 0xc00000b0, "STATUS_PIPE_DISCONNECTED" },
	{ 0xc00000b1, "STATUS_PIPE_CLOSING" },
	{ 0xc00000b5, "STATUS_IO_TIMEOUT" },
	{ 0xc00000ba, "STATUS_FILE_IS_A_DIRECTORY" },
	{ 0xc00000bb, "STATUS_NOT_SUPPORTED" },
	{ 0xc00000be, "STATUS_BAD_NETWORK_PATH" },
	{ 0xc00000bf, "STATUS_NETWORK_BUSY" },
	{ 0xc00000c3, "STATUS_INVALID_NETWORK_RESPONSE" },
	{ 0xc00000c4, "STATUS_UNEXPECTED_NETWORK_ERROR" },
	{ 0xc00000c9, "STATUS_NETWORK_NAME_DELETED" },
	{ 0xc00000ca, "STATUS_NETWORK_ACCESS_DENIED" },
	{ 0xc00000cb, "STATUS_BAD_DEVICE_TYPE" },
	{ 0xc00000cc, "STATUS_BAD_NETWORK_NAME" },
	{ 0xc00000d0, "STATUS_REQUEST_NOT_ACCEPTED" },
	{ 0xc00000d4, "STATUS_NOT_SAME_DEVICE" },
	{ 0xc00000e5, "STATUS_INTERNAL_ERROR" },
	{ 0xc0000101, "STATUS_DIRECTORY_NOT_EMPTY" },
	{ 0xc0000103, "STATUS_NOT_A_DIRECTORY" },
	{ 0xc0000120, "STATUS_CANCELLED" },
	{ 0xc0000121, "STATUS_CANNOT_DELETE" },
	{ 0xc0000128, "STATUS_FILE_CLOSED" },
	{ 0xc000014b, "STATUS_PIPE_BROKEN" },
	{ 0xc000015b, "STATUS_LOGON_TYPE_NOT_GRANTED" },
	{ 0xc0000184, "STATUS_INVALID_DEVICE_STATE" },
	{ 0xc000018d, "STATUS_TRUSTED_RELATIONSHIP_FAILURE" },
	{ 0xc0000190, "STATUS_TRUST_FAILURE" },
	{ 0xc0000193, "STATUS_ACCOUNT_EXPIRED" },
	{ 0xc000019c, "STATUS_FS_DRIVER_REQUIRED" },
	{ 0xc0000203, "STATUS_USER_SESSION_DELETED" },
	{ 0xc0000205, "STATUS_INSUFF_SERVER_RESOURCES" },
	{ 0xc000020c, "STATUS_CONNECTION_DISCONNECTED" },
	{ 0xc000020d, "STATUS_CONNECTION_RESET" },
	{ 0xc0000224, "STATUS_PASSWORD_MUST_CHANGE" },
	{ 0xc0000225, "STATUS_NOT_FOUND" },
	{ 0xc0000234, "STATUS_ACCOUNT_LOCKED_OUT" },
	{ 0xc0000236, "STATUS_CONNECTION_REFUSED" },
	{ 0xc0000257, "STATUS_PATH_NOT_COVERED" },
	{ 0xc0000275, "STATUS_NOT_A_REPARSE_POINT" },
	{ 0xc0000279, "STATUS_IO_REPARSE_TAG_NOT_HANDLED" },
	{ 0xc000035c, "STATUS_NETWORK_SESSION_EXPIRED" },
	{ 0xc0000466, "STATUS_SERVER_UNAVAILABLE" },
	{ 0xc000a000, "STATUS_INVALID_SIGNATURE" },
	{ 0, NULL },
};

/* Why a status matters, for the teaching note of a failed response. */
static const struct wl_tok nt_status_why[] = {
	{ 0xc000006d, "login failed: unknown user or wrong password" },
	{ 0xc000006a, "login failed: wrong password" },
	{ 0xc0000064, "login failed: no such user" },
	{ 0xc0000072, "login failed: the account is disabled" },
	{ 0xc0000234, "login failed: the account is locked out" },
	{ 0xc0000071, "login failed: the password has expired" },
	{ 0xc0000022, "the server refuses this operation to this user (access denied)" },
	{ 0xc00000cc, "no share by that name on this server" },
	{ 0xc0000034, "no file by that name" },
	{ 0xc000003a, "a folder on the path does not exist" },
	{ 0xc0000225, "not found (a DFS referral on a server without DFS fails like this)" },
	{ 0xc0000043, "the file is open elsewhere in a conflicting way" },
	{ 0xc00000ba, "the name is a folder, not a file" },
	{ 0xc0000103, "the name is a file, not a folder" },
	{ 0xc0000035, "a file by that name already exists" },
	{ 0xc00000bb, "the server does not support this request" },
	{ 0xc0000010, "the server does not support this request on this handle" },
	{ 0xc000000d, "the server finds a parameter of the request invalid" },
	{ 0xc0000203, "the session is gone (logged off or expired)" },
	{ 0xc000035c, "the session has expired: the client must log in again" },
	{ 0xc000a000, "a signature did not verify" },
	{ 0, NULL },
};

struct smb2_cmd_info {
	const char *name, *req, *resp;
};

static const struct smb2_cmd_info smb2_cmds[] = {
	[C_NEGOTIATE] = { "NEGOTIATE", "NEGOTIATE request", "NEGOTIATE response" },
	[C_SESSION_SETUP] = { "SESSION_SETUP", "SESSION_SETUP request", "SESSION_SETUP response" },
	[C_LOGOFF] = { "LOGOFF", "LOGOFF request", "LOGOFF response" },
	[C_TREE_CONNECT] = { "TREE_CONNECT", "TREE_CONNECT request", "TREE_CONNECT response" },
	[C_TREE_DISCONNECT] = { "TREE_DISCONNECT", "TREE_DISCONNECT request", "TREE_DISCONNECT response" },
	[C_CREATE] = { "CREATE", "CREATE request", "CREATE response" },
	[C_CLOSE] = { "CLOSE", "CLOSE request", "CLOSE response" },
	[C_FLUSH] = { "FLUSH", "FLUSH request", "FLUSH response" },
	[C_READ] = { "READ", "READ request", "READ response" },
	[C_WRITE] = { "WRITE", "WRITE request", "WRITE response" },
	[C_LOCK] = { "LOCK", "LOCK request", "LOCK response" },
	[C_IOCTL] = { "IOCTL", "IOCTL request", "IOCTL response" },
	[C_CANCEL] = { "CANCEL", "CANCEL request", "CANCEL response" },
	[C_ECHO] = { "ECHO", "ECHO request", "ECHO response" },
	[C_QUERY_DIRECTORY] = { "QUERY_DIRECTORY", "QUERY_DIRECTORY request", "QUERY_DIRECTORY response" },
	[C_CHANGE_NOTIFY] = { "CHANGE_NOTIFY", "CHANGE_NOTIFY request", "CHANGE_NOTIFY response" },
	[C_QUERY_INFO] = { "QUERY_INFO", "QUERY_INFO request", "QUERY_INFO response" },
	[C_SET_INFO] = { "SET_INFO", "SET_INFO request", "SET_INFO response" },
	[C_OPLOCK_BREAK] = { "OPLOCK_BREAK", "OPLOCK_BREAK request", "OPLOCK_BREAK response" },
	[C_NOTIFICATION] = { "SERVER_TO_CLIENT_NOTIFICATION", "NOTIFICATION request", "NOTIFICATION response" },
};
#define SMB2_NCMDS (sizeof smb2_cmds / sizeof smb2_cmds[0])

static const struct wl_tok dialect_names[] = {
	{ 0x0202, "SMB 2.0.2" }, { 0x0210, "SMB 2.1" }, { 0x0222, "SMB 2.2.2" },
	{ 0x0224, "SMB 2.2.4" }, { 0x02ff, "SMB 2.???" }, { 0x0300, "SMB 3.0" },
	{ 0x0302, "SMB 3.0.2" }, { 0x0310, "SMB 3.1.0" }, { 0x0311, "SMB 3.1.1" },
	{ 0, NULL },
};

static const struct wl_tok cipher_names[] = {
	{ 1, "AES-128-CCM" }, { 2, "AES-128-GCM" }, { 3, "AES-256-CCM" }, { 4, "AES-256-GCM" },
	{ 0, NULL },
};

static const struct wl_tok signing_names[] = {
	{ 0, "HMAC-SHA256" }, { 1, "AES-CMAC" }, { 2, "AES-GMAC" }, { 0, NULL },
};

static const struct wl_tok ctx_names[] = {
	{ 1, "preauth integrity" }, { 2, "encryption" }, { 3, "compression" },
	{ 5, "netname" }, { 6, "transport" }, { 7, "RDMA transform" }, { 8, "signing" },
	{ 0x100, "POSIX extensions" }, { 0, NULL },
};

static const struct wl_tok share_types[] = {
	{ 1, "disk" }, { 2, "named pipe" }, { 3, "printer" }, { 0, NULL },
};

static const struct wl_tok dispositions[] = {
	{ 0, "FILE_SUPERSEDE" }, { 1, "FILE_OPEN" }, { 2, "FILE_CREATE" },
	{ 3, "FILE_OPEN_IF" }, { 4, "FILE_OVERWRITE" }, { 5, "FILE_OVERWRITE_IF" }, { 0, NULL },
};

static const struct wl_tok create_actions[] = {
	{ 0, "superseded" }, { 1, "opened" }, { 2, "created" }, { 3, "overwritten" }, { 0, NULL },
};

static const struct wl_tok fsctl_names[] = {
	{ 0x00060194, "FSCTL_DFS_GET_REFERRALS" },
	{ 0x000601b0, "FSCTL_DFS_GET_REFERRALS_EX" },
	{ 0x00140204, "FSCTL_VALIDATE_NEGOTIATE_INFO" },
	{ 0x0011c017, "FSCTL_PIPE_TRANSCEIVE" },
	{ 0x00110018, "FSCTL_PIPE_WAIT" },
	{ 0x0011400c, "FSCTL_PIPE_PEEK" },
	{ 0x001401fc, "FSCTL_QUERY_NETWORK_INTERFACE_INFO" },
	{ 0x00144064, "FSCTL_SRV_ENUMERATE_SNAPSHOTS" },
	{ 0x00140078, "FSCTL_SRV_REQUEST_RESUME_KEY" },
	{ 0x001440f2, "FSCTL_SRV_COPYCHUNK" },
	{ 0x001480f2, "FSCTL_SRV_COPYCHUNK_WRITE" },
	{ 0x001441bb, "FSCTL_SRV_READ_HASH" },
	{ 0x001401d4, "FSCTL_LMR_REQUEST_RESILIENCY" },
	{ 0x000900a4, "FSCTL_SET_REPARSE_POINT" },
	{ 0x000900a8, "FSCTL_GET_REPARSE_POINT" },
	{ 0x000900c0, "FSCTL_CREATE_OR_GET_OBJECT_ID" },
	{ 0x000900c4, "FSCTL_SET_SPARSE" },
	{ 0x000980c8, "FSCTL_SET_ZERO_DATA" },
	{ 0x000940cf, "FSCTL_QUERY_ALLOCATED_RANGES" },
	{ 0x00098208, "FSCTL_FILE_LEVEL_TRIM" },
	{ 0x0009027c, "FSCTL_GET_INTEGRITY_INFORMATION" },
	{ 0x0009c280, "FSCTL_SET_INTEGRITY_INFORMATION" },
	{ 0x00094264, "FSCTL_OFFLOAD_READ" },
	{ 0x00098344, "FSCTL_DUPLICATE_EXTENTS_TO_FILE" },
	{ 0x00090284, "FSCTL_QUERY_FILE_REGIONS" },
	{ 0, NULL },
};

static const struct wl_tok smb1_cmds[] = {
	{ 0x00, "Create Directory" }, { 0x01, "Delete Directory" }, { 0x02, "Open" },
	{ 0x03, "Create" }, { 0x04, "Close" }, { 0x05, "Flush" }, { 0x06, "Delete" },
	{ 0x07, "Rename" }, { 0x08, "Query Information" }, { 0x0a, "Read" }, { 0x0b, "Write" },
	{ 0x10, "Check Directory" }, { 0x24, "Locking AndX" }, { 0x25, "Trans" },
	{ 0x2b, "Echo" }, { 0x2d, "Open AndX" }, { 0x2e, "Read AndX" }, { 0x2f, "Write AndX" },
	{ 0x32, "Trans2" }, { 0x34, "Find Close2" }, { 0x71, "Tree Disconnect" },
	{ 0x72, "Negotiate Protocol" }, { 0x73, "Session Setup AndX" }, { 0x74, "Logoff AndX" },
	{ 0x75, "Tree Connect AndX" }, { 0xa0, "NT Trans" }, { 0xa2, "NT Create AndX" },
	{ 0xa4, "NT Cancel" }, { 0, NULL },
};

/* The AndX commands: their first words are the next command and its offset. */
static int smb1_is_andx(uint8_t cmd)
{
	static const uint8_t andx[] = { 0x24, 0x2d, 0x2e, 0x2f, 0x73, 0x74, 0x75, 0xa2 };
	for (size_t i = 0; i < sizeof andx; i++)
		if (andx[i] == cmd)
			return 1;
	return 0;
}

/* Emitted only with -v; a filter or -e that names one turns it on. */
static const struct wl_field_info smb_fields_verbose[] = {
	{ "dcerpc.nt.open_frame", WL_FT_UINT, "Frame that opened the pipe (its CREATE) or the policy handle" },
	{ "dcerpc.ver", WL_FT_UINT, "DCE/RPC version" },
	{ "dcerpc.ver_minor", WL_FT_UINT, "DCE/RPC minor version" },
	{ "dcerpc.pkt_type", WL_FT_UINT, "PDU type (0 request, 2 response, 3 fault, 11 bind, 12 bind_ack)" },
	{ "dcerpc.cn_flags", WL_FT_HEX, "PDU flags" },
	{ "dcerpc.cn_flags.first_frag", WL_FT_BOOL, "first_frag" },
	{ "dcerpc.cn_flags.last_frag", WL_FT_BOOL, "last_frag" },
	{ "dcerpc.cn_flags.cancel_pending", WL_FT_BOOL, "cancel_pending" },
	{ "dcerpc.cn_flags.reserved", WL_FT_BOOL, "reserved" },
	{ "dcerpc.cn_flags.mpx", WL_FT_BOOL, "mpx" },
	{ "dcerpc.cn_flags.dne", WL_FT_BOOL, "dne" },
	{ "dcerpc.cn_flags.maybe", WL_FT_BOOL, "maybe" },
	{ "dcerpc.cn_flags.object", WL_FT_BOOL, "object" },
	{ "dcerpc.drep", WL_FT_BYTES, "Data representation" },
	{ "dcerpc.drep.byteorder", WL_FT_UINT, "Byte order (1 little-endian)" },
	{ "dcerpc.drep.character", WL_FT_UINT, "Character set (0 ASCII)" },
	{ "dcerpc.drep.fp", WL_FT_UINT, "Floating point (0 IEEE)" },
	{ "dcerpc.cn_frag_len", WL_FT_UINT, "Fragment length" },
	{ "dcerpc.cn_auth_len", WL_FT_UINT, "Auth length" },
	{ "dcerpc.cn_call_id", WL_FT_UINT, "Call id" },
	{ "dcerpc.cn_max_xmit", WL_FT_UINT, "Max transmit fragment" },
	{ "dcerpc.cn_max_recv", WL_FT_UINT, "Max receive fragment" },
	{ "dcerpc.cn_assoc_group", WL_FT_HEX, "Association group" },
	{ "dcerpc.cn_num_ctx_items", WL_FT_UINT, "Context items" },
	{ "dcerpc.cn_ctx_id", WL_FT_UINT, "Context id" },
	{ "dcerpc.cn_num_trans_items", WL_FT_UINT, "Transfer syntaxes" },
	{ "dcerpc.cn_bind_to_uuid", WL_FT_STR, "Interface UUID" },
	{ "dcerpc.cn_bind_if_ver", WL_FT_UINT, "Interface version" },
	{ "dcerpc.cn_bind_if_ver_minor", WL_FT_UINT, "Interface minor version" },
	{ "dcerpc.cn_bind_trans_id", WL_FT_STR, "Transfer syntax UUID" },
	{ "dcerpc.cn_bind_trans_ver", WL_FT_UINT, "Transfer syntax version" },
	{ "dcerpc.cn_sec_addr_len", WL_FT_UINT, "Secondary address length" },
	{ "dcerpc.cn_sec_addr", WL_FT_STR, "Secondary address (the server's pipe or port)" },
	{ "dcerpc.cn_num_results", WL_FT_UINT, "Results" },
	{ "dcerpc.cn_ack_result", WL_FT_UINT, "Bind result (0 acceptance)" },
	{ "dcerpc.cn_ack_trans_id", WL_FT_STR, "Accepted transfer syntax" },
	{ "dcerpc.cn_ack_trans_ver", WL_FT_UINT, "Accepted transfer syntax version" },
	{ "dcerpc.cn_alloc_hint", WL_FT_UINT, "Allocation hint" },
	{ "dcerpc.cn_cancel_count", WL_FT_UINT, "Cancel count" },
	{ "dcerpc.opnum", WL_FT_UINT, "Operation number" },
	{ "dcerpc.request_in", WL_FT_UINT, "Frame of the request" },
	{ "dcerpc.time", WL_FT_DOUBLE, "Seconds since the request" },
	{ "dcerpc.referent_id", WL_FT_HEX, "NDR pointer referent id" },
	{ "dcerpc.null_pointer", WL_FT_BYTES, "NDR NULL pointer" },
	{ "dcerpc.array.max_count", WL_FT_UINT, "NDR array max count" },
	{ "dcerpc.array.offset", WL_FT_UINT, "NDR array offset" },
	{ "dcerpc.array.actual_count", WL_FT_UINT, "NDR array actual count" },
	{ "srvsvc.opnum", WL_FT_UINT, "srvsvc operation (15 NetShareEnumAll)" },
	{ "srvsvc.srvsvc_NetShareEnumAll.server_unc", WL_FT_STR, "Server name" },
	{ "srvsvc.srvsvc_NetShareEnumAll.level", WL_FT_UINT, "Information level" },
	{ "srvsvc.srvsvc_NetShareCtr1.count", WL_FT_UINT, "Shares (level 1 container)" },
	{ "srvsvc.srvsvc_NetShareEnumAll.max_buffer", WL_FT_UINT, "Max buffer" },
	{ "srvsvc.srvsvc_NetShareEnumAll.resume_handle", WL_FT_UINT, "Resume handle" },
	{ "srvsvc.srvsvc_NetShareEnumAll.totalentries", WL_FT_UINT, "Total entries" },
	{ "srvsvc.srvsvc_NetShareInfo1.type", WL_FT_UINT, "Share type (0 disk, 1 printer, 3 IPC; 0x80000000 special)" },
	{ "srvsvc.srvsvc_NetShareInfo1.comment", WL_FT_STR, "Share comment" },
	{ "srvsvc.werror", WL_FT_HEX, "Windows error code of the call" },
	{ "smb.create_options", WL_FT_HEX, "Create Options" },
	{ "smb2.acct", WL_FT_STR, "Account" },
	{ "smb2.allocation_size", WL_FT_UINT, "Allocation Size" },
	{ "smb2.auth_frame", WL_FT_UINT, "Authenticated in Frame" },
	{ "smb2.boot_time", WL_FT_TIME, "Boot Time" },
	{ "smb2.buffer_code", WL_FT_HEX, "StructureSize" },
	{ "smb2.buffer_code.dynamic", WL_FT_BOOL, "Dynamic Part" },
	{ "smb2.buffer_code.length", WL_FT_UINT, "Fixed Part Length" },
	{ "smb2.capabilities.dfs", WL_FT_BOOL, "DFS" },
	{ "smb2.capabilities.directory_leasing", WL_FT_BOOL, "DIRECTORY LEASING" },
	{ "smb2.capabilities.large_mtu", WL_FT_BOOL, "LARGE MTU" },
	{ "smb2.capabilities.leasing", WL_FT_BOOL, "LEASING" },
	{ "smb2.capabilities.multi_channel", WL_FT_BOOL, "MULTI CHANNEL" },
	{ "smb2.capabilities.persistent_handles", WL_FT_BOOL, "PERSISTENT HANDLES" },
	{ "smb2.channel", WL_FT_HEX, "Channel" },
	{ "smb2.channel_sequence", WL_FT_UINT, "Channel Sequence" },
	{ "smb2.class", WL_FT_HEX, "Class" },
	{ "smb2.close.flags", WL_FT_HEX, "Close Flags" },
	{ "smb2.close.pq_attrib", WL_FT_BOOL, "PostQuery Attrib" },
	{ "smb2.create.oplock", WL_FT_HEX, "Oplock" },
	{ "smb2.create.rep_flags", WL_FT_HEX, "Response Flags" },
	{ "smb2.create.rep_flags.reparse_point", WL_FT_BOOL, "ReparsePoint" },
	{ "smb2.create.time", WL_FT_TIME, "Create" },
	{ "smb2.create_flags", WL_FT_HEX, "Create Flags" },
	{ "smb2.current_time", WL_FT_TIME, "Current Time" },
	{ "smb2.dialect_count", WL_FT_UINT, "Dialect count" },
	{ "smb2.domain", WL_FT_STR, "Domain" },
	{ "smb2.error.byte_count", WL_FT_UINT, "Byte Count" },
	{ "smb2.error.context_count", WL_FT_UINT, "Error Context Count" },
	{ "smb2.error.data", WL_FT_BYTES, "Error Data" },
	{ "smb2.error.reserved", WL_FT_HEX, "Reserved" },
	{ "smb2.file_attribute", WL_FT_HEX, "File Attributes" },
	{ "smb2.file_attribute.archive", WL_FT_BOOL, "Requires archived" },
	{ "smb2.file_attribute.compressed", WL_FT_BOOL, "Compressed" },
	{ "smb2.file_attribute.directory", WL_FT_BOOL, "Directory" },
	{ "smb2.file_attribute.encrypted", WL_FT_BOOL, "Encrypted" },
	{ "smb2.file_attribute.hidden", WL_FT_BOOL, "Hidden" },
	{ "smb2.file_attribute.integrity_stream", WL_FT_BOOL, "Integrity Stream" },
	{ "smb2.file_attribute.no_scrub_data", WL_FT_BOOL, "No Scrub Data" },
	{ "smb2.file_attribute.normal", WL_FT_BOOL, "Normal" },
	{ "smb2.file_attribute.not_content_indexed", WL_FT_BOOL, "Not Content Indexed" },
	{ "smb2.file_attribute.offline", WL_FT_BOOL, "Offline" },
	{ "smb2.file_attribute.read_only", WL_FT_BOOL, "Read Only" },
	{ "smb2.file_attribute.reparse", WL_FT_BOOL, "Reparse Point" },
	{ "smb2.file_attribute.sparse", WL_FT_BOOL, "Sparse" },
	{ "smb2.file_attribute.system", WL_FT_BOOL, "System" },
	{ "smb2.file_attribute.temporary", WL_FT_BOOL, "Temporary" },
	{ "smb2.file_index", WL_FT_HEX, "File Index" },
	{ "smb2.next_offset", WL_FT_UINT, "Next Offset" },
	{ "smb2.filename.len", WL_FT_UINT, "File Name Len" },
	{ "smb2.ea_size", WL_FT_UINT, "EA Size" },
	{ "smb2.short_name_len", WL_FT_UINT, "Short Name Length" },
	{ "smb2.shortname", WL_FT_STR, "Short Name" },
	{ "smb2.file_id", WL_FT_HEX, "File Id" },
	{ "smb2.file_info.infolevel", WL_FT_HEX, "InfoLevel" },
	{ "smb2.find.flags", WL_FT_HEX, "Find Flags" },
	{ "smb2.find.index_specified", WL_FT_BOOL, "Index Specified" },
	{ "smb2.find.info_blob", WL_FT_BYTES, "Info" },
	{ "smb2.find.reopen", WL_FT_BOOL, "Reopen" },
	{ "smb2.find.restart_scans", WL_FT_BOOL, "Restart Scans" },
	{ "smb2.find.single_entry", WL_FT_BOOL, "Single Entry" },
	{ "smb2.flags.dfs", WL_FT_BOOL, "DFS operation" },
	{ "smb2.flags.priority_mask", WL_FT_BOOL, "Priority" },
	{ "smb2.flags.replay", WL_FT_BOOL, "Replay operation" },
	{ "smb2.fs_info.infolevel", WL_FT_HEX, "InfoLevel" },
	{ "smb2.getinfo_flags", WL_FT_HEX, "Flags" },
	{ "smb2.getinfo_input_offset", WL_FT_HEX, "Getinfo Input Offset" },
	{ "smb2.getinfo_input_size", WL_FT_UINT, "Getinfo Input Size" },
	{ "smb2.getsetinfo_additional", WL_FT_HEX, "Additional Info" },
	{ "smb2.header.transform.reserved", WL_FT_BYTES, "Reserved" },
	{ "smb2.header_len", WL_FT_UINT, "Header Length" },
	{ "smb2.host", WL_FT_STR, "Host" },
	{ "smb2.impersonation.level", WL_FT_UINT, "Impersonation level" },
	{ "smb2.ioctl.flags", WL_FT_HEX, "Flags" },
	{ "smb2.ioctl.function.access", WL_FT_HEX, "Access" },
	{ "smb2.ioctl.function.device", WL_FT_HEX, "Device" },
	{ "smb2.ioctl.function.function", WL_FT_HEX, "Function" },
	{ "smb2.ioctl.function.method", WL_FT_HEX, "Method" },
	{ "smb2.ioctl.is_fsctl", WL_FT_BOOL, "Is FSCTL" },
	{ "smb2.last_access.time", WL_FT_TIME, "Last Access" },
	{ "smb2.last_change.time", WL_FT_TIME, "Last Change" },
	{ "smb2.max_ioctl_in_size", WL_FT_UINT, "Max Ioctl In Size" },
	{ "smb2.max_ioctl_out_size", WL_FT_UINT, "Max Ioctl Out Size" },
	{ "smb2.max_read_size", WL_FT_UINT, "Max Read Size" },
	{ "smb2.max_response_size", WL_FT_UINT, "Max Response Size" },
	{ "smb2.max_trans_size", WL_FT_UINT, "Max Transaction Size" },
	{ "smb2.max_write_size", WL_FT_UINT, "Max Write Size" },
	{ "smb2.min_count", WL_FT_UINT, "Min Count" },
	{ "smb2.negotiate_context.cipher_count", WL_FT_UINT, "CipherCount" },
	{ "smb2.negotiate_context.count", WL_FT_UINT, "NegotiateContextCount" },
	{ "smb2.negotiate_context.data_length", WL_FT_UINT, "DataLength" },
	{ "smb2.negotiate_context.hash_alg_count", WL_FT_UINT, "HashAlgorithmCount" },
	{ "smb2.negotiate_context.netname", WL_FT_STR, "Netname" },
	{ "smb2.negotiate_context.offset", WL_FT_HEX, "NegotiateContextOffset" },
	{ "smb2.negotiate_context.salt", WL_FT_BYTES, "Salt" },
	{ "smb2.negotiate_context.salt_length", WL_FT_UINT, "SaltLength" },
	{ "smb2.negotiate_context.signing_alg_count", WL_FT_UINT, "SigningAlgorithmCount" },
	{ "smb2.olb.length", WL_FT_UINT, "Blob Length" },
	{ "smb2.olb.offset", WL_FT_HEX, "Blob Offset" },
	{ "smb2.output_buffer_len", WL_FT_UINT, "Output Buffer Length" },
	{ "smb2.pid", WL_FT_HEX, "Process Id" },
	{ "smb2.preauth_hash", WL_FT_BYTES, "Preauth Hash" },
	{ "smb2.previous_sesid", WL_FT_HEX, "Previous Session Id" },
	{ "smb2.protocol_id", WL_FT_HEX, "ProtocolId" },
	{ "smb2.read.blob", WL_FT_BYTES, "Info" },
	{ "smb2.read_flags", WL_FT_HEX, "Flags" },
	{ "smb2.read_flags.compressed", WL_FT_BOOL, "Compressed" },
	{ "smb2.read_flags.unbuffered", WL_FT_BOOL, "Unbuffered" },
	{ "smb2.read_padding", WL_FT_HEX, "Padding" },
	{ "smb2.read_remaining", WL_FT_UINT, "Read Remaining" },
	{ "smb2.remaining_bytes", WL_FT_UINT, "Remaining Bytes" },
	{ "smb2.reserved", WL_FT_BYTES, "Reserved" },
	{ "smb2.sec_info.infolevel", WL_FT_HEX, "InfoLevel" },
	{ "smb2.sec_mode", WL_FT_HEX, "Security mode" },
	{ "smb2.security_blob", WL_FT_BYTES, "Security Blob" },
	{ "smb2.ses_flags.encrypt", WL_FT_BOOL, "Encrypt" },
	{ "smb2.ses_flags.guest", WL_FT_BOOL, "Guest" },
	{ "smb2.ses_flags.null", WL_FT_BOOL, "Null" },
	{ "smb2.ses_req_flags", WL_FT_UINT, "Flags" },
	{ "smb2.ses_req_flags.session_binding", WL_FT_BOOL, "Session Binding Request" },
	{ "smb2.share.caching", WL_FT_HEX, "Caching policy" },
	{ "smb2.share_caps", WL_FT_HEX, "Share Capabilities" },
	{ "smb2.share_caps.assymetric", WL_FT_BOOL, "ASSYMETRIC" },
	{ "smb2.share_caps.cluster", WL_FT_BOOL, "CLUSTER" },
	{ "smb2.share_caps.continuous_availability", WL_FT_BOOL, "CONTINUOUS AVAILABILITY" },
	{ "smb2.share_caps.dfs", WL_FT_BOOL, "DFS" },
	{ "smb2.share_caps.redirect_to_owner", WL_FT_BOOL, "REDIRECT_TO_OWNER" },
	{ "smb2.share_caps.scaleout", WL_FT_BOOL, "SCALEOUT" },
	{ "smb2.share_flags.access_based_dir_enum", WL_FT_BOOL, "Access based directory enum" },
	{ "smb2.share_flags.allow_namespace_caching", WL_FT_BOOL, "Allow namespace caching" },
	{ "smb2.share_flags.compress_data", WL_FT_BOOL, "Compressed IO" },
	{ "smb2.share_flags.dfs", WL_FT_BOOL, "DFS" },
	{ "smb2.share_flags.dfs_root", WL_FT_BOOL, "DFS root" },
	{ "smb2.share_flags.enable_hash_v1", WL_FT_BOOL, "Enable hash V1" },
	{ "smb2.share_flags.enable_hash_v2", WL_FT_BOOL, "Enable hash V2" },
	{ "smb2.share_flags.encrypt_data", WL_FT_BOOL, "Encrypted data required" },
	{ "smb2.share_flags.force_levelii_oplock", WL_FT_BOOL, "Force level II oplock" },
	{ "smb2.share_flags.force_shared_delete", WL_FT_BOOL, "Force shared delete" },
	{ "smb2.share_flags.identity_remoting", WL_FT_BOOL, "Identity Remoting" },
	{ "smb2.share_flags.restrict_exclusive_opens", WL_FT_BOOL, "Restrict exclusive opens" },
	{ "smb2.signature", WL_FT_BYTES, "Signature" },
	{ "smb2.tc.cluster_reconnect", WL_FT_BOOL, "Cluster Reconnect" },
	{ "smb2.tc.extension_present", WL_FT_BOOL, "Extension Present" },
	{ "smb2.tc.flags", WL_FT_HEX, "Flags" },
	{ "smb2.tc.redirect_to_owner", WL_FT_BOOL, "Redirect To Owner" },
	{ "smb2.tc.reserved", WL_FT_HEX, "Reserved" },
	{ "smb2.tcon_frame", WL_FT_UINT, "Connected in Frame" },
	{ "smb2.channel_info_length", WL_FT_UINT, "Channel Info Length" },
	{ "smb2.channel_info_offset", WL_FT_UINT, "Channel Info Offset" },
	{ "smb2.data_offset", WL_FT_HEX, "Data Offset" },
	{ "smb2.delete_pending", WL_FT_UINT, "Delete Pending" },
	{ "smb2.disposition.delete_on_close", WL_FT_BOOL, "Delete on close" },
	{ "smb2.fsctl.cchunk.resume_key", WL_FT_BYTES, "ResumeKey" },
	{ "smb2.getsetinfo_additional_secinfo.attribute", WL_FT_BOOL, "Attribute" },
	{ "smb2.getsetinfo_additional_secinfo.backup", WL_FT_BOOL, "Backup" },
	{ "smb2.getsetinfo_additional_secinfo.dacl", WL_FT_BOOL, "DACL" },
	{ "smb2.getsetinfo_additional_secinfo.group", WL_FT_BOOL, "Group" },
	{ "smb2.getsetinfo_additional_secinfo.label", WL_FT_BOOL, "Integrity label" },
	{ "smb2.getsetinfo_additional_secinfo.owner", WL_FT_BOOL, "Owner" },
	{ "smb2.getsetinfo_additional_secinfo.sacl", WL_FT_BOOL, "SACL" },
	{ "smb2.getsetinfo_additional_secinfo.scope", WL_FT_BOOL, "Scope" },
	{ "smb2.getsetinfo_additionals", WL_FT_HEX, "Additional Info (security)" },
	{ "smb2.ioctl.network_interfaces.capabilities", WL_FT_HEX, "Interface Capabilities" },
	{ "smb2.ioctl.network_interfaces.capabilities.rdma", WL_FT_BOOL, "RDMA" },
	{ "smb2.ioctl.network_interfaces.capabilities.rss", WL_FT_BOOL, "RSS" },
	{ "smb2.ioctl.network_interfaces.index", WL_FT_UINT, "Interface Index" },
	{ "smb2.ioctl.network_interfaces.link_speed", WL_FT_UINT, "Link Speed" },
	{ "smb2.ioctl.network_interfaces.next_offset", WL_FT_HEX, "Next Offset" },
	{ "smb2.ioctl.network_interfaces.rss_queue_count", WL_FT_UINT, "RSS Queue Count" },
	{ "smb2.is_directory", WL_FT_UINT, "Is Directory" },
	{ "smb2.negotiate_context.comp_alg_count", WL_FT_UINT, "CompressionAlgorithmCount" },
	{ "smb2.negotiate_context.comp_alg_flags", WL_FT_HEX, "Flags" },
	{ "smb2.negotiate_context.comp_alg_flags.chained", WL_FT_BOOL, "Chained" },
	{ "smb2.negotiate_context.comp_alg_flags.reserved", WL_FT_HEX, "Reserved" },
	{ "smb2.negotiate_context.comp_alg_id", WL_FT_HEX, "Compression Algorithm Id" },
	{ "smb2.negotiate_context.posix_reserved", WL_FT_BYTES, "POSIX Reserved" },
	{ "smb2.windows.sockaddr.family", WL_FT_UINT, "Socket Family" },
	{ "smb2.windows.sockaddr.in.addr", WL_FT_IPV4, "Socket Address" },
	{ "smb2.windows.sockaddr.in6.addr", WL_FT_IPV6, "Socket Address" },
	{ "smb2.windows.sockaddr.in6.flow_info", WL_FT_HEX, "Flow Info" },
	{ "smb2.windows.sockaddr.in6.scope_id", WL_FT_UINT, "Scope Id" },
	{ "smb2.windows.sockaddr.port", WL_FT_UINT, "Socket Port" },
	{ "smb2.mode.file_delete_on_close", WL_FT_HEX, "FILE_DELETE_ON_CLOSE" },
	{ "smb2.mode.file_no_intermediate_buffering", WL_FT_HEX, "FILE_NO_INTERMEDIATE_BUFFERING" },
	{ "smb2.mode.file_sequential_only", WL_FT_HEX, "FILE_SEQUENTIAL_ONLY" },
	{ "smb2.mode.file_synchronous_io_alert", WL_FT_HEX, "FILE_SYNCHRONOUS_IO_ALERT" },
	{ "smb2.mode.file_synchronous_io_nonalert", WL_FT_HEX, "FILE_SYNCHRONOUS_IO_NONALERT" },
	{ "smb2.mode.file_write_through", WL_FT_HEX, "FILE_WRITE_THROUGH" },
	{ "smb2.mode_info", WL_FT_HEX, "Mode Info" },
	{ "smb2.nlinks", WL_FT_UINT, "Number of Links" },
	{ "smb2.notify.flags", WL_FT_HEX, "Flags" },
	{ "smb2.notify.watch_tree", WL_FT_BOOL, "Watch Tree" },
	{ "smb2.position_info", WL_FT_UINT, "Position Info" },
	{ "smb2.setinfo_offset", WL_FT_HEX, "Setinfo Offset" },
	{ "smb2.setinfo_reserved", WL_FT_UINT, "Reserved" },
	{ "smb2.setinfo_size", WL_FT_UINT, "Setinfo Size" },
	{ "smb2.unknown", WL_FT_BYTES, "Unknown (reserved bytes of ECHO, FLUSH, FileBasicInformation)" },
	{ "smb2.write.flags", WL_FT_HEX, "Write Flags" },
	{ "smb2.write.flags.unbuffered", WL_FT_BOOL, "Unbuffered" },
	{ "smb2.write.flags.write_through", WL_FT_BOOL, "Write through" },
	{ "smb2.write.remaining", WL_FT_UINT, "Remaining" },
	SMB2_CTX_FIELDS
	WL_NTLMSSP_FIELDS_V
	{ NULL, 0, NULL },
};

static const struct wl_field_info smb_fields[] = {
	{ "nbss.type", WL_FT_HEX, "NetBIOS session message type" },
	{ "nbss.length", WL_FT_UINT, "NetBIOS session message length" },
	{ "nbss.flags", WL_FT_HEX, "NetBIOS session flags (not on session messages)" },
	{ "nbss.flags.e", WL_FT_BOOL, "Length extension (17th bit of the length)" },
	{ "nbss.called_name", WL_FT_STR, "NetBIOS name called" },
	{ "nbss.calling_name", WL_FT_STR, "NetBIOS name calling" },
	{ "smb.cmd", WL_FT_HEX, "SMB1 command (and each AndX command of the chain)" },
	{ "smb.nt_status", WL_FT_HEX, "SMB1 NT status" },
	{ "smb.flags.response", WL_FT_BOOL, "SMB1 response flag" },
	{ "smb.mid", WL_FT_UINT, "SMB1 multiplex id" },
	{ "smb.dialect.name", WL_FT_STR, "SMB1 dialect offered" },
	{ "smb.dialect.index", WL_FT_UINT, "SMB1 dialect chosen" },
	{ "smb.account", WL_FT_STR, "SMB1 account (no extended security)" },
	{ "smb.primary_domain", WL_FT_STR, "SMB1 domain (no extended security)" },
	{ "smb.path", WL_FT_STR, "SMB1 tree connect path" },
	{ "smb.file", WL_FT_STR, "SMB1 file name" },
	{ "smb2.cmd", WL_FT_UINT, "SMB2 command" },
	{ "smb2.nt_status", WL_FT_HEX, "NT status (responses)" },
	{ "smb2.flags", WL_FT_HEX, "SMB2 header flags" },
	{ "smb2.flags.response", WL_FT_BOOL, "response" },
	{ "smb2.flags.async", WL_FT_BOOL, "async command" },
	{ "smb2.flags.chained", WL_FT_BOOL, "related operation in a compound" },
	{ "smb2.flags.signature", WL_FT_BOOL, "signed" },
	{ "smb2.chain_offset", WL_FT_HEX, "offset of the next chained message" },
	{ "smb2.msg_id", WL_FT_UINT, "message id" },
	{ "smb2.credit.charge", WL_FT_UINT, "credit charge" },
	{ "smb2.credits.requested", WL_FT_UINT, "credits requested" },
	{ "smb2.credits.granted", WL_FT_UINT, "credits granted" },
	{ "smb2.tid", WL_FT_HEX, "tree id" },
	{ "smb2.aid", WL_FT_HEX, "async id" },
	{ "smb2.sesid", WL_FT_HEX, "session id" },
	{ "smb2.tree", WL_FT_STR, "share path of the tree id" },
	{ "smb2.response_to", WL_FT_UINT, "frame of the request" },
	{ "smb2.time", WL_FT_DOUBLE, "seconds since the request" },
	{ "smb2.dialect", WL_FT_HEX, "dialect offered (request) or chosen (response)" },
	{ "smb2.sec_mode.sign_enabled", WL_FT_BOOL, "signing enabled" },
	{ "smb2.sec_mode.sign_required", WL_FT_BOOL, "signing required" },
	{ "smb2.capabilities", WL_FT_HEX, "capabilities" },
	{ "smb2.capabilities.encryption", WL_FT_BOOL, "encryption capable" },
	{ "smb2.server_guid", WL_FT_STR, "server GUID" },
	{ "smb2.client_guid", WL_FT_STR, "client GUID" },
	{ "smb2.negotiate_context.type", WL_FT_HEX, "negotiate context type" },
	{ "smb2.negotiate_context.hash_algorithm", WL_FT_HEX, "preauth integrity hash" },
	{ "smb2.negotiate_context.cipher_id", WL_FT_HEX, "encryption cipher" },
	{ "smb2.negotiate_context.signing_id", WL_FT_HEX, "signing algorithm" },
	{ "smb2.session_flags", WL_FT_HEX, "session flags" },
	{ "smb2.share_type", WL_FT_HEX, "share type" },
	{ "smb2.share_flags", WL_FT_HEX, "share flags" },
	{ "smb2.filename", WL_FT_STR, "file name" },
	{ "smb.access_mask", WL_FT_HEX, "desired access" },
	{ "smb2.create.disposition", WL_FT_UINT, "create disposition" },
	{ "smb2.create.action", WL_FT_UINT, "create action" },
	{ "smb2.eof", WL_FT_UINT, "end of file (file size)" },
	{ "smb2.last_write.time", WL_FT_TIME, "last write time" },
	{ "smb2.fid", WL_FT_STR, "file id" },
	{ "smb2.read_length", WL_FT_UINT, "read length" },
	{ "smb2.write_length", WL_FT_UINT, "write length" },
	{ "smb2.write.count", WL_FT_UINT, "bytes written" },
	{ "smb2.file_offset", WL_FT_UINT, "file offset" },
	{ "smb2.find.infolevel", WL_FT_UINT, "directory information class" },
	{ "smb2.find.pattern", WL_FT_STR, "search pattern" },
	{ "smb2.ioctl.function", WL_FT_HEX, "IOCTL/FSCTL code" },
	{ "srvsvc.srvsvc_NetShareInfo1.name", WL_FT_STR, "share name in a NetShareEnumAll response" },
	{ "dcerpc.cn_bind_trans_btfn", WL_FT_HEX, "Bind time features" },
	{ "dcerpc.cn_bind_trans_btfn.01", WL_FT_BOOL, "Security context multiplexing" },
	{ "dcerpc.cn_bind_trans_btfn.02", WL_FT_BOOL, "Keep connection on orphan" },
	{ "dcerpc.cn_ack_reason", WL_FT_UINT, "Bind rejection reason" },
	{ "srvsvc.srvsvc_NetShareCtr0.count", WL_FT_UINT, "Shares (level 0 container)" },
	{ "smb2.header.transform.signature", WL_FT_BYTES, "transform signature (AEAD tag)" },
	{ "smb2.header.transform.nonce", WL_FT_BYTES, "transform nonce" },
	{ "smb2.header.transform.msg_size", WL_FT_UINT, "size of the encrypted message" },
	{ "smb2.header.transform.flags", WL_FT_HEX, "transform flags" },
	{ "smb2.header.transform.flags.encrypted", WL_FT_BOOL, "encrypted" },
	{ "wl.smb2.transform.sesid", WL_FT_HEX, "session id of the transform header" },
	{ "spnego.MechType", WL_FT_STR, "mechanism offered" },
	{ "spnego.supportedMech", WL_FT_STR, "mechanism chosen" },
	{ "spnego.negResult", WL_FT_UINT, "negotiation state" },
	{ "ntlmssp.messagetype", WL_FT_HEX, "NTLMSSP message type" },
	{ "ntlmssp.negotiateflags", WL_FT_HEX, "NTLMSSP flags" },
	{ "ntlmssp.ntlmserverchallenge", WL_FT_BYTES, "server challenge" },
	{ "ntlmssp.challenge.target_name", WL_FT_STR, "target name" },
	{ "ntlmssp.challenge.target_info.nb_computer_name", WL_FT_STR, "server NetBIOS name" },
	{ "ntlmssp.challenge.target_info.nb_domain_name", WL_FT_STR, "server NetBIOS domain" },
	{ "ntlmssp.challenge.target_info.dns_computer_name", WL_FT_STR, "server DNS name" },
	{ "ntlmssp.auth.domain", WL_FT_STR, "domain" },
	{ "ntlmssp.auth.username", WL_FT_STR, "user name" },
	{ "ntlmssp.auth.hostname", WL_FT_STR, "client host name" },
	{ "wl.smb.ntlm_version", WL_FT_STR, "NTLM response kind (v1, v2, anonymous)" },
	/* NTLMSSP under -v */
	{ NULL, 0, NULL },
};

/* ------------------------------------------------------------- text helpers */

struct line {
	char s[SMB_TEXT];
	size_t n;
};

static void line_add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line_add(struct line *l, const char *fmt, ...)
{
	if (l->n >= sizeof l->s - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = wl_vsnprintf(l->s + l->n, sizeof l->s - l->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		l->n += (size_t)k < sizeof l->s - l->n ? (size_t)k : sizeof l->s - l->n - 1;
}


/* Appends the text of s, cut as line_add cuts. */
static void line_put(struct line *l, const char *s)
{
	if (!s)
		s = "(null)";  /* what the "%s" it replaces wrote */
	size_t room = sizeof l->s - 1 - l->n, k = strlen(s);
	if (k > room)
		k = room;
	memcpy(l->s + l->n, s, k);
	l->n += k;
	l->s[l->n] = '\0';
}

/* line_add(l, "%s%s", a, b) without a format to parse: most pieces of an
 * SMB message's text are a separator and a name. */
static void line_cat(struct line *l, const char *a, const char *b)
{
	if (l->n >= sizeof l->s - 1)
		return;
	line_put(l, a);
	line_put(l, b);
}

/* The same without the bits of mask skip (emitted already by default). */
static void f_bits_but(struct wl_msg *m, uint32_t v, const struct smb_bit *b, uint32_t skip)
{
	for (; b->name; b++)
		if (!(b->mask & skip))
			wl_f_bool(m, b->name, (v & b->mask) != 0);
}

static const struct smb_bit caps_bits[] = {
	{ 0x01, "smb2.capabilities.dfs" }, { 0x02, "smb2.capabilities.leasing" },
	{ 0x04, "smb2.capabilities.large_mtu" }, { 0x08, "smb2.capabilities.multi_channel" },
	{ 0x10, "smb2.capabilities.persistent_handles" }, { 0x20, "smb2.capabilities.directory_leasing" },
	{ 0x40, "smb2.capabilities.encryption" }, { 0, NULL },
};
static const struct smb_bit ses_bits[] = {
	{ 1, "smb2.ses_flags.guest" }, { 2, "smb2.ses_flags.null" }, { 4, "smb2.ses_flags.encrypt" },
	{ 0, NULL },
};
static const struct smb_bit share_flag_bits[] = {
	{ 0x1, "smb2.share_flags.dfs" }, { 0x2, "smb2.share_flags.dfs_root" },
	{ 0x100, "smb2.share_flags.restrict_exclusive_opens" },
	{ 0x200, "smb2.share_flags.force_shared_delete" },
	{ 0x400, "smb2.share_flags.allow_namespace_caching" },
	{ 0x800, "smb2.share_flags.access_based_dir_enum" },
	{ 0x1000, "smb2.share_flags.force_levelii_oplock" },
	{ 0x2000, "smb2.share_flags.enable_hash_v1" }, { 0x4000, "smb2.share_flags.enable_hash_v2" },
	{ 0x8000, "smb2.share_flags.encrypt_data" }, { 0x40000, "smb2.share_flags.identity_remoting" },
	{ 0x100000, "smb2.share_flags.compress_data" }, { 0, NULL },
};
static const struct smb_bit share_cap_bits[] = {
	{ 0x8, "smb2.share_caps.dfs" }, { 0x10, "smb2.share_caps.continuous_availability" },
	{ 0x20, "smb2.share_caps.scaleout" }, { 0x40, "smb2.share_caps.cluster" },
	{ 0x80, "smb2.share_caps.assymetric" }, { 0x100, "smb2.share_caps.redirect_to_owner" },
	{ 0, NULL },
};
static const struct smb_bit attr_bits[] = {
	{ 0x1, "smb2.file_attribute.read_only" }, { 0x2, "smb2.file_attribute.hidden" },
	{ 0x4, "smb2.file_attribute.system" }, { 0x10, "smb2.file_attribute.directory" },
	{ 0x20, "smb2.file_attribute.archive" }, { 0x80, "smb2.file_attribute.normal" },
	{ 0x100, "smb2.file_attribute.temporary" }, { 0x200, "smb2.file_attribute.sparse" },
	{ 0x400, "smb2.file_attribute.reparse" }, { 0x800, "smb2.file_attribute.compressed" },
	{ 0x1000, "smb2.file_attribute.offline" }, { 0x2000, "smb2.file_attribute.not_content_indexed" },
	{ 0x4000, "smb2.file_attribute.encrypted" }, { 0x8000, "smb2.file_attribute.integrity_stream" },
	{ 0x20000, "smb2.file_attribute.no_scrub_data" }, { 0, NULL },
};
static const struct smb_bit tc_bits[] = {
	{ 1, "smb2.tc.cluster_reconnect" }, { 2, "smb2.tc.redirect_to_owner" },
	{ 4, "smb2.tc.extension_present" }, { 0, NULL },
};
static const struct smb_bit find_bits[] = {
	{ 1, "smb2.find.restart_scans" }, { 2, "smb2.find.single_entry" },
	{ 4, "smb2.find.index_specified" }, { 0x10, "smb2.find.reopen" }, { 0, NULL },
};
static const struct smb_bit read_bits[] = {
	{ 1, "smb2.read_flags.unbuffered" }, { 2, "smb2.read_flags.compressed" }, { 0, NULL },
};

/* FILETIME (100 ns since 1601) to ns since 1970; 0 stays 0. */
static int64_t filetime_ns(uint64_t ft)
{
	const uint64_t epoch = 116444736000000000ull;
	if (ft < epoch || ft > epoch + (uint64_t)INT64_MAX / 100)
		return 0;
	return (int64_t)((ft - epoch) * 100);
}

static const char *status_name(uint32_t st, char *buf, size_t cap)
{
	const char *s = wl_tok(nt_status_names, st, NULL);
	if (s)
		return s;
	wl_snprintf(buf, cap, "0x%08x", st);
	return buf;
}

static const char *dialect_name(uint16_t d, char *buf, size_t cap)
{
	const char *s = wl_tok(dialect_names, d, NULL);
	if (s)
		return s;
	wl_snprintf(buf, cap, "0x%04x", d);
	return buf;
}

/* ------------------------------------------------------------ state tables */

/* The slot *next of a table of *cap entries, grown (zeroed) when *next is
 * past its end and it is below max; the slot after it comes next, the
 * oldest once the table is full. NULL when memory runs out. */
static void *table_take(void **tab, unsigned *cap, unsigned *next, unsigned max, size_t size)
{
	if (*next >= *cap) {
		unsigned ncap = *cap ? *cap * 2 : 4;
		if (ncap > max)
			ncap = max;
		char *t = realloc(*tab, (size_t)ncap * size);
		if (!t)
			return NULL;
		memset(t + (size_t)*cap * size, 0, (size_t)(ncap - *cap) * size);
		*tab = t;
		*cap = ncap;
	}
	void *slot = (char *)*tab + (size_t)*next * size;
	*next = (*next + 1) % max;
	return slot;
}

static struct smb_pend *pend_add(struct smb_state *s, uint64_t mid, uint64_t sesid, uint16_t cmd,
				 struct wl_ctx *ctx)
{
	struct smb_pend *p = NULL, *unused = NULL;
	for (unsigned i = 0; i < s->pend_cap && !p; i++) {
		if (s->pend[i].used && s->pend[i].mid == mid)
			p = &s->pend[i];      /* a message id used again replaces the old one */
		else if (!s->pend[i].used && !unused)
			unused = &s->pend[i];
	}
	if (!p && unused)
		p = unused;
	if (!p && s->pend_cap < SMB_PEND)
		s->pend_next = s->pend_cap;   /* every slot busy: grow, not take a waiting one */
	if (!p) {
		void *tab = s->pend;
		p = table_take(&tab, &s->pend_cap, &s->pend_next, SMB_PEND, sizeof *p);
		s->pend = tab;
	}
	if (!p)
		return NULL;
	memset(p, 0, sizeof *p);
	p->used = 1;
	p->mid = mid;
	p->sesid = sesid;
	p->cmd = cmd;
	p->frame = wl_frame(ctx);
	p->ts = wl_time_ns(ctx);
	return p;
}

static struct smb_pend *pend_find(struct smb_state *s, uint64_t mid, uint16_t cmd)
{
	for (unsigned i = 0; i < s->pend_cap; i++)
		if (s->pend[i].used && s->pend[i].mid == mid && s->pend[i].cmd == cmd)
			return &s->pend[i];
	return NULL;
}

static int srv_eq(const struct smb_srv *a, const struct smb_srv *b)
{
	return a->port == b->port && memcmp(a->addr, b->addr, 16) == 0;
}

static const struct smb_tree *tree_find(const struct smb_state *s, uint64_t sesid, uint32_t tid)
{
	const struct smb_shared *sh = s->sh;
	if (!sh)
		return NULL;
	for (unsigned i = 0; i < sh->tree_cap; i++)
		if (sh->tree[i].used && sh->tree[i].tid == tid && sh->tree[i].sesid == sesid &&
		    srv_eq(&sh->tree[i].srv, &s->srv))
			return &sh->tree[i];
	return NULL;
}

static void tree_add(struct smb_state *s, uint64_t sesid, uint32_t tid, const char *name,
		     uint8_t share_type)
{
	struct smb_shared *sh = s->sh;
	if (!sh)
		return;
	struct smb_tree *t = (struct smb_tree *)tree_find(s, sesid, tid);
	if (!t) {
		void *tab = sh->tree;
		t = table_take(&tab, &sh->tree_cap, &sh->tree_next, SMB_TREES, sizeof *t);
		sh->tree = tab;
	}
	if (!t)
		return;
	t->used = 1;
	t->tid = tid;
	t->sesid = sesid;
	t->srv = s->srv;
	t->share_type = share_type;
	t->frame = 0;
	wl_snprintf(t->name, sizeof t->name, "%s", name);
}

static struct smb_sess *sess_find(const struct smb_state *s, uint64_t sesid)
{
	struct smb_shared *sh = s->sh;
	if (!sh)
		return NULL;
	for (unsigned i = 0; i < SMB_SESSIONS; i++)
		if (sh->sess[i].used && sh->sess[i].sesid == sesid && srv_eq(&sh->sess[i].srv, &s->srv))
			return &sh->sess[i];
	return NULL;
}

/* Who the session's login named (-v), as tshark shows under each Session Id. */
static void sess_login_fields(struct wl_msg *m, const struct smb_sess *e)
{
	if (!e || !e->acct[0])
		return;
	wl_f_cstr(m, "smb2.acct", e->acct);
	wl_f_cstr(m, "smb2.domain", e->domain);
	wl_f_cstr(m, "smb2.host", e->host);
	wl_f_uint(m, "smb2.auth_frame", e->auth_frame);
}

static struct smb_sess *keys_find(const struct smb_state *s, uint64_t sesid)
{
	struct smb_sess *e = sess_find(s, sesid);
	return e && e->keyed ? e : NULL;
}

/* The session's slot, made (the oldest replaced once the table is full). */
static struct smb_sess *sess_take(struct smb_state *s, uint64_t sesid)
{
	struct smb_sess *e = sess_find(s, sesid);
	if (e || !s->sh)
		return e;
	e = &s->sh->sess[s->sh->sess_next];
	s->sh->sess_next = (s->sh->sess_next + 1) % SMB_SESSIONS;
	memset(e, 0, sizeof *e);
	e->used = 1;
	e->srv = s->srv;
	e->sesid = sesid;
	return e;
}

static struct smb_fid *fid_entry(const struct smb_state *s, const uint8_t *id)
{
	if (!id)
		return NULL;
	for (unsigned i = 0; i < s->fid_cap; i++)
		if (s->fid[i].used && !s->fid[i].smb1 && memcmp(s->fid[i].id, id, 16) == 0)
			return &s->fid[i];
	return NULL;
}

static const char *fid_find(const struct smb_state *s, const uint8_t *id)
{
	const struct smb_fid *f = fid_entry(s, id);
	return f ? f->name : NULL;
}

static void fid_add(struct smb_state *s, const uint8_t *id, const char *name, uint64_t frame)
{
	void *tab = s->fid;
	struct smb_fid *f = table_take(&tab, &s->fid_cap, &s->fid_next, SMB_FIDS, sizeof *f);
	s->fid = tab;
	if (!f)
		return;
	memset(f, 0, sizeof *f);
	f->used = 1;
	memcpy(f->id, id, 16);
	f->open_frame = frame;
	wl_snprintf(f->name, sizeof f->name, "%s", name);
}

/* ------------------------------------------------------------ DER (SPNEGO) */

/* One DER element: a one-byte tag and its contents as a cursor. */
static int der_take(struct wl_cur *c, uint8_t *tag, struct wl_cur *val)
{
	*tag = wl_u8(c);
	uint8_t l = wl_u8(c);
	size_t len = l;
	if ((*tag & 0x1f) == 0x1f)
		wl_invalid(c);
	if (l & 0x80) {
		unsigned n = l & 0x7fu;
		if (n == 0 || n > 4)
			wl_invalid(c);
		len = 0;
		for (unsigned i = 0; i < n && wl_ok(c); i++)
			len = len << 8 | wl_u8(c);
	}
	if (!wl_ok(c))
		return 0;
	if (len > wl_left(c)) {
		wl_fail(c, WL_ETRUNC);
		return 0;
	}
	*val = wl_sub(c, len);
	return 1;
}

static void oid_str(struct wl_cur c, char *out, size_t cap)
{
	size_t o = 0;
	uint64_t v = 0;
	int first = 1;
	out[0] = '\0';
	while (wl_left(&c)) {
		uint8_t b = wl_u8(&c);
		if (v > (UINT64_MAX >> 7))
			break;
		v = v << 7 | (b & 0x7fu);
		if (b & 0x80)
			continue;
		int k;
		if (first) {
			unsigned a = v < 80 ? (unsigned)(v / 40) : 2;
			k = wl_snprintf(out + o, cap - o, "%u.%llu", a, (unsigned long long)(v - a * 40ull));
			first = 0;
		} else {
			k = wl_snprintf(out + o, cap - o, ".%llu", (unsigned long long)v);
		}
		if (k < 0 || (size_t)k >= cap - o)
			break;
		o += (size_t)k;
		v = 0;
	}
}

static const struct {
	const char *oid, *name;
} mech_names[] = {
	{ "1.3.6.1.4.1.311.2.2.10", "NTLMSSP" },
	{ "1.2.840.48018.1.2.2", "MS Kerberos" },
	{ "1.2.840.113554.1.2.2", "Kerberos 5" },
	{ "1.2.840.113554.1.2.2.3", "Kerberos 5 user-to-user" },
	{ "1.3.6.1.4.1.311.2.2.30", "NEGOEX" },
	{ "1.3.6.1.5.5.2", "SPNEGO" },
};

static const char *mech_name(const char *oid)
{
	for (size_t i = 0; i < sizeof mech_names / sizeof mech_names[0]; i++)
		if (strcmp(mech_names[i].oid, oid) == 0)
			return mech_names[i].name;
	return oid;
}

/* ---------------------------------------------------------------- SPNEGO */

/* What one security blob said, for the message's text and notes. */
struct auth_info {
	struct wl_ntlmssp ntlm;
	struct wl_cur ntlm_blob; /* the NTLMSSP message, for its session key */
	int verbose;             /* the wider NTLMSSP field set (-v) */
	char mechs[128];
	int kerberos;
};

static void spnego_token(struct wl_msg *m, struct wl_cur tok, struct auth_info *ai, int depth);

static void add_mech(struct auth_info *ai, const char *name)
{
	size_t n = strlen(ai->mechs);
	wl_snprintf(ai->mechs + n, sizeof ai->mechs - n, "%s%s", n ? ", " : "", name);
}

/* negTokenInit / negTokenInit2 / negTokenResp: a SEQUENCE of [n] elements. */
static void spnego_neg(struct wl_msg *m, struct wl_cur c, int resp, struct auth_info *ai, int depth)
{
	uint8_t tag;
	struct wl_cur seq, el;
	if (!der_take(&c, &tag, &seq) || tag != 0x30) {
		wl_note(m, WL_ERROR, "malformed: SPNEGO token is not a SEQUENCE");
		return;
	}
	while (wl_left(&seq) && der_take(&seq, &tag, &el)) {
		unsigned n = tag & 0x1fu;
		struct wl_cur in;
		uint8_t t2;
		if (!der_take(&el, &t2, &in))
			break;
		char oid[96];
		if (!resp && n == 0 && t2 == 0x30) {
			struct wl_cur o;
			uint8_t t3;
			while (wl_left(&in) && der_take(&in, &t3, &o)) {
				if (t3 != 0x06)
					continue;
				oid_str(o, oid, sizeof oid);
				wl_f_cstr(m, "spnego.MechType", oid);
				add_mech(ai, mech_name(oid));
			}
		} else if (resp && n == 0 && t2 == 0x0a) {
			wl_f_uint(m, "spnego.negResult", wl_u8(&in));
		} else if (resp && n == 1 && t2 == 0x06) {
			oid_str(in, oid, sizeof oid);
			wl_f_cstr(m, "spnego.supportedMech", oid);
			add_mech(ai, mech_name(oid));
		} else if (n == 2 && t2 == 0x04) {
			spnego_token(m, in, ai, depth + 1);
		} else if (n == 3 && t2 == 0x04 && ai->verbose && wl_left(&in) == 16 &&
			   (strstr(ai->mechs, "NTLMSSP") || (!ai->mechs[0] && wl_peek(&in, 0) == 1 &&
			    wl_peek(&in, 1) == 0 && wl_peek(&in, 2) == 0 && wl_peek(&in, 3) == 0))) {
			/* mechListMIC: an NTLMSSP signature (version 1), also in the last
			 * response, which names no mechanism */
			wl_ntlmssp_verifier(m, in);
		}
	}
	if (seq.err == WL_EINVAL || seq.err == WL_ETRUNC)
		wl_note_cursor(m, &seq, "SPNEGO token");
}

/* A security blob: GSS-API InitialContextToken, a bare SPNEGO element or
 * raw NTLMSSP. */
static void spnego_token(struct wl_msg *m, struct wl_cur tok, struct auth_info *ai, int depth)
{
	int b = wl_peek(&tok, 0);
	if (b < 0 || depth > 4)
		return;
	if (b == 'N') {
		ai->ntlm_blob = tok;
		const char *version = wl_ntlmssp_v(m, tok, &ai->ntlm, ai->verbose);
		if (version)
			wl_f_cstr(m, "wl.smb.ntlm_version", version);
		return;
	}
	uint8_t tag;
	struct wl_cur in, o;
	if (b == 0x60) {
		if (!der_take(&tok, &tag, &in) || !der_take(&in, &tag, &o) || tag != 0x06) {
			wl_note(m, WL_ERROR, "malformed: GSS-API token cut short");
			return;
		}
		char oid[96];
		oid_str(o, oid, sizeof oid);
		if (strcmp(oid, "1.3.6.1.5.5.2") == 0) {
			spnego_token(m, in, ai, depth + 1);
		} else {
			ai->kerberos = strstr(mech_name(oid), "Kerberos") != NULL;
			add_mech(ai, mech_name(oid));
		}
		return;
	}
	if (b == 0xa0 || b == 0xa1) {
		if (!der_take(&tok, &tag, &in)) {
			wl_note(m, WL_ERROR, "malformed: SPNEGO token cut short");
			return;
		}
		spnego_neg(m, in, b == 0xa1, ai, depth);
		return;
	}
	wl_note(m, WL_INFO, "security blob of an unknown kind (first byte 0x%02x)", (unsigned)b);
}

/* ------------------------------------------------------------- SMB2 bodies */

static struct wl_msg *smb_msg_new(struct smb_state *s, struct wl_ctx *ctx, const char *proto,
				  const char *type, enum wl_dir dir);

struct smb2 {
	struct smb_state *s;
	struct wl_ctx *ctx;
	struct wl_msg *m;
	enum wl_dir dir;
	struct wl_cur msg;       /* the message from its header on: offsets count from here */
	struct wl_cur body;      /* after the 64-byte header */
	uint16_t cmd;
	uint32_t status, flags, tid, pid;
	uint64_t mid, sesid;
	int resp;
	struct smb_pend *req;    /* the request a response answers */
	int verbose;             /* the wider field set (-v) */
	struct line text;
};

/* Capabilities: the word and its encryption bit always, the other bits with -v. */
static void f_caps(struct smb2 *x, uint32_t caps)
{
	wl_f_hex(x->m, "smb2.capabilities", caps);
	wl_f_bool(x->m, "smb2.capabilities.encryption", (caps & 0x40) != 0);
	if (x->verbose)
		f_bits_but(x->m, caps, caps_bits, 0x40);
}

/* A buffer named by (offset from the header, length), checked. */
static int smb2_buf(struct smb2 *x, uint32_t off, uint32_t len, const char *what, struct wl_cur *out)
{
	size_t have = wl_left(&x->msg);
	*out = wl_cur_make(NULL, 0);
	if (len == 0)
		return 1;
	if (off < 64 || off > have || len > have - off) {
		wl_note(x->m, WL_ERROR, "malformed: %s at offset %u, %u bytes, lies outside the "
			"%zu-byte message", what, off, len, have);
		return 0;
	}
	*out = wl_at(&x->msg, off, len);
	return 1;
}

static void smb2_name(struct smb2 *x, uint32_t off, uint32_t len, const char *what, char *out,
		      size_t cap)
{
	struct wl_cur v;
	out[0] = '\0';
	if (smb2_buf(x, off, len, what, &v))
		wl_note_utf16(x->m, wl_utf16_text(v, out, cap, 0), what);
}

static void security_blob(struct smb2 *x, struct wl_cur blob, struct auth_info *ai)
{
	memset(ai, 0, sizeof *ai);
	ai->verbose = x->verbose;
	if (wl_left(&blob))
		spnego_token(x->m, blob, ai, 0);
}

static void v_context(struct smb2 *x, uint16_t type, struct wl_cur d, size_t len);

static void neg_contexts(struct smb2 *x, uint32_t off, uint16_t count)
{
	struct line ciphers = { .n = 0 }, signing = { .n = 0 }, kinds = { .n = 0 };
	int preauth = 0;
	size_t have = wl_left(&x->msg);
	for (unsigned i = 0; i < count && i < 32; i++) {
		if (off > have || have - off < 8) {
			wl_note(x->m, WL_ERROR, "malformed: negotiate context %u at offset %u lies outside "
				"the message", i, off);
			break;
		}
		struct wl_cur c = wl_at(&x->msg, off, have - off);
		uint16_t type = wl_le16(&c), len = wl_le16(&c);
		const uint8_t *cres = wl_bytes(&c, 4);
		struct wl_cur d = wl_sub(&c, len);
		if (!wl_ok(&c)) {
			wl_note(x->m, WL_ERROR, "malformed: negotiate context %u cut short", i);
			break;
		}
		wl_f_hex(x->m, "smb2.negotiate_context.type", type);
		if (x->verbose) {
			wl_f_bytes(x->m, "smb2.reserved", cres, 4);
			v_context(x, type, d, len);
		}
		line_cat(&kinds, kinds.n ? ", " : "", wl_tok(ctx_names, type, "unknown"));
		if (type == 1) {
			uint16_t n = wl_le16(&d);
			wl_skip(&d, 2);
			for (unsigned k = 0; k < n && wl_left(&d) >= 2; k++)
				wl_f_hex(x->m, "smb2.negotiate_context.hash_algorithm", wl_le16(&d));
			preauth = 1;
		} else if (type == 2 || type == 8) {
			uint16_t n = wl_le16(&d);
			for (unsigned k = 0; k < n && wl_left(&d) >= 2; k++) {
				uint16_t id = wl_le16(&d);
				const char *nm = wl_tok(type == 2 ? cipher_names : signing_names, id, "?");
				wl_f_hex(x->m, type == 2 ? "smb2.negotiate_context.cipher_id"
							 : "smb2.negotiate_context.signing_id", id);
				if (x->resp && k == 0 && type == 2)
					x->s->cipher = id;
				else if (x->resp && k == 0)
					x->s->signing = id;
				line_cat(type == 2 ? &ciphers : &signing, k ? ", " : "", nm);
			}
		}
		off += 8u + len;
		off = (off + 7u) & ~7u;
	}
	const char *verb = x->resp ? "chosen" : "offered";
	if (kinds.n)
		wl_note(x->m, WL_INFO, "SMB 3.1.1 negotiate contexts: %s", kinds.s);
	if (preauth)
		wl_note(x->m, WL_INFO, "pre-authentication integrity: SHA-512 over the handshake protects "
			"the negotiation from tampering");
	if (ciphers.n)
		wl_note(x->m, WL_INFO, "encryption ciphers %s: %s", verb, ciphers.s);
	if (signing.n)
		wl_note(x->m, WL_INFO, "signing algorithms %s: %s", verb, signing.s);
}

static void sec_mode(struct smb2 *x, uint16_t mode)
{
	wl_f_bool(x->m, "smb2.sec_mode.sign_enabled", mode & 1);
	wl_f_bool(x->m, "smb2.sec_mode.sign_required", (mode & 2) != 0);
}

/* ------------------------------------------------------------- SMB3 keys */

/* The whole message being dissected, from its header on. */
static const uint8_t *msg_bytes(const struct smb2 *x, size_t *n)
{
	struct wl_cur c = x->msg;
	*n = wl_left(&c);
	return wl_bytes(&c, *n);
}

/* SMB 3.1.1's pre-authentication integrity ([MS-SMB2] §3.2.5.2, §3.3.5.5):
 * SHA-512 chained over NEGOTIATE request and response (the connection's
 * hash), then from there over each SESSION_SETUP request and each
 * MORE_PROCESSING response of one login (the session's). The keys come from
 * the session's hash after the last request. Kept only when a password or
 * key was given. */
static void preauth_step(struct smb2 *x)
{
	struct smb_state *s = x->s;
	size_t n;
	const uint8_t *p;
	if ((!s->crypto && !x->verbose) || !(p = msg_bytes(x, &n)))
		return;
	if (x->cmd == C_NEGOTIATE) {
		if (!x->resp)
			memset(s->conn_hash, 0, sizeof s->conn_hash);
		smb3_preauth(s->conn_hash, p, n);
	} else if (x->cmd == C_SESSION_SETUP && !x->resp) {
		if (!s->setup_active || s->setup_sesid != x->sesid) {
			memcpy(s->setup_hash, s->conn_hash, sizeof s->setup_hash);
			s->setup_active = 1;
		}
		s->setup_sesid = x->sesid;
		smb3_preauth(s->setup_hash, p, n);
	} else if (x->cmd == C_SESSION_SETUP && x->status != ST_SUCCESS && s->setup_active) {
		smb3_preauth(s->setup_hash, p, n);
		s->setup_sesid = x->sesid;
	}
}

static const uint8_t *given_key(const struct smb_shared *sh, uint64_t sesid)
{
	for (unsigned i = 0; i < sh->nkeys; i++)
		if (sh->keys[i].sesid == sesid)
			return sh->keys[i].key;
	return NULL;
}

static const char *signing_name(uint16_t alg)
{
	return wl_tok(signing_names, alg, "?");
}

/* Keys for the session of a login's last request, from the NT password and
 * its NTLMv2 response, or from --smb-key. */
static void login_keys(struct smb2 *x, const struct auth_info *ai)
{
	struct smb_state *s = x->s;
	if (!s->crypto)
		return;
	uint8_t key[16];
	const char *from = NULL;
	if (s->sh->have_nt_hash && ai->ntlm.type == 3) {
		enum wl_ntlmssp_key r = wl_ntlmssp_session_key(ai->ntlm_blob, s->sh->nt_hash,
							       s->have_challenge ? s->challenge : NULL, key);
		if (r == WL_NTLMSSP_KEY_OK)
			from = "the NT password";
		else
			wl_note(x->m, r == WL_NTLMSSP_KEY_WRONG_PASSWORD ? WL_WARN : WL_INFO,
				"no SMB keys from the NT password given: %s", wl_ntlmssp_key_why(r));
	}
	const uint8_t *given = given_key(s->sh, x->sesid);
	if (!from && given) {
		memcpy(key, given, 16);
		from = "--smb-key";
	}
	if (!from)
		return;
	uint16_t dialect = s->dialect ? s->dialect : 0x0300;
	struct smb_sess *e = sess_take(s, x->sesid);
	if (!e)
		return;
	if (smb3_derive(&e->k, dialect, s->cipher, s->signing, key,
			dialect == 0x0311 ? s->setup_hash : NULL) < 0) {
		e->used = 0;
		wl_note(x->m, WL_ERROR, "SMB key derivation failed in the crypto library");
		return;
	}
	e->key_from = from;
	e->auth_frame = wl_frame(x->ctx);
	e->confirmed = 0;
	e->keyed = 1;
	if (dialect >= 0x0300)
		wl_note(x->m, WL_INFO, "session 0x%016llx: keys derived from %s (SMB %s KDF%s): signing "
			"%s, encryption %s", (unsigned long long)x->sesid, from,
			dialect == 0x0311 ? "3.1.1" : "3.0", dialect == 0x0311 ?
			" over the pre-authentication hash" : "", signing_name(e->k.signing),
			smb3_cipher_name(e->k.cipher));
	else
		wl_note(x->m, WL_INFO, "session 0x%016llx: session key from %s (SMB 2 signs with "
			"HMAC-SHA256 of it)", (unsigned long long)x->sesid, from);
	if (!s->dialect)
		wl_note(x->m, WL_INFO, "the NEGOTIATE is not in the capture: keys derived as for SMB 3.0");
}

/* A signed message against the session's signing key. */
static void check_signature(struct smb2 *x)
{
	if (!(x->flags & F_SIGNED) || !x->s->crypto)
		return;
	const struct smb_sess *e = keys_find(x->s, x->sesid);
	size_t n;
	const uint8_t *p = msg_bytes(x, &n);
	uint8_t sig[16];
	if (!e || !p || n < 64 || smb3_sign(&e->k, p, n, sig) < 0)
		return;
	int final_setup = x->cmd == C_SESSION_SETUP && x->resp;
	if (memcmp(sig, p + 48, 16) == 0) {
		if (final_setup)
			wl_note(x->m, WL_INFO, "the signature verifies (%s with the key from %s): the "
				"session key is right", signing_name(e->k.signing), e->key_from);
		return;
	}
	wl_note(x->m, WL_WARN, "the signature does not verify (%s with the key from %s): %s",
		signing_name(e->k.signing), e->key_from, final_setup ?
		"the session key is wrong (another password?)" : "the message was altered, or "
		"this channel has its own signing key");
}

static void do_negotiate(struct smb2 *x)
{
	struct wl_cur b = x->body;
	char buf[16];
	if (!x->resp) {
		wl_skip(&b, 2);
		uint16_t count = wl_le16(&b), mode = wl_le16(&b);
		wl_skip(&b, 2);
		uint32_t caps = wl_le32(&b);
		const uint8_t *guid = wl_bytes(&b, 16);
		uint32_t ctx_off = wl_le32(&b);
		uint16_t ctx_count = wl_le16(&b);
		wl_skip(&b, 2);
		if (!wl_ok(&b)) {
			wl_note_cursor(x->m, &b, "NEGOTIATE request");
			return;
		}
		sec_mode(x, mode);
		f_caps(x, caps);
		char g[40];
		smb2_guid_str(guid, g, sizeof g);
		wl_f_cstr(x->m, "smb2.client_guid", g);
		struct line l = { .n = 0 };
		int has311 = 0;
		for (unsigned i = 0; i < count && wl_left(&b) >= 2; i++) {
			uint16_t d = wl_le16(&b);
			wl_f_hex(x->m, "smb2.dialect", d);
			line_cat(&l, i ? ", " : "", dialect_name(d, buf, sizeof buf) + 4);
			has311 |= d == 0x0311;
		}
		line_add(&x->text, " dialects %s", l.s);
		wl_note(x->m, WL_INFO, "client offers SMB dialects %s; the server picks the highest it "
			"speaks", l.s);
		if (has311 && ctx_count)
			neg_contexts(x, ctx_off, ctx_count);
		return;
	}
	wl_skip(&b, 2);
	uint16_t mode = wl_le16(&b), dialect = wl_le16(&b), ctx_count = wl_le16(&b);
	const uint8_t *guid = wl_bytes(&b, 16);
	uint32_t caps = wl_le32(&b);
	wl_skip(&b, 12 + 16);
	uint16_t sb_off = wl_le16(&b), sb_len = wl_le16(&b);
	uint32_t ctx_off = wl_le32(&b);
	if (!wl_ok(&b)) {
		wl_note_cursor(x->m, &b, "NEGOTIATE response");
		return;
	}
	wl_f_hex(x->m, "smb2.dialect", dialect);
	x->s->dialect = dialect;
	x->s->cipher = dialect == 0x0300 || dialect == 0x0302 ? SMB3_AES128_CCM : SMB3_CIPHER_NONE;
	x->s->signing = dialect >= 0x0300 ? SMB3_SIGN_AES_CMAC : SMB3_SIGN_HMAC_SHA256;
	sec_mode(x, mode);
	f_caps(x, caps);
	char g[40];
	smb2_guid_str(guid, g, sizeof g);
	wl_f_cstr(x->m, "smb2.server_guid", g);
	const char *dn = dialect_name(dialect, buf, sizeof buf);
	line_cat(&x->text, " ", dn);
	if (dialect == 0x02ff)
		wl_note(x->m, WL_INFO, "server answers the SMB1 negotiate with the SMB2 wildcard 2.???: "
			"the client must negotiate again in SMB2 (the upgrade from SMB1)");
	else if (x->s->smb1_offered_smb2 && x->mid == 0)
		wl_note(x->m, WL_INFO, "server answers the SMB1 negotiate in SMB2 and chooses %s: the "
			"upgrade from SMB1", dn);
	else
		wl_note(x->m, WL_INFO, "server chooses %s from the client's list", dn);
	if (!(mode & 2))
		wl_note(x->m, WL_WARN, "signing enabled but not required: unsigned messages could be "
			"altered by a man in the middle");
	if (dialect >= 0x0300 && dialect != 0x02ff && (caps & 0x40))
		wl_note(x->m, WL_INFO, "server can encrypt (SMB3)");
	wl_flow_fact(x->ctx, "dialect", "%s", dn);
	struct wl_cur blob;
	if (smb2_buf(x, sb_off, sb_len, "security buffer", &blob) && wl_left(&blob)) {
		struct auth_info ai;
		security_blob(x, blob, &ai);
		if (ai.mechs[0])
			wl_note(x->m, WL_INFO, "server's login mechanisms (SPNEGO): %s", ai.mechs);
	}
	if (dialect == 0x0311 && ctx_count)
		neg_contexts(x, ctx_off, ctx_count);
}

static void do_session_setup(struct smb2 *x)
{
	struct wl_cur b = x->body;
	uint16_t sb_off, sb_len, sflags = 0;
	if (!x->resp) {
		wl_skip(&b, 3);
		uint8_t mode = wl_u8(&b);
		uint32_t caps = wl_le32(&b);
		wl_skip(&b, 4);
		sb_off = wl_le16(&b);
		sb_len = wl_le16(&b);
		wl_skip(&b, 8);
		if (wl_ok(&b)) {
			sec_mode(x, mode);
			f_caps(x, caps);
		}
	} else {
		wl_skip(&b, 2);
		sflags = wl_le16(&b);
		sb_off = wl_le16(&b);
		sb_len = wl_le16(&b);
		if (wl_ok(&b))
			wl_f_hex(x->m, "smb2.session_flags", sflags);
	}
	if (!wl_ok(&b)) {
		wl_note_cursor(x->m, &b, "SESSION_SETUP");
		return;
	}
	struct auth_info ai;
	struct wl_cur blob;
	memset(&ai, 0, sizeof ai);
	if (smb2_buf(x, sb_off, sb_len, "security buffer", &blob))
		security_blob(x, blob, &ai);
	const char *tn = wl_ntlmssp_type_name(ai.ntlm.type);
	if (tn)
		line_cat(&x->text, " ", tn);
	if (ai.ntlm.type == 1)
		wl_note(x->m, WL_INFO, "client starts an NTLM login (NTLMSSP inside SPNEGO)");
	if (ai.ntlm.type == 2 && ai.ntlm.have_challenge) {
		memcpy(x->s->challenge, ai.ntlm.challenge, 8);
		x->s->have_challenge = 1;
	}
	if (!x->resp && ai.ntlm.type == 3) {
		struct smb_sess *e = sess_take(x->s, x->sesid);
		if (e) {
			wl_snprintf(e->acct, sizeof e->acct, "%s", ai.ntlm.user);
			wl_snprintf(e->domain, sizeof e->domain, "%s", ai.ntlm.domain);
			wl_snprintf(e->host, sizeof e->host, "%s", ai.ntlm.host);
			e->auth_frame = wl_frame(x->ctx);
		}
	}
	if (!x->resp)
		login_keys(x, &ai);
	if (ai.ntlm.type == 2)
		wl_note(x->m, WL_INFO, "server sends its 8-byte challenge%s%s; the client must prove "
			"it knows the password by answering it", ai.ntlm.target[0] ? " as " : "", ai.ntlm.target);
	if (ai.ntlm.type == 3) {
		line_add(&x->text, " %s%s%s", ai.ntlm.domain, ai.ntlm.domain[0] ? "\\" : "", ai.ntlm.user);
		if (ai.ntlm.kind && strcmp(ai.ntlm.kind, "anonymous") == 0)
			wl_note(x->m, WL_INFO, "anonymous login (null session) from host %s", ai.ntlm.host);
		else
			wl_note(x->m, WL_INFO, "user %s\\%s logs in from host %s (%s response: a hash of "
				"the password and the challenge, not the password)", ai.ntlm.domain, ai.ntlm.user,
				ai.ntlm.host[0] ? ai.ntlm.host : "(not named)", ai.ntlm.kind ? ai.ntlm.kind : "?");
		if (ai.ntlm.kind && strcmp(ai.ntlm.kind, "NTLMv1") == 0)
			wl_note(x->m, WL_WARN, "NTLMv1 response: weak, crackable from a capture");
		wl_flow_fact(x->ctx, "user", "%s\\%s from %s", ai.ntlm.domain, ai.ntlm.user, ai.ntlm.host);
	}
	if (ai.kerberos)
		wl_note(x->m, WL_INFO, "Kerberos login (%s)", ai.mechs);
	if (x->resp && x->status == ST_SUCCESS) {
		const char *who = (sflags & 1) ? " as guest" : (sflags & 2) ? " as anonymous" : "";
		wl_note(x->m, WL_INFO, "login succeeded%s: the session id names this login from now on", who);
		wl_flow_fact(x->ctx, "login", "succeeded%s", who);
		if (sflags & 4)
			wl_note(x->m, WL_INFO, "server requires encryption for this session: from here on "
				"every message is an SMB3 transform (encrypted)");
		struct smb_sess *e = sess_find(x->s, x->sesid);
		if (e) {
			e->confirmed = 1;
			e->auth_frame = wl_frame(x->ctx);
		}
	}
	if (x->resp && x->status != ST_MORE_PROCESSING)
		x->s->setup_active = 0;
}

static void do_tree_connect(struct smb2 *x)
{
	struct wl_cur b = x->body;
	if (!x->resp) {
		wl_skip(&b, 4);
		uint16_t off = wl_le16(&b), len = wl_le16(&b);
		if (!wl_ok(&b)) {
			wl_note_cursor(x->m, &b, "TREE_CONNECT request");
			return;
		}
		char path[SMB_NAME];
		smb2_name(x, off, len, "share path", path, sizeof path);
		wl_f_cstr(x->m, "smb2.tree", path);
		line_cat(&x->text, " ", path);
		wl_note(x->m, WL_INFO, "client connects to the share %s", path);
		if (x->req)
			wl_snprintf(x->req->name, sizeof x->req->name, "%s", path);
		return;
	}
	wl_skip(&b, 2);
	uint8_t type = wl_u8(&b);
	wl_skip(&b, 1);
	uint32_t sflags = wl_le32(&b);
	if (!wl_ok(&b)) {
		wl_note_cursor(x->m, &b, "TREE_CONNECT response");
		return;
	}
	wl_f_hex(x->m, "smb2.share_type", type);
	wl_f_hex(x->m, "smb2.share_flags", sflags);
	struct wl_cur a = b;
	wl_skip(&a, 4);
	uint32_t access = wl_le32(&a);
	if (wl_ok(&a))
		wl_f_hex(x->m, "smb.access_mask", access);   /* the access granted on the share */
	const char *tn = wl_tok(share_types, type, "unknown");
	line_add(&x->text, " %s tid 0x%x", tn, x->tid);
	if (x->req && x->req->name[0]) {
		tree_add(x->s, x->sesid, x->tid, x->req->name, type);
		struct smb_tree *t = (struct smb_tree *)tree_find(x->s, x->sesid, x->tid);
		if (t)
			t->frame = wl_frame(x->ctx);
		wl_note(x->m, WL_INFO, "connected to %s (%s share): tree id 0x%x names it from now on",
			x->req->name, tn, x->tid);
	}
	if (sflags & 0x8000)
		wl_note(x->m, WL_INFO, "this share requires encryption: its traffic is SMB3 transforms");
}

static void access_text(uint32_t a, struct line *l)
{
	if (a & 0x80000000u || a & 0x1)
		line_add(l, "read");
	if (a & 0x40000000u || a & 0x6)
		line_add(l, "%swrite", l->n ? "+" : "");
	if (a & 0x10000)
		line_add(l, "%sdelete", l->n ? "+" : "");
	if (a & 0x02000000)
		line_add(l, "%smax", l->n ? "+" : "");
	if (!l->n)
		line_add(l, "attributes");
}

/* The frame that opened a file id, under its id (-v), as tshark does
 * (dcerpc.nt.open_frame; its close_frame would need the frames to come). */
static void f_open_frame(struct smb2 *x, const uint8_t *fid)
{
	const struct smb_fid *f = x->verbose ? fid_entry(x->s, fid) : NULL;
	if (f && f->open_frame)
		wl_f_uint(x->m, "dcerpc.nt.open_frame", f->open_frame);
}

/* A 16-byte file id as tshark shows it (smb2.fid), no lookup. */
static void f_fid_bytes(struct smb2 *x, struct wl_cur d)
{
	const uint8_t *fid = wl_bytes(&d, 16);
	if (!fid)
		return;
	char g[40];
	smb2_guid_str(fid, g, sizeof g);
	wl_f_cstr(x->m, "smb2.fid", g);
}

/* The maximal access a server answers an MxAc context with (after its status). */
static void mxac_response(struct smb2 *x, struct wl_cur d)
{
	wl_skip(&d, 4);
	uint32_t access = wl_le32(&d);
	if (wl_ok(&d))
		wl_f_hex(x->m, "smb.access_mask", access);
}

/* One create context ([MS-SMB2] 2.2.13.2, 2.2.14.2): a durable handle request
 * (DHnQ, 16 reserved bytes) or reconnect (DHnC, the handle) carries a file id,
 * which tshark shows as smb2.fid; the answer to MxAc an access mask. Returns
 * the offset of the next, 0 at the end. */
static uint32_t create_context(struct smb2 *x, struct wl_cur c)
{
	struct wl_cur h = c;
	uint32_t next = wl_le32(&h);
	uint16_t noff = wl_le16(&h), nlen = wl_le16(&h);
	wl_skip(&h, 2);
	uint16_t doff = wl_le16(&h);
	uint32_t dlen = wl_le32(&h);
	if (!wl_ok(&h)) {
		wl_note_cursor(x->m, &h, "create context");
		return 0;
	}
	struct wl_cur n = wl_at(&c, noff, nlen), d = wl_at(&c, doff, dlen);
	const uint8_t *tag = nlen == 4 ? wl_bytes(&n, 4) : NULL;
	if (tag && (memcmp(tag, "DHnQ", 4) == 0 || memcmp(tag, "DHnC", 4) == 0) && !x->resp)
		f_fid_bytes(x, d);
	else if (tag && memcmp(tag, "MxAc", 4) == 0 && x->resp)
		mxac_response(x, d);
	return next;
}

/* The chain of create contexts at (offset, length) from the header. */
static void create_contexts(struct smb2 *x, uint32_t off, uint32_t len)
{
	struct wl_cur all;
	if (!len || !smb2_buf(x, off, len, "create contexts", &all))
		return;
	size_t at = 0;
	for (unsigned i = 0; i < SMB2_CTX_MAX; i++) {
		uint32_t next = create_context(x, wl_at(&all, at, wl_left(&all) - at));
		if (!next)
			return;
		if (next < 16 || next > wl_left(&all) - at) {
			wl_note(x->m, WL_ERROR, "malformed: create context %u's next offset %u points "
				"outside the contexts", i, next);
			return;
		}
		at += next;
	}
	wl_note(x->m, WL_WARN, "more than %u create contexts: the rest is not read", SMB2_CTX_MAX);
}

static void do_create(struct smb2 *x)
{
	struct wl_cur b = x->body;
	if (!x->resp) {
		wl_skip(&b, 2 + 4 + 8 + 8 + 2);
		uint32_t access = wl_le32(&b);
		wl_skip(&b, 8);
		uint32_t disp = wl_le32(&b);
		wl_skip(&b, 4);
		uint16_t off = wl_le16(&b), len = wl_le16(&b);
		if (!wl_ok(&b)) {
			wl_note_cursor(x->m, &b, "CREATE request");
			return;
		}
		char name[SMB_NAME];
		struct line acc = { .n = 0 };
		access_text(access, &acc);
		smb2_name(x, off, len, "file name", name, sizeof name);
		if (name[0])
			wl_f_cstr(x->m, "smb2.filename", name);
		wl_f_hex(x->m, "smb.access_mask", access);
		wl_f_uint(x->m, "smb2.create.disposition", disp);
		struct wl_cur cc = b;
		uint32_t coff = wl_le32(&cc), clen = wl_le32(&cc);
		if (wl_ok(&cc))
			create_contexts(x, coff, clen);
		line_cat(&x->text, " ", name[0] ? name : "\\ (share root)");
		wl_note(x->m, WL_INFO, "open %s for %s (%s)", name[0] ? name : "the share root",
			acc.s, wl_tok(dispositions, disp, "?"));
		if (x->req)
			wl_snprintf(x->req->name, sizeof x->req->name, "%s", name[0] ? name : "\\");
		return;
	}
	wl_skip(&b, 4);
	uint32_t action = wl_le32(&b);
	wl_skip(&b, 16);
	uint64_t wtime = wl_le64(&b);
	wl_skip(&b, 8 + 8);
	uint64_t eof = wl_le64(&b);
	uint32_t attrs = wl_le32(&b);
	wl_skip(&b, 4);
	const uint8_t *fid = wl_bytes(&b, 16);
	if (!wl_ok(&b)) {
		wl_note_cursor(x->m, &b, "CREATE response");
		return;
	}
	struct wl_cur cc = b;
	uint32_t coff = wl_le32(&cc), clen = wl_le32(&cc);
	if (wl_ok(&cc))
		create_contexts(x, coff, clen);
	char g[40];
	smb2_guid_str(fid, g, sizeof g);
	wl_f_uint(x->m, "smb2.create.action", action);
	wl_f_time(x->m, "smb2.last_write.time", filetime_ns(wtime));
	wl_f_uint(x->m, "smb2.eof", eof);
	wl_f_cstr(x->m, "smb2.fid", g);
	const char *name = x->req && x->req->name[0] ? x->req->name : "?";
	fid_add(x->s, fid, name, wl_frame(x->ctx));
	f_open_frame(x, fid);
	if (attrs & 0x10)
		line_add(&x->text, " %s (folder)", name);
	else
		line_add(&x->text, " %s %llu bytes", name, (unsigned long long)eof);
	wl_note(x->m, WL_INFO, "%s %s: file id %s", wl_tok(create_actions, action, "opened"), name, g);
}

static const uint8_t *fid_at(struct wl_cur *b, struct smb2 *x)
{
	const uint8_t *fid = wl_bytes(b, 16);
	if (fid) {
		char g[40];
		smb2_guid_str(fid, g, sizeof g);
		wl_f_cstr(x->m, "smb2.fid", g);
		f_open_frame(x, fid);
	}
	return fid;
}

/* A CLOSE response's attributes ([MS-SMB2] 2.2.16): tshark shows the last
 * write time and end of file even when the flags say they are not set (0). */
static void close_response(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 8 + 16);
	uint64_t wtime = wl_le64(&b);
	wl_skip(&b, 8 + 8);
	uint64_t eof = wl_le64(&b);
	if (!wl_ok(&b)) {
		wl_note_cursor(x->m, &b, "CLOSE response");
		return;
	}
	wl_f_time(x->m, "smb2.last_write.time", filetime_ns(wtime));
	wl_f_uint(x->m, "smb2.eof", eof);
}

static void do_close(struct smb2 *x)
{
	struct wl_cur b = x->body;
	if (x->resp) {
		close_response(x);
		return;
	}
	wl_skip(&b, 8);
	const uint8_t *fid = fid_at(&b, x);
	const char *n = fid_find(x->s, fid);
	if (n)
		line_cat(&x->text, " ", n);
	if (!fid)
		wl_note_cursor(x->m, &b, "CLOSE request");
}

/* READ and WRITE share their layout: the request has length, offset and file
 * id after 4 bytes, the response a byte count after 4 bytes; only the field
 * names differ. */
static void read_write(struct smb2 *x, const char *what, const char *req_len, const char *resp_len)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 4);
	uint32_t len = wl_le32(&b);
	if (x->resp) {
		if (!wl_ok(&b)) {
			char unit[32];
			wl_snprintf(unit, sizeof unit, "%s response", what);
			wl_note_cursor(x->m, &b, unit);
			return;
		}
		if (resp_len)
			wl_f_uint(x->m, resp_len, len);
		line_add(&x->text, " %u bytes", len);
		return;
	}
	uint64_t off = wl_le64(&b);
	const uint8_t *fid = fid_at(&b, x);
	if (!wl_ok(&b)) {
		char unit[32];
		wl_snprintf(unit, sizeof unit, "%s request", what);
		wl_note_cursor(x->m, &b, unit);
		return;
	}
	wl_f_uint(x->m, req_len, len);
	wl_f_uint(x->m, "smb2.file_offset", off);
	const char *n = fid_find(x->s, fid);
	line_add(&x->text, " %s%s%u bytes @ %llu", n ? n : "", n ? " " : "", len, (unsigned long long)off);
}

static void do_read(struct smb2 *x)
{
	/* tshark names the response's length smb2.olb.length (-v), not read_length */
	read_write(x, "READ", "smb2.read_length", NULL);
}

static void do_write(struct smb2 *x)
{
	read_write(x, "WRITE", "smb2.write_length", "smb2.write.count");
}

static void ioctl_dfs(struct smb2 *x, struct wl_cur in)
{
	wl_skip(&in, 2);
	char name[SMB_NAME];
	wl_note_utf16(x->m, wl_utf16_text(in, name, sizeof name, 1), "DFS referral name");
	line_cat(&x->text, " ", name);
	wl_note(x->m, WL_INFO, "client asks whether %s is a DFS link to somewhere else", name);
}

/* DCE/RPC through a named pipe (smb_rpc.c): bind, request, response. */
static void ioctl_pipe(struct smb2 *x, struct wl_cur in, const uint8_t *fid)
{
	struct smb_fid *f = fid_entry(x->s, fid);
	struct smb_rpc r;
	memset(&r, 0, sizeof r);
	r.m = x->m;
	r.verbose = x->verbose;
	r.pipe = f ? &f->rpc : NULL;
	r.call = x->req ? &x->req->rpc : NULL;
	r.now = wl_time_ns(x->ctx);
	r.frame = wl_frame(x->ctx);
	if (x->req && !x->resp) {
		x->req->rpc.frame = wl_frame(x->ctx);
		x->req->rpc.ts = r.now;
	}
	smb_rpc_pdu(&r, in);
	if (r.text[0])
		line_cat(&x->text, r.text, "");
}

static void f_attrs(struct smb2 *x, uint32_t a);

/* FSCTL_VALIDATE_NEGOTIATE_INFO ([MS-SMB2] §2.2.31.4, §2.2.32.6): the
 * NEGOTIATE's values again, now signed. */
static void ioctl_validate(struct smb2 *x, struct wl_cur in)
{
	char buf[16], g[40];
	uint32_t caps = wl_le32(&in);
	const uint8_t *guid = wl_bytes(&in, 16);
	uint16_t mode = wl_le16(&in);
	if (!wl_ok(&in))
		return;
	f_caps(x, caps);
	smb2_guid_str(guid, g, sizeof g);
	wl_f_cstr(x->m, x->resp ? "smb2.server_guid" : "smb2.client_guid", g);
	if (x->verbose)
		wl_f_hex(x->m, "smb2.sec_mode", mode & 0xff);
	if (!x->resp) {
		uint16_t count = wl_le16(&in);
		if (!wl_ok(&in))
			return;
		sec_mode(x, mode);
		if (x->verbose)
			wl_f_uint(x->m, "smb2.dialect_count", count);
		for (unsigned i = 0; i < count && wl_left(&in) >= 2; i++)
			wl_f_hex(x->m, "smb2.dialect", wl_le16(&in));
		wl_note(x->m, WL_INFO, "client repeats the negotiation under signing so that a man "
			"in the middle cannot have downgraded it");
		return;
	}
	uint16_t dialect = wl_le16(&in);
	if (!wl_ok(&in))
		return;
	sec_mode(x, mode);
	wl_f_hex(x->m, "smb2.dialect", dialect);
	wl_note(x->m, WL_INFO, "server confirms the negotiation: %s", dialect_name(dialect, buf, sizeof buf));
}

static void do_ioctl(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 4);
	uint32_t ctl = wl_le32(&b);
	const uint8_t *fid = fid_at(&b, x);
	uint32_t in_off = wl_le32(&b), in_len = wl_le32(&b);
	if (!x->resp)
		wl_skip(&b, 4);
	uint32_t out_off = wl_le32(&b), out_len = wl_le32(&b);
	if (!wl_ok(&b)) {
		wl_note_cursor(x->m, &b, "IOCTL");
		return;
	}
	wl_f_hex(x->m, "smb2.ioctl.function", ctl);
	if (x->resp) {
		struct wl_cur f = b;
		uint32_t fl = wl_le32(&f);
		if (wl_ok(&f))
			wl_f_hex(x->m, "smb2.flags", fl);   /* tshark reuses the header's name here */
	}
	char buf[16];
	const char *nm = wl_tok(fsctl_names, ctl, NULL);
	if (!nm) {
		wl_snprintf(buf, sizeof buf, "0x%08x", ctl);
		nm = buf;
	}
	line_cat(&x->text, " ", nm);
	struct wl_cur in;
	if (!x->resp && !smb2_buf(x, in_off, in_len, "IOCTL input", &in))
		return;
	if (x->resp && !smb2_buf(x, out_off, out_len, "IOCTL output", &in))
		return;
	if (!x->resp && (ctl == 0x00060194 || ctl == 0x000601b0))
		ioctl_dfs(x, in);
	else if (ctl == 0x00140204 && wl_left(&in))
		ioctl_validate(x, in);
	else if (ctl == 0x0011c017)
		ioctl_pipe(x, in, fid);
}

/* The name of one directory entry of a given information class. */
/* A directory entry's other parts (-v), as tshark names them: the header,
 * times, sizes, attributes, and by class the EA size, short name and file
 * id ([MS-FSCC] §2.4.8, .10, .14, .17, .18). */
static void v_dir_entry(struct smb2 *x, struct wl_cur e, uint8_t klass)
{
	uint32_t next = wl_le32(&e), idx = wl_le32(&e);
	if (!wl_ok(&e))
		return;
	wl_f_uint(x->m, "smb2.next_offset", next);
	wl_f_hex(x->m, "smb2.file_index", idx);
	if (klass == 12) {
		uint32_t nlen = wl_le32(&e);
		if (wl_ok(&e))
			wl_f_uint(x->m, "smb2.filename.len", nlen);
		return;
	}
	uint64_t ct = wl_le64(&e), at = wl_le64(&e);
	wl_skip(&e, 8);
	uint64_t cht = wl_le64(&e);
	wl_skip(&e, 8);
	uint64_t alloc = wl_le64(&e);
	uint32_t attrs = wl_le32(&e), nlen = wl_le32(&e);
	if (!wl_ok(&e))
		return;
	wl_f_time(x->m, "smb2.create.time", filetime_ns(ct));
	wl_f_time(x->m, "smb2.last_access.time", filetime_ns(at));
	wl_f_time(x->m, "smb2.last_change.time", filetime_ns(cht));
	wl_f_uint(x->m, "smb2.allocation_size", alloc);
	f_attrs(x, attrs);
	wl_f_uint(x->m, "smb2.filename.len", nlen);
	if (klass == 1)
		return;
	uint32_t ea = wl_le32(&e);
	if (!wl_ok(&e))
		return;
	wl_f_uint(x->m, "smb2.ea_size", ea);
	if (klass == 3 || klass == 37) {
		uint8_t slen = wl_u8(&e);
		const uint8_t *res = wl_bytes(&e, 1);
		struct wl_cur sn = wl_sub(&e, 24);
		if (!wl_ok(&e))
			return;
		wl_f_uint(x->m, "smb2.short_name_len", slen);
		wl_f_bytes(x->m, "smb2.reserved", res, 1);
		if (slen) {
			char sname[32];
			wl_utf16_text(wl_at(&sn, 0, slen < 24 ? slen : 24), sname, sizeof sname, 0);
			wl_f_cstr(x->m, "smb2.shortname", sname);
		}
	}
	if (klass == 37 || klass == 38) {
		size_t rn = klass == 37 ? 2 : 4;
		const uint8_t *res = wl_bytes(&e, rn);
		uint64_t id = wl_le64(&e);
		if (!wl_ok(&e))
			return;
		wl_f_bytes(x->m, "smb2.reserved", res, rn);
		wl_f_hex(x->m, "smb2.file_id", id);
	}
}

static int dir_entry(struct smb2 *x, struct wl_cur e, uint8_t klass, struct line *names)
{
	struct wl_cur entry = e;
	wl_skip(&e, 8);
	uint64_t wtime = 0, eof = 0;
	uint32_t attrs = 0, nlen;
	size_t skip_after;
	if (klass == 12) {
		nlen = wl_le32(&e);
		skip_after = 0;
	} else {
		wl_skip(&e, 16);
		wtime = wl_le64(&e);
		wl_skip(&e, 8);
		eof = wl_le64(&e);
		wl_skip(&e, 8);
		attrs = wl_le32(&e);
		nlen = wl_le32(&e);
		switch (klass) {
		case 1: skip_after = 0; break;
		case 2: skip_after = 4; break;
		case 3: skip_after = 4 + 2 + 24; break;
		case 37: skip_after = 4 + 2 + 24 + 2 + 8; break;
		case 38: skip_after = 4 + 4 + 8; break;
		default: return 0;
		}
	}
	wl_skip(&e, skip_after);
	struct wl_cur nm = wl_sub(&e, nlen);
	if (!wl_ok(&e)) {
		wl_note_cursor(x->m, &e, "directory entry");
		return 0;
	}
	char name[SMB_NAME];
	wl_note_utf16(x->m, wl_utf16_text(nm, name, sizeof name, 0), "directory entry name");
	wl_f_cstr(x->m, "smb2.filename", name);
	if (klass != 12) {
		wl_f_uint(x->m, "smb2.eof", eof);
		wl_f_time(x->m, "smb2.last_write.time", filetime_ns(wtime));
	}
	if (x->verbose)
		v_dir_entry(x, entry, klass);
	if (attrs & 0x10)
		line_add(names, "%s%s/", names->n ? ", " : "", name);
	else if (klass != 12)
		line_add(names, "%s%s (%llu B)", names->n ? ", " : "", name, (unsigned long long)eof);
	else
		line_cat(names, names->n ? ", " : "", name);
	return 1;
}

static void do_query_directory(struct smb2 *x)
{
	struct wl_cur b = x->body;
	if (!x->resp) {
		wl_skip(&b, 2);
		uint8_t klass = wl_u8(&b);
		wl_skip(&b, 1 + 4);
		const uint8_t *fid = fid_at(&b, x);
		uint16_t off = wl_le16(&b), len = wl_le16(&b);
		if (!wl_ok(&b)) {
			wl_note_cursor(x->m, &b, "QUERY_DIRECTORY request");
			return;
		}
		char pat[SMB_NAME];
		smb2_name(x, off, len, "search pattern", pat, sizeof pat);
		wl_f_uint(x->m, "smb2.find.infolevel", klass);
		wl_f_cstr(x->m, "smb2.find.pattern", pat);
		const char *dir = fid_find(x->s, fid);
		line_add(&x->text, " %s%s%s", dir ? dir : "", dir ? " " : "", pat);
		wl_note(x->m, WL_INFO, "list the folder %s: names matching %s", dir ? dir : "", pat);
		if (x->req)
			x->req->klass = klass;
		return;
	}
	if (x->req)   /* tshark carries the request's class to the response */
		wl_f_uint(x->m, "smb2.find.infolevel", x->req->klass);
	wl_skip(&b, 2);
	uint16_t off = wl_le16(&b);
	uint32_t len = wl_le32(&b);
	struct wl_cur buf;
	if (!wl_ok(&b)) {
		wl_note_cursor(x->m, &b, "QUERY_DIRECTORY response");
		return;
	}
	if (!smb2_buf(x, off, len, "directory listing", &buf))
		return;
	if (!x->req) {
		wl_note(x->m, WL_INFO, "directory entries (%u bytes); the request is not in the capture", len);
		return;
	}
	struct line names = { .n = 0 };
	unsigned n = 0;
	size_t pos = 0, total = wl_left(&buf);
	while (pos < total && n < 1024) {
		struct wl_cur e = wl_at(&buf, pos, total - pos);
		uint32_t next = wl_le32(&e);
		struct wl_cur one = wl_at(&buf, pos, next ? next : total - pos);
		if (!dir_entry(x, one, x->req->klass, &names))
			break;
		n++;
		if (!next)
			break;
		if (next > total - pos) {
			wl_note(x->m, WL_ERROR, "malformed: directory entry offset %u points outside the listing",
				next);
			break;
		}
		pos += next;
	}
	line_add(&x->text, " %u entries", n);
	if (n)
		wl_note(x->m, WL_INFO, "entries: %s", names.s);
}

/* FileAllInformation ([MS-FSCC] 2.4.2): its basic part's last write time,
 * its standard part's end of file and its access part's mask, under the
 * names tshark gives them here (for FileStandardInformation alone tshark
 * uses smb.end_of_file instead). */
static void all_info_fields(struct smb2 *x, struct wl_cur info)
{
	wl_skip(&info, 16);
	uint64_t wtime = wl_le64(&info);
	wl_skip(&info, 8 + 8 + 8);
	uint64_t eof = wl_le64(&info);
	if (!wl_ok(&info))
		return;
	wl_f_time(x->m, "smb2.last_write.time", filetime_ns(wtime));
	wl_f_uint(x->m, "smb2.eof", eof);
	wl_skip(&info, 4 + 1 + 1 + 2 + 8 + 4);   /* links, flags, reserved; internal; EA size */
	uint32_t access = wl_le32(&info);
	if (wl_ok(&info))
		wl_f_hex(x->m, "smb.access_mask", access);
}

static void do_query_info(struct smb2 *x)
{
	struct wl_cur b = x->body;
	if (!x->resp) {
		wl_skip(&b, 2);
		uint8_t itype = wl_u8(&b), klass = wl_u8(&b);
		wl_skip(&b, 4 + 2 + 2 + 4 + 4 + 4);
		const uint8_t *fid = fid_at(&b, x);
		if (!wl_ok(&b)) {
			wl_note_cursor(x->m, &b, "QUERY_INFO request");
			return;
		}
		static const struct wl_tok itypes[] = {
			{ 1, "file" }, { 2, "filesystem" }, { 3, "security" }, { 4, "quota" }, { 0, NULL },
		};
		const char *n = fid_find(x->s, fid);
		line_add(&x->text, " %s%s%s class %u", n ? n : "", n ? " " : "",
			 wl_tok(itypes, itype, "?"), klass);
		if (x->req) {
			x->req->itype = itype;
			x->req->klass = klass;
		}
		return;
	}
	wl_skip(&b, 2);
	uint16_t off = wl_le16(&b);
	uint32_t len = wl_le32(&b);
	struct wl_cur buf;
	if (!wl_ok(&b) || !smb2_buf(x, off, len, "info buffer", &buf) || !x->req || x->req->itype != 1)
		return;
	/* FileAllInformation ends with the name; FileNameInformation is the name. */
	if (x->req->klass == 18) {
		all_info_fields(x, buf);
		wl_skip(&buf, 96);
	}
	else if (x->req->klass != 9 && x->req->klass != 48)
		return;
	uint32_t nlen = wl_le32(&buf);
	struct wl_cur nm = wl_sub(&buf, nlen);
	if (!wl_ok(&buf))
		return;
	char name[SMB_NAME];
	wl_note_utf16(x->m, wl_utf16_text(nm, name, sizeof name, 0), "file name");
	if (!name[0])
		return;
	wl_f_cstr(x->m, "smb2.filename", name);
	line_cat(&x->text, " ", name);
}

/* Requests whose body names a file id and little else tshark's default
 * output shows: FLUSH, LOCK, CHANGE_NOTIFY (id at 8), SET_INFO (at 16). */
static void do_fid_request(struct smb2 *x)
{
	if (x->resp)
		return;
	struct wl_cur b = x->body;
	wl_skip(&b, x->cmd == C_SET_INFO ? 16 : 8);
	const uint8_t *fid = fid_at(&b, x);
	if (!fid) {
		wl_note_cursor(x->m, &b, smb2_cmds[x->cmd].req);
		return;
	}
	const char *n = fid_find(x->s, fid);
	if (n)
		line_cat(&x->text, " ", n);
}

static void do_simple(struct smb2 *x)
{
	static const struct wl_tok teach[] = {
		{ C_LOGOFF, "the user's session ends" },
		{ C_TREE_DISCONNECT, "the client leaves the share" },
		{ C_ECHO, "keep-alive: is the server still there?" },
		{ C_CANCEL, "the client cancels a pending request" },
		{ 0, NULL },
	};
	const char *t = wl_tok(teach, x->cmd, NULL);
	if (t && !x->resp && x->cmd != C_NEGOTIATE)
		wl_note(x->m, WL_INFO, "%s", t);
	if (x->cmd == C_ECHO && x->s->encrypted_noted && !x->resp)
		wl_note(x->m, WL_INFO, "ECHO belongs to no session, so it travels unencrypted even now");
}

typedef void (*smb2_body_fn)(struct smb2 *x);

static const smb2_body_fn smb2_bodies[] = {
	[C_NEGOTIATE] = do_negotiate,
	[C_SESSION_SETUP] = do_session_setup,
	[C_LOGOFF] = do_simple,
	[C_TREE_CONNECT] = do_tree_connect,
	[C_TREE_DISCONNECT] = do_simple,
	[C_CREATE] = do_create,
	[C_CLOSE] = do_close,
	[C_READ] = do_read,
	[C_WRITE] = do_write,
	[C_IOCTL] = do_ioctl,
	[C_CANCEL] = do_simple,
	[C_ECHO] = do_simple,
	[C_QUERY_DIRECTORY] = do_query_directory,
	[C_QUERY_INFO] = do_query_info,
	[C_FLUSH] = do_fid_request,
	[C_LOCK] = do_fid_request,
	[C_CHANGE_NOTIFY] = do_fid_request,
	[C_SET_INFO] = do_fid_request,
};

/* Does a response carry the command's own body, or the error structure? */
static int normal_body(uint16_t cmd, uint32_t st)
{
	if (st == ST_SUCCESS || st == ST_BUFFER_OVERFLOW)
		return 1;
	return cmd == C_SESSION_SETUP && st == ST_MORE_PROCESSING;
}

/* What tshark reads from an error response's body as if it were the command's
 * own: a failed login's session flags, a failed listing's information class. */
static void error_as_body(struct smb2 *x)
{
	if (x->cmd == C_SESSION_SETUP) {
		struct wl_cur b = x->body;
		wl_skip(&b, 2);
		uint16_t fl = wl_le16(&b);
		if (wl_ok(&b))
			wl_f_hex(x->m, "smb2.session_flags", fl);
	} else if (x->cmd == C_QUERY_DIRECTORY && x->req) {
		wl_f_uint(x->m, "smb2.find.infolevel", x->req->klass);
	}
}

static void error_response(struct smb2 *x)
{
	error_as_body(x);
	const char *why = wl_tok(nt_status_why, x->status, NULL);
	char buf[16];
	const char *sn = status_name(x->status, buf, sizeof buf);
	if (x->status == ST_PENDING)
		wl_note(x->m, WL_INFO, "interim response: the server is still working on message %llu",
			(unsigned long long)x->mid);
	else if (x->status == ST_NO_MORE_FILES)
		wl_note(x->m, WL_INFO, "end of the listing: no more names");
	else if (x->status == 0xc0000011)
		wl_note(x->m, WL_INFO, "end of file: the client has read everything there is");
	else if (x->cmd == C_IOCTL && x->status == 0xc0000225)
		wl_note(x->m, WL_INFO, "%s: no DFS here, the path is what it says", sn);
	else if (why)
		wl_note(x->m, (x->status >> 30) == 3 ? WL_WARN : WL_INFO, "%s: %s", sn, why);
	else if ((x->status >> 30) == 3)
		wl_note(x->m, WL_INFO, "%s failed with %s", smb2_cmds[x->cmd < SMB2_NCMDS ? x->cmd : 0].name, sn);
	if (x->cmd == C_SESSION_SETUP && (x->status >> 30) == 3) {
		wl_flow_fact(x->ctx, "login", "failed: %s", sn);
		struct smb_sess *e = sess_find(x->s, x->sesid);
		if (e && !e->confirmed)
			e->used = 0;     /* keys of a login that failed name no session */
		x->s->setup_active = 0;
	}
}

/* ------------------------------------------------- SMB2 detail fields (-v) */

/* The wider Wireshark field set, emitted only with -v (or when a filter
 * needs it): each reads the body again on its own cursor, so the default
 * path costs nothing more. Names, types and order as tshark 4.0's. */

static void f_olb(struct smb2 *x, uint32_t off, uint32_t len)
{
	wl_f_hex(x->m, "smb2.olb.offset", off);
	wl_f_uint(x->m, "smb2.olb.length", len);
}

static void f_attrs(struct smb2 *x, uint32_t a)
{
	wl_f_hex(x->m, "smb2.file_attribute", a);
	smb_f_bits(x->m, a, attr_bits);
}

/* The buffer a (offset, length) pair names, as bytes, if it lies inside. */
static void f_blob(struct smb2 *x, const char *name, uint32_t off, uint32_t len)
{
	size_t have = wl_left(&x->msg);
	if (!len || off < 64 || off > have || len > have - off)
		return;
	struct wl_cur c = wl_at(&x->msg, off, len);
	wl_f_bytes(x->m, name, wl_bytes(&c, len), len);
}

/* The four FILETIMEs; the last write time only with_write (the default
 * output has it where it is shown by default). */
static void f_times(struct smb2 *x, struct wl_cur *b, int with_write)
{
	static const char *const names[] = { "smb2.create.time", "smb2.last_access.time",
					     "smb2.last_write.time", "smb2.last_change.time" };
	for (int i = 0; i < 4; i++) {
		uint64_t t = wl_le64(b);
		if (wl_ok(b) && (i != 2 || with_write))
			wl_f_time(x->m, names[i], filetime_ns(t));
	}
}

static void v_negotiate(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	if (!x->resp) {
		uint16_t count = wl_le16(&b), mode = wl_le16(&b);
		const uint8_t *res = wl_bytes(&b, 2);
		wl_skip(&b, 4 + 16);   /* capabilities: do_negotiate */
		uint32_t off = wl_le32(&b);
		uint16_t n = wl_le16(&b);
		const uint8_t *res2 = wl_bytes(&b, 2);
		if (!wl_ok(&b))
			return;
		/* tshark 4.0 reads the 3.1.1 fields whatever the dialects offered */
		wl_f_uint(x->m, "smb2.dialect_count", count);
		wl_f_hex(x->m, "smb2.sec_mode", mode & 0xff);
		wl_f_bytes(x->m, "smb2.reserved", res, 2);
		wl_f_bytes(x->m, "smb2.reserved", res2, 2);
		wl_f_hex(x->m, "smb2.negotiate_context.offset", off);
		wl_f_uint(x->m, "smb2.negotiate_context.count", n);
		return;
	}
	uint16_t mode = wl_le16(&b);
	wl_skip(&b, 2);   /* the dialect: do_negotiate */
	uint16_t n = wl_le16(&b);
	wl_skip(&b, 16);
	wl_skip(&b, 4);   /* capabilities: do_negotiate */
	uint32_t mt = wl_le32(&b), mr = wl_le32(&b), mw = wl_le32(&b);
	uint64_t now = wl_le64(&b), boot = wl_le64(&b);
	uint16_t sb_off = wl_le16(&b), sb_len = wl_le16(&b);
	uint32_t off = wl_le32(&b);
	if (!wl_ok(&b))
		return;
	/* tshark reads the 3.1.1 fields for every dialect */
	wl_f_hex(x->m, "smb2.sec_mode", mode & 0xff);
	wl_f_uint(x->m, "smb2.negotiate_context.count", n);
	wl_f_uint(x->m, "smb2.max_trans_size", mt);
	wl_f_uint(x->m, "smb2.max_read_size", mr);
	wl_f_uint(x->m, "smb2.max_write_size", mw);
	wl_f_time(x->m, "smb2.current_time", filetime_ns(now));
	wl_f_time(x->m, "smb2.boot_time", filetime_ns(boot));
	f_olb(x, sb_off, sb_len);
	f_blob(x, "smb2.security_blob", sb_off, sb_len);
	wl_f_hex(x->m, "smb2.negotiate_context.offset", off);
}

/* The parts of the negotiate contexts beyond type and ids (-v). */
static void v_context(struct smb2 *x, uint16_t type, struct wl_cur d, size_t len)
{
	wl_f_uint(x->m, "smb2.negotiate_context.data_length", len);
	if (type == 1) {
		uint16_t n = wl_le16(&d), salt = wl_le16(&d);
		wl_skip(&d, 2u * n);
		const uint8_t *p = wl_bytes(&d, salt);
		if (!wl_ok(&d))
			return;
		wl_f_uint(x->m, "smb2.negotiate_context.hash_alg_count", n);
		wl_f_uint(x->m, "smb2.negotiate_context.salt_length", salt);
		if (salt)
			wl_f_bytes(x->m, "smb2.negotiate_context.salt", p, salt);
	} else if (type == 2 || type == 8) {
		uint16_t n = wl_le16(&d);
		if (wl_ok(&d))
			wl_f_uint(x->m, type == 2 ? "smb2.negotiate_context.cipher_count" :
				  "smb2.negotiate_context.signing_alg_count", n);
	} else if (type == 3) {   /* compression capabilities (§2.2.3.1.3) */
		uint16_t n = wl_le16(&d);
		wl_skip(&d, 2);
		uint32_t fl = wl_le32(&d);
		if (!wl_ok(&d))
			return;
		wl_f_uint(x->m, "smb2.negotiate_context.comp_alg_count", n);
		wl_f_hex(x->m, "smb2.negotiate_context.comp_alg_flags", fl);
		wl_f_bool(x->m, "smb2.negotiate_context.comp_alg_flags.chained", fl & 1);
		wl_f_hex(x->m, "smb2.negotiate_context.comp_alg_flags.reserved", fl >> 1);
		for (unsigned k = 0; k < n && wl_left(&d) >= 2; k++)
			wl_f_hex(x->m, "smb2.negotiate_context.comp_alg_id", wl_le16(&d));
	} else if (type == 0x100 && len) {   /* SMB2_POSIX_EXTENSIONS: tshark shows its data as reserved */
		wl_f_bytes(x->m, "smb2.negotiate_context.posix_reserved", wl_bytes(&d, len), len);
	} else if (type == 5) {
		char name[SMB_NAME];
		wl_utf16_text(d, name, sizeof name, 0);
		wl_f_cstr(x->m, "smb2.negotiate_context.netname", name);
	}
}

static void v_session_setup(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	if (!x->resp) {
		uint8_t fl = wl_u8(&b), mode = wl_u8(&b);
		uint32_t caps = wl_le32(&b), chan = wl_le32(&b);
		uint16_t off = wl_le16(&b), len = wl_le16(&b);
		uint64_t prev = wl_le64(&b);
		if (!wl_ok(&b))
			return;
		wl_f_uint(x->m, "smb2.ses_req_flags", fl);
		wl_f_bool(x->m, "smb2.ses_req_flags.session_binding", fl & 1);
		wl_f_hex(x->m, "smb2.sec_mode", mode);
		(void)caps;   /* do_session_setup has them */
		wl_f_hex(x->m, "smb2.channel", chan);
		f_olb(x, off, len);
		f_blob(x, "smb2.security_blob", off, len);
		wl_f_hex(x->m, "smb2.previous_sesid", prev);
		return;
	}
	uint16_t fl = wl_le16(&b), off = wl_le16(&b), len = wl_le16(&b);
	if (!wl_ok(&b))
		return;
	smb_f_bits(x->m, fl, ses_bits);
	f_olb(x, off, len);
	static const uint8_t none[1];
	if (len)
		f_blob(x, "smb2.security_blob", off, len);
	else   /* tshark shows the answer's empty blob (a last leg, a failed login) */
		wl_f_bytes(x->m, "smb2.security_blob", none, 0);
}

static void v_tree_connect(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	if (!x->resp) {
		uint16_t fl = wl_le16(&b), off = wl_le16(&b), len = wl_le16(&b);
		if (!wl_ok(&b))
			return;
		wl_f_hex(x->m, "smb2.tc.flags", fl);
		smb_f_bits(x->m, fl, tc_bits);
		wl_f_hex(x->m, "smb2.tc.reserved", 0);
		f_olb(x, off, len);
		return;
	}
	wl_skip(&b, 1);
	const uint8_t *res = wl_bytes(&b, 1);
	uint32_t fl = wl_le32(&b), caps = wl_le32(&b), access = wl_le32(&b);
	if (!wl_ok(&b))
		return;
	wl_f_bytes(x->m, "smb2.reserved", res, 1);
	smb_f_bits(x->m, fl, share_flag_bits);
	wl_f_hex(x->m, "smb2.share.caching", fl & 0x30);   /* tshark: masked, not shifted */
	wl_f_hex(x->m, "smb2.share_caps", caps);
	smb_f_bits(x->m, caps, share_cap_bits);
	(void)access;   /* do_tree_connect has it */
}

/* The create contexts at (offset, length) from the header, in detail
 * (smb2_ctx.c); create_contexts notes a chain that does not fit. */
static void v_contexts(struct smb2 *x, uint32_t off, uint32_t len)
{
	size_t have = wl_left(&x->msg);
	if (len && off >= 64 && off <= have && len <= have - off)
		smb2_ctx_chain_v(x->m, wl_at(&x->msg, off, len), x->resp);
}

static void v_create(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	if (!x->resp) {
		wl_skip(&b, 1);
		uint8_t oplock = wl_u8(&b);
		uint32_t imp = wl_le32(&b);
		uint64_t cflags = wl_le64(&b);
		const uint8_t *res = wl_bytes(&b, 8);
		wl_skip(&b, 4);
		uint32_t attrs = wl_le32(&b), share = wl_le32(&b);
		wl_skip(&b, 4);
		uint32_t opts = wl_le32(&b);
		uint16_t noff = wl_le16(&b), nlen = wl_le16(&b);
		uint32_t coff = wl_le32(&b), clen = wl_le32(&b);
		if (!wl_ok(&b))
			return;
		(void)share;
		wl_f_hex(x->m, "smb2.create.oplock", oplock);
		wl_f_uint(x->m, "smb2.impersonation.level", imp);
		wl_f_hex(x->m, "smb2.create_flags", cflags);
		wl_f_bytes(x->m, "smb2.reserved", res, 8);
		f_attrs(x, attrs);
		wl_f_hex(x->m, "smb.create_options", opts);
		f_olb(x, noff, nlen);
		f_olb(x, coff, clen);
		v_contexts(x, coff, clen);
		return;
	}
	uint8_t oplock = wl_u8(&b), rep = wl_u8(&b);
	wl_skip(&b, 4);
	f_times(x, &b, 0);
	uint64_t alloc = wl_le64(&b);
	wl_skip(&b, 8);
	uint32_t attrs = wl_le32(&b);
	const uint8_t *res = wl_bytes(&b, 4);
	wl_skip(&b, 16);
	uint32_t coff = wl_le32(&b), clen = wl_le32(&b);
	if (!wl_ok(&b))
		return;
	wl_f_hex(x->m, "smb2.create.oplock", oplock);
	wl_f_hex(x->m, "smb2.create.rep_flags", rep);
	wl_f_bool(x->m, "smb2.create.rep_flags.reparse_point", rep & 1);
	wl_f_uint(x->m, "smb2.allocation_size", alloc);
	f_attrs(x, attrs);
	wl_f_bytes(x->m, "smb2.reserved", res, 4);
	f_olb(x, coff, clen);
	v_contexts(x, coff, clen);
}

static void v_close(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	uint16_t fl = wl_le16(&b);
	if (!wl_ok(&b))
		return;
	wl_f_hex(x->m, "smb2.close.flags", fl);
	wl_f_bool(x->m, "smb2.close.pq_attrib", fl & 1);
	if (!x->resp)
		return;
	const uint8_t *res = wl_bytes(&b, 4);
	struct wl_cur t = b;
	wl_skip(&b, 32);
	uint64_t alloc = wl_le64(&b), eof = wl_le64(&b);
	uint32_t attrs = wl_le32(&b);
	if (!wl_ok(&b))
		return;
	wl_f_bytes(x->m, "smb2.reserved", res, 4);
	f_times(x, &t, 0);
	wl_f_uint(x->m, "smb2.allocation_size", alloc);
	(void)eof;   /* do_close has it */
	f_attrs(x, attrs);
}

static void v_read(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	if (!x->resp) {
		uint8_t pad = wl_u8(&b), fl = wl_u8(&b);
		wl_skip(&b, 4 + 8 + 16);
		uint32_t minc = wl_le32(&b), chan = wl_le32(&b), rem = wl_le32(&b);
		uint16_t off = wl_le16(&b), len = wl_le16(&b);
		if (!wl_ok(&b))
			return;
		wl_f_hex(x->m, "smb2.read_padding", pad);
		wl_f_hex(x->m, "smb2.read_flags", fl);
		smb_f_bits(x->m, fl, read_bits);
		wl_f_uint(x->m, "smb2.min_count", minc);
		wl_f_hex(x->m, "smb2.channel", chan);
		wl_f_uint(x->m, "smb2.remaining_bytes", rem);
		f_olb(x, off, len);
		return;
	}
	uint8_t off = wl_u8(&b);
	const uint8_t *res1 = wl_bytes(&b, 1);
	uint32_t len = wl_le32(&b), rem = wl_le32(&b);
	const uint8_t *res = wl_bytes(&b, 4);
	if (!wl_ok(&b))
		return;
	wl_f_uint(x->m, "smb2.read_remaining", rem);
	wl_f_bytes(x->m, "smb2.reserved", res, 4);
	wl_f_bytes(x->m, "smb2.reserved", res1, 1);
	f_olb(x, off, len);
	f_blob(x, "smb2.read.blob", off, len);
}

static const struct smb_bit write_bits[] = {
	{ 1, "smb2.write.flags.write_through" }, { 2, "smb2.write.flags.unbuffered" }, { 0, NULL },
};

/* WRITE ([MS-SMB2] §2.2.21, §2.2.22); the length, offset, file id and count:
 * do_write. */
static void v_write(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	if (!x->resp) {
		uint16_t doff = wl_le16(&b);
		wl_skip(&b, 4 + 8 + 16);
		uint32_t chan = wl_le32(&b), rem = wl_le32(&b);
		uint16_t coff = wl_le16(&b), clen = wl_le16(&b);
		uint32_t fl = wl_le32(&b);
		if (!wl_ok(&b))
			return;
		wl_f_hex(x->m, "smb2.data_offset", doff);
		wl_f_hex(x->m, "smb2.channel", chan);
		wl_f_uint(x->m, "smb2.remaining_bytes", rem);
		wl_f_hex(x->m, "smb2.write.flags", fl);
		smb_f_bits(x->m, fl, write_bits);
		f_olb(x, coff, clen);
		return;
	}
	const uint8_t *res = wl_bytes(&b, 2);
	wl_skip(&b, 4);
	uint32_t rem = wl_le32(&b);
	uint16_t coff = wl_le16(&b), clen = wl_le16(&b);
	if (!wl_ok(&b))
		return;
	wl_f_bytes(x->m, "smb2.reserved", res, 2);
	wl_f_uint(x->m, "smb2.write.remaining", rem);
	wl_f_uint(x->m, "smb2.channel_info_offset", coff);
	wl_f_uint(x->m, "smb2.channel_info_length", clen);
}

/* CHANGE_NOTIFY (§2.2.35, §2.2.36; the changes a response lists are not
 * read); the request's file id: do_fid_request. */
static void v_notify(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	if (x->resp) {
		uint16_t off = wl_le16(&b);
		uint32_t len = wl_le32(&b);
		if (wl_ok(&b))
			f_olb(x, off, len);
		return;
	}
	uint16_t fl = wl_le16(&b);
	uint32_t out = wl_le32(&b);
	wl_skip(&b, 16 + 4);
	const uint8_t *res = wl_bytes(&b, 4);
	if (!wl_ok(&b))
		return;
	wl_f_hex(x->m, "smb2.notify.flags", fl);
	wl_f_bool(x->m, "smb2.notify.watch_tree", fl & 1);
	wl_f_uint(x->m, "smb2.output_buffer_len", out);
	wl_f_bytes(x->m, "smb2.reserved", res, 4);
}

/* OPLOCK_BREAK: the lease break notification (structure size 44) in detail;
 * oplock breaks and lease break acknowledgments are not read. */
static void v_oplock_break(struct smb2 *x)
{
	struct wl_cur b = x->body;
	if (wl_le16(&b) == 44 && x->resp)
		smb2_lease_break_v(x->m, b);
}

static void v_query_directory(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	if (!x->resp) {
		wl_skip(&b, 1);
		uint8_t fl = wl_u8(&b);
		uint32_t idx = wl_le32(&b);
		wl_skip(&b, 16);
		uint16_t off = wl_le16(&b), len = wl_le16(&b);
		uint32_t out = wl_le32(&b);
		if (!wl_ok(&b))
			return;
		wl_f_hex(x->m, "smb2.find.flags", fl);
		smb_f_bits(x->m, fl, find_bits);
		wl_f_hex(x->m, "smb2.file_index", idx);
		wl_f_uint(x->m, "smb2.output_buffer_len", out);
		f_olb(x, off, len);
		return;
	}
	uint16_t off = wl_le16(&b);
	uint32_t len = wl_le32(&b);
	if (!wl_ok(&b) || x->status != ST_SUCCESS)
		return;
	f_olb(x, off, len);
	f_blob(x, "smb2.find.info_blob", off, len);
}

static const struct smb_bit secinfo_bits[] = {
	{ 0x1, "smb2.getsetinfo_additional_secinfo.owner" },
	{ 0x2, "smb2.getsetinfo_additional_secinfo.group" },
	{ 0x4, "smb2.getsetinfo_additional_secinfo.dacl" },
	{ 0x8, "smb2.getsetinfo_additional_secinfo.sacl" },
	{ 0x10, "smb2.getsetinfo_additional_secinfo.label" },
	{ 0x20, "smb2.getsetinfo_additional_secinfo.attribute" },
	{ 0x40, "smb2.getsetinfo_additional_secinfo.scope" },
	{ 0x10000, "smb2.getsetinfo_additional_secinfo.backup" }, { 0, NULL },
};

/* The info type and class, under the class's name for the type. */
static void f_info_class(struct smb2 *x, uint8_t itype, uint8_t klass)
{
	static const struct wl_tok levels[] = {
		{ 1, "smb2.file_info.infolevel" }, { 2, "smb2.fs_info.infolevel" },
		{ 3, "smb2.sec_info.infolevel" }, { 0, NULL },
	};
	wl_f_hex(x->m, "smb2.class", itype);
	const char *lv = wl_tok(levels, itype, NULL);
	if (lv)
		wl_f_hex(x->m, lv, klass);
}

/* QUERY_INFO's and SET_INFO's AdditionalInformation: for security, the
 * parts of the descriptor, under the plural name tshark gives it then. */
static void f_additional(struct smb2 *x, uint8_t itype, uint32_t add)
{
	if (itype != 3) {
		wl_f_hex(x->m, "smb2.getsetinfo_additional", add);
		return;
	}
	wl_f_hex(x->m, "smb2.getsetinfo_additionals", add);
	smb_f_bits(x->m, add, secinfo_bits);
}

/* SET_INFO (§2.2.39, §2.2.40); the file id: do_fid_request. Of the
 * buffer, a FileDispositionInformation's flag. */
static void v_set_info(struct smb2 *x)
{
	if (x->resp) {
		if (x->req && x->req->cmd == C_SET_INFO)
			f_info_class(x, x->req->itype, x->req->klass);
		return;
	}
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	uint8_t itype = wl_u8(&b), klass = wl_u8(&b);
	uint32_t len = wl_le32(&b);
	uint16_t off = wl_le16(&b), res = wl_le16(&b);
	uint32_t add = wl_le32(&b);
	if (!wl_ok(&b))
		return;
	if (x->req) {
		x->req->itype = itype;
		x->req->klass = klass;
	}
	f_info_class(x, itype, klass);
	wl_f_uint(x->m, "smb2.setinfo_size", len);
	wl_f_hex(x->m, "smb2.setinfo_offset", off);
	wl_f_uint(x->m, "smb2.setinfo_reserved", res);
	f_additional(x, itype, add);
	size_t have = wl_left(&x->msg);
	if (itype == 1 && klass == 13 && len && off >= 64 && off < have) {
		struct wl_cur d = wl_at(&x->msg, off, 1);
		wl_f_bool(x->m, "smb2.disposition.delete_on_close", wl_u8(&d) & 1);
	}
}

static const struct smb_bit mode_bits[] = {
	{ 0x2, "smb2.mode.file_write_through" }, { 0x4, "smb2.mode.file_sequential_only" },
	{ 0x8, "smb2.mode.file_no_intermediate_buffering" },
	{ 0x10, "smb2.mode.file_synchronous_io_alert" },
	{ 0x20, "smb2.mode.file_synchronous_io_nonalert" },
	{ 0x1000, "smb2.mode.file_delete_on_close" }, { 0, NULL },
};

/* FileAllInformation ([MS-FSCC] §2.4.2) beyond all_info_fields' defaults:
 * its basic, standard, internal, EA, position and mode parts. The mode's
 * bits are hex fields in tshark (the bit shifted down, 0 or 1), not booleans.
 * Its alignment part is left out: tshark 4.0 reads that ULONG big-endian
 * (smb2-delete_input.pcap frame 34: bytes 01 00 00 00 shown 0x01000000). */
static void v_all_info(struct smb2 *x, struct wl_cur b)
{
	struct wl_cur t = b;
	wl_skip(&b, 32);
	uint32_t attrs = wl_le32(&b);
	const uint8_t *unknown = wl_bytes(&b, 4);
	uint64_t alloc = wl_le64(&b);
	wl_skip(&b, 8);
	uint32_t links = wl_le32(&b);
	uint8_t pending = wl_u8(&b), dir = wl_u8(&b);
	wl_skip(&b, 2);
	uint64_t id = wl_le64(&b);
	uint32_t ea = wl_le32(&b);
	wl_skip(&b, 4);
	uint64_t pos = wl_le64(&b);
	uint32_t mode = wl_le32(&b);
	wl_skip(&b, 4);
	uint32_t nlen = wl_le32(&b);
	if (!wl_ok(&b))
		return;
	f_times(x, &t, 0);
	f_attrs(x, attrs);
	wl_f_bytes(x->m, "smb2.unknown", unknown, 4);
	wl_f_uint(x->m, "smb2.allocation_size", alloc);
	wl_f_uint(x->m, "smb2.nlinks", links);
	wl_f_uint(x->m, "smb2.delete_pending", pending);
	wl_f_uint(x->m, "smb2.is_directory", dir);
	wl_f_hex(x->m, "smb2.file_id", id);
	wl_f_uint(x->m, "smb2.ea_size", ea);
	wl_f_uint(x->m, "smb2.position_info", pos);
	wl_f_hex(x->m, "smb2.mode_info", mode);
	for (const struct smb_bit *k = mode_bits; k->name; k++)
		wl_f_hex(x->m, k->name, (mode & k->mask) != 0);
	wl_f_uint(x->m, "smb2.filename.len", nlen);
}

static void v_query_info(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	if (!x->resp) {
		uint8_t itype = wl_u8(&b), klass = wl_u8(&b);
		uint32_t max = wl_le32(&b);
		uint16_t ioff = wl_le16(&b);
		const uint8_t *res = wl_bytes(&b, 2);
		uint32_t ilen = wl_le32(&b), add = wl_le32(&b), fl = wl_le32(&b);
		if (!wl_ok(&b))
			return;
		f_info_class(x, itype, klass);
		wl_f_uint(x->m, "smb2.max_response_size", max);
		wl_f_hex(x->m, "smb2.getinfo_input_offset", ioff);
		wl_f_bytes(x->m, "smb2.reserved", res, 2);
		wl_f_uint(x->m, "smb2.getinfo_input_size", ilen);
		f_additional(x, itype, add);
		wl_f_hex(x->m, "smb2.getinfo_flags", fl);
		return;
	}
	if (x->req)
		f_info_class(x, x->req->itype, x->req->klass);
	uint16_t off = wl_le16(&b);
	uint32_t len = wl_le32(&b);
	if (!wl_ok(&b) || x->status != ST_SUCCESS)
		return;
	f_olb(x, off, len);
	struct wl_cur buf;
	size_t have = wl_left(&x->msg);
	if (x->req && x->req->itype == 1 && x->req->klass == 18 && off >= 64 && off <= have &&
	    len <= have - off) {
		buf = wl_at(&x->msg, off, len);
		v_all_info(x, buf);
	}
}

/* FSCTL_SRV_REQUEST_RESUME_KEY's answer ([MS-SMB2] §2.2.32.3): the key,
 * then the context length, which tshark shows as reserved. */
static void v_resume_key(struct smb2 *x, struct wl_cur out)
{
	const uint8_t *key = wl_bytes(&out, 24), *len = wl_bytes(&out, 4);
	if (!wl_ok(&out))
		return;
	wl_f_bytes(x->m, "smb2.fsctl.cchunk.resume_key", key, 24);
	wl_f_bytes(x->m, "smb2.reserved", len, 4);
}

/* One SOCKADDR_STORAGE of a network interface (IPv4 or IPv6; the port in
 * network order, as Windows keeps it). */
static void v_sockaddr(struct smb2 *x, struct wl_cur a)
{
	uint16_t family = wl_le16(&a), port = wl_be16(&a);
	if (!wl_ok(&a))
		return;
	wl_f_uint(x->m, "smb2.windows.sockaddr.family", family);
	wl_f_uint(x->m, "smb2.windows.sockaddr.port", port);
	if (family == 2) {
		const uint8_t *ip = wl_bytes(&a, 4);
		if (ip)
			wl_f_ipv4(x->m, "smb2.windows.sockaddr.in.addr", ip);
	} else if (family == 23) {
		uint32_t flow = wl_le32(&a);
		const uint8_t *ip = wl_bytes(&a, 16);
		uint32_t scope = wl_le32(&a);
		if (!wl_ok(&a))
			return;
		wl_f_hex(x->m, "smb2.windows.sockaddr.in6.flow_info", flow);
		wl_f_ipv6(x->m, "smb2.windows.sockaddr.in6.addr", ip);
		wl_f_uint(x->m, "smb2.windows.sockaddr.in6.scope_id", scope);
	}
}

/* FSCTL_QUERY_NETWORK_INTERFACE_INFO's answer ([MS-SMB2] §2.2.32.5): a list
 * of 152-byte NETWORK_INTERFACE_INFO, each naming the next by offset. */
static void v_net_interfaces(struct smb2 *x, struct wl_cur out)
{
	size_t at = 0, have = wl_left(&out);
	for (unsigned i = 0; i < 64; i++) {
		struct wl_cur e = wl_at(&out, at, have - at);
		uint32_t next = wl_le32(&e), idx = wl_le32(&e), caps = wl_le32(&e), rss = wl_le32(&e);
		uint64_t speed = wl_le64(&e);
		struct wl_cur addr = wl_sub(&e, 128);
		if (!wl_ok(&e)) {
			wl_note(x->m, WL_WARN, "malformed: network interface %u cut short", i);
			return;
		}
		wl_f_hex(x->m, "smb2.ioctl.network_interfaces.next_offset", next);
		wl_f_uint(x->m, "smb2.ioctl.network_interfaces.index", idx);
		wl_f_hex(x->m, "smb2.ioctl.network_interfaces.capabilities", caps);
		wl_f_bool(x->m, "smb2.ioctl.network_interfaces.capabilities.rdma", (caps & 2) != 0);
		wl_f_bool(x->m, "smb2.ioctl.network_interfaces.capabilities.rss", caps & 1);
		wl_f_uint(x->m, "smb2.ioctl.network_interfaces.rss_queue_count", rss);
		wl_f_uint(x->m, "smb2.ioctl.network_interfaces.link_speed", speed);
		v_sockaddr(x, addr);
		if (!next)
			return;
		/* an entry's offset moves on by a whole entry at least: no loop */
		if (next < 152 || next > have - at) {
			wl_note(x->m, WL_WARN, "malformed: network interface %u's next offset %u points "
				"outside the list", i, next);
			return;
		}
		at += next;
	}
	wl_note(x->m, WL_WARN, "more than 64 network interfaces: the rest is not read");
}

static void v_ioctl(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	const uint8_t *res = wl_bytes(&b, 2);
	uint32_t ctl = wl_le32(&b);
	wl_skip(&b, 16);
	uint32_t in_off = wl_le32(&b), in_len = wl_le32(&b);
	uint32_t max_in = x->resp ? 0 : wl_le32(&b);
	uint32_t out_off = wl_le32(&b), out_len = wl_le32(&b);
	uint32_t max_out = x->resp ? 0 : wl_le32(&b);
	uint32_t fl = wl_le32(&b);
	const uint8_t *res2 = wl_bytes(&b, 4);
	if (!wl_ok(&b))
		return;
	wl_f_bytes(x->m, "smb2.reserved", res, 2);
	wl_f_hex(x->m, "smb2.ioctl.function.device", ctl >> 16);
	wl_f_hex(x->m, "smb2.ioctl.function.access", ctl >> 14 & 3);
	wl_f_hex(x->m, "smb2.ioctl.function.function", ctl >> 2 & 0xfff);
	wl_f_hex(x->m, "smb2.ioctl.function.method", ctl & 3);
	if (!x->resp) {
		wl_f_uint(x->m, "smb2.max_ioctl_in_size", max_in);
		wl_f_uint(x->m, "smb2.max_ioctl_out_size", max_out);
	}
	if (!x->resp) {   /* a response's flags: do_ioctl */
		wl_f_hex(x->m, "smb2.ioctl.flags", fl);
		wl_f_bool(x->m, "smb2.ioctl.is_fsctl", fl & 1);
	}
	wl_f_bytes(x->m, "smb2.reserved", res2, 4);
	f_olb(x, in_off, in_len);
	f_olb(x, out_off, out_len);
	size_t have = wl_left(&x->msg);
	if (x->resp && ctl == 0x00140078 && out_off >= 64 && out_off <= have && out_len <= have - out_off)
		v_resume_key(x, wl_at(&x->msg, out_off, out_len));
	if (x->resp && ctl == 0x001401fc && out_off >= 64 && out_off <= have && out_len <= have - out_off)
		v_net_interfaces(x, wl_at(&x->msg, out_off, out_len));
}

/* The reserved bytes after the structure size of LOGOFF, TREE_DISCONNECT,
 * ECHO and FLUSH, under the names tshark gives them by command (none for a
 * LOGOFF request; a FLUSH request's six come before its file id). */
static void v_reserved_only(struct smb2 *x)
{
	const char *name = x->cmd == C_ECHO || x->cmd == C_FLUSH ? "smb2.unknown" : "smb2.reserved";
	size_t n = x->cmd == C_FLUSH && !x->resp ? 6 : 2;
	if (x->cmd == C_LOGOFF && !x->resp)
		return;
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	const uint8_t *p = wl_bytes(&b, n);
	if (p)
		wl_f_bytes(x->m, name, p, n);
}

typedef void (*smb2_detail_fn)(struct smb2 *x);

static const smb2_detail_fn smb2_details[] = {
	[C_NEGOTIATE] = v_negotiate,
	[C_SESSION_SETUP] = v_session_setup,
	[C_TREE_CONNECT] = v_tree_connect,
	[C_CREATE] = v_create,
	[C_CLOSE] = v_close,
	[C_READ] = v_read,
	[C_IOCTL] = v_ioctl,
	[C_QUERY_DIRECTORY] = v_query_directory,
	[C_QUERY_INFO] = v_query_info,
	[C_WRITE] = v_write,
	[C_CHANGE_NOTIFY] = v_notify,
	[C_SET_INFO] = v_set_info,
	[C_OPLOCK_BREAK] = v_oplock_break,
	[C_LOGOFF] = v_reserved_only,
	[C_TREE_DISCONNECT] = v_reserved_only,
	[C_ECHO] = v_reserved_only,
	[C_FLUSH] = v_reserved_only,
};

/* An error response's body ([MS-SMB2] §2.2.2). */
static void v_error(struct smb2 *x)
{
	struct wl_cur b = x->body;
	wl_skip(&b, 2);
	uint8_t n = wl_u8(&b), res = wl_u8(&b);
	uint32_t count = wl_le32(&b);
	if (!wl_ok(&b))
		return;
	wl_f_uint(x->m, "smb2.error.context_count", n);
	wl_f_hex(x->m, "smb2.error.reserved", res);
	wl_f_uint(x->m, "smb2.error.byte_count", count);
	size_t k = count ? count : 1;
	if (k <= wl_left(&b))
		wl_f_bytes(x->m, "smb2.error.data", wl_bytes(&b, k), k);
}

/* The header's and the body's structure fields, then the command's. */
static void smb2_detail(struct smb2 *x)
{
	struct wl_cur b = x->body;
	uint16_t code = wl_le16(&b);
	if (wl_ok(&b)) {
		wl_f_hex(x->m, "smb2.buffer_code", code);
		wl_f_uint(x->m, "smb2.buffer_code.length", code >> 1);
		wl_f_bool(x->m, "smb2.buffer_code.dynamic", code & 1);
	}
	/* tshark reads STATUS_NOTIFY_ENUM_DIR's body as a CHANGE_NOTIFY response's */
	int enum_dir = x->cmd == C_CHANGE_NOTIFY && x->status == ST_NOTIFY_ENUM_DIR;
	if (x->resp && !normal_body(x->cmd, x->status) && x->cmd != C_SESSION_SETUP && !enum_dir) {
		/* a failed QUERY_INFO or SET_INFO still shows what the request asked */
		if ((x->cmd == C_QUERY_INFO || x->cmd == C_SET_INFO) && x->req && x->req->cmd == x->cmd)
			f_info_class(x, x->req->itype, x->req->klass);
		if (x->status != ST_PENDING || wl_left(&x->body) >= 9)
			v_error(x);
		return;
	}
	if (x->cmd < sizeof smb2_details / sizeof smb2_details[0] && smb2_details[x->cmd])
		smb2_details[x->cmd](x);
}

/* ------------------------------------------------------------ SMB2 header */

static const char *smb2_type(uint16_t cmd, int resp)
{
	if (cmd < SMB2_NCMDS)
		return resp ? smb2_cmds[cmd].resp : smb2_cmds[cmd].req;
	return resp ? "response" : "request";
}

static void smb2_header_fields(struct smb2 *x, uint16_t charge, uint16_t credits, uint32_t next,
			       int async, uint64_t aid)
{
	struct wl_msg *m = x->m;
	wl_f_uint(m, "smb2.cmd", x->cmd);
	if (x->resp)
		wl_f_hex(m, "smb2.nt_status", x->status);
	wl_f_hex(m, "smb2.flags", x->flags);
	wl_f_bool(m, "smb2.flags.response", x->resp);
	wl_f_bool(m, "smb2.flags.async", async);
	wl_f_bool(m, "smb2.flags.chained", (x->flags & F_RELATED) != 0);
	wl_f_bool(m, "smb2.flags.signature", (x->flags & F_SIGNED) != 0);
	wl_f_hex(m, "smb2.chain_offset", next);   /* tshark shows it on every header, 0 too */
	if (x->verbose) {
		wl_f_hex(m, "smb2.protocol_id", 0xfe534d42);
		wl_f_uint(m, "smb2.header_len", 64);
		if (!x->resp) {
			uint8_t res[2] = { (uint8_t)(x->status >> 16), (uint8_t)(x->status >> 24) };
			wl_f_uint(m, "smb2.channel_sequence", x->status & 0xffff);
			wl_f_bytes(m, "smb2.reserved", res, 2);
		}
		wl_f_bool(m, "smb2.flags.priority_mask", (x->flags & 0x70) != 0);   /* tshark: a boolean */
		wl_f_bool(m, "smb2.flags.dfs", (x->flags & F_DFS) != 0);
		wl_f_bool(m, "smb2.flags.replay", (x->flags & F_REPLAY) != 0);
		if (!async)
			wl_f_hex(m, "smb2.pid", x->pid);
		struct wl_cur h = wl_at(&x->msg, 48, 16);
		const uint8_t *sig = wl_bytes(&h, 16);
		if (sig)
			wl_f_bytes(m, "smb2.signature", sig, 16);
		if (x->sesid)
			sess_login_fields(m, sess_find(x->s, x->sesid));
	}
	wl_f_uint(m, "smb2.msg_id", x->mid);
	wl_f_uint(m, "smb2.credit.charge", charge);
	wl_f_uint(m, x->resp ? "smb2.credits.granted" : "smb2.credits.requested", credits);
	if (async)
		wl_f_hex(m, "smb2.aid", aid);
	else
		wl_f_hex(m, "smb2.tid", x->tid);
	wl_f_hex(m, "smb2.sesid", x->sesid);
	if (!async && !(x->cmd == C_TREE_CONNECT)) {
		const struct smb_tree *t = tree_find(x->s, x->sesid, x->tid);
		if (t) {
			wl_f_cstr(m, "smb2.tree", t->name);
			wl_f_hex(m, "smb2.share_type", t->share_type);   /* tshark: on every message of the tree */
			if (x->verbose && t->frame)
				wl_f_uint(m, "smb2.tcon_frame", t->frame);
		}
	}
}

/* One SMB2 message (msg spans its header to the next chained one or the end). */
static struct wl_msg *smb2_message(struct smb_state *s, struct wl_ctx *ctx, enum wl_dir dir,
				   struct wl_cur msg, uint32_t *next_out)
{
	struct smb2 x;
	memset(&x, 0, sizeof x);
	x.s = s;
	x.ctx = ctx;
	x.dir = dir;
	x.msg = msg;
	x.verbose = wl_opts(ctx)->verbose;
	struct wl_cur h = msg;
	wl_skip(&h, 4);
	uint16_t hsize = wl_le16(&h), charge = wl_le16(&h);
	x.status = wl_le32(&h);
	x.cmd = wl_le16(&h);
	uint16_t credits = wl_le16(&h);
	x.flags = wl_le32(&h);
	uint32_t next = wl_le32(&h);
	x.mid = wl_le64(&h);
	int async = (x.flags & F_ASYNC) != 0;
	uint64_t aid = 0;
	if (async) {
		aid = wl_le64(&h);
	} else {
		x.pid = wl_le32(&h);
		x.tid = wl_le32(&h);
	}
	x.sesid = wl_le64(&h);
	wl_skip(&h, 16);
	x.resp = (x.flags & F_RESPONSE) != 0;
	*next_out = wl_ok(&h) ? next : 0;
	x.m = smb_msg_new(s, ctx, "smb2", smb2_type(x.cmd, x.resp), dir);
	const char *cname = x.cmd < SMB2_NCMDS ? smb2_cmds[x.cmd].name : NULL;
	if (cname)
		line_cat(&x.text, cname, "");
	else
		line_add(&x.text, "command 0x%04x", x.cmd);
	if (!wl_ok(&h)) {
		wl_msg_text(x.m, "%s (cut short)", x.text.s);
		wl_note_cursor(x.m, &h, "SMB2 header");
		return x.m;
	}
	if (hsize != 64)
		wl_note(x.m, WL_ERROR, "malformed: SMB2 header size %u, not 64", hsize);
	x.body = h;
	if (!x.resp) {
		if (x.cmd != C_CANCEL)
			x.req = pend_add(s, x.mid, x.sesid, x.cmd, ctx);
	} else {
		x.req = pend_find(s, x.mid, x.cmd);
	}
	preauth_step(&x);
	smb2_header_fields(&x, charge, credits, next, async, aid);
	/* tshark keeps the hash with the request it saw (packet-smb2.c
	 * dissect_smb2_session_setup_response: ssi->preauth_hash_res): a response
	 * without its request, such as the SMB2 answer to an SMB1 negotiate, has none. */
	if (x.verbose && (!x.resp || x.req) &&
	    (x.cmd == C_NEGOTIATE || (x.cmd == C_SESSION_SETUP && s->setup_active)))
		wl_f_bytes(x.m, "smb2.preauth_hash", x.cmd == C_NEGOTIATE ? s->conn_hash : s->setup_hash, 64);
	if (x.resp) {
		char buf[16];
		line_cat(&x.text, " ", status_name(x.status, buf, sizeof buf));
		if (x.req) {
			wl_f_uint(x.m, "smb2.response_to", x.req->frame);
			wl_f_double(x.m, "smb2.time", (double)(wl_time_ns(ctx) - x.req->ts) / 1e9);
		}
	}
	if (x.resp && !normal_body(x.cmd, x.status))
		error_response(&x);
	else if (x.cmd < sizeof smb2_bodies / sizeof smb2_bodies[0] && smb2_bodies[x.cmd])
		smb2_bodies[x.cmd](&x);
	if (x.flags & F_SIGNED && x.cmd == C_SESSION_SETUP && x.resp && x.status == 0)
		wl_note(x.m, WL_INFO, "signed with the new session's key: proof that both sides "
			"computed the same key");
	check_signature(&x);
	if (x.verbose)
		smb2_detail(&x);
	if (x.resp && x.req && x.status != ST_PENDING)
		x.req->used = 0;
	wl_msg_text(x.m, "%s", x.text.s);
	return x.m;
}

/* A PDU of SMB2 messages chained by NextCommand. */
static void smb2_chain(struct smb_state *s, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur pdu)
{
	size_t total = wl_left(&pdu), off = 0;
	for (unsigned n = 0;; n++) {
		int b4 = wl_peek(&pdu, off + 20), b5 = wl_peek(&pdu, off + 21);
		int b6 = wl_peek(&pdu, off + 22), b7 = wl_peek(&pdu, off + 23);
		uint32_t next = b7 < 0 ? 0 : (uint32_t)b4 | (uint32_t)b5 << 8 | (uint32_t)b6 << 16 |
						(uint32_t)b7 << 24;
		size_t len = total - off;
		if (next >= 64 && next < len)
			len = next;
		struct wl_cur one = wl_at(&pdu, off, len);
		uint32_t nx;
		struct wl_msg *m = smb2_message(s, ctx, dir, one, &nx);
		if (!nx)
			break;
		if (nx < 64 || nx >= total - off) {
			wl_note(m, WL_ERROR, "malformed: next command offset %u points %s", nx,
				nx < 64 ? "back into this message's header" : "outside the PDU");
			break;
		}
		if (n + 1 >= SMB_CHAIN_MAX) {
			wl_note(m, WL_ERROR, "more than %u chained messages: the rest is not dissected",
				SMB_CHAIN_MAX);
			break;
		}
		if (nx & 7)
			wl_note(m, WL_WARN, "next command offset %u is not 8-byte aligned", nx);
		int magic = wl_peek(&pdu, off + nx);
		if (magic != 0xfe) {
			wl_note(m, WL_ERROR, "malformed: next command offset %u does not point at an SMB2 "
				"header", nx);
			break;
		}
		off += nx;
	}
}

/* ---------------------------------------------------------------- transform */

static void transform_fields(struct wl_msg *m, const uint8_t *h, int verbose)
{
	struct wl_cur c = wl_cur_make(h, SMB3_XF_HEADER);
	wl_skip(&c, 4);
	const uint8_t *sig = wl_bytes(&c, 16), *nonce = wl_bytes(&c, 16);
	uint32_t size = wl_le32(&c);
	const uint8_t *reserved = wl_bytes(&c, 2);
	uint16_t flags = wl_le16(&c);
	uint64_t sesid = wl_le64(&c);
	wl_f_bytes(m, "smb2.header.transform.signature", sig, 16);
	wl_f_bytes(m, "smb2.header.transform.nonce", nonce, 16);
	wl_f_uint(m, "smb2.header.transform.msg_size", size);
	if (verbose)
		wl_f_bytes(m, "smb2.header.transform.reserved", reserved, 2);
	wl_f_hex(m, "smb2.header.transform.flags", flags);
	wl_f_bool(m, "smb2.header.transform.flags.encrypted", flags & 1);
	wl_f_hex(m, "smb2.sesid", sesid);
	if (verbose)
		wl_f_hex(m, "smb2.protocol_id", 0xfd534d42);
}

/* What every PDU's first message carries: its NetBIOS header (-v) and, for
 * a decrypted transform, the transform's fields and where the bytes came from. */
static void pdu_prefix(struct smb_state *s, struct wl_ctx *ctx, struct wl_msg *m)
{
	int verbose = wl_opts(ctx)->verbose;
	if (s->nb_pending) {
		s->nb_pending = 0;
		wl_f_hex(m, "nbss.type", NB_MSG);
		wl_f_uint(m, "nbss.length", s->nb_len);
	}
	struct smb_xf *xf = s->xf;
	if (!xf)
		return;
	if (xf->done) {
		wl_note(m, WL_INFO, "decrypted (the same transform as the message before)");
		return;
	}
	xf->done = 1;
	transform_fields(m, xf->hdr, verbose);
	if (verbose)
		sess_login_fields(m, xf->sess);
	if (xf->first)
		wl_note(m, WL_INFO, "from here on encrypted: session 0x%016llx wraps each message in an "
			"SMB3 transform (%s); an observer without the key sees no command, share or file "
			"name. Decrypted with the key from %s, as every message marked so below.",
			(unsigned long long)xf->sess->sesid, smb3_cipher_name(xf->sess->k.cipher),
			xf->sess->key_from);
	else
		wl_note(m, WL_INFO, "decrypted (%s, key from %s)", smb3_cipher_name(xf->sess->k.cipher),
			xf->sess->key_from);
}

static struct wl_msg *smb_msg_new(struct smb_state *s, struct wl_ctx *ctx, const char *proto,
				  const char *type, enum wl_dir dir)
{
	struct wl_msg *m = wl_msg_new(ctx, proto, type, dir);
	pdu_prefix(s, ctx, m);
	return m;
}

static void smb2_chain(struct smb_state *s, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur pdu);

/* The session's keys for a transform, made from --smb-key when the login is
 * not in the capture. */
static const struct smb_sess *transform_session(struct smb_state *s, uint64_t sesid, const char **why)
{
	struct smb_sess *e = keys_find(s, sesid);
	if (e || !s->crypto)
		return e;
	const uint8_t *key = given_key(s->sh, sesid);
	if (!key)
		return NULL;
	uint16_t dialect = s->dialect ? s->dialect : 0x0300;
	if (dialect == 0x0311) {
		*why = "--smb-key names this session, but SMB 3.1.1 keys need the login's "
		       "pre-authentication hash, which is not in the capture";
		return NULL;
	}
	if (!(e = sess_take(s, sesid)))
		return NULL;
	if (smb3_derive(&e->k, dialect, s->cipher, s->signing, key, NULL) < 0) {
		e->used = 0;
		return NULL;
	}
	e->key_from = "--smb-key";
	e->confirmed = 1;
	e->keyed = 1;
	return e;
}

static void smb3_transform(struct smb_state *s, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct wl_cur whole = c;
	const uint8_t *hdr = wl_bytes(&c, SMB3_XF_HEADER);
	struct wl_cur h = whole;
	wl_skip(&h, 36);
	uint32_t size = wl_le32(&h);
	wl_skip(&h, 2);
	uint16_t flags = wl_le16(&h);
	uint64_t sesid = wl_le64(&h);
	if (!hdr || !wl_ok(&h)) {
		struct wl_msg *m = smb_msg_new(s, ctx, "smb2", "encrypted", dir);
		wl_msg_text(m, "SMB3 encrypted (cut short)");
		wl_note_cursor(m, &h, "SMB3 transform header");
		return;
	}
	int first = !s->encrypted_noted;
	s->encrypted_noted = 1;
	if (first)
		wl_flow_fact(ctx, "encryption", "SMB3 (session 0x%016llx)", (unsigned long long)sesid);
	const struct smb_sess *e = NULL;
	const char *why = NULL;
	int r = -2;
	uint8_t *plain = NULL;
	size_t have = wl_left(&c);
	/* Decrypt when the keys are known and the record is whole and sane. */
	if (s->crypto && (flags & 1) && size == have && size >= 64 && size <= SMB_BIG) {
		e = transform_session(s, sesid, &why);
		if (e) {
			plain = malloc(size);
			if (!plain)
				why = "out of memory";
			else
				r = smb3_decrypt(e->k.cipher, dir == WL_C2S ? e->k.c2s : e->k.s2c, hdr,
						 wl_bytes(&c, size), size, plain);
			if (r == 0)
				why = "the authentication tag does not verify: wrong key, or the bytes were "
				      "altered";
			else if (r < 0 && !why)
				why = "the crypto library refused the cipher";
		}
	}
	if (r == 1) {
		struct smb_xf xf = { hdr, e, 0, first };
		int magic = plain[0];
		s->xf = &xf;
		if (magic == 0xfe) {
			smb2_chain(s, ctx, dir, wl_cur_make(plain, size));
		} else {
			struct wl_msg *m = smb_msg_new(s, ctx, "smb2", "decrypted", dir);
			wl_msg_text(m, "SMB3 decrypted, %u bytes, not an SMB2 message", size);
			wl_note(m, magic == 0xfc ? WL_INFO : WL_ERROR, magic == 0xfc ?
				"the decrypted message is compressed (SMB 3.1.1 compression transform)" :
				"malformed: the decrypted bytes do not start with an SMB2 header");
		}
		s->xf = NULL;
		free(plain);
		return;
	}
	free(plain);
	struct wl_msg *m = smb_msg_new(s, ctx, "smb2", "encrypted", dir);
	transform_fields(m, hdr, wl_opts(ctx)->verbose);
	if (wl_opts(ctx)->verbose)   /* tshark names the login under the transform's Session Id too */
		sess_login_fields(m, e ? e : sess_find(s, sesid));
	wl_msg_text(m, "SMB3 encrypted, %u bytes", size);
	if (first)
		wl_note(m, WL_INFO, "from here on encrypted: session 0x%016llx wraps each message in an "
			"SMB3 transform; command, share and file names are no longer visible",
			(unsigned long long)sesid);
	else
		wl_note(m, WL_INFO, "encrypted SMB2 message of session 0x%016llx", (unsigned long long)sesid);
	if (why)
		wl_note(m, WL_WARN, "not decrypted: %s", why);
	else if (s->crypto && !e && first)
		wl_note(m, WL_INFO, "no keys for session 0x%016llx: its login is not in the capture or "
			"the password does not fit it", (unsigned long long)sesid);
	if (have != size)
		wl_note(m, WL_ERROR, "malformed: transform says %u encrypted bytes, %zu follow", size, have);
	else if (s->crypto && e && size > SMB_BIG)
		wl_note(m, WL_INFO, "not decrypted: larger than %u bytes", SMB_BIG);
}

/* ---------------------------------------------------------------- SMB1 */

struct smb1 {
	struct smb_state *s;
	struct wl_ctx *ctx;
	struct wl_msg *m;
	struct wl_cur msg;       /* from the SMB1 header on */
	uint16_t flags2, tid;
	struct smb_pend *req;    /* the request (a response's), NULL when not seen */
	int resp;
	int verbose;             /* the wider NTLMSSP field set (-v) */
	struct line text;
};

static const struct smb_tree *tree1_find(const struct smb_state *s, uint16_t tid)
{
	for (unsigned i = 0; i < s->tree1_cap; i++)
		if (s->tree1[i].used && s->tree1[i].tid == tid)
			return &s->tree1[i];
	return NULL;
}

static void tree1_add(struct smb_state *s, uint16_t tid, const char *path)
{
	struct smb_tree *t = (struct smb_tree *)tree1_find(s, tid);
	if (!t) {
		void *tab = s->tree1;
		t = table_take(&tab, &s->tree1_cap, &s->tree1_next, SMB1_TREES, sizeof *t);
		s->tree1 = tab;
	}
	if (!t)
		return;
	memset(t, 0, sizeof *t);
	t->used = 1;
	t->tid = tid;
	wl_snprintf(t->name, sizeof t->name, "%s", path);
}

/* The tree tshark names under a tid: the one of the highest tid not above
 * it (packet-smb.c dissect_smb_tid looks tids up with wmem_tree_lookup32_le),
 * so a TREE_CONNECT request's tid 0xffff shows the last tree connected. */
static const struct smb_tree *tree1_find_le(const struct smb_state *s, uint16_t tid)
{
	const struct smb_tree *best = NULL;
	for (unsigned i = 0; i < s->tree1_cap; i++) {
		const struct smb_tree *t = &s->tree1[i];
		if (t->used && t->tid <= tid && (!best || t->tid > best->tid))
			best = t;
	}
	return best;
}

/* An SMB1 file's key in the file table: its tid, then its fid. */
static void smb1_fid_key(uint16_t tid, uint16_t fid, uint8_t key[4])
{
	key[0] = tid & 0xff;
	key[1] = tid >> 8;
	key[2] = fid & 0xff;
	key[3] = fid >> 8;
}

static struct smb_fid *smb1_fid_entry(const struct smb_state *s, uint16_t tid, uint16_t fid)
{
	uint8_t key[4];
	smb1_fid_key(tid, fid, key);
	for (unsigned i = 0; i < s->fid_cap; i++) {
		struct smb_fid *f = &s->fid[i];
		if (f->used && f->smb1 && memcmp(f->id, key, 4) == 0)
			return f;
	}
	return NULL;
}

/* A file id an NT CREATE_ANDX response opened (name NULL: not known); a
 * reused one stands for the newest file. */
static void smb1_fid_open(struct smb_state *s, uint16_t tid, uint16_t fid, const char *name,
			  uint32_t access, uint64_t frame)
{
	struct smb_fid *f = smb1_fid_entry(s, tid, fid);
	if (!f) {
		void *tab = s->fid;
		f = table_take(&tab, &s->fid_cap, &s->fid_next, SMB_FIDS, sizeof *f);
		s->fid = tab;
	}
	if (!f)
		return;
	memset(f, 0, sizeof *f);
	f->used = 1;
	f->smb1 = 1;
	smb1_fid_key(tid, fid, f->id);
	f->open_frame = frame;
	f->unnamed = !name;
	f->access = access;
	wl_snprintf(f->name, sizeof f->name, "%s", name ? name : "");
}

/* The name of the file a fid stands for and the access it was opened
 * with, as tshark shows them under each FID. */
static void smb1_fid_name(struct smb1 *x, uint16_t fid)
{
	const struct smb_fid *f = smb1_fid_entry(x->s, x->tid, fid);
	if (!f || f->unnamed)
		return;
	wl_f_cstr(x->m, "smb.file", f->name);
	wl_f_hex(x->m, "smb.access_mask", f->access);
}

/* A file id in a request: named, and kept for the response. */
static void smb1_fid_used(struct smb1 *x, uint16_t fid)
{
	smb1_fid_name(x, fid);
	if (x->req && !x->resp) {
		x->req->smb1_fid = fid;
		x->req->smb1_fid_seen = 1;
	}
}

/* The request a message opens or the response answers (SMB1 pairs by mid);
 * a successful TREE_CONNECT_ANDX response maps its tid to the path asked
 * for before the header's fields, as tshark shows the path on it already. */
static void smb1_pair(struct smb1 *x, struct wl_ctx *ctx, uint8_t cmd, uint16_t mid, uint32_t status)
{
	struct smb_state *s = x->s;
	if (!x->resp) {
		x->req = pend_add(s, mid, 0, SMB1_PEND | cmd, ctx);
		return;
	}
	x->req = pend_find(s, mid, SMB1_PEND | cmd);
	if (x->req && x->req->itype == 0x75 && status == 0)
		tree1_add(s, x->tid, x->req->name);
}

/* A NUL-terminated string in the bytes of an SMB1 command at offset pos from
 * the header; Unicode ones 2-aligned from the header when align says so. */
static size_t smb1_string_at(struct smb1 *x, size_t pos, char *out, size_t cap, int align)
{
	int uni = (x->flags2 & 0x8000) != 0;
	if (uni && align && (pos & 1))
		pos++;
	size_t have = wl_left(&x->msg);
	out[0] = '\0';
	if (pos >= have)
		return have;
	struct wl_cur c = wl_at(&x->msg, pos, have - pos);
	if (uni) {
		wl_note_utf16(x->m, wl_utf16_text(c, out, cap, 1), "SMB1 name");
		/* step over the string and its terminator */
		size_t i = 0;
		while (wl_left(&c) >= 2 && wl_le16(&c) != 0)
			i += 2;
		return pos + i + 2;
	}
	wl_oem_text(c, out, cap, 1);
	long nul = wl_find(&c, 0);
	return nul < 0 ? have : pos + (size_t)nul + 1;
}

/* Most strings are aligned ([MS-CIFS] 2.2.1.1). */
static size_t smb1_string(struct smb1 *x, size_t pos, char *out, size_t cap)
{
	return smb1_string_at(x, pos, out, cap, 1);
}

/* An NT LM 0.12 NEGOTIATE response with extended security: the server GUID,
 * then the SPNEGO token of the mechanisms it offers ([MS-SMB] 2.2.4.5.2.1). */
static void smb1_negotiate_blob(struct smb1 *x, struct wl_cur bytes)
{
	wl_skip(&bytes, 16);
	if (!wl_ok(&bytes) || !wl_left(&bytes))
		return;
	struct auth_info ai;
	memset(&ai, 0, sizeof ai);
	ai.verbose = x->verbose;
	spnego_token(x->m, bytes, &ai, 0);
}

/* An NT LM 0.12 NEGOTIATE response without extended security: the domain
 * right after the challenge, not aligned ([MS-CIFS] 2.2.4.52.2). */
static void smb1_negotiate_security(struct smb1 *x, struct wl_cur words, struct wl_cur bytes,
				  size_t bytes_pos)
{
	wl_skip(&words, 1 + 2 + 2 + 4 + 4 + 4);   /* after the dialect index */
	uint32_t caps = wl_le32(&words);
	wl_skip(&words, 8 + 2);
	uint8_t keylen = wl_u8(&words);
	if (!wl_ok(&words))
		return;
	if (caps & 0x80000000u) {
		smb1_negotiate_blob(x, bytes);
		return;
	}
	if (bytes_pos + keylen >= wl_left(&x->msg))
		return;
	char dom[SMB_NAME];
	smb1_string_at(x, bytes_pos + keylen, dom, sizeof dom, 0);
	wl_f_cstr(x->m, "smb.primary_domain", dom);
}

static void smb1_negotiate(struct smb1 *x, struct wl_cur words, struct wl_cur bytes,
			   size_t bytes_pos, uint8_t wc)
{
	struct smb_state *s = x->s;
	if (!x->resp) {
		struct line l = { .n = 0 };
		s->nsmb1_dialects = 0;
		s->smb1_offered_smb2 = 0;
		while (wl_left(&bytes) && wl_u8(&bytes) == 0x02) {
			char d[64];
			wl_oem_text(bytes, d, sizeof d, 1);
			long nul = wl_find(&bytes, 0);
			wl_skip(&bytes, nul < 0 ? wl_left(&bytes) : (size_t)nul + 1);
			wl_f_cstr(x->m, "smb.dialect.name", d);
			line_cat(&l, l.n ? ", " : "", d);
			if (s->nsmb1_dialects < 12)
				wl_snprintf(s->smb1_dialect[s->nsmb1_dialects++], sizeof s->smb1_dialect[0], "%.23s", d);
			if (strncmp(d, "SMB 2.", 6) == 0)
				s->smb1_offered_smb2 = 1;
		}
		wl_note(x->m, WL_INFO, "client offers dialects %s%s", l.s,
			s->smb1_offered_smb2 ? "; SMB 2.x among them invites the server to answer in SMB2" : "");
		return;
	}
	if (wc == 0)
		return;
	uint16_t idx = wl_le16(&words);
	if (!wl_ok(&words))
		return;
	wl_f_uint(x->m, "smb.dialect.index", idx);
	if (wc == 17)
		smb1_negotiate_security(x, words, bytes, bytes_pos);
	const char *nm = idx < s->nsmb1_dialects ? s->smb1_dialect[idx] : "?";
	line_cat(&x->text, " ", idx == 0xffff ? "no common dialect" : nm);
	if (idx == 0xffff) {
		wl_note(x->m, WL_WARN, "server accepts none of the offered dialects");
		return;
	}
	wl_note(x->m, WL_INFO, "server chooses SMB1 dialect %u (%s)", idx, nm);
	wl_note(x->m, WL_WARN, "SMB1 is obsolete and unsafe (no pre-auth integrity; the protocol of "
		"the EternalBlue/WannaCry attacks)");
}

static void smb1_session_setup(struct smb1 *x, struct wl_cur words, struct wl_cur bytes,
			       size_t bytes_pos, uint8_t wc)
{
	struct auth_info ai;
	memset(&ai, 0, sizeof ai);
	ai.verbose = x->verbose;
	size_t bloblen = 0;
	if (!x->resp && wc == 12) {
		wl_skip(&words, 4 + 2 + 2 + 2 + 4);
		bloblen = wl_le16(&words);
	} else if (x->resp && wc == 4) {
		wl_skip(&words, 4 + 2);
		bloblen = wl_le16(&words);
	} else if (!x->resp && wc == 13) {
		wl_skip(&words, 4 + 2 + 2 + 2 + 4);
		uint16_t oem = wl_le16(&words), uni = wl_le16(&words);
		char acct[SMB_NAME], dom[SMB_NAME];
		size_t p = smb1_string(x, bytes_pos + oem + uni, acct, sizeof acct);
		smb1_string(x, p, dom, sizeof dom);
		wl_f_cstr(x->m, "smb.account", acct);
		wl_f_cstr(x->m, "smb.primary_domain", dom);
		line_add(&x->text, " %s\\%s", dom, acct);
		wl_note(x->m, WL_INFO, "user %s\\%s logs in (no extended security: passwords hashed "
			"the old way)", dom, acct);
		return;
	}
	if (x->resp && wc == 3) {
		char os[SMB_NAME], lanman[SMB_NAME], dom[SMB_NAME];   /* no extended security */
		size_t p = smb1_string(x, bytes_pos, os, sizeof os);
		p = smb1_string(x, p, lanman, sizeof lanman);
		if (p < wl_left(&x->msg)) {
			smb1_string(x, p, dom, sizeof dom);
			wl_f_cstr(x->m, "smb.primary_domain", dom);
		}
		return;
	}
	if (!bloblen || !wl_ok(&words))
		return;
	if (bloblen > wl_left(&bytes)) {
		wl_note(x->m, WL_ERROR, "malformed: security blob of %zu bytes, only %zu follow", bloblen,
			wl_left(&bytes));
		return;
	}
	spnego_token(x->m, wl_sub(&bytes, bloblen), &ai, 0);
	const char *tn = wl_ntlmssp_type_name(ai.ntlm.type);
	if (tn)
		line_cat(&x->text, " ", tn);
	if (ai.ntlm.type == 3) {
		line_add(&x->text, " %s\\%s", ai.ntlm.domain, ai.ntlm.user);
		wl_note(x->m, WL_INFO, "user %s\\%s logs in from host %s", ai.ntlm.domain, ai.ntlm.user, ai.ntlm.host);
	}
}

/* Where a request names its file id: at a byte of its words, given enough
 * of them ([MS-CIFS] 2.2.4); Trans and NT Trans requests below. */
static const struct {
	uint8_t cmd, at, min_wc;
} smb1_fid_words[] = {
	{ 0x04, 0, 3 },    /* Close */
	{ 0x05, 0, 1 },    /* Flush */
	{ 0x24, 4, 8 },    /* Locking AndX */
	{ 0x2e, 4, 10 },   /* Read AndX */
	{ 0x2f, 4, 12 },   /* Write AndX */
};

/* A Transaction on a named pipe keeps the fid in its second setup word,
 * but for WaitNmPipe and CallNmPipe ([MS-CIFS] 2.2.5.1); an NT Transact
 * IOCTL or NOTIFY_CHANGE in its setup after a 32-bit code (2.2.7.2, 2.2.7.4). */
static int smb1_setup_fid(uint8_t cmd, struct wl_cur w, uint8_t wc, uint16_t *fid)
{
	if (cmd == 0x25 && wc >= 16) {
		wl_skip(&w, 26);
		uint8_t nsetup = wl_u8(&w);
		wl_skip(&w, 1);
		uint16_t function = wl_le16(&w);
		*fid = wl_le16(&w);
		return wl_ok(&w) && nsetup >= 2 && function != 0x53 && function != 0x54;
	}
	if (cmd == 0xa0 && wc >= 23) {
		wl_skip(&w, 35);
		uint8_t nsetup = wl_u8(&w);
		uint16_t function = wl_le16(&w);
		wl_skip(&w, 4);
		*fid = wl_le16(&w);
		return wl_ok(&w) && nsetup >= 4 && (function == 2 || function == 4);
	}
	return 0;
}

static void smb1_request_fid(struct smb1 *x, uint8_t cmd, struct wl_cur words, uint8_t wc)
{
	uint16_t fid;
	for (size_t i = 0; i < sizeof smb1_fid_words / sizeof smb1_fid_words[0]; i++) {
		if (smb1_fid_words[i].cmd != cmd || wc < smb1_fid_words[i].min_wc)
			continue;
		struct wl_cur w = words;
		wl_skip(&w, smb1_fid_words[i].at);
		fid = wl_le16(&w);
		if (wl_ok(&w))
			smb1_fid_used(x, fid);
		/* tshark keeps one note per request: a READ/WRITE_ANDX chained after an
		 * NT CREATE_ANDX takes the name's place (raw_ntlm_in_smb.pcap frame 159:
		 * "FID: 0x0000" without a name) */
		if (x->req && (cmd == 0x2e || cmd == 0x2f))
			x->req->itype = 0;
		return;
	}
	if (smb1_setup_fid(cmd, words, wc, &fid))
		smb1_fid_used(x, fid);
}

/* The extended response ([MS-SMB] 2.2.4.9.2) says WordCount 42 but carries
 * 50 words: its maximal and guest maximal access come after the 84 bytes
 * the count covers, at 92 and 96, and tshark reads them there. */
static void smb1_create_extended(struct smb1 *x, struct wl_cur ext)
{
	wl_skip(&ext, 92);
	uint32_t maximal = wl_le32(&ext), guest = wl_le32(&ext);
	if (!wl_ok(&ext))
		return;
	wl_f_hex(x->m, "smb.access_mask", maximal);
	wl_f_hex(x->m, "smb.access_mask", guest);
}

/* An NT CREATE_ANDX response opens its fid under the name asked for; one
 * without words (an error) opens fid 0 as tshark has it: raw_ntlm_in_smb.pcap
 * frames 118 and 124 show "FID: 0x0000" with the name, and frame 158's
 * READ_ANDX of fid 0 is named after frame 124's. */
static void smb1_create_response(struct smb1 *x, struct wl_cur words, uint8_t wc, struct wl_cur ext)
{
	uint16_t fid = 0;
	if (wc) {
		wl_skip(&words, 5);
		fid = wl_le16(&words);
		if (!wl_ok(&words))
			return;
	}
	int named = x->req && x->req->itype == 0xa2;
	smb1_fid_open(x->s, x->tid, fid, named ? x->req->name : NULL,
		      named ? x->req->smb1_access : 0, wl_frame(x->ctx));
	smb1_fid_name(x, fid);
	if (wc == 42)
		smb1_create_extended(x, ext);
}

/* An NT CREATE_ANDX request: the name and the access asked for (the latter
 * after AndX, Reserved, NameLength, Flags and RootDirectoryFID,
 * [MS-CIFS] 2.2.4.64.1), kept for the response that opens the fid. */
static void smb1_create_request(struct smb1 *x, struct wl_cur words, size_t bytes_pos)
{
	char name[SMB_NAME];
	smb1_string(x, bytes_pos, name, sizeof name);
	wl_f_cstr(x->m, "smb.file", name);
	line_cat(&x->text, " ", name);
	wl_skip(&words, 15);
	uint32_t access = wl_le32(&words);
	if (wl_ok(&words))
		wl_f_hex(x->m, "smb.access_mask", access);
	if (x->req) {
		x->req->itype = 0xa2;   /* its name is the file's */
		x->req->smb1_access = access;
		wl_snprintf(x->req->name, sizeof x->req->name, "%s", name);
	}
}

/* A response shows the fid its request named, 0 aside (packet-smb.c: the
 * request's saved fid, added as a generated FID; frame 159 of
 * raw_ntlm_in_smb.pcap has none for its request's fid 0); a Transaction's
 * once more, as its named pipe layer names the fid of the call too. */
static void smb1_response_fid(struct smb1 *x, uint8_t cmd)
{
	if (!x->resp || !x->req || !x->req->smb1_fid_seen || !x->req->smb1_fid)
		return;
	smb1_fid_name(x, x->req->smb1_fid);
	if (cmd == 0x25)
		smb1_fid_name(x, x->req->smb1_fid);
}

/* An OPEN_ANDX request: the name after the words ([MS-CIFS] 2.2.4.41.1);
 * it asks for no NT access, which tshark shows as 0 under the fid. */
static void smb1_open_request(struct smb1 *x, size_t bytes_pos)
{
	char name[SMB_NAME];
	smb1_string(x, bytes_pos, name, sizeof name);
	wl_f_cstr(x->m, "smb.file", name);
	line_cat(&x->text, " ", name);
	if (x->req) {
		x->req->itype = 0xa2;   /* a file name, as an NT CREATE_ANDX's */
		x->req->smb1_access = 0;
		wl_snprintf(x->req->name, sizeof x->req->name, "%s", name);
	}
}

static void smb1_open_response(struct smb1 *x, struct wl_cur words)
{
	wl_skip(&words, 4);
	uint16_t fid = wl_le16(&words);
	if (!wl_ok(&words))
		return;
	int named = x->req && x->req->itype == 0xa2;
	smb1_fid_open(x->s, x->tid, fid, named ? x->req->name : NULL, 0, wl_frame(x->ctx));
	smb1_fid_name(x, fid);
}

enum { T2_FIND_FIRST2 = 1, T2_FIND_NEXT2 = 2, T2_QUERY_PATH_INFO = 5, T2_SET_PATH_INFO = 6, T2_QUERY_FILE_INFO = 7, T2_SET_FILE_INFO = 8 };
#define T2_PATH 0x32             /* smb_pend.itype: a TRANS2 request's name is a path */
#define QUERY_FILE_ALL_INFO 0x107
#define FIND_FILE_BOTH_DIRECTORY_INFO 0x104
#define SMB1_FIND_MAX 1024       /* entries named per response */

/* A TRANS2 request ([MS-CIFS] 2.2.4.46.1): the path or fid its PATH_INFO
 * or FILE_INFO subcommand names, in its parameters; the level is kept. */
static void smb1_trans2_request(struct smb1 *x, struct wl_cur words, uint8_t wc)
{
	if (wc < 15)
		return;
	wl_skip(&words, 20);
	uint16_t poff = wl_le16(&words);
	wl_skip(&words, 6);
	uint16_t sub = wl_le16(&words);
	size_t have = wl_left(&x->msg);
	if (!wl_ok(&words) || poff >= have)
		return;
	struct wl_cur par = wl_at(&x->msg, poff, have - poff);
	if (x->req)
		x->req->klass = (uint8_t)sub;
	if (sub == T2_FIND_FIRST2 || sub == T2_FIND_NEXT2) {
		wl_skip(&par, sub == T2_FIND_FIRST2 ? 6 : 4);
		uint16_t level = wl_le16(&par);
		if (wl_ok(&par) && x->req)
			x->req->ctl = level;
	} else if (sub == T2_QUERY_FILE_INFO || sub == T2_SET_FILE_INFO) {
		uint16_t fid = wl_le16(&par), level = wl_le16(&par);
		if (!wl_ok(&par))
			return;
		smb1_fid_used(x, fid);
		if (x->req)
			x->req->ctl = level;
	} else if (sub == T2_QUERY_PATH_INFO || sub == T2_SET_PATH_INFO) {
		uint16_t level = wl_le16(&par);
		char name[SMB_NAME];
		if (!wl_ok(&par) || poff + 6u >= have)
			return;
		smb1_string(x, poff + 6u, name, sizeof name);
		wl_f_cstr(x->m, "smb.file", name);
		if (x->req) {
			x->req->itype = T2_PATH;
			x->req->ctl = level;
			wl_snprintf(x->req->name, sizeof x->req->name, "%s", name);
		}
	}
}

/* A name of a FILE_ALL_INFO or a directory entry: UTF-16 or OEM as flags2 says. */
static void smb1_name_field(struct smb1 *x, struct wl_cur name)
{
	char out[SMB_NAME];
	if (x->flags2 & 0x8000)
		wl_note_utf16(x->m, wl_utf16_text(name, out, sizeof out, 1), "SMB1 name");
	else
		wl_oem_text(name, out, sizeof out, 1);
	wl_f_cstr(x->m, "smb.file", out);
}

/* SMB_FIND_FILE_BOTH_DIRECTORY_INFO entries ([MS-CIFS] 2.2.8.1.7): the
 * name's length at 60, the name at 94, the next entry NextEntryOffset on. */
static void smb1_find_names(struct smb1 *x, struct wl_cur data)
{
	for (unsigned n = 0; n < SMB1_FIND_MAX && wl_left(&data); n++) {
		struct wl_cur e = data;
		uint32_t next = wl_le32(&e);
		wl_skip(&e, 56);
		uint32_t nlen = wl_le32(&e);
		wl_skip(&e, 30);
		if (!wl_ok(&e) || nlen > wl_left(&e)) {
			wl_note_cursor(x->m, &e, "SMB1 directory entry");
			return;
		}
		smb1_name_field(x, wl_sub(&e, nlen));
		if (next == 0 || next > wl_left(&data))
			return;
		wl_skip(&data, next);
	}
}

static void smb1_all_info_name(struct smb1 *x, struct wl_cur data)
{
	wl_skip(&data, 68);
	uint32_t nlen = wl_le32(&data);
	if (!wl_ok(&data) || nlen > wl_left(&data))
		return;
	smb1_name_field(x, wl_sub(&data, nlen));
}

/* A TRANS2 response: tshark names the request's path again and, for
 * QUERY_FILE_ALL_INFO, the file name the data ends with (its 32-bit length
 * after 68 bytes of times, sizes and flags, [MS-CIFS] 2.2.8.3.10); for a
 * FIND_FIRST2/FIND_NEXT2, the name of each entry found. */
static void smb1_trans2_response(struct smb1 *x, struct wl_cur words, uint8_t wc)
{
	if (!x->req)
		return;
	if (x->req->itype == T2_PATH)
		wl_f_cstr(x->m, "smb.file", x->req->name);
	if (wc < 10)
		return;
	wl_skip(&words, 12);
	uint16_t dcount = wl_le16(&words), doff = wl_le16(&words);
	if (!wl_ok(&words) || doff >= wl_left(&x->msg))
		return;
	struct wl_cur data = wl_at(&x->msg, doff, dcount);
	int find = x->req->klass == T2_FIND_FIRST2 || x->req->klass == T2_FIND_NEXT2;
	if (find && x->req->ctl == FIND_FILE_BOTH_DIRECTORY_INFO)
		smb1_find_names(x, data);
	else if (!find && x->req->ctl == QUERY_FILE_ALL_INFO)
		smb1_all_info_name(x, data);
}

/* A TREE_CONNECT_ANDX extended response: the share's maximal access for
 * the user and for a guest, after AndX and OptionalSupport ([MS-SMB] 2.2.4.7.2). */
static void smb1_tree_connect_extended(struct smb1 *x, struct wl_cur words)
{
	wl_skip(&words, 6);
	uint32_t maximal = wl_le32(&words), guest = wl_le32(&words);
	if (!wl_ok(&words))
		return;
	wl_f_hex(x->m, "smb.access_mask", maximal);
	wl_f_hex(x->m, "smb.access_mask", guest);
}

/* One SMB1 command block of the AndX chain; returns the next command and
 * its offset through *next_cmd / *next_off (0xff: none). */
static void smb1_block(struct smb1 *x, uint8_t cmd, size_t pos, uint8_t *next_cmd, size_t *next_off)
{
	size_t have = wl_left(&x->msg);
	struct wl_cur c = wl_at(&x->msg, pos, have > pos ? have - pos : 0);
	uint8_t wc = wl_u8(&c);
	struct wl_cur words = wl_sub(&c, 2u * wc);
	uint16_t bcc = wl_le16(&c);
	size_t bytes_pos = pos + 1 + 2u * wc + 2;
	struct wl_cur bytes = wl_sub(&c, bcc);
	*next_cmd = 0xff;
	if (!wl_ok(&c) && !(x->resp && wc == 0)) {
		wl_note_cursor(x->m, &c, "SMB1 command block");
		if (wc == 0 || wl_left(&words) < 4)
			return;
	}
	if (smb1_is_andx(cmd) && wc >= 2) {
		struct wl_cur w = words;
		*next_cmd = wl_u8(&w);
		wl_skip(&w, 1);
		*next_off = wl_le16(&w);
		wl_f_hex(x->m, "smb.cmd", *next_cmd);
	}
	switch (cmd) {
	case 0x72:
		smb1_negotiate(x, words, bytes, bytes_pos, wc);
		break;
	case 0x73:
		smb1_session_setup(x, words, bytes, bytes_pos, wc);
		break;
	case 0x2d:
		if (!x->resp && wc == 15)
			smb1_open_request(x, bytes_pos);
		else if (x->resp && wc >= 3)
			smb1_open_response(x, words);
		break;
	case 0x08:
		if (!x->resp && wl_left(&bytes) > 1) {
			char name[SMB_NAME];   /* after the buffer format 0x04 */
			smb1_string(x, bytes_pos + 1, name, sizeof name);
			wl_f_cstr(x->m, "smb.file", name);
		}
		break;
	case 0x32:
		if (x->resp)
			smb1_trans2_response(x, words, wc);
		else
			smb1_trans2_request(x, words, wc);
		break;
	case 0x75:
		if (!x->resp && wc == 4) {
			wl_skip(&words, 6);
			uint16_t pwlen = wl_le16(&words);
			char path[SMB_NAME];
			smb1_string(x, bytes_pos + pwlen, path, sizeof path);
			wl_f_cstr(x->m, "smb.path", path);
			line_cat(&x->text, " ", path);
			if (x->req) {
				x->req->itype = 0x75;   /* its name is a tree's path */
				wl_snprintf(x->req->name, sizeof x->req->name, "%s", path);
			}
		} else if (x->resp && wc == 7) {
			smb1_tree_connect_extended(x, words);
		}
		break;
	case 0xa2:
		if (!x->resp && wc == 24)
			smb1_create_request(x, words, bytes_pos);
		else if (x->resp)
			smb1_create_response(x, words, wc, wl_at(&x->msg, pos + 1, have > pos ? have - pos - 1 : 0));
		break;
	default:
		if (!x->resp)
			smb1_request_fid(x, cmd, words, wc);
		break;
	}
}

static void smb1_message(struct smb_state *s, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur msg)
{
	struct smb1 x;
	memset(&x, 0, sizeof x);
	x.s = s;
	x.ctx = ctx;
	x.msg = msg;
	x.verbose = wl_opts(ctx)->verbose;
	struct wl_cur h = msg;
	wl_skip(&h, 4);
	uint8_t cmd = wl_u8(&h);
	uint32_t status = wl_le32(&h);
	uint8_t flags = wl_u8(&h);
	x.flags2 = wl_le16(&h);
	wl_skip(&h, 2 + 8 + 2);
	x.tid = wl_le16(&h);
	wl_skip(&h, 2 + 2);
	uint16_t mid = wl_le16(&h);
	x.resp = (flags & 0x80) != 0;
	x.m = smb_msg_new(s, ctx, "smb", x.resp ? "response" : "request", dir);
	const char *cn = wl_tok(smb1_cmds, cmd, NULL);
	if (cn)
		line_add(&x.text, "SMB1 %s", cn);
	else
		line_add(&x.text, "SMB1 command 0x%02x", cmd);
	wl_f_hex(x.m, "smb.cmd", cmd);
	if (!wl_ok(&h)) {
		wl_msg_text(x.m, "%s (cut short)", x.text.s);
		wl_note_cursor(x.m, &h, "SMB1 header");
		return;
	}
	wl_f_bool(x.m, "smb.flags.response", x.resp);
	wl_f_uint(x.m, "smb.mid", mid);
	smb1_pair(&x, ctx, cmd, mid, status);
	const struct smb_tree *tree = tree1_find_le(s, x.tid);
	if (tree)
		wl_f_cstr(x.m, "smb.path", tree->name);   /* tshark: under the tid of every message */
	smb1_response_fid(&x, cmd);
	if (x.flags2 & 0x4000)
		wl_f_hex(x.m, "smb.nt_status", status);   /* a request's too (0) */
	if (x.resp && (x.flags2 & 0x4000)) {
		char buf[16];
		line_cat(&x.text, " ", status_name(status, buf, sizeof buf));
		const char *why = wl_tok(nt_status_why, status, NULL);
		if (why)
			wl_note(x.m, WL_WARN, "%s", why);
	}
	size_t pos = 32;
	uint8_t c = cmd;
	for (unsigned n = 0; n < SMB_CHAIN_MAX; n++) {
		uint8_t next = 0xff;
		size_t noff = 0;
		smb1_block(&x, c, pos, &next, &noff);
		if (next == 0xff)
			break;
		if (noff <= pos || noff >= wl_left(&msg)) {
			wl_note(x.m, WL_ERROR, "malformed: AndX offset %zu points %s", noff,
				noff <= pos ? "backwards" : "outside the message");
			break;
		}
		line_add(&x.text, " + %s", wl_tok(smb1_cmds, next, "?"));
		c = next;
		pos = noff;
	}
	if (x.resp && x.req && status != ST_PENDING)
		x.req->used = 0;
	wl_msg_text(x.m, "%s", x.text.s);
}

/* ------------------------------------------------------------ NBSS framing */

static int smb_magic(int b0, int b1, int b2, int b3)
{
	return (b0 == 0xfe || b0 == 0xff || b0 == 0xfd || b0 == 0xfc) && b1 == 'S' && b2 == 'M' &&
	       b3 == 'B';
}

/* One NetBIOS session message's payload. */
static void smb_pdu(struct smb_state *s, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur pdu,
		    uint32_t declared)
{
	int b0 = wl_peek(&pdu, 0);
	if (!smb_magic(b0, wl_peek(&pdu, 1), wl_peek(&pdu, 2), wl_peek(&pdu, 3))) {
		struct wl_msg *m = smb_msg_new(s, ctx, "smb", "unknown", dir);
		wl_msg_text(m, "%u bytes, not SMB", declared);
		wl_note(m, WL_ERROR, "malformed: NetBIOS session message without an SMB header");
		return;
	}
	if (b0 == 0xfe)
		smb2_chain(s, ctx, dir, pdu);
	else if (b0 == 0xff)
		smb1_message(s, ctx, dir, pdu);
	else if (b0 == 0xfd)
		smb3_transform(s, ctx, dir, pdu);
	else {
		struct wl_msg *m = smb_msg_new(s, ctx, "smb2", "compressed", dir);
		wl_msg_text(m, "SMB3 compressed %u bytes", declared);
		wl_note(m, WL_INFO, "SMB 3.1.1 compression transform: the message inside is compressed");
	}
}

/* A NetBIOS name (RFC 1001 §14.1, first-level encoding: 32 letters 'A' +
 * nibble after a length byte, then the scope's labels) as tshark shows it:
 * the 15 name characters without their trailing blanks, then the 16th
 * (the service suffix) in hex, as "SERVER<20>". */
static void nbss_name(struct wl_cur *c, char *out, size_t cap)
{
	uint8_t len = wl_u8(c);
	struct wl_cur n = wl_sub(c, len);
	char name[17];
	size_t o = 0;
	while (wl_left(&n) >= 2 && o < 16) {
		uint8_t hi = (uint8_t)(wl_u8(&n) - 'A'), lo = (uint8_t)(wl_u8(&n) - 'A');
		uint8_t ch = (uint8_t)((hi & 0xf) << 4 | (lo & 0xf));
		name[o++] = (char)ch;
	}
	size_t shown = o < 16 ? o : 15, end = shown;
	while (end && name[end - 1] == ' ')
		end--;
	size_t k = 0;
	for (size_t i = 0; i < end && k + 1 < cap; i++)
		out[k++] = name[i] >= 0x20 && name[i] < 0x7f ? name[i] : '.';
	out[k] = '\0';
	if (o == 16)
		wl_snprintf(out + k, cap - k, "<%02x>", (unsigned)(uint8_t)name[15]);
	while (wl_left(c) && wl_u8(c) != 0)
		;        /* scope labels */
}

static void nbss_message(struct wl_ctx *ctx, enum wl_dir dir, uint8_t type, uint8_t flags,
			 struct wl_cur c, uint32_t len)
{
	static const struct wl_tok types[] = {
		{ NB_REQ, "session request" }, { NB_POS, "positive session response" },
		{ NB_NEG, "negative session response" }, { NB_RETARGET, "retarget session response" },
		{ NB_KEEPALIVE, "session keep-alive" }, { 0, NULL },
	};
	struct wl_msg *m = wl_msg_new(ctx, "nbss", wl_tok(types, type, "unknown"), dir);
	wl_f_hex(m, "nbss.type", type);
	wl_f_hex(m, "nbss.flags", flags);
	wl_f_bool(m, "nbss.flags.e", flags & 1);
	wl_f_uint(m, "nbss.length", len);
	if (type == NB_REQ) {
		char called[48], calling[48];
		nbss_name(&c, called, sizeof called);
		nbss_name(&c, calling, sizeof calling);
		wl_f_cstr(m, "nbss.called_name", called);
		wl_f_cstr(m, "nbss.calling_name", calling);
		wl_msg_text(m, "NBSS call %s -> %s", calling, called);
		wl_note(m, WL_INFO, "NetBIOS over TCP (port 139): the client names the server it calls");
		if (!wl_ok(&c))
			wl_note_cursor(m, &c, "NetBIOS session request");
		return;
	}
	wl_msg_text(m, "NBSS %s", wl_tok(types, type, "unknown type"));
}

/* NetBIOS types RFC 1002 defines. */
static int nbss_known(uint8_t t)
{
	return t == NB_MSG || (t >= NB_REQ && t <= NB_KEEPALIVE);
}

/* Looks for the next plausible "00 len len len FE|FF|FD 'SMB'"; consumes what
 * lies before it. */
static size_t resync(struct smb_state *s, enum wl_dir dir, struct wl_cur c)
{
	size_t n = wl_left(&c);
	for (size_t i = 0; i + 8 <= n; i++) {
		if (wl_peek(&c, i) == 0 &&
		    smb_magic(wl_peek(&c, i + 4), wl_peek(&c, i + 5), wl_peek(&c, i + 6), wl_peek(&c, i + 7))) {
			s->lost[dir] = 0;
			return i;
		}
	}
	return n > 7 ? n - 7 : 0;
}

static void lost_sync(struct smb_state *s, struct wl_ctx *ctx, enum wl_dir dir, const char *why)
{
	struct wl_msg *m = wl_msg_new(ctx, "smb", "unknown", dir);
	wl_msg_text(m, "framing lost");
	wl_note(m, WL_ERROR, "malformed: %s; skipping to the next SMB header", why);
	s->lost[dir] = 1;
}

/* A PDU too big to buffer: dissect its head, then pass over the rest. */
static size_t big_pdu(struct smb_state *s, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c,
		      uint32_t len)
{
	size_t left = wl_left(&c);
	if (left < SMB_HEAD)
		return 0;
	struct wl_cur head = wl_at(&c, 4, left - 4);
	s->nb_pending = 1;
	s->nb_len = len;
	smb_pdu(s, ctx, dir, head, len);
	s->nb_pending = 0;
	s->skip[dir] = 4ull + len - left;
	return left;
}

static size_t smb_stream(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct smb_state *s = st;
	size_t used = 0;
	for (;;) {
		size_t left = wl_left(&c);
		if (!left)
			break;
		if (s->skip[dir]) {
			size_t k = left < s->skip[dir] ? left : (size_t)s->skip[dir];
			wl_skip(&c, k);
			s->skip[dir] -= k;
			used += k;
			continue;
		}
		if (s->lost[dir]) {
			size_t k = resync(s, dir, c);
			wl_skip(&c, k);
			used += k;
			if (s->lost[dir])
				break;
			continue;
		}
		if (left < 4)
			break;
		struct wl_cur h = c;
		uint8_t type = wl_u8(&h);
		uint32_t len = wl_be24(&h);
		if (!nbss_known(type)) {
			lost_sync(s, ctx, dir, "not a NetBIOS session message");
			continue;
		}
		uint8_t nb_flags = (uint8_t)(len >> 16);
		if (type != NB_MSG)
			len &= 0x1ffff;
		if (type == NB_MSG && len > SMB_BIG && left - 4 < len) {
			size_t k = big_pdu(s, ctx, dir, c, len);
			if (!k)
				break;
			wl_skip(&c, k);
			used += k;
			continue;
		}
		if (left - 4 < len)
			break;
		struct wl_cur pdu = wl_sub(&h, len);
		wl_skip(&c, 4u + len);
		used += 4u + len;
		if (type != NB_MSG) {
			nbss_message(ctx, dir, type, nb_flags, pdu, len);
			continue;
		}
		if (len == 0)
			continue;    /* an empty session message: nothing to show */
		if (len < 4) {
			lost_sync(s, ctx, dir, "NetBIOS length too short for an SMB header");
			continue;
		}
		s->nb_pending = 1;
		s->nb_len = len;
		smb_pdu(s, ctx, dir, pdu, len);
		s->nb_pending = 0;
	}
	return used;
}

/* NetBIOS datagram service (udp 138): browser announcements and mailslots
 * carry SMB1 Transaction messages after two encoded NetBIOS names. */
static void smb_datagram(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	uint8_t type = wl_u8(&c);
	wl_skip(&c, 9);
	uint16_t dlen = wl_be16(&c);
	wl_skip(&c, 2);
	if (!wl_ok(&c) || type < 0x10 || type > 0x12) {
		struct wl_msg *m = wl_msg_new(ctx, "nbss", "datagram", dir);
		wl_msg_text(m, "NetBIOS datagram type 0x%02x", type);
		if (!wl_ok(&c))
			wl_note_cursor(m, &c, "NetBIOS datagram header");
		return;
	}
	char src[48], dst[48];
	nbss_name(&c, src, sizeof src);
	nbss_name(&c, dst, sizeof dst);
	(void)dlen;
	if (!wl_ok(&c) || wl_peek(&c, 0) != 0xff) {
		struct wl_msg *m = wl_msg_new(ctx, "nbss", "datagram", dir);
		wl_msg_text(m, "NetBIOS datagram %s -> %s", src, dst);
		if (!wl_ok(&c))
			wl_note_cursor(m, &c, "NetBIOS datagram");
		return;
	}
	smb1_message(st, ctx, dir, c);
}

static void smb_gap(void *st, struct wl_ctx *ctx, enum wl_dir dir, uint64_t len)
{
	struct smb_state *s = st;
	(void)ctx;
	if (s->skip[dir] >= len) {
		s->skip[dir] -= len;
		return;
	}
	s->skip[dir] = 0;
	s->lost[dir] = 1;
}

static enum wl_probe smb_probe(struct wl_cur c, enum wl_dir dir)
{
	(void)dir;
	int b[8];
	for (int i = 0; i < 8; i++)
		b[i] = wl_peek(&c, (size_t)i);
	if (b[0] < 0)
		return WL_PROBE_NEED_MORE;
	if (b[0] != 0)
		return WL_PROBE_NO;
	if (b[4] >= 0 && b[4] != 0xfe && b[4] != 0xff && b[4] != 0xfd)
		return WL_PROBE_NO;
	static const char sm[] = "SMB";
	for (int i = 5; i < 8; i++) {
		if (b[i] < 0)
			return WL_PROBE_NEED_MORE;
		if (b[i] != sm[i - 5])
			return WL_PROBE_NO;
	}
	return b[4] < 0 ? WL_PROBE_NEED_MORE : WL_PROBE_YES;
}

/* "SESSIONID:KEY[,...]", each hex (SESSIONID with or without 0x, KEY 32 digits). */
static void parse_keys(struct smb_shared *sh, const char *list)
{
	const char *p = list;
	while (p && *p && sh->nkeys < SMB_KEYS) {
		char *end;
		unsigned long long id = strtoull(p, &end, 16);
		if (end == p || *end != ':')
			return;
		p = end + 1;
		uint8_t key[16];
		int n = 0;
		while (n < 16 && p[0] && p[1]) {
			char hx[3] = { p[0], p[1], 0 };
			unsigned long v = strtoul(hx, &end, 16);
			if (end != hx + 2)
				return;
			key[n++] = (uint8_t)v;
			p += 2;
		}
		if (n != 16)
			return;
		sh->keys[sh->nkeys].sesid = id;
		memcpy(sh->keys[sh->nkeys].key, key, 16);
		sh->nkeys++;
		if (*p == ',')
			p++;
		else
			break;
	}
}

static void *shared_make(void)
{
	return calloc(1, sizeof(struct smb_shared));
}

static void shared_drop(void *p)
{
	struct smb_shared *sh = p;
	if (!sh)
		return;
	free(sh->tree);
	free(sh);
}

static void *smb_open(struct wl_ctx *ctx)
{
	struct smb_state *s = calloc(1, sizeof(struct smb_state));
	if (!s)
		return NULL;
	s->sh = wl_engine_shared(ctx, &wl_dissector_smb, shared_make, shared_drop);
	if (s->sh && !s->sh->opts_read) {
		const struct wl_opts *o = wl_opts(ctx);
		s->sh->opts_read = 1;
		if (o->nt_password) {
			wl_ntlmssp_nt_hash(o->nt_password, s->sh->nt_hash);
			s->sh->have_nt_hash = 1;
		}
		if (o->smb_keys)
			parse_keys(s->sh, o->smb_keys);
	}
	s->crypto = s->sh && (s->sh->have_nt_hash || s->sh->nkeys);
	uint8_t a[16] = { 0 };
	wl_flow_addr(ctx, WL_S2C, a);
	memcpy(s->srv.addr, a, 16);
	s->srv.port = wl_flow_port(ctx, WL_S2C);
	return s;
}

static void smb_close(void *st, struct wl_ctx *ctx)
{
	struct smb_state *s = st;
	(void)ctx;
	if (!s)
		return;
	free(s->pend);
	free(s->fid);
	free(s->tree1);
	free(s);
}

static const uint16_t smb_tcp_ports[] = { 139, 445, 4445, 0 };
static const uint16_t smb_udp_ports[] = { 138, 0 };

const struct wl_dissector wl_dissector_smb = {
	.name = "smb",
	.desc = "SMB1/SMB2/SMB3 over NetBIOS session service or direct TCP, with NTLMSSP",
	.tcp_ports = smb_tcp_ports,
	.udp_ports = smb_udp_ports,
	.probe = smb_probe,
	.open = smb_open,
	.stream = smb_stream,
	.datagram = smb_datagram,
	.gap = smb_gap,
	.close = smb_close,
	.fields = smb_fields,
	.fields_verbose = smb_fields_verbose,
};
