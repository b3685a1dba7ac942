/* fuzz_tcp.c - TCP reassembly fed random segment sequences on a few flows:
 * out of order, overlapping, retransmitted, with SYN/FIN/RST anywhere and
 * sequence numbers near the 2^32 wrap.
 *
 * Input: records of 6 bytes [flow|dir|flags] [seq offset 2] [len 2] [ctl]
 * followed by len payload bytes (cut at the input's end). Byte 0 of a record
 * picks one of 4 flows (two ports each, one of them a known lab port so the
 * flow's dissector sees the stream), the direction and the TCP flags; the
 * sequence offset is relative to the flow's current position so that most
 * segments land near the stream. Limits are small so caps are reached. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "feed.h"

static const uint16_t sports[4] = { 80, 21, 7, 9999 };
static const uint8_t flagset[8] = { 0x18, 0x10, 0x02, 0x12, 0x11, 0x04, 0x14, 0x19 };

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct wl_limits lim = { .max_flows = 3, .flow_buf_max = 2048, .total_buf_max = 6144,
				 .idle_ns = 10LL * 1000000000LL };
	struct feed fd;
	feed_init(&fd, NULL, &lim, NULL);
	uint32_t pos[4][2];
	for (int f = 0; f < 4; f++) {
		pos[f][0] = 0xfffff000u + (uint32_t)f * 0x300;  /* near the wrap */
		pos[f][1] = 0x7ffffff0u * (uint32_t)f;
	}
	static uint8_t pkt[20 + 20 + 65535];
	size_t i = 0;
	while (i + 6 <= n) {
		uint8_t b = d[i];
		int f = b & 3, dir = (b >> 2) & 1;
		uint8_t flags = flagset[(b >> 3) & 7];
		int16_t off = (int16_t)(d[i + 1] << 8 | d[i + 2]);
		size_t len = (size_t)(d[i + 3] << 8 | d[i + 4]) % 1500;
		uint8_t ctl = d[i + 5];
		i += 6;
		if (len > n - i)
			len = n - i;
		uint32_t seq = pos[f][dir] + (uint32_t)(int32_t)(off / 16);
		if (ctl & 1)
			pos[f][dir] = seq + (uint32_t)len;  /* advances: "in order" from here */
		size_t total = 40 + len;
		memset(pkt, 0, 40);
		pkt[0] = 0x45;
		put16(pkt + 2, (uint32_t)total);
		pkt[8] = 64;
		pkt[9] = 6;
		uint8_t a[4] = { 10, 0, 0, (uint8_t)(1 + f) }, s[4] = { 10, 0, 1, 1 };
		memcpy(pkt + 12, dir ? s : a, 4);
		memcpy(pkt + 16, dir ? a : s, 4);
		put16(pkt + 20, dir ? sports[f] : 40000u + (uint32_t)f);
		put16(pkt + 22, dir ? 40000u + (uint32_t)f : sports[f]);
		put32(pkt + 24, seq);
		put32(pkt + 28, pos[f][!dir]);
		pkt[32] = 5 << 4;
		pkt[33] = flags;
		put16(pkt + 34, (ctl & 2) ? 0 : 65535);
		memcpy(pkt + 40, d + i, len);
		i += len;
		int64_t dt = (ctl & 0xf0) == 0xf0 ? 20LL * 1000000000LL : 1000000LL;
		uint32_t caplen = (ctl & 4) ? (uint32_t)(total - len / 2) : (uint32_t)total;
		feed_frame(&fd, WL_LINK_RAW, pkt, caplen, (uint32_t)total, dt);
	}
	feed_free(&fd);
	return 0;
}
