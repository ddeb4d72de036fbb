/* One kernel source, two back-ends: the accesses a kernel performs when it
 * runs natively on real threads, seen through the logged access layer, are
 * exactly those of its trace, per thread and in order. */
#include <config.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "chase_set.h"
#include "kernels.h"
#include "trace_demux.h"
#include "trace_gen.h"
#include "trace_reader.h"
#include "unit_helpers.h"
#include "xalloc.h"

/* What the instrumented layer saw of one thread. */
struct seen {
	struct trace_record *recs;
	size_t n, cap;
};

static void remember(struct access_logged *ctx, const struct trace_record *rec)
{
	struct seen *s = ctx->sink_data;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->recs = xrealloc(s->recs, s->cap, sizeof(*s->recs));
	}
	s->recs[s->n++] = *rec;
}

/* A workload: its memory, and how thread T runs its kernel on either backend. */
struct workload_case {
	struct chase_set set;  /* chase */
	unsigned char *counters; /* falseshare */
	unsigned char *buffers;  /* bandwidth: one region per thread */
	enum bandwidth_op op;
	unsigned threads, distance;
	uint64_t steps;
	bool atomic;
	uintptr_t base;
};

static void logged_thread(struct access_logged *ctx, unsigned t, void *arg)
{
	struct workload_case *w = arg;

	if (w->buffers) {
		struct bandwidth_args a = { w->buffers + t * 4096, 4096, 3, w->op };

		bandwidth_logged(ctx, &a);
	} else if (w->counters) {
		struct counter_args a = { w->counters + t * w->distance, w->distance < 8 ? 4 : 8, w->steps,
					  w->atomic ? COUNTER_ATOMIC : COUNTER_INCREMENT, 3 };

		counter_logged(ctx, &a);
	} else {
		struct chase_args a = { chase_set_node(&w->set, t * w->set.nodes / w->threads), w->steps };

		chase_logged(ctx, &a);
	}
}

struct thread_job {
	struct workload_case *w;
	unsigned thread;
	struct seen seen;
	pthread_barrier_t *start;
};

static void *instrumented_thread(void *arg)
{
	struct thread_job *job = arg;
	struct access_logged ctx = { .thread = job->thread, .base = job->w->base, .sink = remember,
				     .sink_data = &job->seen };

	pthread_barrier_wait(job->start);
	logged_thread(&ctx, job->thread, job->w);
	return NULL;
}

static void check_equivalence(struct workload_case *w)
{
	char *path = unit_temp_file("test-kernel");
	struct trace_header h = { .threads = w->threads, .line_size = 64 };
	struct thread_job *jobs = xcalloc(w->threads, sizeof(*jobs));
	pthread_t *tids = xcalloc(w->threads, sizeof(*tids));
	pthread_barrier_t start;
	struct ml_error err;
	struct trace_reader *r;
	struct trace_demux *d;

	assert_int_equal(trace_generate(path, &h, w->base, logged_thread, w, &err), 0);

	/* The same kernels, natively on concurrent threads, instrumented. */
	pthread_barrier_init(&start, NULL, w->threads);
	for (unsigned t = 0; t < w->threads; t++) {
		jobs[t] = (struct thread_job){ .w = w, .thread = t, .start = &start };
		assert_int_equal(pthread_create(&tids[t], NULL, instrumented_thread, &jobs[t]), 0);
	}
	for (unsigned t = 0; t < w->threads; t++)
		pthread_join(tids[t], NULL);
	pthread_barrier_destroy(&start);

	r = trace_reader_open(path, &err);
	assert_non_null(r);
	d = trace_demux_new(r, 0);
	for (unsigned t = 0; t < w->threads; t++) {
		const struct trace_record *rec;
		size_t i = 0;
		ssize_t n;

		assert_true(jobs[t].seen.n > 0);
		while ((n = trace_demux_lend(d, t, &rec, &err)) > 0) {
			for (ssize_t k = 0; k < n; k++) {
				const struct trace_record *want = &jobs[t].seen.recs[i++];

				assert_true(i <= jobs[t].seen.n);
				assert_int_equal(rec[k].address, want->address);
				assert_int_equal(rec[k].op, want->op);
				assert_int_equal(rec[k].size, want->size);
				assert_int_equal(rec[k].gap, want->gap);
				assert_int_equal(rec[k].thread, t);
			}
		}
		assert_int_equal(i, jobs[t].seen.n);
		free(jobs[t].seen.recs);
	}
	trace_demux_free(d);
	trace_reader_close(r);
	unlink(path);
	free(path);
	free(jobs);
	free(tids);
}

static void test_chase_equivalence(void **state)
{
	static const unsigned threads[] = { 1, 2, 4 };
	struct ml_error err;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct workload_case w = { .threads = threads[i], .steps = 5000 };

		assert_int_equal(chase_set_build(&w.set, 64 << 10, 64, 99, &err), 0);
		w.base = (uintptr_t)w.set.memory;
		check_equivalence(&w);
		chase_set_free(&w.set);
	}
}

static void test_falseshare_equivalence(void **state)
{
	static const unsigned threads[] = { 1, 2, 4 }, distances[] = { 4, 8, 64 };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		for (size_t k = 0; k < 3; k++) {
			struct workload_case w = { .threads = threads[i], .distance = distances[k],
						   .steps = 3000, .atomic = k == 1 };

			w.counters = xcalloc(4096, 1);
			w.base = (uintptr_t)w.counters;
			check_equivalence(&w);
			free(w.counters);
		}
	}
}

static void test_bandwidth_equivalence(void **state)
{
	static const unsigned threads[] = { 1, 2, 4 };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		for (int op = 0; op < BW_NOPS; op++) {
			struct workload_case w = { .threads = threads[i], .op = (enum bandwidth_op)op };

			w.buffers = xpages(4 * 4096);
			w.base = (uintptr_t)w.buffers;
			check_equivalence(&w);
			free(w.buffers);
		}
	}
}

/* The native build does what the logged one does: same end node, same counts. */
static void test_native_matches_logged(void **state)
{
	struct chase_set set;
	struct ml_error err;
	struct seen seen = { 0 };
	struct access_native native = { 0 };
	struct access_logged logged = { .sink = remember, .sink_data = &seen };
	struct chase_args a;
	uint64_t counters[2] = { 0, 0 };
	struct counter_args c = { &counters[0], 8, 1234, COUNTER_INCREMENT, 2 };

	(void)state;
	assert_int_equal(chase_set_build(&set, 32 << 10, 64, 5, &err), 0);
	a = (struct chase_args){ chase_set_node(&set, 0), 777 };
	logged.base = (uintptr_t)set.memory;
	assert_ptr_equal(chase_native(&native, &a), chase_logged(&logged, &a));
	assert_int_equal(seen.n, 777);
	counter_native(&native, &c);
	c.counter = &counters[1];
	c.op = COUNTER_ATOMIC;
	counter_native(&native, &c);
	c.op = COUNTER_READ;
	assert_int_equal(counter_native(&native, &c), 1234 * 1234);
	assert_int_equal(counters[0], 1234);
	assert_int_equal(counters[1], 1234);
	chase_set_free(&set);
	free(seen.recs);
}

/* Whatever the blocks, the chase visits every node once per lap, and with
 * blocks it finishes one block before entering the next. */
static void test_blocked_chase(void **state)
{
	static const size_t blocks[] = { 64, 4096, 8192, 1 << 20 };
	const size_t bytes = 64 << 10, stride = 64;

	(void)state;
	for (size_t b = 0; b < 4; b++) {
		void *memory = xcalloc(bytes, 1);
		struct chase_set set;
		struct ml_error err;
		unsigned char *visited = xcalloc(bytes / stride, 1);
		const uint64_t *p;
		size_t block_changes = 0, last_block = SIZE_MAX;

		assert_int_equal(chase_set_link(&set, memory, bytes, stride, blocks[b], 3, &err), 0);
		p = chase_set_node(&set, 0);
		for (size_t i = 0; i < set.nodes; i++) {
			size_t off = (size_t)((const unsigned char *)p - set.memory), node = off / stride;

			assert_false(visited[node]);
			visited[node] = 1;
			block_changes += off / blocks[b] != last_block;
			last_block = off / blocks[b];
			p = (const uint64_t *)(uintptr_t)*p;
		}
		assert_ptr_equal(p, chase_set_node(&set, 0));
		/* each block entered once, except where the cycle starts mid-block */
		assert_true(block_changes <= (bytes + blocks[b] - 1) / blocks[b] + 1);
		chase_set_free(&set);
		free(visited);
		free(memory);
	}
}

/* The chase visits every node once per lap: one single cycle. */
static void test_chase_is_one_cycle(void **state)
{
	static const size_t sizes[] = { 128, 4096, 65536, 1 << 20 };
	static const size_t strides[] = { 8, 64, 192 };

	(void)state;
	for (size_t s = 0; s < 4; s++) {
		for (size_t k = 0; k < 3; k++) {
			struct chase_set set;
			struct ml_error err;
			unsigned char *visited;
			const uint64_t *p;

			if (chase_set_build(&set, sizes[s], strides[k], s * 10 + k, &err) < 0)
				continue;
			visited = xcalloc(set.nodes, 1);
			p = chase_set_node(&set, 0);
			for (size_t i = 0; i < set.nodes; i++) {
				size_t node = (size_t)((const unsigned char *)p - set.memory) / set.stride;

				assert_true(node < set.nodes);
				assert_false(visited[node]);
				visited[node] = 1;
				p = (const uint64_t *)(uintptr_t)*p;
			}
			assert_ptr_equal(p, chase_set_node(&set, 0)); /* back at the start */
			free(visited);
			chase_set_free(&set);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chase_equivalence),
		cmocka_unit_test(test_falseshare_equivalence),
		cmocka_unit_test(test_bandwidth_equivalence),
		cmocka_unit_test(test_native_matches_logged),
		cmocka_unit_test(test_chase_is_one_cycle),
		cmocka_unit_test(test_blocked_chase),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
