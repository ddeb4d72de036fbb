/* How much a traced run's threads overlapped: explain says when they ran
 * mostly apart, where the synchronised order shows little of their
 * sharing. */
#include <config.h>

#include "explain.h"

/* A run of this many records of one thread, or more, is a turn it took
 * alone. The runtime reads the clock at one access in 32 and spreads
 * the stamps in between: at a turn's end, on one PU, the last few dozen
 * records of the thread that stops spread over the next one's turn and
 * alternate with it, short runs that are no turns. */
#define TURN_RECORDS 256
/* This share of the records, in percent, or more in turns: apart. */
#define APART_PERCENT 90

static void end_run(struct explain_turns *t)
{
	if (t->run < TURN_RECORDS)
		return;
	t->apart += t->run;
	t->turns += t->last_long != UINT_MAX && t->last_long != t->thread;
	t->last_long = t->thread;
}

void explain_turns_add(struct explain_turns *t, const struct trace_record *recs, size_t n)
{
	t->records += n;
	for (size_t i = 0; i < n; i++) {
		if (recs[i].thread != t->thread) {
			end_run(t);
			t->thread = recs[i].thread;
			t->run = 0;
		}
		t->run++;
	}
}

void explain_turns_end(struct explain_turns *t)
{
	end_run(t);
	t->run = 0;
}

bool explain_turns_apart(const struct explain_turns *t)
{
	return t->records && t->apart * 100 >= t->records * APART_PERCENT;
}
