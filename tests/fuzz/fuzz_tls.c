/* fuzz_tls.c - the TLS dissector fed arbitrary client and server streams on
 * tcp 443, cut into segments of a size taken from the input, with a key log
 * whose entries match the client random 0x11 * 32 so that the decryption
 * paths run too, and the secrets of the stored lab captures so that their
 * streams (seeds) decrypt: TLS 1.3 AEAD, TLS 1.2 GCM, CBC with encrypt_then_mac.
 *
 * Input: [segment size 1][client length 2, big-endian][client bytes][server bytes]. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "feed.h"

#define KEYLOG "/tmp/wl-fuzz-tls.keylog"

/* The secrets of pcaps/tls13, tls12 and tls12-rsa, whose streams are seeds. */
static const char stored_keylog[] =
	"SERVER_HANDSHAKE_TRAFFIC_SECRET 901897d5179b5936d05d4f09ecaf0f43ece237ab5c136471e768bac394ee46c5 6c223b488274b7309f860de54ded955142ff17360e2177862151ec1aa4437d457950bf1de7a15c58bebe49e4cd883224\n"
	"EXPORTER_SECRET 901897d5179b5936d05d4f09ecaf0f43ece237ab5c136471e768bac394ee46c5 b409678023cf7608fec6f36b4497b30184ab92092b8502671e8667f9d1b80fa3458b6214ab3d32bb388018b88d8fa04d\n"
	"SERVER_TRAFFIC_SECRET_0 901897d5179b5936d05d4f09ecaf0f43ece237ab5c136471e768bac394ee46c5 8bc2bc7dc8ef86c3a216af79f7a74c04a8df870752fb50feabcce643d51c20728fb30efa4cb046a6a2216ceb7e717d3f\n"
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET 901897d5179b5936d05d4f09ecaf0f43ece237ab5c136471e768bac394ee46c5 121187a56e64599f1c6d80360cf3f9c4a6fbeaa908dc071918eb29569cfa05c32000e461590e590c2fcd7cdae54b6a64\n"
	"CLIENT_TRAFFIC_SECRET_0 901897d5179b5936d05d4f09ecaf0f43ece237ab5c136471e768bac394ee46c5 47fa3e10dc628b559d30a2937f0516896372094b2e62b99918d14059885b0ec1657053efc6437826555119077e2854d5\n"
	"CLIENT_RANDOM 2daeae1673b13d394c7b503b577f6b7b532483af359c306bec899eb8627cd422 d803070b6c0cc6f7a39052443a48926e440b3bb0550acc15cdd19e5ece3a4298f23797380f8513878247925657732638\n"
	"RSA 50aace16ad249eca 03036e230a8ae44efc26fda7bd72631948e82b91191cd25998f268252a0c224bc4adff4e6c17802aa6d8f26c2a17b981\n"
	"CLIENT_RANDOM d343ead0c2bcc803b41772817beeb33afd15228847f6473cded22db2de54df87 54cec2c044ce3702c472292f6a83d016e80c4d80d5995023be42a25716e6033bc1e788148f2b5ef98669527818bec648\n"
;

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
	fputs(stored_keylog, f);
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
	struct wl_limits lim;
	wl_limits_default(&lim);
	lim.max_flows = 4;
	struct feed f;
	feed_init(&f, &o, &lim, NULL);
	feed_tcp_open(&f, 40000, 443);
	/* alternate: a client segment, a server segment, ... */
	size_t ci = 0, si = 0, sl = n - cl;
	const uint8_t *sd = d + cl;
	while (ci < cl || si < sl) {
		if (ci < cl) {
			size_t k = cl - ci < seg ? cl - ci : seg;
			feed_tcp_seg(&f, 0, FEED_PSH | FEED_ACK, d + ci, k);
			ci += k;
		}
		if (si < sl) {
			size_t k = sl - si < seg * 4 ? sl - si : seg * 4;
			feed_tcp_seg(&f, 1, FEED_PSH | FEED_ACK, sd + si, k);
			si += k;
		}
	}
	feed_free(&f);
	return 0;
}
