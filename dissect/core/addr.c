/* addr.c - addresses as text: a flow's endpoints ("1.2.3.4:80", "[::1]:80")
 * and, made only when a message without a flow needs them, the packet's. */
#include <arpa/inet.h>
#include <stdio.h>

#include "core.h"

void wl__ep_str(char *out, size_t n, int af, const uint8_t *addr, int port)
{
	char a[INET6_ADDRSTRLEN];
	if (af == 4) {
		struct wl_sb b = { out, 0, n };
		for (int i = 0; i < 4; i++) {
			if (i)
				wl__sb_mem(&b, ".", 1);
			wl__sb_u64(&b, addr[i]);
		}
		if (port >= 0) {
			wl__sb_mem(&b, ":", 1);
			wl__sb_u64(&b, (uint64_t)port);
		}
	} else {
		inet_ntop(AF_INET6, addr, a, sizeof a);
		if (port >= 0)
			snprintf(out, n, "[%s]:%d", a, port);
		else
			snprintf(out, n, "%s", a);
	}
}

void wl__pkt_eps(struct wl_ctx *ctx)
{
	if (ctx->pkt_eps_ok)
		return;
	wl__ep_str(ctx->pkt_src, sizeof ctx->pkt_src, ctx->ip_af, ctx->ip_src, -1);
	wl__ep_str(ctx->pkt_dst, sizeof ctx->pkt_dst, ctx->ip_af, ctx->ip_dst, -1);
	ctx->pkt_eps_ok = 1;
}
