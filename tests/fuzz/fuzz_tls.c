/* fuzz_tls.c - the TLS dissector fed arbitrary client and server streams on
 * tcp 443, cut into segments of a size taken from the input, with a key log
 * whose entries match the client random 0x11 * 32 so that the decryption
 * paths run too, and the secrets of the stored lab captures so that their
 * streams (seeds) decrypt: TLS 1.3 AEAD, TLS 1.2 GCM, CBC with encrypt_then_mac.
 *
 * An odd segment-size byte also reads with -v (verbose), whose paths differ
 * (x509's fields of every certificate).
 *
 * Input: [segment size 1][client length 2, big-endian][client bytes][server bytes]. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "feed.h"

#define KEYLOG "/tmp/wl-fuzz-tls.keylog"

/* The secrets of the stored lab captures whose streams are seeds. */
static const char stored_keylog[] =
	"SERVER_HANDSHAKE_TRAFFIC_SECRET 901897d5179b5936d05d4f09ecaf0f43ece237ab5c136471e768bac394ee46c5 6c223b488274b7309f860de54ded955142ff17360e2177862151ec1aa4437d457950bf1de7a15c58bebe49e4cd883224\n"
	"EXPORTER_SECRET 901897d5179b5936d05d4f09ecaf0f43ece237ab5c136471e768bac394ee46c5 b409678023cf7608fec6f36b4497b30184ab92092b8502671e8667f9d1b80fa3458b6214ab3d32bb388018b88d8fa04d\n"
	"SERVER_TRAFFIC_SECRET_0 901897d5179b5936d05d4f09ecaf0f43ece237ab5c136471e768bac394ee46c5 8bc2bc7dc8ef86c3a216af79f7a74c04a8df870752fb50feabcce643d51c20728fb30efa4cb046a6a2216ceb7e717d3f\n"
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET 901897d5179b5936d05d4f09ecaf0f43ece237ab5c136471e768bac394ee46c5 121187a56e64599f1c6d80360cf3f9c4a6fbeaa908dc071918eb29569cfa05c32000e461590e590c2fcd7cdae54b6a64\n"
	"CLIENT_TRAFFIC_SECRET_0 901897d5179b5936d05d4f09ecaf0f43ece237ab5c136471e768bac394ee46c5 47fa3e10dc628b559d30a2937f0516896372094b2e62b99918d14059885b0ec1657053efc6437826555119077e2854d5\n"
	"CLIENT_RANDOM 2daeae1673b13d394c7b503b577f6b7b532483af359c306bec899eb8627cd422 d803070b6c0cc6f7a39052443a48926e440b3bb0550acc15cdd19e5ece3a4298f23797380f8513878247925657732638\n"
	"RSA 50aace16ad249eca 03036e230a8ae44efc26fda7bd72631948e82b91191cd25998f268252a0c224bc4adff4e6c17802aa6d8f26c2a17b981\n"
	"CLIENT_RANDOM d343ead0c2bcc803b41772817beeb33afd15228847f6473cded22db2de54df87 54cec2c044ce3702c472292f6a83d016e80c4d80d5995023be42a25716e6033bc1e788148f2b5ef98669527818bec648\n"
	/* pcaps/chat-tls, ftps-implicit and ldaps: their plaintext goes to the chat, FTP and LDAP dissectors */
	"SERVER_HANDSHAKE_TRAFFIC_SECRET 292a81ebb7bc1dcc6f4bc24a206c108b9508cd38ca0d57fcb5221f2e40f48dae 51cf4709df634a6bcaf74a5b5aee0811ba070b16d342cfff8ecbded9d7ea97f704c463a26a32b57e62b2f229a03e1f93\n"
	"SERVER_TRAFFIC_SECRET_0 292a81ebb7bc1dcc6f4bc24a206c108b9508cd38ca0d57fcb5221f2e40f48dae d559bb940723781e57a5fe52a7cb5a19deff11c296d60a5553718bf29c2c03f90d8a4051541f739fb0593fcbcbead490\n"
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET 292a81ebb7bc1dcc6f4bc24a206c108b9508cd38ca0d57fcb5221f2e40f48dae 6067f94eefb870ba1d5b320c080525c31f5fa37ba643572bbd36954c0bc1e5a1ace3ba760a62709475330af216eb1b58\n"
	"CLIENT_TRAFFIC_SECRET_0 292a81ebb7bc1dcc6f4bc24a206c108b9508cd38ca0d57fcb5221f2e40f48dae d7ca703de4a124b20f316d8cb933d1a14c8f2fe439bfb5bb95f9cac246904042c93d79bb52f6cb4ebb5c4b5625bb6363\n"
	"SERVER_HANDSHAKE_TRAFFIC_SECRET bbaecb4bac52622f4324d037388ce2b166b6e5b8a31d81c811829c7b2177e7f0 f4634dea24216b60ca8fa763be650528eed9afd181b8c15b788cd371755c29213cdd5562780ffbd5fad8d3793bb8eb04\n"
	"SERVER_TRAFFIC_SECRET_0 bbaecb4bac52622f4324d037388ce2b166b6e5b8a31d81c811829c7b2177e7f0 28447cc05c7032548574fbefe0d6736a2981efeb3ce6fae2a143ddde9e2e195b7dde44b73092d840192a2f1d7df9e7d2\n"
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET bbaecb4bac52622f4324d037388ce2b166b6e5b8a31d81c811829c7b2177e7f0 4c9458b4096a8cd860da9521e1d93f03113e77c1009c4272401818cb6bd8e1b567afbfbb4b3479a10c580572708ea912\n"
	"CLIENT_TRAFFIC_SECRET_0 bbaecb4bac52622f4324d037388ce2b166b6e5b8a31d81c811829c7b2177e7f0 487de9b05f19138bda1c751b69c73b702646a04edd44831ee14fc3ea782094ca54fd2fe3d1522f147f9079982008ec51\n"
	"SERVER_HANDSHAKE_TRAFFIC_SECRET 2302eb383656dd4804631511a7af7234bc0876652f4e53c60c0917d5e45cddab 746c8f74387a9064742c037ddc813ddfb68583a30e6f17bf8975ec55c6f289b71aa29815e657065a8a1445536c2bc978\n"
	"SERVER_TRAFFIC_SECRET_0 2302eb383656dd4804631511a7af7234bc0876652f4e53c60c0917d5e45cddab 49efa6c27c31da66065368ed58f9f0a8fa0f94a11aa3e878fa255251e4b3613c15cb5219585a42b7ad869c171085ebf3\n"
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET 2302eb383656dd4804631511a7af7234bc0876652f4e53c60c0917d5e45cddab 4c505c9d9467cf7c246304ddcd18114ed4381e7267699a902a6cfd5a5699917bee860dd06928008dbc625428e015ac16\n"
	"CLIENT_TRAFFIC_SECRET_0 2302eb383656dd4804631511a7af7234bc0876652f4e53c60c0917d5e45cddab 98fa9338c76cc2a05e220fcfa4480c02b45f4e7a458814c965a5ff8a9ecae8b5838178339a51dd038a6fe6074cbd8945\n"
	"SERVER_HANDSHAKE_TRAFFIC_SECRET 8dc0ff8f9ff145db0895965b1bf3c9ee6d12711fb892245aa6648c9e449812e6 00c762a7a7cdf0b6c60da4bbf3338a48e335de308374ab7f1fc46b92df73720687000128b01acad4329c9b6b83d1c2dc\n"
	"SERVER_TRAFFIC_SECRET_0 8dc0ff8f9ff145db0895965b1bf3c9ee6d12711fb892245aa6648c9e449812e6 2685f37dca052535d227474af41d5901d1f25af2b8c1a3bdc1fc3dab38fd4e410d62fe9b2f799d3e872b9fcdf6582e44\n"
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET 8dc0ff8f9ff145db0895965b1bf3c9ee6d12711fb892245aa6648c9e449812e6 93249b43b14a1497ddae86599163bbfc39c88a8f42f6ca3b57f9d1f78621f7d992f0090526711080026829683b582b4d\n"
	"CLIENT_TRAFFIC_SECRET_0 8dc0ff8f9ff145db0895965b1bf3c9ee6d12711fb892245aa6648c9e449812e6 18b891a337ea22e6634f48eca72ac3bf842db9e1c2367eb3ee2592ee5cdf6bf89906c225c5ea8b473d60ad673ae4d40a\n"
	"SERVER_HANDSHAKE_TRAFFIC_SECRET 77c4afb67e12252b73998038fef575a0141420706169c775f09e8347514161b0 3d467ad455afe8026506c028c98fc48b83d212230d3933d2fff851d5636a068dee187b30bd3474bce92bcfccf66def4b\n"
	"SERVER_TRAFFIC_SECRET_0 77c4afb67e12252b73998038fef575a0141420706169c775f09e8347514161b0 34121067ac807941d9b733ffe5e5e35bb8f2c56d644897ced2f19b297dad686dd5db1879dece0ed250645017823b195e\n"
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET 77c4afb67e12252b73998038fef575a0141420706169c775f09e8347514161b0 9ebd040531345f64b1b2749d3315535ffb24831cf70f6997b6307d1afabeb217f9a9ac219751f1453eb5a18acf780031\n"
	"CLIENT_TRAFFIC_SECRET_0 77c4afb67e12252b73998038fef575a0141420706169c775f09e8347514161b0 b383c6c888bcea449e6c3c68515eb86049fea9e6c1022bbb63daadc2bb4842ca9ae4a99c60f55f64d7694c2472141f83\n"
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
	uint8_t seg_byte = d[0];
	size_t seg = (size_t)seg_byte % 200 + 1;
	size_t cl = (size_t)(d[1] << 8 | d[2]);
	d += 3;
	n -= 3;
	if (cl > n)
		cl = n;
	struct wl_opts o = { .keylog = KEYLOG, .verbose = seg_byte & 1 };
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
