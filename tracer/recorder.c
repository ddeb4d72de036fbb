#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "libc_alloc.h"
#include "recorder.h"
#include "spool.h"
#include "trace_file.h"

atomic_bool rt_recording;

/* How the records are put in order (MESILAB_TRACE_ORDER): the clock read
 * at the synchronisation records and every RT_STAMP_EVERY accesses (the
 * default), read at every access, or a ticket for every access. */
enum order { ORDER_CLOCK, ORDER_CLOCK_EACH, ORDER_TICKET };
/* MESILAB_TRACE_ORDER's values, in enum order's. */
static const char *const order_names[] = { "clock", "clock-each", "ticket" };

static struct {
	pthread_once_t once;
	bool ready, failed;   /* started; could not start (said once) */
	bool forked_child;    /* a fork's child: it leaves the trace alone */
	enum order order;
	bool drop_stack;
	uint64_t limit;       /* records, 0: none */
	char path[PATH_MAX];
	char generator[TRACE_MAX_GENERATOR - 256]; /* room for why it is truncated */
	/* A regular file is written in place, chunk by chunk (version 4);
	 * a device or a FIFO gets the spool merged through at exit. */
	bool in_place;
	struct rt_trace_file file;
	struct rt_spool spool;
	pthread_key_t key;    /* its destructor sees each thread end */
	atomic_flag threads_lock;
	struct rt_thread *threads;
	atomic_uint next_id;
	atomic_uint_least64_t ticket, spooled;
	atomic_bool truncated;
	char truncated_why[160];
	atomic_flag said_truncated;
	atomic_bool heap_closed; /* at exit: the runtime's own allocations are not the program's */
} rt = { .once = PTHREAD_ONCE_INIT, .threads_lock = ATOMIC_FLAG_INIT, .said_truncated = ATOMIC_FLAG_INIT };

__thread struct rt_thread *rt_current __attribute__((tls_model("initial-exec")));

/* Says something on standard error, prefixed with the runtime's name. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n = snprintf(line, sizeof(line), "mesilab-trace: ");

	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	strncat(line, "\n", sizeof(line) - strlen(line) - 1);
	if (write(STDERR_FILENO, line, strlen(line)) < 0)
		return; /* nowhere else to say it */
}

/* Ends the recording early: the trace will say it is truncated, and why. */
static void truncate_trace(const char *why)
{
	atomic_store(&rt_recording, false);
	if (atomic_flag_test_and_set(&rt.said_truncated))
		return;
	snprintf(rt.truncated_why, sizeof(rt.truncated_why), "%s", why);
	atomic_store(&rt.truncated, true);
	say("%s: the trace ends here (marked truncated)", why);
}

/* The global order: a ticket from one counter (the order in which the
 * threads announced their accesses, each a few instructions before it
 * took place; every access then writes one shared line), or the clock the
 * cores share (the TSC, synchronised on current x86 machines; elsewhere
 * the monotonic clock), which costs no shared line but orders accesses
 * closer together than the clocks agree arbitrarily. */
static inline uint64_t stamp(void)
{
	uint64_t now;

	if (rt.order == ORDER_TICKET)
		return atomic_fetch_add_explicit(&rt.ticket, 1, memory_order_relaxed);
#if defined(__x86_64__) || defined(__i386__)
	now = __rdtsc();
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
	return now ? now : 1; /* 0 is an event the fast path left unstamped */
}

/* The errno of the first failed write of the trace, 0. */
static int write_error(void)
{
	return rt.in_place ? rt.file.error : rt.spool.error;
}

/* N events of T's buffer encoded, by the thread that flushes them, into
 * chunks of the trace written in place. */
static bool write_chunks(struct rt_thread *t, size_t n)
{
	struct trace_chunk_state state;
	struct trace_chunk_header h;

	for (size_t done = 0; done < n;) {
		done += trace_chunk_encode(t->buffer + done, n - done, true, t->chunk + TRACE_CHUNK_HEADER_SIZE,
					   RT_CHUNK_BYTES, &h, &state);
		trace_chunk_header_encode(&h, t->chunk);
		if (!rt_trace_file_append(&rt.file, t->chunk, TRACE_CHUNK_HEADER_SIZE + h.payload))
			return false;
	}
	return true;
}

/* Gives T's events from the one after the last the clock stamped up to
 * N (excluded), all stamped 0 by the fast path, stamps spread evenly
 * before AFTER; none where the exit's flush emptied the buffer under a
 * thread still recording. */
static void spread_unstamped(struct rt_thread *t, size_t n, uint64_t after)
{
	size_t from = t->stamped_end;

	if (n > from)
		rt_stamps_spread(t->buffer + from, n - from, from ? t->buffer[from - 1].stamp : t->last_stamp, after);
}

static void flush(struct rt_thread *t)
{
	size_t n;

	rt_lock_take(&t->flushing);
	n = atomic_load_explicit(&t->used, memory_order_acquire);
	if (n > 0 && t->buffer && !write_error()) {
		/* The thread's own flush fills in the events after the last one
		 * the clock stamped (record has the others); another's (the
		 * exit's) looks at them all. */
		if (rt.order == ORDER_CLOCK && t == rt_current && t->stamped_end <= n) {
			spread_unstamped(t, n, stamp());
			t->last_stamp = t->buffer[n - 1].stamp;
		} else if (rt.order == ORDER_CLOCK) {
			t->last_stamp = rt_stamps_fill(t->buffer, n, t->last_stamp, stamp());
		}
		if (!(rt.in_place ? write_chunks(t, n) : rt_spool_append(&rt.spool, t->id, t->buffer, n))) {
			atomic_store(&rt_recording, false);
			say("cannot write the spool beside %s: %s; no trace will be written", rt.path,
			    strerror(write_error()));
		} else if (atomic_fetch_add(&rt.spooled, n) + n >= rt.limit && rt.limit) {
			char why[64];

			snprintf(why, sizeof(why), "the record limit (%" PRIu64 ") is reached", rt.limit);
			truncate_trace(why);
		}
	}
	if (t == rt_current)
		t->stamped_end = 0;
	atomic_store_explicit(&t->used, 0, memory_order_release);
	rt_lock_give(&t->flushing);
}

/* Stores a stamped event, flushing a full buffer first, and says how far
 * the fast path may go on without the clock (see rt_access). */
static void record(struct rt_thread *t, uintptr_t address, unsigned size, unsigned op, uint32_t loc)
{
	size_t n = atomic_load_explicit(&t->used, memory_order_relaxed);
	uint64_t now;

	if (n == RT_BUFFER_RECORDS) {
		flush(t);
		n = 0;
		if (!atomic_load_explicit(&rt_recording, memory_order_relaxed))
			return;
	}
	now = stamp();
	/* The gap, always 0 here, carries the location until the merge. */
	t->buffer[n] = (struct trace_stamped){ now, { address, loc, (uint16_t)t->id, (uint8_t)op, (uint8_t)size } };
	if (rt.order == ORDER_CLOCK) {
		/* The events the fast path stored since the last one stamped get
		 * theirs now, between that one's and this one's, while they are
		 * in the cache: no pass over the buffer looks for them. */
		spread_unstamped(t, n, now);
		t->stamped_end = n + 1;
	}
	atomic_store_explicit(&t->used, n + 1, memory_order_release);
	if (rt.order == ORDER_CLOCK && !t->ignore) {
		size_t next = (n + RT_STAMP_EVERY) & ~(size_t)(RT_STAMP_EVERY - 1);

		t->fast_end = next < RT_BUFFER_RECORDS ? next : RT_BUFFER_RECORDS;
	}
}

void rt_heap_block(uintptr_t address, size_t size, uintptr_t pc)
{
	struct rt_thread *t;
	struct rt_heap *h;

	/* Only a thread the runtime knows: registering one here could start
	 * the runtime from inside its own start (which allocates), or before
	 * the environment exists. */
	t = rt_current;
	if (!t || !rt.ready || rt.forked_child || atomic_load_explicit(&rt.heap_closed, memory_order_relaxed) ||
	    !address || !size)
		return;
	h = &t->heap;
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 1024;
		struct rt_block *more = cap <= RT_HEAP_MAX_BLOCKS ? __libc_realloc(h->b, cap * sizeof(*more)) : NULL;

		if (!more) {
			h->dropped++;
			return;
		}
		h->b = more;
		h->cap = cap;
	}
	h->b[h->n++] = (struct rt_block){ address, size, pc ? rt_pcs_number(&t->pcs, pc) : 0 };
}

void rt_access_stamped(uintptr_t address, size_t size, unsigned op, uintptr_t pc)
{
	struct rt_thread *t;
	uint32_t loc;

	if (!atomic_load_explicit(&rt_recording, memory_order_relaxed))
		return;
	t = rt_current ? rt_current : rt_self();
	if (!t || t->ignore || !t->buffer || size == 0)
		return;
	if (address - t->drop_lo < t->drop_len)
		return;
	loc = rt_pcs_number(&t->pcs, pc);
	if (size <= 255) {
		record(t, address, (unsigned)size, op, loc);
		return;
	}
	/* A range (memcpy, __tsan_read_range): one record per 64-byte block
	 * it covers, as a cache would see it. */
	while (size > 0) {
		size_t piece = 64 - (address & 63);

		piece = piece < size ? piece : size;
		record(t, address, (unsigned)piece, op, loc);
		address += piece;
		size -= piece;
	}
}

/* The key's destructor: a thread ends (the main thread's end is exit's). */
static void thread_ends(void *arg)
{
	struct rt_thread *t = arg;

	rt_access((uintptr_t)&t->handover, sizeof(t->handover), TRACE_RMW | TRACE_SYNC, 0);
	/* Its accesses after this (another key's destructor) see no buffer. */
	t->fast_end = 0;
	flush(t);
	free(t->buffer);
	free(t->chunk);
	t->buffer = NULL;
	t->chunk = NULL;
}

struct rt_thread *rt_thread_new(void)
{
	unsigned id;
	struct rt_thread *t;

	if (!rt.ready || rt.forked_child)
		return NULL;
	id = atomic_fetch_add(&rt.next_id, 1);
	if (id >= TRACE_MAX_THREADS) {
		truncate_trace("more threads than the trace format holds (65535)");
		return NULL;
	}
	/* glibc's own: the runtime's memory is not the program's heap. */
	t = __libc_memalign(64, (sizeof(*t) + 63) / 64 * 64);
	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	atomic_flag_clear(&t->flushing);
	t->id = id;
	t->heap.handover = (struct rt_block){ (uintptr_t)&t->handover, sizeof(t->handover), 0 };
	t->buffer = __libc_malloc(RT_BUFFER_RECORDS * sizeof(*t->buffer));
	if (rt.in_place) {
		t->chunk = __libc_malloc(TRACE_CHUNK_HEADER_SIZE + RT_CHUNK_BYTES);
		if (!t->chunk) {
			free(t->buffer);
			t->buffer = NULL; /* its accesses are not recorded, as when the buffer is missing */
		}
	}
	rt_lock_take(&rt.threads_lock);
	t->next = rt.threads;
	rt.threads = t;
	rt_lock_give(&rt.threads_lock);
	return t;
}

void rt_thread_started(struct rt_thread *t)
{
	pthread_attr_t attr;

	rt_current = t;
	if (!t)
		return;
	t->handle = pthread_self();
	/* Its stack: named in the trace, or its accesses dropped. */
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		void *lo;
		size_t size;

		if (pthread_attr_getstack(&attr, &lo, &size) == 0) {
			t->heap.stack = (struct rt_block){ (uintptr_t)lo, size, 0 };
			if (rt.drop_stack) {
				t->drop_lo = (uintptr_t)lo;
				t->drop_len = size;
			}
		}
		pthread_attr_destroy(&attr);
	}
	pthread_setspecific(rt.key, t);
}

struct rt_thread *rt_thread_of(pthread_t handle)
{
	struct rt_thread *found = NULL;

	rt_lock_take(&rt.threads_lock);
	for (struct rt_thread *t = rt.threads; t && !found; t = t->next)
		if (pthread_equal(t->handle, handle))
			found = t;
	rt_lock_give(&rt.threads_lock);
	return found;
}

struct rt_thread *rt_self(void)
{
	rt_init();
	if (!rt_current && rt.ready)
		rt_thread_started(rt_thread_new());
	return rt_current;
}

/* A fork's child has a copy of the parent's buffers and its spool: it
 * must leave both alone, so it records nothing. */
static void forked_child(void)
{
	rt.forked_child = true;
	atomic_store(&rt_recording, false);
	say("process %ld is a fork's child: it is not traced", (long)getpid());
}

/* The threads' location tables made one; false (the trace then has no
 * locations) when memory ran out. */
static bool join_locations(struct rt_locations *l, unsigned threads)
{
	struct rt_pcs **tables = calloc(threads ? threads : 1, sizeof(*tables));
	const struct rt_heap **heaps = calloc(threads ? threads : 1, sizeof(*heaps));
	bool ok;

	if (!tables || !heaps) {
		free(tables);
		free(heaps);
		return false;
	}
	rt_lock_take(&rt.threads_lock);
	for (struct rt_thread *t = rt.threads; t; t = t->next)
		if (t->id < threads) {
			tables[t->id] = &t->pcs;
			heaps[t->id] = &t->heap;
		}
	rt_lock_give(&rt.threads_lock);
	ok = rt_locations_join(l, tables, heaps, threads);
	free(tables);
	if (!ok)
		rt_locations_free(l);
	return ok;
}

/* At exit: every thread's buffer goes out, and the chunks are merged
 * into the trace. */
static void finish(void)
{
	struct trace_header h = { 0 };
	struct rt_locations locs;
	char why[PATH_MAX + 128];
	uint64_t written;
	unsigned threads = atomic_load(&rt.next_id);
	int rc;

	if (!rt.ready || rt.forked_child)
		return;
	atomic_store(&rt_recording, false);
	atomic_store(&rt.heap_closed, true);
	rt_lock_take(&rt.threads_lock);
	for (struct rt_thread *t = rt.threads; t; t = t->next)
		flush(t);
	rt_lock_give(&rt.threads_lock);
	if (write_error()) {
		if (rt.in_place)
			rt_trace_file_drop(&rt.file);
		return; /* said when it happened */
	}
	h.threads = threads == 0 ? 1 : threads > TRACE_MAX_THREADS ? TRACE_MAX_THREADS : threads;
	h.line_size = 64;
#ifdef _SC_LEVEL1_DCACHE_LINESIZE
	if (sysconf(_SC_LEVEL1_DCACHE_LINESIZE) > 0)
		h.line_size = (uint32_t)sysconf(_SC_LEVEL1_DCACHE_LINESIZE);
#endif
	h.truncated = atomic_load(&rt.truncated);
	/* One execution's interleaving: only its synchronisation records'
	 * order is the program's own. */
	h.order = TRACE_ORDER_PROGRAM;
	snprintf(h.generator, sizeof(h.generator), "%s%s%s", rt.generator, h.truncated ? "; truncated: " : "",
		 h.truncated ? rt.truncated_why : "");
	h.locations = join_locations(&locs, h.threads);
	if (rt.in_place) {
		uint64_t all = atomic_load(&rt.spooled);

		rc = rt_trace_file_finish(&rt.file, &h, h.locations ? &locs : NULL, rt.limit, why, sizeof(why));
		written = rt.limit && rt.limit < all ? rt.limit : all;
	} else {
		rc = rt_spool_merge(&rt.spool, &h, h.locations ? &locs : NULL, rt.limit, rt.path, &written, why,
				    sizeof(why));
	}
	if (h.locations)
		rt_locations_free(&locs);
	if (rc < 0) {
		say("%s; no trace written", why);
		return;
	}
	say("%" PRIu64 " records of %u thread%s in %s%s", written, h.threads, h.threads == 1 ? "" : "s", rt.path,
	    h.truncated ? " (truncated)" : "");
}

/* The generator text: how the trace was made, and of what command. */
static void describe(void)
{
	char cmd[TRACE_MAX_GENERATOR / 2] = "";
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, cmd, sizeof(cmd) - 1) : 0;

	if (fd >= 0)
		close(fd);
	for (ssize_t i = 0; i < n - 1; i++)
		if (cmd[i] == '\0')
			cmd[i] = ' ';
	cmd[n > 0 ? n : 0] = '\0';
	snprintf(rt.generator, sizeof(rt.generator), "mesilab-cc: %s (order: %s; stack accesses %s)",
		 cmd[0] ? cmd : "?", order_names[rt.order], rt.drop_stack ? "dropped" : "kept");
}

/* A bad setting ends the program before it starts: a trace made other
 * than asked would mislead. */
static void bad_setting(const char *name, const char *value, const char *expected)
{
	say("%s='%s': expected %s", name, value, expected);
	_exit(2);
}

static void read_settings(void)
{
	const char *order = getenv("MESILAB_TRACE_ORDER"), *stack = getenv("MESILAB_TRACE_STACK");
	const char *limit = getenv("MESILAB_TRACE_LIMIT"), *path = getenv("MESILAB_TRACE");
	char cwd[PATH_MAX];

	rt.order = ORDER_CLOCK;
	for (unsigned i = 0; order && i < sizeof(order_names) / sizeof(*order_names); i++)
		if (strcmp(order, order_names[i]) == 0)
			rt.order = (enum order)i;
	if (order && strcmp(order, order_names[rt.order]) != 0)
		bad_setting("MESILAB_TRACE_ORDER", order, "clock, clock-each or ticket");
	if (stack && strcmp(stack, "drop") == 0)
		rt.drop_stack = true;
	else if (stack && strcmp(stack, "keep") != 0)
		bad_setting("MESILAB_TRACE_STACK", stack, "keep or drop");
	if (limit) {
		char *end;

		errno = 0;
		rt.limit = strtoull(limit, &end, 10);
		if (errno || end == limit || *end || limit[0] == '-')
			bad_setting("MESILAB_TRACE_LIMIT", limit, "a number of records (0: no limit)");
	}
	if (!path || !path[0]) {
		/* The program's own name: glibc has not set its name for
		 * program_invocation_short_name when this runs (before main,
		 * from .preinit_array). */
		char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		const char *base;

		exe[n > 0 ? n : 0] = '\0';
		base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
		snprintf(cwd, sizeof(cwd), "%.*s.trace", (int)sizeof(cwd) - 7, base[0] ? base : "program");
		path = cwd;
	}
	/* Absolute, as the program may change directory before it exits. */
	if (path[0] != '/') {
		char here[PATH_MAX];

		if (!getcwd(here, sizeof(here)) ||
		    (size_t)snprintf(rt.path, sizeof(rt.path), "%s/%s", here, path) >= sizeof(rt.path))
			bad_setting("MESILAB_TRACE", path, "a path the runtime can make absolute");
	} else if ((size_t)snprintf(rt.path, sizeof(rt.path), "%s", path) >= sizeof(rt.path)) {
		bad_setting("MESILAB_TRACE", path, "a shorter path");
	}
}

/* Defined by the program when it includes <mesilab-trace.h> and marks a
 * region of interest: recording then waits for mesilab_trace_start(). */
extern int mesilab_trace_region_used __attribute__((weak));

static void start(void)
{
	char dir[PATH_MAX];
	char *slash;
	int e;

	read_settings();
	snprintf(dir, sizeof(dir), "%s", rt.path);
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	describe();
	/* A trace written through to a device or a FIFO (/dev/null) spools
	 * in the temporary directory, not beside it, and is merged at exit;
	 * any other is written in place. */
	{
		struct stat st;
		const char *tmpdir = getenv("TMPDIR");

		rt.in_place = stat(rt.path, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode);
		if (!rt.in_place)
			snprintf(dir, sizeof(dir), "%s", tmpdir && *tmpdir ? tmpdir : "/tmp");
	}
	/* The header's room: the generator and why the trace is truncated. */
	e = rt.in_place ? rt_trace_file_open(&rt.file, rt.path,
					     trace_header_size((uint32_t)(strlen(rt.generator) + strlen("; truncated: ") +
									  sizeof(rt.truncated_why))))
			: rt_spool_open(&rt.spool, dir);
	if (e) {
		say("cannot write beside %s: %s; the program runs untraced", rt.path, strerror(e));
		rt.failed = true;
		return;
	}
	pthread_key_create(&rt.key, thread_ends);
	pthread_atfork(NULL, NULL, forked_child);
	atexit(finish);
	rt.ready = true;
	atomic_store(&rt_recording, &mesilab_trace_region_used == NULL);
	rt_thread_started(rt_thread_new()); /* the thread that starts the program is thread 0 */
}

void rt_init(void)
{
	pthread_once(&rt.once, start);
}

void rt_region(bool on)
{
	rt_init();
	if (rt.ready && !rt.forked_child && !atomic_load(&rt.truncated) && !write_error())
		atomic_store(&rt_recording, on);
}
