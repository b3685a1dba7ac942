/* frame.c - the accessors that read a frame's fields by registry id: the
 * values of a field's occurrences, the frame-made (virtual) values, the
 * protocols in a frame. The gate (gate.c) makes the frame; the filter
 * (dfilter.c) and the consumers read it. */
#include <stdlib.h>
#include <string.h>

#include "qpriv.h"

/* ---- reading fields ---- */

void *wl__name_cache_new(void)
{
	return calloc(NAME_CACHE, sizeof(struct name_slot));
}

static struct name_slot *lookup(const struct wl_qframe *f, const char *name)
{
	struct name_slot *cache = f->cache;
	unsigned s = (unsigned)((uintptr_t)name >> 3) & (NAME_CACHE - 1);
	struct name_slot *slot = &cache[s];
	if (slot->name != name) {
		slot->name = name;
		slot->id = wl__qreg_find(f->reg, name, strlen(name));
		slot->proto = wl__qreg_proto_of(f->reg, name);
	}
	return slot;
}

int wl__field_id(const struct wl_qframe *f, const char *name)
{
	return lookup(f, name)->id;
}

void wl__msg_value(const struct wl_qmsg *m, const struct wl_field *fd, struct wl_qval *v)
{
	memset(v, 0, sizeof *v);
	v->secret = (fd->flags & WL_FIELD_SECRET) != 0;
	switch (fd->type) {
	case WL_FT_UINT:
	case WL_FT_HEX:
		v->type = QT_UINT;
		v->n.u = fd->v.u;
		break;
	case WL_FT_INT:
		v->type = QT_INT;
		v->n.i = fd->v.i;
		break;
	case WL_FT_BOOL:
		v->type = QT_BOOL;
		v->n.u = fd->v.u != 0;
		break;
	case WL_FT_DOUBLE:
		v->type = QT_DOUBLE;
		v->n.d = fd->v.d;
		break;
	case WL_FT_TIME:
		v->type = QT_ABSTIME;
		v->n.i = fd->v.i;
		break;
	case WL_FT_STR:
	case WL_FT_BYTES:
		v->type = fd->type == WL_FT_STR ? QT_STR : QT_BYTES;
		v->p = (const uint8_t *)m->pool + fd->v.off;
		v->len = fd->len;
		break;
	case WL_FT_IPV4:
	case WL_FT_IPV6:
		v->type = fd->type == WL_FT_IPV4 ? QT_IPV4 : QT_IPV6;
		v->p = (const uint8_t *)m->pool + fd->v.off;
		v->len = fd->type == WL_FT_IPV4 ? 4 : 16;
		v->prefix = fd->type == WL_FT_IPV4 ? 32 : 128;
		break;
	default:
		v->type = QT_NONE;
	}
}

static int32_t first_of(const struct wl_qindex *x, int id)
{
	return id >= 0 && x->stamp[id] == x->cur ? x->head[id] : -1;
}

/* The occurrences of ids a and b in the frame's order, through its index. */
static int indexed_values(const struct wl_qframe *f, int a, int b, wl_qval_cb *cb, void *arg)
{
	const struct wl_qindex *x = f->by_id;
	int32_t ka = first_of(x, a), kb = b != a ? first_of(x, b) : -1;
	while (ka >= 0 || kb >= 0) {
		int32_t k;
		if (kb < 0 || (ka >= 0 && ka < kb)) {
			k = ka;
			ka = x->next[ka];
		} else {
			k = kb;
			kb = x->next[kb];
		}
		const struct wl_qmsg *m = &f->msgs[x->msg[k]];
		struct wl_qval v;
		wl__msg_value(m, &m->fields[x->field[k]], &v);
		int r = cb(arg, &v);
		if (r)
			return r;
	}
	return 0;
}

static int msg_values(const struct wl_qframe *f, int a, int b, wl_qval_cb *cb, void *arg)
{
	if (f->by_id)
		return indexed_values(f, a, b, cb, arg);
	for (unsigned i = 0; i < f->nmsgs; i++) {
		const struct wl_qmsg *m = &f->msgs[i];
		for (unsigned j = 0; j < m->nfields; j++) {
			int id = m->ids ? m->ids[j] : wl__field_id(f, m->fields[j].name);
			if (id != a && id != b)
				continue;
			struct wl_qval v;
			wl__msg_value(m, &m->fields[j], &v);
			int r = cb(arg, &v);
			if (r)
				return r;
		}
	}
	return 0;
}

int wl__frame_values(const struct wl_qframe *f, int id, wl_qval_cb *cb, void *arg)
{
	const struct wl_qfield *fd = wl__qreg_get(f->reg, id);
	struct wl_qval v;
	char scratch[512];
	switch (fd->kind) {
	case QK_FIELD:
		return msg_values(f, id, id, cb, arg);
	case QK_ALIAS:
		return msg_values(f, fd->alias[0], fd->alias[1], cb, arg);
	case QK_VIRT:
		if (!wl__virt_value(f, fd->virt, &v, scratch, sizeof scratch))
			return 0;
		return cb(arg, &v);
	case QK_PROTO:
		if (!wl__frame_has_proto(f, id))
			return 0;
		if (!wl__frame_proto_bytes(f, id, &v)) {
			memset(&v, 0, sizeof v);
			v.type = QT_PROTO;
		}
		return cb(arg, &v);
	default:
		return 0;
	}
}

int wl__frame_has_proto(const struct wl_qframe *f, int id)
{
	const char *name = wl__qreg_get(f->reg, id)->name;
	if (strcmp(name, "frame") == 0)
		return 1;
	if (wl__proto_per_segment(name))
		return wl__frame_segment_proto(f, name);
	for (unsigned i = 0; i < f->nmsgs; i++) {
		const struct wl_qmsg *m = &f->msgs[i];
		const char *tname = wl__msg_tshark_proto(f, m);
		if (strcmp(tname, name) == 0)
			return 1;
		if (tname != m->proto || strcmp(m->proto, "mdns") == 0 || strcmp(m->proto, "llmnr") == 0)
			continue;   /* mDNS and LLMNR are not dns for tshark, though their fields are dns.* */
		for (unsigned j = 0; j < m->nfields; j++)
			if (lookup(f, m->fields[j].name)->proto == id)
				return 1;
	}
	return wl__frame_link_has(f, name) || wl__frame_segment_proto(f, name);
}

int wl__frame_proto_bytes(const struct wl_qframe *f, int id, struct wl_qval *v)
{
	const struct wl_qfield *fd = wl__qreg_get(f->reg, id);
	memset(v, 0, sizeof *v);
	if (!f->fi.data)
		return 0;
	v->type = QT_BYTES;
	if (strcmp(fd->name, "frame") == 0 || (strcmp(fd->name, "eth") == 0 &&
						f->fi.linktype == WL_LINK_ETHERNET)) {
		v->p = f->fi.data;
		v->len = f->fi.caplen;
		return 1;
	}
	/* an application protocol (or the transport): the transport payload */
	if (!f->fi.payload_len)
		return 0;
	v->p = f->fi.data + f->fi.payload_off;
	v->len = f->fi.payload_len;
	return 1;
}

/* The first occurrence of a field in the frame (for the statistics). */
struct first {
	struct wl_qval v;
	int have;
};

static int first_cb(void *arg, const struct wl_qval *v)
{
	struct first *f = arg;
	f->v = *v;
	f->have = 1;
	return 1;
}

int wl__stat_first(const struct wl_qframe *f, const struct wl_qreg *reg, const char *name,
		   struct wl_qval *v)
{
	int id = wl__qreg_find(reg, name, strlen(name));
	struct first fr = { .have = 0 };
	if (id >= 0)
		wl__frame_values(f, id, first_cb, &fr);
	if (fr.have)
		*v = fr.v;
	return fr.have;
}
