#include <config.h>

#include "trace_gen.h"
#include "trace_merge.h"

struct generation {
	uintptr_t base;
	trace_gen_thread run;
	void *arg;
};

static void to_sink(struct access_logged *ctx, const struct trace_record *rec)
{
	trace_sink_add(ctx->sink_data, rec);
}

static int produce(struct trace_sink *sink, unsigned thread, void *arg, struct ml_error *err)
{
	const struct generation *g = arg;
	struct access_logged ctx = { .thread = thread, .base = g->base, .sink = to_sink,
				     .sink_data = sink };

	(void)err;
	g->run(&ctx, thread, g->arg);
	return 0;
}

int trace_generate(const char *path, const struct trace_header *h, uintptr_t base,
		   trace_gen_thread run, void *arg, struct ml_error *err)
{
	struct generation g = { base, run, arg };

	return trace_merge_write(path, h, produce, &g, err);
}
