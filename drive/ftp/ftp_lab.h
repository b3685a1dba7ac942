/* ftp_lab.h - what the FTP lab server (srv_ftp.c) serves and the FTP
 * exchanges (ftp.c) expect: the account, the folder, the two files. The
 * files are generated, so their size and SHA-256 are known to both sides. */
#ifndef WL_FTPLAB_H
#define WL_FTPLAB_H

#include <stddef.h>
#include <stdint.h>

#define FTPLAB_USER "labftp"
#define FTPLAB_PASS "labftp-2121"
#define FTPLAB_DIR "lab"                 /* under the FTP root: CWD lab */
#define FTPLAB_TEXT "hello.txt"
#define FTPLAB_BIN "big.bin"
#define FTPLAB_BIN_SIZE 100000
#define FTPLAB_MTIME 1767225600          /* 2026-01-01 00:00 UTC: stable LIST lines */
/* The client's port for active mode: in the capture filter's range, and not
 * one vsftpd hands out while the client listens (one transfer at a time). */
#define FTPLAB_ACTIVE_PORT 30009

static const char ftplab_text[] =
	"Hello from the wirelab FTP lab.\n"
	"This file and the password that fetched it crossed the wire in clear text.\n";

/* The binary file: xorshift32 bytes from a fixed seed. */
static inline void ftplab_bin(uint8_t *out, size_t n)
{
	uint32_t x = 0x2121beefu;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		out[i] = (uint8_t)(x >> 24);
	}
}

#endif
