/* fuzz_smb3.c - libFuzzer target for SMB3 decryption: every input is
 * dissected the way the engine meets a session whose key it knows
 * (--smb-key 0x1234:000102..0f, SMB 3.0 negotiated on the connection).
 * The first byte picks the cipher, the direction and whether the record is
 * sealed properly; the rest is the plaintext, encrypted here with the right
 * key so that the SMB2 dissector reads it as decrypted bytes, or sent as it
 * is (a transform with a tag that fails, lengths that lie). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "feed.h"
#include "smb3crypt.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void nb_send(struct feed *f, int dir, const uint8_t *p, size_t n)
{
	static uint8_t w[4 + 70000];
	if (n > sizeof w - 4)
		n = sizeof w - 4;
	w[0] = 0;
	w[1] = (uint8_t)(n >> 16);
	w[2] = (uint8_t)(n >> 8);
	w[3] = (uint8_t)n;
	memcpy(w + 4, p, n);
	feed_tcp_send(f, dir, w, n + 4, 1460);
}

/* NEGOTIATE request and an SMB 3.0 response: the connection's dialect. */
static void negotiate30(struct feed *f)
{
	uint8_t req[64 + 38] = { 0xfe, 'S', 'M', 'B', 64 }, resp[64 + 64] = { 0xfe, 'S', 'M', 'B', 64 };
	req[64] = 36;
	req[66] = 1;
	req[64 + 36] = 0x00;
	req[64 + 37] = 0x03;
	resp[16] = 1;                 /* response */
	resp[64] = 65;
	resp[68] = 0x00;
	resp[69] = 0x03;
	nb_send(f, 0, req, sizeof req);
	nb_send(f, 1, resp, sizeof resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static uint16_t cport;
	static struct smb3_keys k;
	static const uint8_t sk[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	static const struct wl_opts opts = { .smb_keys = "1234:000102030405060708090a0b0c0d0e0f",
					     .nt_password = "Lab-Pass-4445" };
	if (n < 1 || n > 65536)
		return 0;
	if (!k.dialect)
		smb3_derive(&k, 0x0300, SMB3_AES128_CCM, SMB3_SIGN_AES_CMAC, sk, NULL);
	struct wl_limits lim;
	wl_limits_default(&lim);
	lim.max_flows = 16;
	struct feed *f = feed_get(&opts, &lim);
	cport = (uint16_t)(cport % 10000 + 1);
	feed_tcp_open(f, (uint16_t)(cport + 40000), 445);
	negotiate30(f);
	uint8_t mode = d[0];
	int dir = mode & 1, seal = (mode & 2) != 0;
	const uint8_t *p = d + 1;
	size_t len = n - 1;
	static uint8_t rec[SMB3_XF_HEADER + 65536];
	if (seal) {
		/* 3.0 negotiated: the session's cipher is AES-128-CCM */
		uint8_t *hdr = rec;
		memset(hdr, 0, SMB3_XF_HEADER);
		memcpy(hdr, "\xfdSMB", 4);
		hdr[20] = mode;
		hdr[36] = (uint8_t)len;
		hdr[37] = (uint8_t)(len >> 8);
		hdr[38] = (uint8_t)(len >> 16);
		hdr[42] = 1;
		hdr[44] = 0x34;
		hdr[45] = 0x12;
		if (smb3_encrypt(SMB3_AES128_CCM, dir ? k.s2c : k.c2s, hdr, p, len, rec + SMB3_XF_HEADER) == 1)
			nb_send(f, dir, rec, SMB3_XF_HEADER + len);
	} else {
		nb_send(f, dir, p, len);
	}
	feed_tcp_reset(f);
	return 0;
}
