/* capture.c - wl_source: pcap files through libpcap, pcapng files through
 * our own reader (pcapng.c), and live capture in its own thread that hands
 * packets to the consumer through a bounded byte ring.
 *
 * pcapng always goes to our reader, not to libpcap first: libpcap 1.10
 * refuses files whose interfaces differ in link type or snapshot length, or
 * whose sections differ in byte order, and its API has neither a packet's
 * interface nor its comments, so even the files it reads would lose
 * frame.interface_id and frame.comment. One path for every pcapng file also
 * means one behaviour on damaged ones.
 *
 * The ring holds records [hdr][data] back to back; a record never wraps (a
 * wrap marker sends the reader to the start). When the consumer falls behind
 * and a packet does not fit, it is counted as a queue drop, never buffered
 * without bound. The reader's record stays valid until its next call.
 *
 * Only `used` (bytes between the reader's tail and the writer's head) is
 * shared, under the mutex, and each side takes it in batches: the writer
 * publishes what it wrote every PUBLISH_PKTS packets and at the end of each
 * pcap_dispatch(), waking the reader only when it sleeps; the reader takes a
 * snapshot of what is there and gives space back every RELEASE_BYTES. Each
 * side works out the other's position from `used` and its own: an old
 * snapshot only makes the free (or readable) space look smaller, never larger.
 */

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "pcapfile.h"
#include "pcapng.h"

/* The TPACKET_V3 block timeout: packets reach the consumer at most this late. */
#ifndef WL_CAPTURE_BLOCK_MS
#define WL_CAPTURE_BLOCK_MS 10
#endif

struct rec {
	int64_t ts_ns;
	uint32_t caplen, len;
	uint32_t size;   /* whole record, aligned; 0 = wrap marker */
	uint32_t pad;
};

#define PUBLISH_PKTS 64
#define RELEASE_BYTES (256u << 10)

/* A BPF program for one link type of a pcapng file. */
struct link_filter {
	int linktype;
	int usable;              /* else the expression does not compile for it: no match */
	struct bpf_program prog;
};
#define MAX_LINK_FILTERS 64

struct wl_source {
	pcap_t *pcap;            /* libpcap's: live, and the files pcapfile.c leaves to it */
	struct wl_pcapng *ng;
	struct wl_pcapfile *pf;
	char *bpf;               /* own readers: the filter, compiled per link type */
	struct link_filter *lf;
	unsigned nlf;
	int linktype;
	int snaplen;
	int nano;
	char err[PCAP_ERRBUF_SIZE + 64];
	/* live */
	int live;
	pthread_t thread;
	int thread_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint8_t *ring;
	size_t ring_size;
	/* shared, under mu */
	size_t used;            /* published bytes not yet given back by the reader */
	int stopping, done, waiting;
	struct wl_capture_stats st;
	/* the capture thread's own */
	size_t head;            /* next write */
	size_t w_used;          /* used as last seen: the reader may have given back more */
	size_t unpub;           /* written, not yet published */
	unsigned unpub_pkts;
	uint64_t received, queue_drops;
	/* the reader's own */
	size_t tail;            /* next read */
	size_t avail;           /* readable bytes from tail (a snapshot of used, less what is read) */
	size_t released;        /* read, not yet given back */
	size_t pending;         /* size of the record the reader holds */
	FILE *memfile;
};

/* LINKTYPE_* (file format) from DLT_* (libpcap's in-memory numbers). */
static int linktype_of_dlt(int dlt)
{
	switch (dlt) {
#ifdef DLT_RAW
	case DLT_RAW: return 101;
#endif
	case DLT_NULL: return 0;
	case DLT_EN10MB: return 1;
	case DLT_IEEE802_11: return 105;
	case DLT_LOOP: return 108;
	case DLT_LINUX_SLL: return 113;
	case DLT_IEEE802_11_RADIO: return 127;
#ifdef DLT_IPV4
	case DLT_IPV4: return 228;
	case DLT_IPV6: return 229;
#endif
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2: return 276;
#endif
	default: return dlt;
	}
}

static int dlt_of_linktype(int lt)
{
	switch (lt) {
	case 101: return DLT_RAW;
	case 0: return DLT_NULL;
	case 1: return DLT_EN10MB;
	case 105: return DLT_IEEE802_11;
	case 108: return DLT_LOOP;
	case 113: return DLT_LINUX_SLL;
	case 127: return DLT_IEEE802_11_RADIO;
#ifdef DLT_IPV4
	case 228: return DLT_IPV4;
	case 229: return DLT_IPV6;
#endif
#ifdef DLT_LINUX_SLL2
	case 276: return DLT_LINUX_SLL2;
#endif
	default: return lt;
	}
}

/* A source over one of capture/'s own readers (the other is NULL); NULL when
 * the reader did not open (its reason is in err already). */
static struct wl_source *source_own(struct wl_pcapng *ng, struct wl_pcapfile *pf, char *err,
				    size_t errlen)
{
	if (!ng && !pf)
		return NULL;
	struct wl_source *s = calloc(1, sizeof *s);
	if (!s) {
		wl__pcapng_close(ng);
		wl__pcapfile_close(pf);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->ng = ng;
	s->pf = pf;
	s->linktype = ng ? wl__pcapng_linktype(ng) : wl__pcapfile_linktype(pf);
	s->snaplen = ng ? wl__pcapng_snaplen(ng) : wl__pcapfile_snaplen(pf);
	return s;
}

/* A stream that gives back the bytes already read from a pipe, then the pipe:
 * libpcap gets the file from its first byte. */
struct prefixed {
	FILE *f;
	uint8_t pre[WL_PCAPFILE_HEADER];
	size_t n, at;
};

static ssize_t prefixed_read(void *cookie, char *buf, size_t size)
{
	struct prefixed *x = cookie;
	if (x->at < x->n) {
		size_t k = x->n - x->at < size ? x->n - x->at : size;
		memcpy(buf, x->pre + x->at, k);
		x->at += k;
		return (ssize_t)k;
	}
	size_t got = fread(buf, 1, size, x->f);
	return got == 0 && ferror(x->f) ? -1 : (ssize_t)got;
}

static int prefixed_close(void *cookie)
{
	struct prefixed *x = cookie;
	int r = fclose(x->f);
	free(x);
	return r;
}

/* f back at its first byte, after n bytes of it were read into pre; NULL
 * (f closed) when that cannot be. */
static FILE *rewound(FILE *f, const uint8_t *pre, size_t n)
{
	if (fseek(f, 0, SEEK_SET) == 0)
		return f;
	struct prefixed *x = calloc(1, sizeof *x);
	cookie_io_functions_t io = { .read = prefixed_read, .close = prefixed_close };
	FILE *g = x ? fopencookie(x, "rb", io) : NULL;
	if (!g) {
		free(x);
		fclose(f);
		return NULL;
	}
	x->f = f;
	memcpy(x->pre, pre, n);
	x->n = n;
	return g;
}

static struct wl_source *source_from(pcap_t *p)
{
	struct wl_source *s = calloc(1, sizeof *s);
	if (!s) {
		pcap_close(p);
		return NULL;
	}
	s->pcap = p;
	s->linktype = linktype_of_dlt(pcap_datalink(p));
	s->snaplen = pcap_snapshot(p);
	s->nano = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
	return s;
}

struct wl_source *wl_source_offline(const char *path, char *err, size_t errlen)
{
	char e[PCAP_ERRBUF_SIZE] = "";
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s", strerror(errno));  /* the caller names the file */
		return NULL;
	}
	if (f != stdin) {
		/* libpcap freads each record twice (header, data): a 256 KiB buffer
		 * instead of stdio's 4 KiB makes that 64 times fewer read(2)s */
		setvbuf(f, NULL, _IOFBF, 256u << 10);
		posix_fadvise(fileno(f), 0, 0, POSIX_FADV_SEQUENTIAL);  /* larger read-ahead */
	}
	uint8_t head[WL_PCAPFILE_HEADER];
	size_t n = fread(head, 1, sizeof head, f);
	if (wl__pcapng_magic(head, n))
		return source_own(wl__pcapng_open_file(f, head, n, err, errlen), NULL, err, errlen);
	if (wl__pcapfile_takes(head, n))
		return source_own(NULL, wl__pcapfile_open_file(f, head, n, err, errlen), err, errlen);
	if (!(f = rewound(f, head, n))) {
		snprintf(err, errlen, "cannot read from the start again: %s", strerror(errno));
		return NULL;
	}
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, e);
	if (!p) {
		fclose(f);
		snprintf(err, errlen, "%s", e);
		return NULL;
	}
	return source_from(p);
}

struct wl_source *wl_source_offline_mem(const uint8_t *buf, size_t len, char *err, size_t errlen)
{
	if (wl__pcapng_magic(buf, len))
		return source_own(wl__pcapng_open_mem(buf, len, err, errlen), NULL, err, errlen);
	if (wl__pcapfile_takes(buf, len))
		return source_own(NULL, wl__pcapfile_open_mem(buf, len, err, errlen), err, errlen);
	FILE *f = fmemopen((void *)(uintptr_t)buf, len, "rb");
	if (!f) {
		snprintf(err, errlen, "fmemopen: %s", strerror(errno));
		return NULL;
	}
	char e[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, e);
	if (!p) {
		fclose(f);
		snprintf(err, errlen, "%s", e);
		return NULL;
	}
	/* pcap_close() closes f */
	return source_from(p);
}

int wl_source_linktype(const struct wl_source *s) { return s->linktype; }
int wl_source_snaplen(const struct wl_source *s) { return s->snaplen; }
const char *wl_source_error(const struct wl_source *s) { return s->err; }

uint32_t wl_source_interfaces(const struct wl_source *s)
{
	return s->ng ? wl__pcapng_interfaces(s->ng) : 1;
}

int wl_source_is_pcapng(const struct wl_source *s)
{
	return s->ng != NULL;
}

const uint8_t *wl_source_tls_keylog(const struct wl_source *s, size_t *len)
{
	*len = 0;
	return s->ng ? wl__pcapng_tls_keylog(s->ng, len) : NULL;
}

/* Compiles bpf for a link type as libpcap would for a file of that type;
 * -1 with libpcap's reason in err. */
static int compile_for(int linktype, const char *bpf, struct bpf_program *prog, char *err, size_t errlen)
{
	pcap_t *dead = pcap_open_dead(dlt_of_linktype(linktype), 262144);
	if (!dead) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int r = pcap_compile(dead, prog, bpf, 1, PCAP_NETMASK_UNKNOWN);
	if (r < 0)
		snprintf(err, errlen, "bad filter '%s': %s", bpf, pcap_geterr(dead));
	pcap_close(dead);
	return r < 0 ? -1 : 0;
}

/* The filter's program for a link type, compiled on first sight. */
static const struct link_filter *filter_for(struct wl_source *s, int linktype)
{
	for (unsigned i = 0; i < s->nlf; i++)
		if (s->lf[i].linktype == linktype)
			return &s->lf[i];
	if (s->nlf == MAX_LINK_FILTERS)
		return NULL;  /* a hostile file's many link types: the rest match nothing */
	struct link_filter *f = &s->lf[s->nlf++];
	char e[PCAP_ERRBUF_SIZE + 64];
	f->linktype = linktype;
	f->usable = compile_for(linktype, s->bpf, &f->prog, e, sizeof e) == 0;
	return f;
}

/* The own readers: the expression must compile for the file's (pcapng: the
 * first interface's) link type, the error being the user's to fix; a pcapng
 * file's other link types are compiled as they come. */
static int own_filter(struct wl_source *s, const char *bpf, char *err, size_t errlen)
{
	struct bpf_program prog;
	if (compile_for(s->linktype, bpf, &prog, err, errlen) < 0)
		return -1;
	pcap_freecode(&prog);
	s->bpf = strdup(bpf);
	s->lf = calloc(MAX_LINK_FILTERS, sizeof *s->lf);
	if (!s->bpf || !s->lf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int own_match(struct wl_source *s, const struct wl_pkt *p)
{
	const struct link_filter *f = filter_for(s, p->linktype);
	if (!f || !f->usable)
		return 0;
	struct pcap_pkthdr h = { .caplen = p->caplen, .len = p->len };
	return pcap_offline_filter(&f->prog, &h, p->data) != 0;
}

int wl_source_filter(struct wl_source *s, const char *bpf, char *err, size_t errlen)
{
	if (s->ng || s->pf)
		return own_filter(s, bpf, err, errlen);
	struct bpf_program prog;
	if (pcap_compile(s->pcap, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "bad filter '%s': %s", bpf, pcap_geterr(s->pcap));
		return -1;
	}
	int r = pcap_setfilter(s->pcap, &prog);
	pcap_freecode(&prog);
	if (r < 0) {
		snprintf(err, errlen, "cannot set filter: %s", pcap_geterr(s->pcap));
		return -1;
	}
	return 0;
}

/* ---- live ---- */

static size_t rec_size(uint32_t caplen)
{
	return (sizeof(struct rec) + caplen + 7) & ~(size_t)7;
}

/* Capture thread: publishes what it wrote (and its counts), and wakes the
 * reader if it sleeps. */
static void publish(struct wl_source *s)
{
	pthread_mutex_lock(&s->mu);
	s->used += s->unpub;
	s->w_used = s->used;
	s->st.received = s->received;
	s->st.queue_drops = s->queue_drops;
	if (s->waiting && s->unpub)
		pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	s->unpub = 0;
	s->unpub_pkts = 0;
}

static size_t reset_at(size_t ring_size)
{
	return ring_size / 2 < (1u << 20) ? ring_size / 2 : (1u << 20);
}

/* Where a record of `need` bytes goes, with the bytes skipped before it (a
 * wrap) in *skip; -1 if it does not fit. Occupied: the `occ` bytes before head. */
static long place(const struct wl_source *s, size_t need, size_t *skip)
{
	size_t n = s->ring_size, occ = s->w_used + s->unpub;
	size_t tail = (s->head + n - occ % n) % n;
	*skip = 0;
	if (occ >= n)
		return -1;
	if (occ == 0 && s->head >= reset_at(n) && need <= s->head) {
		/* the reader has caught up: back to the start, so a reader that
		 * keeps up works in the first MiB (cache-warm) of the ring. The
		 * skipped end counts as used until the reader passes it, which
		 * leaves at least reset_at() bytes meanwhile. */
		*skip = n - s->head;
		return 0;
	}
	if (occ && tail > s->head)             /* wrapped: free space is [head, tail) */
		return tail - s->head >= need ? (long)s->head : -1;
	if (n - s->head >= need)                /* free to the end */
		return (long)s->head;
	if (need <= tail) {
		*skip = n - s->head;            /* wrap: the rest of the ring is skipped */
		return 0;
	}
	return -1;
}

/* Capture thread: copy one packet into the ring, or count it as dropped. */
static void on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct wl_source *s = (struct wl_source *)arg;
	size_t need = rec_size(h->caplen), skip;
	s->received++;
	if (!s->unpub) {  /* a new batch: what has the reader given back? */
		pthread_mutex_lock(&s->mu);
		s->w_used = s->used;
		pthread_mutex_unlock(&s->mu);
	}
	long pos = place(s, need, &skip);
	if (pos < 0) {
		publish(s);  /* and see what the reader has given back since */
		pos = place(s, need, &skip);
	}
	if (pos < 0) {
		s->queue_drops++;
		return;
	}
	if (skip >= sizeof(struct rec)) {
		struct rec wrap = { 0 };
		memcpy(s->ring + s->head, &wrap, sizeof wrap);
	}
	struct rec r = { 0, h->caplen, h->len, (uint32_t)need, 0 };
	r.ts_ns = (int64_t)h->ts.tv_sec * 1000000000LL + (int64_t)h->ts.tv_usec * (s->nano ? 1 : 1000);
	memcpy(s->ring + pos, &r, sizeof r);
	memcpy(s->ring + pos + sizeof r, bytes, h->caplen);
	s->head = ((size_t)pos + need) % s->ring_size;
	s->unpub += skip + need;
	if (++s->unpub_pkts >= PUBLISH_PKTS)
		publish(s);
}

/* After a stop: the kernel hands a TPACKET_V3 block over when it is full or
 * its timeout expires, so the packets of the last few ms are still in the
 * kernel's current block. Read, without blocking, until that block is due. */
static void final_blocks(struct wl_source *s)
{
	char e[PCAP_ERRBUF_SIZE];
	if (pcap_setnonblock(s->pcap, 1, e) < 0)
		return;
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int n = pcap_dispatch(s->pcap, -1, on_packet, (u_char *)s);
		publish(s);
		if (n < 0)
			return;
		clock_gettime(CLOCK_MONOTONIC, &t);
		long ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms > WL_CAPTURE_BLOCK_MS + 20)
			return;
		if (n == 0) {
			struct timespec nap = { 0, 2 * 1000000L };
			nanosleep(&nap, NULL);
		}
	}
}

static void *capture_thread(void *arg)
{
	struct wl_source *s = arg;
	int failed = 0;
	for (;;) {
		pthread_mutex_lock(&s->mu);
		int stop = s->stopping;
		pthread_mutex_unlock(&s->mu);
		if (stop)
			break;
		int n = pcap_dispatch(s->pcap, -1, on_packet, (u_char *)s);
		publish(s);
		if (n == PCAP_ERROR) {
			pthread_mutex_lock(&s->mu);
			snprintf(s->err, sizeof s->err, "capture failed: %s", pcap_geterr(s->pcap));
			pthread_mutex_unlock(&s->mu);
			failed = 1;
			break;
		}
		if (n == PCAP_ERROR_BREAK)
			break;
	}
	if (!failed)
		final_blocks(s);
	struct pcap_stat ps;
	pthread_mutex_lock(&s->mu);
	if (pcap_stats(s->pcap, &ps) == 0) {
		s->st.kernel_drops = ps.ps_drop;
		s->st.if_drops = ps.ps_ifdrop;
	}
	s->done = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

struct wl_source *wl_source_live(const struct wl_live_cfg *cfg, char *err, size_t errlen)
{
	char e[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(cfg->iface, e);
	if (!p) {
		snprintf(err, errlen, "%s", e);
		return NULL;
	}
	pcap_set_snaplen(p, cfg->snaplen > 0 ? cfg->snaplen : 262144);
	pcap_set_promisc(p, 0);
	/* Not immediate mode: that makes libpcap fall back to TPACKET_V2, one
	 * fixed frame of snaplen (64 KiB on lo) per packet, and one wake-up per
	 * packet. TPACKET_V3 packs packets into blocks handed over when full or
	 * after the timeout, which bounds the delay; pcap_breakloop() wakes
	 * the thread at once for a stop. */
	pcap_set_immediate_mode(p, 0);
	pcap_set_timeout(p, WL_CAPTURE_BLOCK_MS);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	pcap_set_buffer_size(p, (cfg->buffer_kib > 0 ? cfg->buffer_kib : WL_CAPTURE_BUFFER_KIB) * 1024);
	int r = pcap_activate(p);
	if (r < 0) {
		if (r == PCAP_ERROR_PERM_DENIED)
			snprintf(err, errlen, "no permission to capture on %s: run as root or grant "
				 "CAP_NET_RAW (setcap cap_net_raw,cap_net_admin=eip wirelab)", cfg->iface);
		else if (r == PCAP_ERROR_NO_SUCH_DEVICE)
			snprintf(err, errlen, "no interface '%s' (see ip link)", cfg->iface);
		else
			snprintf(err, errlen, "cannot capture on %s: %s", cfg->iface, pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	struct wl_source *s = source_from(p);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (cfg->filter && *cfg->filter && wl_source_filter(s, cfg->filter, err, errlen) < 0) {
		wl_source_close(s);
		return NULL;
	}
	s->live = 1;
	s->ring_size = cfg->queue_bytes ? cfg->queue_bytes : (32u << 20);
	s->ring = malloc(s->ring_size);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (!s->ring || pthread_create(&s->thread, NULL, capture_thread, s) != 0) {
		snprintf(err, errlen, "cannot start the capture thread");
		wl_source_close(s);
		return NULL;
	}
	s->thread_started = 1;
	return s;
}

void wl_source_stop(struct wl_source *s)
{
	if (!s->live)
		return;
	pthread_mutex_lock(&s->mu);
	s->stopping = 1;
	pthread_mutex_unlock(&s->mu);
	pcap_breakloop(s->pcap);
}

/* Reader: gives back what it read, and takes a new snapshot of the ring.
 * 1 when there is something to read, 0 when not (with mu held in both cases). */
static int refill(struct wl_source *s)
{
	pthread_mutex_lock(&s->mu);
	s->used -= s->released;
	s->released = 0;
	s->avail = s->used;
	return s->avail != 0;
}

/* Reader: moves past n bytes at tail. */
static void consume(struct wl_source *s, size_t n)
{
	s->tail += n;
	if (s->tail == s->ring_size)
		s->tail = 0;
	s->avail -= n;
	s->released += n;
}

static int live_next(struct wl_source *s, struct wl_pkt *out)
{
	if (s->pending) {  /* release the record handed out last time */
		consume(s, s->pending);
		s->pending = 0;
		if (s->released >= RELEASE_BYTES)
			s->avail = 0;  /* give space back to the writer now */
	}
	for (;;) {
		if (!s->avail) {
			int any = refill(s);
			while (!any) {
				if (s->done) {
					pthread_mutex_unlock(&s->mu);
					return s->err[0] ? -1 : 0;
				}
				struct timespec until;
				clock_gettime(CLOCK_REALTIME, &until);
				until.tv_nsec += 100 * 1000000L;
				if (until.tv_nsec >= 1000000000L) {
					until.tv_sec++;
					until.tv_nsec -= 1000000000L;
				}
				s->waiting = 1;
				int r = pthread_cond_timedwait(&s->cv, &s->mu, &until);
				s->waiting = 0;
				s->avail = s->used;
				any = s->avail != 0;
				if (!any && r != 0 && !s->done) {
					pthread_mutex_unlock(&s->mu);
					return 2;  /* nothing yet: the caller may check its stop flag */
				}
			}
			pthread_mutex_unlock(&s->mu);
		}
		struct rec r;
		if (s->ring_size - s->tail < sizeof r) {  /* wrapped with no room for a marker */
			consume(s, s->ring_size - s->tail);
			continue;
		}
		memcpy(&r, s->ring + s->tail, sizeof r);
		if (r.size == 0) {  /* wrap marker */
			consume(s, s->ring_size - s->tail);
			continue;
		}
		out->ts_ns = r.ts_ns;
		out->caplen = r.caplen;
		out->len = r.len;
		out->data = s->ring + s->tail + sizeof r;
		out->linktype = s->linktype;
		out->interface_id = 0;
		out->section = 0;
		out->if_name = out->if_descr = (struct wl_pkt_comment){ NULL, 0 };
		out->has_flags = 0;
		out->ncomments = 0;
		out->comments = NULL;
		s->pending = r.size;
		return 1;
	}
}

/* The next packet of a file one of the own readers reads, past those the
 * filter drops. */
static int own_next(struct wl_source *s, struct wl_pkt *p)
{
	for (;;) {
		int r = s->ng ? wl__pcapng_next(s->ng, p) : wl__pcapfile_next(s->pf, p);
		if (r < 0)
			snprintf(s->err, sizeof s->err, "%s",
				 s->ng ? wl__pcapng_error(s->ng) : wl__pcapfile_error(s->pf));
		if (r != 1 || !s->bpf || own_match(s, p))
			return r;
	}
}

int wl_source_next(struct wl_source *s, struct wl_pkt *p)
{
	if (s->live)
		return live_next(s, p);
	if (s->ng || s->pf)
		return own_next(s, p);
	struct pcap_pkthdr *h;
	const u_char *data;
	int r = pcap_next_ex(s->pcap, &h, &data);
	if (r == 1) {
		p->ts_ns = (int64_t)h->ts.tv_sec * 1000000000LL +
			   (int64_t)h->ts.tv_usec * (s->nano ? 1 : 1000);
		p->caplen = h->caplen;
		p->len = h->len;
		p->data = data;
		p->linktype = s->linktype;
		p->interface_id = 0;
		p->section = 0;
		p->if_name = p->if_descr = (struct wl_pkt_comment){ NULL, 0 };
		p->has_flags = 0;
		p->ncomments = 0;
		p->comments = NULL;
		return 1;
	}
	if (r == PCAP_ERROR_BREAK)
		return 0;
	snprintf(s->err, sizeof s->err, "%s", pcap_geterr(s->pcap));
	return -1;
}

void wl_source_stats(struct wl_source *s, struct wl_capture_stats *st)
{
	if (s->live) {
		pthread_mutex_lock(&s->mu);
		*st = s->st;
		pthread_mutex_unlock(&s->mu);
	} else {
		memset(st, 0, sizeof *st);
	}
}

void wl_source_close(struct wl_source *s)
{
	if (!s)
		return;
	if (s->thread_started) {
		wl_source_stop(s);
		pthread_join(s->thread, NULL);
	}
	if (s->live) {
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
	}
	free(s->ring);
	if (s->pcap)
		pcap_close(s->pcap);
	wl__pcapng_close(s->ng);
	wl__pcapfile_close(s->pf);
	for (unsigned i = 0; i < s->nlf; i++)
		if (s->lf[i].usable)
			pcap_freecode(&s->lf[i].prog);
	free(s->lf);
	free(s->bpf);
	free(s);
}

/* ---- writer ---- */

struct wl_writer {
	pcap_t *dead;
	pcap_dumper_t *d;
	int linktype;
	uint64_t count;
	int failed;
	char err[256];
};

struct wl_writer *wl_writer_open(const char *path, int linktype, int snaplen, char *err, size_t errlen)
{
	struct wl_writer *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->dead = pcap_open_dead_with_tstamp_precision(dlt_of_linktype(linktype),
						       snaplen > 0 ? snaplen : 262144,
						       PCAP_TSTAMP_PRECISION_MICRO);
	w->d = w->dead ? pcap_dump_open(w->dead, path) : NULL;
	if (!w->d) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 w->dead ? pcap_geterr(w->dead) : "out of memory");
		if (w->dead)
			pcap_close(w->dead);
		free(w);
		return NULL;
	}
	w->linktype = linktype;
	return w;
}

int wl_writer_write(struct wl_writer *w, const struct wl_pkt *p)
{
	if (w->failed)
		return -1;
	if (p->linktype != w->linktype) {
		w->failed = 1;
		snprintf(w->err, sizeof w->err, "packet %llu has link type %d, and a pcap file holds "
			 "only one (%d): the packets before it were written",
			 (unsigned long long)w->count + 1, p->linktype, w->linktype);
		return -1;
	}
	struct pcap_pkthdr h;
	h.ts.tv_sec = (time_t)(p->ts_ns / 1000000000LL);
	h.ts.tv_usec = (suseconds_t)(p->ts_ns % 1000000000LL / 1000);
	h.caplen = p->caplen;
	h.len = p->len;
	pcap_dump((u_char *)w->d, &h, p->data);
	w->count++;
	/* flush often enough that a kill leaves a readable file with what was seen */
	if ((w->count & 63) == 0 && pcap_dump_flush(w->d) < 0) {
		w->failed = 1;
		snprintf(w->err, sizeof w->err, "write failed after %llu packets: %s",
			 (unsigned long long)w->count, strerror(errno));
		return -1;
	}
	return 0;
}

uint64_t wl_writer_count(const struct wl_writer *w) { return w->count; }

int wl_writer_close(struct wl_writer *w, char *err, size_t errlen)
{
	if (!w)
		return 0;
	int bad = w->failed;
	if (!bad && pcap_dump_flush(w->d) < 0) {
		bad = 1;
		snprintf(w->err, sizeof w->err, "write failed: %s", strerror(errno));
	}
	if (ferror(pcap_dump_file(w->d)))
		bad = 1;
	pcap_dump_close(w->d);
	pcap_close(w->dead);
	if (bad)
		snprintf(err, errlen, "%s", w->err[0] ? w->err : "write failed");
	free(w);
	return bad ? -1 : 0;
}

int wl_drop_privileges(const char *user, char *err, size_t errlen)
{
	if (geteuid() != 0)
		return 0;
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errlen, "no user '%s' to drop privileges to", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
		snprintf(err, errlen, "cannot switch to user '%s': %s", user, strerror(errno));
		return -1;
	}
	return 0;
}
