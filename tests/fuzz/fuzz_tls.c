/* fuzz_tls.c - the TLS dissector fed arbitrary client and server streams on
 * tcp 443, cut into segments of a size taken from the input, with a key log
 * whose entries match the client random 0x11 * 32 so that the decryption
 * paths (TLS 1.3 AEAD, TLS 1.2 GCM and CBC) run too.
 *
 * Input: [segment size 1][client length 2, big-endian][client bytes][server bytes]. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wltest.h"

#define KEYLOG "/tmp/wl-fuzz-tls.keylog"

static void write_keylog(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	FILE *f = fopen(KEYLOG, "w");
	if (!f)
		return;
	static const char *labels[] = { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
					"CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "CLIENT_RANDOM" };
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		fprintf(f, "%s ", labels[i]);
		for (int k = 0; k < 32; k++)
			fprintf(f, "11");
		fprintf(f, " ");
		for (int k = 0; k < (i == 4 ? 48 : 32); k++)
			fprintf(f, "%02x", (unsigned)(k + 1));
		fprintf(f, "\n");
	}
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n < 3)
		return 0;
	write_keylog();
	size_t seg = (size_t)d[0] % 200 + 1;
	size_t cl = (size_t)(d[1] << 8 | d[2]);
	d += 3;
	n -= 3;
	if (cl > n)
		cl = n;
	struct wl_opts o = { .keylog = KEYLOG };
	struct wlt t;
	wlt_init_opts(&t, NULL, &o);
	wlt_tcp_open(&t, 40000, 443);
	/* alternate: a client segment, a server segment, ... */
	size_t ci = 0, si = 0, sl = n - cl;
	const uint8_t *sd = d + cl;
	while (ci < cl || si < sl) {
		if (ci < cl) {
			size_t k = cl - ci < seg ? cl - ci : seg;
			wlt_tcp_send(&t, WL_C2S, d + ci, k);
			ci += k;
		}
		if (si < sl) {
			size_t k = sl - si < seg * 4 ? sl - si : seg * 4;
			wlt_tcp_send(&t, WL_S2C, sd + si, k);
			si += k;
		}
	}
	wlt_finish(&t);
	wlt_free(&t);
	return 0;
}
