#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "explain_replay.h"
#include "interrupt.h"
#include "progress.h"
#include "replay.h"
#include "trace_writer.h"
#include "xalloc.h"

/* Each thread's locations, read beside the simulator: the k-th record of a
 * thread it takes is the thread's k-th in the file. */
struct loc_feed {
	struct trace_reader **cursor; /* per thread */
	const struct trace_record **recs;
	const uint32_t **locs;
	size_t *n, *at;
	unsigned threads;
	uint64_t moved_by; /* what the replayed copy added to each address */
	bool out_of_step;
	struct ml_error err;
};

static uint32_t next_loc(void *ctx, const struct trace_record *rec)
{
	struct loc_feed *f = ctx;
	unsigned t = rec->thread;

	if (t >= f->threads || f->out_of_step)
		return 0;
	if (f->at[t] == f->n[t]) {
		ssize_t n = trace_reader_batch(f->cursor[t], &f->recs[t], &f->err);

		if (n <= 0) {
			f->out_of_step = true;
			return 0;
		}
		f->n[t] = (size_t)n;
		f->at[t] = 0;
		f->locs[t] = trace_reader_locs(f->cursor[t]);
	}
	if (f->recs[t][f->at[t]].address + f->moved_by != rec->address || !f->locs[t]) {
		f->out_of_step = true;
		return 0;
	}
	return f->locs[t][f->at[t]++];
}

static void loc_feed_open(struct loc_feed *f, const struct explain_source *from)
{
	struct trace_reader *r = from->r;

	memset(f, 0, sizeof(*f));
	f->threads = trace_reader_header(r)->threads;
	f->moved_by = from->moved_by;
	f->cursor = xcalloc(f->threads, sizeof(*f->cursor));
	f->recs = xcalloc(f->threads, sizeof(*f->recs));
	f->locs = xcalloc(f->threads, sizeof(*f->locs));
	f->n = xcalloc(f->threads, sizeof(*f->n));
	f->at = xcalloc(f->threads, sizeof(*f->at));
	for (unsigned t = 0; t < f->threads; t++)
		f->cursor[t] = trace_reader_cursor(r, from->records_at, t, 4096);
}

static void loc_feed_close(struct loc_feed *f)
{
	for (unsigned t = 0; t < f->threads; t++)
		trace_reader_close(f->cursor[t]);
	free(f->cursor);
	free(f->recs);
	free(f->locs);
	free(f->n);
	free(f->at);
}

uint64_t explain_move_by(void *ctx, uint64_t address)
{
	return address + *(const uint64_t *)ctx;
}

int explain_replay_run(const struct explain_source *from, const struct sim_config *cfg,
		       const struct protocol *const *protocols, unsigned n, struct explain_replay *out,
		       struct ml_error *err)
{
	struct trace_reader *r = from->r;
	struct loc_feed feed;
	uint64_t moved_by = from->moved_by;

	loc_feed_open(&feed, from);
	out->s = sim_new(cfg, protocols, n);
	out->a = attribution_new(out->s, cfg->l1.line, trace_reader_locations(r)->npcs + 1, next_loc, &feed);
	out->accesses = sim_replay_named(out->s, from->replayed, r, explain_move_by, &moved_by, err);
	progress_done();
	attribution_finish(out->a);
	if (out->accesses != UINT64_MAX && feed.out_of_step)
		ml_error_set(err, "%s: %s", trace_reader_name(r),
			     feed.err.msg[0] ? feed.err.msg : "the records' locations could not be followed");
	loc_feed_close(&feed);
	if (out->accesses == UINT64_MAX || feed.out_of_step) {
		explain_replay_free(out);
		return -1;
	}
	return 0;
}

void explain_replay_free(struct explain_replay *x)
{
	attribution_free(x->a);
	sim_free(x->s);
	x->a = NULL;
	x->s = NULL;
}

char *explain_moved_trace(const char *path, uint64_t (*move)(void *ctx, uint64_t address), void *ctx,
			  struct ml_error *err)
{
	const char *dir = getenv("TMPDIR");
	char *moved = xasprintf("%s/mesilab-explain-XXXXXX", dir && *dir ? dir : "/tmp");
	struct trace_reader *in = NULL;
	struct trace_writer *w = NULL;
	const struct trace_record *recs;
	int fd = mkstemp(moved);
	ssize_t n = -1;

	if (fd < 0) {
		ml_error_set(err, "%s: cannot create a temporary file: %s", moved, strerror(errno));
		free(moved);
		return NULL;
	}
	close(fd);
	if ((in = trace_reader_open(path, err)) && (w = trace_writer_open(moved, trace_reader_header(in), err))) {
		while ((n = trace_reader_batch(in, &recs, err)) > 0 && !interrupt_check(err)) {
			for (ssize_t i = 0; i < n; i++) {
				struct trace_record rec = recs[i];

				rec.address = move(ctx, rec.address);
				trace_writer_add(w, &rec);
			}
		}
		if (n > 0)
			n = -1; /* interrupted */
	}
	if (w) {
		struct ml_error ignored;

		if (trace_writer_close(w, n < 0 ? &ignored : err) < 0)
			n = -1;
	}
	trace_reader_close(in);
	if (n < 0) {
		unlink(moved);
		free(moved);
		return NULL;
	}
	return moved;
}
