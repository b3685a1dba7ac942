/* render_json.c - JSON Lines, one object per message:
 * {"frame":9,"time":0.012400,"src":"..","dst":"..","proto":"ftp","type":"request",
 *  "text":"..","fields":{..},"notes":[{"level":"warn","text":".."}]}
 * Field names and value meanings are Wireshark's; a name that occurs several
 * times in a message becomes an array, in order. */
#include <stdint.h>
#include <string.h>

#include "render_backend.h"

static const char *const levels[] = { "info", "warn", "error" };

/* Room for what json_value writes without a check of its own: a number, a
 * bool or null, an address with its quotes, or an opening quote. */
#define VALUE_ROOM 48

/* Every type but the unsigned numbers and bools (json_value's own). */
static void json_value_other(struct wl_renderer *r, const struct wl_msg *m, const struct wl_field *f)
{
	struct wl_obuf *b = &r->ob;
	const char *pool = wl_msg_pool(m, 0);
	char *p = wl_ob_room(b, VALUE_ROOM);
	switch (f->type) {
	case WL_FT_INT:
		if (f->v.i < 0)
			*p++ = '-';
		wl_ob_done(b, wl_put_u64(p, f->v.i < 0 ? (uint64_t)0 - (uint64_t)f->v.i : (uint64_t)f->v.i));
		break;
	case WL_FT_DOUBLE:
		if (f->v.d != f->v.d || f->v.d - f->v.d != 0)
			WL_OB_LIT(b, "null");  /* NaN and infinities are not JSON */
		else
			wl_ob_double(b, f->v.d);
		break;
	case WL_FT_STR:
		*p++ = '"';
		wl_ob_done(b, p);
		if ((f->flags & WL_FIELD_SECRET) && r->o.redact)
			WL_OB_LIT(b, "********");
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
		*p++ = '"';
		p = wl_put_ipv4(p, (const uint8_t *)pool + f->v.off);
		*p++ = '"';
		wl_ob_done(b, p);
		break;
	case WL_FT_IPV6:
		wl_ob_putc(b, '"');
		wl_ob_ipv6(b, (const uint8_t *)pool + f->v.off);
		wl_ob_putc(b, '"');
		break;
	case WL_FT_TIME:
		wl_ob_putc(b, '"');
		wl_ob_iso_time(b, f->v.i);
		wl_ob_putc(b, '"');
		break;
	default:
		WL_OB_LIT(b, "null");
	}
}

/* Inline in the field loop: unsigned numbers and bools are nine fields in ten. */
static inline void json_value(struct wl_renderer *r, const struct wl_msg *m, const struct wl_field *f)
{
	struct wl_obuf *b = &r->ob;
	if (f->type == WL_FT_UINT || f->type == WL_FT_HEX) {
		wl_ob_done(b, wl_put_u64(wl_ob_room(b, VALUE_ROOM), f->v.u));
	} else if (f->type == WL_FT_BOOL) {
		/* five bytes either way; "true" keeps four (the space is overwritten) */
		char *p = wl_ob_room(b, VALUE_ROOM);
		memcpy(p, f->v.u ? "true " : "false", 5);
		wl_ob_done(b, p + (f->v.u ? 4 : 5));
	} else {
		json_value_other(r, m, f);
	}
}

static uint32_t fnv1a(const char *s, uint32_t *len)
{
	uint32_t h = 2166136261u;
	const char *p = s;
	for (; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	*len = (uint32_t)(p - s);
	return h;
}

/* A new entry for name in the free slot e, unless the table is full (NULL). */
static const struct wl_json_name *name_add(struct wl_renderer *r, struct wl_json_name *e,
					   const char *name)
{
	if (r->nnames >= WL_NAME_CACHE / 4 * 3)
		return NULL;
	r->nnames++;
	e->name = name;
	e->hash = fnv1a(name, &e->len);
	e->keyed = e->len + 4 <= WL_JSON_KEY;
	if (e->keyed) {
		e->key[0] = ',';
		e->key[1] = '"';
		memcpy(e->key + 2, name, e->len);
		memcpy(e->key + 2 + e->len, "\":", 2);
	}
	return e;
}

/* The cache entry of a field name (a string constant: its address finds it),
 * made the first time the name is seen; NULL when the table is full. */
static inline const struct wl_json_name *name_entry(struct wl_renderer *r, const char *name)
{
	const unsigned mask = WL_NAME_CACHE - 1;
	unsigned s = (unsigned)((uint64_t)(uintptr_t)name * 0x9e3779b97f4a7c15u >> 40) & mask;
	for (;; s = (s + 1) & mask) {
		struct wl_json_name *e = &r->names[s];
		if (e->name == name)
			return e;
		if (!e->name)
			return name_add(r, e, name);
	}
}

/* ,"name": (without the comma for the first): one copy of the whole cached
 * key, then the length kept, when the name has one. */
static void json_key(struct wl_obuf *b, const char *name, uint32_t len, const char *key, int first)
{
	if (key) {
		char *p = wl_ob_room(b, WL_JSON_KEY);
		memcpy(p, key + first, WL_JSON_KEY - 1);
		wl_ob_done(b, p + len + 4 - first);
		return;
	}
	if (!first)
		wl_ob_putc(b, ',');
	wl_ob_putc(b, '"');
	wl_ob_write(b, name, len);
	WL_OB_LIT(b, "\":");
}

#define GROUP_SLOTS 4096  /* > 2 * WL_MSG_MAX_FIELDS: the probe always ends */

/* Links each field to the next of the same name (next[]), marking the later
 * ones (later[]): one pass with a small hash table, not a pairwise compare.
 * Also each name's length and cached key (NULL: none). */
static void group_fields(struct wl_renderer *r, const struct wl_msg *m, uint16_t *next,
			 uint8_t *later, uint32_t *len, const char **key)
{
	static const uint16_t none = UINT16_MAX;
	uint16_t slot_first[GROUP_SLOTS], slot_last[GROUP_SLOTS];
	unsigned mask = 63;   /* at least twice the fields: clearing 4096 slots cost more than grouping */
	while (mask < 2u * m->nfields && mask < GROUP_SLOTS - 1)
		mask = mask * 2 + 1;
	for (unsigned i = 0; i <= mask; i++)
		slot_first[i] = none;
	for (unsigned i = 0; i < m->nfields; i++) {
		const char *name = m->fields[i].name;
		const struct wl_json_name *e = name_entry(r, name);
		uint32_t h;
		if (e) {
			h = e->hash;
			len[i] = e->len;
			key[i] = e->keyed ? e->key : NULL;
		} else {
			h = fnv1a(name, &len[i]);
			key[i] = NULL;
		}
		next[i] = none;
		later[i] = 0;
		unsigned s = h & mask;
		for (;; s = (s + 1) & mask) {
			uint16_t f = slot_first[s];
			if (f == none) {
				slot_first[s] = slot_last[s] = (uint16_t)i;
				break;
			}
			const char *other = m->fields[f].name;
			if (other == name || (len[f] == len[i] && memcmp(other, name, len[i]) == 0)) {
				next[slot_last[s]] = (uint16_t)i;
				slot_last[s] = (uint16_t)i;
				later[i] = 1;
				break;
			}
		}
	}
}

static void json_fields(struct wl_renderer *r, const struct wl_msg *m)
{
	struct wl_obuf *b = &r->ob;
	uint16_t next[WL_MSG_MAX_FIELDS];
	uint8_t later[WL_MSG_MAX_FIELDS];
	uint32_t len[WL_MSG_MAX_FIELDS];
	const char *key[WL_MSG_MAX_FIELDS];
	group_fields(r, m, next, later, len, key);
	for (unsigned i = 0; i < m->nfields; i++) {
		if (later[i])
			continue;
		const struct wl_field *f = &m->fields[i];
		json_key(b, f->name, len[i], key[i], i == 0);
		if (next[i] == UINT16_MAX) {
			json_value(r, m, f);
			continue;
		}
		wl_ob_putc(b, '[');
		json_value(r, m, f);
		for (unsigned j = next[i]; j != UINT16_MAX; j = next[j]) {
			wl_ob_putc(b, ',');
			json_value(r, m, &m->fields[j]);
		}
		wl_ob_putc(b, ']');
	}
}

/* A string constant with nothing to escape (proto, type): its cached key
 * holds it after ," and the length is known, so no strlen. */
static void json_const(struct wl_renderer *r, const char *s)
{
	const struct wl_json_name *e = name_entry(r, s);
	if (!e || !e->keyed) {
		wl_ob_str(&r->ob, s);
		return;
	}
	char *p = wl_ob_room(&r->ob, WL_JSON_KEY);
	memcpy(p, e->key + 2, WL_JSON_KEY - 2);
	wl_ob_done(&r->ob, p + e->len);
}

static void json_msg(struct wl_renderer *r, const struct wl_msg *m)
{
	struct wl_obuf *b = &r->ob;
	WL_OB_LIT(b, "{\"frame\":");
	wl_ob_u64(b, m->frame);
	WL_OB_LIT(b, ",\"time\":");
	wl_ob_secs(b, m->rel_ns, 6);
	/* endpoints are made of digits, dots, colons and brackets: nothing to escape */
	WL_OB_LIT(b, ",\"src\":\"");
	wl_ob_str(b, m->src);
	WL_OB_LIT(b, "\",\"dst\":\"");
	wl_ob_str(b, m->dst);
	WL_OB_LIT(b, "\",\"proto\":\"");
	json_const(r, m->proto);
	WL_OB_LIT(b, "\",\"type\":\"");
	json_const(r, m->type);
	wl_ob_putc(b, '"');
	if (m->text_len) {
		WL_OB_LIT(b, ",\"text\":\"");
		wl_ob_json_esc(b, wl_msg_pool(m, m->text_off), m->text_len);
		wl_ob_putc(b, '"');
	}
	WL_OB_LIT(b, ",\"fields\":{");
	json_fields(r, m);
	wl_ob_putc(b, '}');
	if (m->nnotes) {
		WL_OB_LIT(b, ",\"notes\":[");
		for (unsigned i = 0; i < m->nnotes; i++) {
			if (i)
				wl_ob_putc(b, ',');
			WL_OB_LIT(b, "{\"level\":\"");
			wl_ob_str(b, levels[m->notes[i].level % 3]);
			WL_OB_LIT(b, "\",\"text\":\"");
			wl_ob_json_esc(b, wl_msg_pool(m, m->notes[i].off), m->notes[i].len);
			WL_OB_LIT(b, "\"}");
		}
		wl_ob_putc(b, ']');
	}
	WL_OB_LIT(b, "}\n");
}

const struct wl_render_backend wl_render_json = { .msg = json_msg };
