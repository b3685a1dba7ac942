/* fuzz_ftp.c - FTP control and data connections through the test harness.
 *
 * The input is a list of chunks: a header byte, then its bytes. Header 0xff
 * switches between the control connection (tcp 21) and a data connection to
 * 10.0.0.2:30000 (opened on first use, so a 227 reply for port 30000 earlier
 * in the input makes it ftp-data); otherwise bit 7 is the direction (set:
 * server to client) and bits 0-6 the chunk length.
 *
 * The engine is the harness's but with small limits and a sink that only
 * reads each message (a full-size engine costs milliseconds per input). */
#include <stdint.h>
#include <string.h>

#include "dissect.h"
#include "wltest.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* Reads every field and note, so the sanitizers see each byte emitted. */
static void on_msg(void *arg, const struct wl_msg *m)
{
	size_t *sum = arg;
	for (unsigned i = 0; i < m->nfields; i++)
		if (m->fields[i].type == WL_FT_STR || m->fields[i].type == WL_FT_BYTES)
			for (uint32_t k = 0; k < m->fields[i].len; k++)
				*sum += (uint8_t)wl_msg_pool(m, m->fields[i].v.off)[k];
	for (uint32_t k = 0; k < m->text_len; k++)
		*sum += (uint8_t)wl_msg_pool(m, m->text_off)[k];
}

static void lean_init(struct wlt *t, size_t *sum)
{
	memset(t, 0, sizeof *t);
	struct wl_limits lim;
	wl_limits_default(&lim);
	lim.max_flows = 16;
	lim.flow_buf_max = 256u << 10;
	lim.total_buf_max = 1u << 20;
	struct wl_sink sink = { on_msg, NULL, sum };
	t->e = wl_engine_new(&t->opts, &lim, &sink);
	wl_engine_set_dissectors(t->e, wl_dissectors);
	t->ts = 1700000000LL * 1000000000LL;
}

struct side {
	uint32_t seq[2];
	uint16_t port[2];
};

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct wlt t;
	struct side other;
	int in_data = 0, data_open = 0;
	size_t sum = 0;
	lean_init(&t, &sum);
	if (!t.e)
		return 0;
	wlt_tcp_open(&t, 40000, 21);
	size_t i = 0;
	while (i < n) {
		uint8_t h = d[i++];
		if (h == 0xff) {
			struct side cur;
			memcpy(cur.seq, t.seq, sizeof cur.seq);
			memcpy(cur.port, t.port, sizeof cur.port);
			if (!data_open) {
				wlt_tcp_open(&t, 40001, 30000);
				data_open = 1;
			} else {
				memcpy(t.seq, other.seq, sizeof t.seq);
				memcpy(t.port, other.port, sizeof t.port);
			}
			other = cur;
			in_data = !in_data;
			continue;
		}
		size_t len = h & 0x7f;
		if (len > n - i)
			len = n - i;
		wlt_tcp_send(&t, h & 0x80 ? WL_S2C : WL_C2S, d + i, len);
		i += len;
	}
	(void)in_data;
	wlt_tcp_close(&t);
	wlt_finish(&t);
	wlt_free(&t);
	return 0;
}
