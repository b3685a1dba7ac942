/* render_json.c - JSON Lines, one object per message:
 * {"frame":9,"time":0.012400,"src":"..","dst":"..","proto":"ftp","type":"request",
 *  "text":"..","fields":{..},"notes":[{"level":"warn","text":".."}]}
 * Field names and value meanings are Wireshark's; a name that occurs several
 * times in a message becomes an array, in order. */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "render_priv.h"

static const char *const levels[] = { "info", "warn", "error" };

static void json_value(struct wl_renderer *r, const struct wl_msg *m, const struct wl_field *f)
{
	struct wl_obuf *b = &r->ob;
	const char *pool = wl_msg_pool(m, 0);
	char a[INET6_ADDRSTRLEN];
	switch (f->type) {
	case WL_FT_UINT:
	case WL_FT_HEX:
		wl_ob_u64(b, f->v.u);
		break;
	case WL_FT_INT:
		wl_ob_i64(b, f->v.i);
		break;
	case WL_FT_BOOL:
		wl_ob_str(b, f->v.u ? "true" : "false");
		break;
	case WL_FT_DOUBLE:
		if (f->v.d != f->v.d || f->v.d - f->v.d != 0)
			wl_ob_str(b, "null");  /* NaN and infinities are not JSON */
		else
			wl_ob_printf(b, "%.9g", f->v.d);
		break;
	case WL_FT_STR:
		wl_ob_putc(b, '"');
		if ((f->flags & WL_FIELD_SECRET) && r->o.redact)
			wl_ob_str(b, "********");
		else
			wl_ob_json_esc(b, pool + f->v.off, f->len);
		wl_ob_putc(b, '"');
		break;
	case WL_FT_BYTES:
		wl_ob_putc(b, '"');
		wl_ob_hex(b, (const uint8_t *)pool + f->v.off, f->len);
		wl_ob_putc(b, '"');
		break;
	case WL_FT_IPV4:
		wl_ob_putc(b, '"');
		wl_ob_ipv4(b, (const uint8_t *)pool + f->v.off);
		wl_ob_putc(b, '"');
		break;
	case WL_FT_IPV6:
		inet_ntop(AF_INET6, pool + f->v.off, a, sizeof a);
		wl_ob_putc(b, '"');
		wl_ob_str(b, a);
		wl_ob_putc(b, '"');
		break;
	case WL_FT_TIME:
		wl_ob_putc(b, '"');
		wl_ob_iso_time(b, f->v.i);
		wl_ob_putc(b, '"');
		break;
	default:
		wl_ob_str(b, "null");
	}
}

/* A hash of a field name, cached by the name's address: names are string
 * constants, so a message's fields are told apart without a strcmp each. */
static uint32_t name_hash(struct wl_renderer *r, const char *name)
{
	unsigned slot = (unsigned)((uintptr_t)name >> 3) & (WL_NAME_CACHE - 1);
	if (r->hkey[slot] == name)
		return r->hval[slot];
	uint32_t h = 2166136261u;
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	r->hkey[slot] = name;
	r->hval[slot] = h;
	return h;
}

static int same_name(const struct wl_field *a, const struct wl_field *b, uint32_t ha, uint32_t hb)
{
	return a->name == b->name || (ha == hb && strcmp(a->name, b->name) == 0);
}

static void json_fields(struct wl_renderer *r, const struct wl_msg *m)
{
	struct wl_obuf *b = &r->ob;
	unsigned char done[WL_MSG_MAX_FIELDS];
	uint32_t h[WL_MSG_MAX_FIELDS];
	memset(done, 0, m->nfields);
	for (unsigned i = 0; i < m->nfields; i++)
		h[i] = name_hash(r, m->fields[i].name);
	int first = 1;
	for (unsigned i = 0; i < m->nfields; i++) {
		if (done[i])
			continue;
		const struct wl_field *f = &m->fields[i];
		unsigned more = 0;
		for (unsigned j = i + 1; j < m->nfields; j++)
			if (!done[j] && same_name(f, &m->fields[j], h[i], h[j]))
				more++;
		if (!first)
			wl_ob_putc(b, ',');
		first = 0;
		wl_ob_putc(b, '"');
		wl_ob_str(b, f->name);
		wl_ob_str(b, "\":");
		if (!more) {
			json_value(r, m, f);
			continue;
		}
		wl_ob_putc(b, '[');
		json_value(r, m, f);
		for (unsigned j = i + 1; j < m->nfields; j++) {
			if (done[j] || !same_name(f, &m->fields[j], h[i], h[j]))
				continue;
			done[j] = 1;
			wl_ob_putc(b, ',');
			json_value(r, m, &m->fields[j]);
		}
		wl_ob_putc(b, ']');
	}
}

void wl__json_msg(struct wl_renderer *r, const struct wl_msg *m)
{
	struct wl_obuf *b = &r->ob;
	wl_ob_str(b, "{\"frame\":");
	wl_ob_u64(b, m->frame);
	wl_ob_str(b, ",\"time\":");
	wl_ob_secs(b, m->rel_ns, 6);
	wl_ob_str(b, ",\"src\":\"");
	wl_ob_json_esc(b, m->src, strlen(m->src));
	wl_ob_str(b, "\",\"dst\":\"");
	wl_ob_json_esc(b, m->dst, strlen(m->dst));
	wl_ob_str(b, "\",\"proto\":\"");
	wl_ob_str(b, m->proto);
	wl_ob_str(b, "\",\"type\":\"");
	wl_ob_str(b, m->type);
	wl_ob_putc(b, '"');
	if (m->text_len) {
		wl_ob_str(b, ",\"text\":\"");
		wl_ob_json_esc(b, wl_msg_pool(m, m->text_off), m->text_len);
		wl_ob_putc(b, '"');
	}
	wl_ob_str(b, ",\"fields\":{");
	json_fields(r, m);
	wl_ob_putc(b, '}');
	if (m->nnotes) {
		wl_ob_str(b, ",\"notes\":[");
		for (unsigned i = 0; i < m->nnotes; i++) {
			if (i)
				wl_ob_putc(b, ',');
			wl_ob_str(b, "{\"level\":\"");
			wl_ob_str(b, levels[m->notes[i].level % 3]);
			wl_ob_str(b, "\",\"text\":\"");
			wl_ob_json_esc(b, wl_msg_pool(m, m->notes[i].off), m->notes[i].len);
			wl_ob_str(b, "\"}");
		}
		wl_ob_putc(b, ']');
	}
	wl_ob_str(b, "}\n");
}
