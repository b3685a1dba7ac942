/* smb_lab.h - what the SMB lab server (srv_smb.c) and its drivers (smb.c)
 * agree on: the account, the share and the file the client fetches. */
#ifndef WL_SMB_LAB_H
#define WL_SMB_LAB_H

#define WL_SMB_PORT 4445
#define WL_SMB_USER "labuser"
#define WL_SMB_PASS "Lab-Pass-4445"
#define WL_SMB_WORKGROUP "WIRELAB"
#define WL_SMB_SHARE "Share"
#define WL_SMB_FILE "test.rtf"

/* test.rtf: the driver fetches it and checks its size and SHA-256 against this. */
#define WL_SMB_FILE_TEXT \
	"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Courier;}}\n" \
	"{\\b wirelab} SMB lab: this file travelled from smbd to libsmbclient\\par\n" \
	"Read the trace: NEGOTIATE, SESSION_SETUP, TREE_CONNECT, CREATE, READ, CLOSE.\\par\n" \
	"}\n"

#endif
