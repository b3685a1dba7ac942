/* chat_report.c - the report of `wirelab chat-load --compare` (see
 * chat_report.h). The three forms say the same figures: the table for
 * people, JSON Lines for scripts, the SVG for the lesson (where each
 * architecture's latencies lie, on a log axis, one row per server).
 *
 * The SVG is standalone (no script, font, style sheet or image from outside),
 * 760 px wide, black on white with one grey, so it prints; every string in it
 * is escaped, though all come from wirelab itself. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chat_report.h"

int wl_chat_row_ok(const struct wl_chat_row *r, const struct wl_chat_load_opts *o)
{
	const struct wl_chat_load_figures *f = &r->fig;
	return r->measured && f->joined == o->clients && f->lost == 0 && f->disorder == 0 &&
	       f->dropped == 0 && f->sent == f->planned && !f->timed_out;
}

/* 1234567 -> "1,234,567" */
static const char *grouped(char *b, size_t n, double v)
{
	char raw[32];
	snprintf(raw, sizeof raw, "%.0f", v < 0 ? 0 : v);
	size_t len = strlen(raw), o = 0;
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			b[o++] = ',';
		b[o++] = raw[i];
	}
	b[o] = '\0';
	return b;
}

/* microseconds as milliseconds with 2-3 significant digits */
static const char *ms(char *b, size_t n, uint32_t us)
{
	double v = us / 1000.0;
	snprintf(b, n, v < 1 ? "%.3f" : v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
	return b;
}

static double rate_total(const struct wl_chat_load_opts *o)
{
	return o->rate * o->clients;
}

/* ---- the table ---- */

static void text_row(FILE *out, const struct wl_chat_load_opts *o, const struct wl_chat_row *r)
{
	const struct wl_chat_load_figures *f = &r->fig;
	char joined[32], per_s[32], lost[32], a[16], b[16], c[16];
	if (!r->measured) {
		fprintf(out, "%-14s  not measured: %s\n", r->server, f->why);
		return;
	}
	snprintf(joined, sizeof joined, "%d/%d", f->joined, o->clients);
	fprintf(out, "%-14s %9s %12s %7s %7s %8s %9s %8.1f %8d %6.2f%s\n", r->server, joined,
		grouped(per_s, sizeof per_s, f->per_second), ms(a, sizeof a, f->lat_us[WL_LAT_P50]),
		ms(b, sizeof b, f->lat_us[WL_LAT_P99]), ms(c, sizeof c, f->lat_us[WL_LAT_MAX]),
		grouped(lost, sizeof lost, (double)f->lost), f->server_rss_kib / 1024.0, f->server_threads,
		f->server_cpu_s, wl_chat_row_ok(r, o) ? "" : "  *");
}

static void report_text(FILE *out, const struct wl_chat_load_opts *o, const struct wl_chat_row *rows,
			int n)
{
	char in[32], deliveries[32];
	fprintf(out, "chat-load --compare: %d clients, each sending %d messages of %d bytes at %g/s\n"
		"(%s messages/s into the chat, %s deliveries/s offered: every member gets every message)\n\n",
		o->clients, o->messages, o->size, o->rate, grouped(in, sizeof in, rate_total(o)),
		grouped(deliveries, sizeof deliveries, rate_total(o) * o->clients));
	fprintf(out, "%-14s %9s %12s %7s %7s %8s %9s %8s %8s %6s\n", "server", "clients", "delivered/s",
		"p50 ms", "p99 ms", "max ms", "lost", "RSS MiB", "threads", "CPU s");
	int bad = 0;
	for (int i = 0; i < n; i++) {
		text_row(out, o, &rows[i]);
		bad |= rows[i].measured && !wl_chat_row_ok(&rows[i], o);
	}
	fprintf(out, "\nlatency: from a message's send() to its recv() by each member, every delivery "
		"(exact nearest-rank percentiles);\nRSS (peak), threads (most seen) and CPU (user + "
		"system) are the server process's, from /proc.\n");
	if (!bad)
		return;
	fprintf(out, "\n");
	for (int i = 0; i < n; i++)
		if (rows[i].measured && !wl_chat_row_ok(&rows[i], o))
			fprintf(out, "* %s: %s (%llu of %llu deliveries; %llu duplicated or out of order)\n",
				rows[i].server, rows[i].fig.why[0] ? rows[i].fig.why : "messages lost",
				(unsigned long long)rows[i].fig.delivered,
				(unsigned long long)rows[i].fig.expected,
				(unsigned long long)rows[i].fig.disorder);
}

/* ---- JSON Lines ---- */

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void json_row(FILE *out, const struct wl_chat_load_opts *o, const struct wl_chat_row *r)
{
	const struct wl_chat_load_figures *f = &r->fig;
	fputs("{\"server\":", out);
	json_str(out, r->server);
	fprintf(out, ",\"port\":%u,\"clients\":%d,\"messages\":%d,\"size\":%d,\"rate\":%g,\"tls\":%s",
		r->port, o->clients, o->messages, o->size, o->rate,
		strcmp(r->server, "chat-tls") == 0 ? "true" : "false");
	fprintf(out, ",\"measured\":%s,\"ok\":%s", r->measured ? "true" : "false",
		wl_chat_row_ok(r, o) ? "true" : "false");
	if (r->measured) {
		fprintf(out, ",\"joined\":%d,\"sent\":%llu,\"expected\":%llu,\"delivered\":%llu,"
			"\"lost\":%llu,\"disorder\":%llu,\"dropped\":%d,\"seconds\":%.3f,"
			"\"delivered_per_s\":%.1f,\"latency_ms\":{", f->joined,
			(unsigned long long)f->sent, (unsigned long long)f->expected,
			(unsigned long long)f->delivered, (unsigned long long)f->lost,
			(unsigned long long)f->disorder, f->dropped, f->seconds, f->per_second);
		for (int i = 0; i < WL_LAT_N; i++)
			fprintf(out, "%s\"%s\":%.3f", i ? "," : "", wl_chat_lat_name[i], f->lat_us[i] / 1000.0);
		fprintf(out, "},\"server_rss_kib\":%ld,\"server_threads\":%d,\"server_cpu_s\":%.2f,"
			"\"timed_out\":%s", f->server_rss_kib, f->server_threads, f->server_cpu_s,
			f->timed_out ? "true" : "false");
	}
	fputs(",\"note\":", out);
	json_str(out, f->why);
	fputs("}\n", out);
}

/* ---- SVG ---- */

#define SVG_W 760
#define PLOT_X0 150
#define PLOT_X1 545
#define ROW_H 40
#define TOP 78

static void svg_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			if ((unsigned char)*s >= 0x20)
				fputc(*s, out);
		}
	}
}

/* The log axis: decades from lo to hi microseconds over x0..x1 pixels. */
struct axis {
	double lo, hi;
	double x0, x1;
};

static double ax_x(const struct axis *a, double us)
{
	if (us < a->lo)
		us = a->lo;
	return a->x0 + (log10(us) - log10(a->lo)) / (log10(a->hi) - log10(a->lo)) * (a->x1 - a->x0);
}

static struct axis axis_for(const struct wl_chat_row *rows, int n)
{
	double lo = 0, hi = 0;
	for (int i = 0; i < n; i++) {
		const struct wl_chat_load_figures *f = &rows[i].fig;
		if (!rows[i].measured || !f->delivered)
			continue;
		double mn = f->lat_us[WL_LAT_MIN] < 1 ? 1 : f->lat_us[WL_LAT_MIN];
		lo = !lo || mn < lo ? mn : lo;
		hi = f->lat_us[WL_LAT_MAX] > hi ? f->lat_us[WL_LAT_MAX] : hi;
	}
	struct axis a = { 10, 1e6, PLOT_X0, PLOT_X1 };
	if (lo > 0) {
		a.lo = pow(10, floor(log10(lo)));
		a.hi = pow(10, ceil(log10(hi > lo ? hi : lo)));
		if (a.hi <= a.lo)
			a.hi = a.lo * 10;
	}
	return a;
}

static void decade_label(char *b, size_t n, double us)
{
	if (us < 1000)
		snprintf(b, n, "%.0f µs", us);
	else if (us < 1e6)
		snprintf(b, n, "%.0f ms", us / 1000);
	else
		snprintf(b, n, "%.0f s", us / 1e6);
}

static void svg_axis(FILE *out, const struct axis *a, int bottom)
{
	for (double v = a->lo; v <= a->hi * 1.001; v *= 10) {
		double x = ax_x(a, v);
		char label[32];
		decade_label(label, sizeof label, v);
		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" "
			"stroke-width=\"0.5\" stroke-dasharray=\"2,3\"/>\n", x, TOP - 6, x, bottom);
		fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">", x,
			bottom + 14);
		svg_text(out, label);
		fputs("</text>\n", out);
	}
}

/* One distribution at height cy: whisker min..max, grey bar p10..p90, box
 * p25..p75, a thick median, a black triangle over p99, a white one under p99.9. */
static void svg_glyph(FILE *out, const struct axis *a, const uint32_t *lat, double cy)
{
	double x[WL_LAT_N];
	for (int i = 0; i < WL_LAT_N; i++)
		x[i] = ax_x(a, lat[i]);
	fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\"/>\n",
		x[WL_LAT_MIN], cy, x[WL_LAT_MAX], cy);
	for (int e = 0; e < 2; e++) {
		double ex = x[e ? WL_LAT_MAX : WL_LAT_MIN];
		fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\"/>\n", ex,
			cy - 5, ex, cy + 5);
	}
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"6\" fill=\"#aaa\"/>\n",
		x[WL_LAT_P10], cy - 3, x[WL_LAT_P90] - x[WL_LAT_P10]);
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"#fff\" "
		"stroke=\"#000\" stroke-width=\"1.2\"/>\n", x[WL_LAT_P25], cy - 7,
		x[WL_LAT_P75] - x[WL_LAT_P25] < 1 ? 1 : x[WL_LAT_P75] - x[WL_LAT_P25]);
	fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" "
		"stroke-width=\"3\"/>\n", x[WL_LAT_P50], cy - 9, x[WL_LAT_P50], cy + 9);
	fprintf(out, "<path d=\"M%.1f %.1fh10l-5 7z\" fill=\"#000\"/>\n", x[WL_LAT_P99] - 5, cy - 16);
	fprintf(out, "<path d=\"M%.1f %.1fh10l-5 -7z\" fill=\"#fff\" stroke=\"#000\"/>\n",
		x[WL_LAT_P999] - 5, cy + 16);
}

static void svg_row(FILE *out, const struct axis *a, const struct wl_chat_load_opts *o,
		    const struct wl_chat_row *r, int i)
{
	const struct wl_chat_load_figures *f = &r->fig;
	double cy = TOP + ROW_H * i + ROW_H / 2.0;
	char line[160], p50[16], p99[16], mx[16];
	fprintf(out, "<text x=\"10\" y=\"%.1f\" font-size=\"13\">", cy - 1);
	svg_text(out, r->server);
	fputs("</text>\n", out);
	if (!r->measured || !f->delivered) {
		fprintf(out, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\">", PLOT_X0, cy + 4);
		svg_text(out, "not measured: ");
		svg_text(out, f->why);
		fputs("</text>\n", out);
		return;
	}
	snprintf(line, sizeof line, "%d/%d clients", f->joined, o->clients);
	fprintf(out, "<text x=\"10\" y=\"%.1f\" font-size=\"10\">", cy + 12);
	svg_text(out, line);
	fputs("</text>\n", out);
	svg_glyph(out, a, f->lat_us, cy);
	snprintf(line, sizeof line, "p50 %s · p99 %s ms", ms(p50, sizeof p50, f->lat_us[WL_LAT_P50]),
		 ms(p99, sizeof p99, f->lat_us[WL_LAT_P99]));
	fprintf(out, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\">", PLOT_X1 + 12, cy - 1);
	svg_text(out, line);
	fputs("</text>\n", out);
	snprintf(line, sizeof line, "max %s ms · lost %llu%s", ms(mx, sizeof mx, f->lat_us[WL_LAT_MAX]),
		 (unsigned long long)f->lost, wl_chat_row_ok(r, o) ? "" : " · incomplete");
	fprintf(out, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\">", PLOT_X1 + 12, cy + 12);
	svg_text(out, line);
	fputs("</text>\n", out);
}

static void svg_legend(FILE *out, int y)
{
	static const uint32_t sample[WL_LAT_N] = { 10, 25, 40, 60, 90, 150, 400, 700, 1000 };
	struct axis a = { 10, 1000, 10, 140 };  /* a sample glyph on its own little axis */
	fprintf(out, "<g transform=\"translate(0 %d)\">\n", y);
	svg_glyph(out, &a, sample, 0);
	fprintf(out, "<text x=\"155\" y=\"-3\" font-size=\"11\">");
	svg_text(out, "line: min to max; grey bar: p10 to p90; box: p25 to p75; thick mark: median;");
	fprintf(out, "</text>\n<text x=\"155\" y=\"11\" font-size=\"11\">");
	svg_text(out, "black triangle: p99; white triangle: p99.9");
	fputs("</text>\n</g>\n", out);
}

static void report_svg(FILE *out, const struct wl_chat_load_opts *o, const struct wl_chat_row *rows,
		       int n)
{
	struct axis a = axis_for(rows, n);
	int bottom = TOP + ROW_H * n, height = bottom + 70;
	char title[200];
	snprintf(title, sizeof title, "Chat delivery latency: %d clients, %d messages of %d bytes each at %g/s",
		 o->clients, o->messages, o->size, o->rate);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"font-family=\"sans-serif\">\n<title>", SVG_W, height, SVG_W, height);
	svg_text(out, title);
	fprintf(out, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", SVG_W, height);
	fputs("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">", out);
	svg_text(out, title);
	fputs("</text>\n<text x=\"10\" y=\"40\" font-size=\"11\">", out);
	svg_text(out, "from a message's send() to its recv() by each member; every delivery, "
		      "log scale; wirelab chat-load --compare");
	fputs("</text>\n", out);
	svg_axis(out, &a, bottom);
	for (int i = 0; i < n; i++)
		svg_row(out, &a, o, &rows[i], i);
	svg_legend(out, bottom + 44);
	fputs("</svg>\n", out);
}

void wl_chat_report(FILE *out, enum wl_chat_report how, const struct wl_chat_load_opts *o,
		    const struct wl_chat_row *rows, int n)
{
	if (how == WL_CHAT_REPORT_JSON) {
		for (int i = 0; i < n; i++)
			json_row(out, o, &rows[i]);
	} else if (how == WL_CHAT_REPORT_SVG) {
		report_svg(out, o, rows, n);
	} else {
		report_text(out, o, rows, n);
	}
	fflush(out);
}
