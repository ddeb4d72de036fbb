#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interrupt.h"
#include "progress.h"
#include "pu_probe.h"
#include "spin_guard.h"
#include "xalloc.h"

/* Probe lengths: several host scheduler periods, so that timesharing by
 * a host or neighbour shows. */
#define PROBE_NS 100000000ull
#define PROBE_QUICK_NS 40000000ull
/* A PU that ran its thread less than this share of the probe is not the
 * benchmark's; below the second, the machine is oversubscribed. */
#define AVAILABLE_OK 0.9
#define AVAILABLE_OVERSUBSCRIBED 0.5
#define STEAL_OK 0.05
/* Measurements given up in a row before the benchmark stops trying. */
#define GIVE_UPS_IN_A_ROW 3

struct probe_job {
	uint64_t duration;
	double *available;
};

static void probe_one(void *arg, struct access_native *ctx)
{
	const struct probe_job *p = arg;

	p->available[ctx->thread] = pu_probe_available(p->duration, ctx);
}

/* For each of the N PUs, the share of DURATION_NS its thread ran, into
 * AVAILABLE[i]. Returns 0, or -1 when the threads could not be started. */
static int probe(const struct topo *t, unsigned n, const unsigned *pus, uint64_t duration_ns, double *available,
		 struct ml_error *err)
{
	struct probe_job p = { duration_ns, available };
	uint64_t *elapsed = xcalloc(n, sizeof(*elapsed));
	int rc;

	/* The probe's own deadline: it ends by itself, so only a machine that
	 * gives it nearly nothing reaches it. */
	rc = threads_run(t, n, pus, probe_one, &p, 20 * duration_ns + 1000000000ull, elapsed, NULL, err);
	free(elapsed);
	return rc;
}

void spin_guard_begin(struct spin_guard *g, const struct bench_context *ctx, const char *bench,
		      unsigned n, const unsigned *pus)
{
	double *available = xcalloc(n ? n : 1, sizeof(*available));
	struct ml_error err;

	memset(g, 0, sizeof(*g));
	g->run = ctx->run;
	snprintf(g->cond.benchmark, sizeof(g->cond.benchmark), "%s", bench);
	g->cond.pus = n;
	g->cond.available = -1;
	g->cond.least_available_pu = -1;
	cpu_load_read(&g->before);
	g->cond.runnable = g->before.runnable;
	if (n && topo_is_this_machine(ctx->topo)) {
		progress_update("%s: checking that its %u PUs are free", bench, n);
		if (probe(ctx->topo, n, pus, ctx->quick ? PROBE_QUICK_NS : PROBE_NS, available,
				     &err) == 0) {
			g->cond.available = 1;
			for (unsigned i = 0; i < n; i++) {
				if (available[i] < g->cond.available) {
					g->cond.available = available[i];
					g->cond.least_available_pu = (int)pus[i];
				}
			}
			if (g->cond.least_available_pu < 0)
				g->cond.least_available_pu = (int)pus[0];
		}
	}
	free(available);
}

bool spin_guard_measured(struct spin_guard *g, const char *point, const struct threads_outcome *o,
			 uint64_t deadline_ns)
{
	char what[96], why[256];

	g->cond.measurements++;
	g->cond.preempted += o->preempted;
	if (!o->gave_up) {
		g->in_a_row = 0;
		return true;
	}
	if (interrupt_requested())
		return false;
	g->cond.given_up++;
	snprintf(what, sizeof(what), "%s %s", g->cond.benchmark, point);
	snprintf(why, sizeof(why),
		 "not measured: its threads had not finished at the deadline, %.3g s (%llu involuntary "
		 "context switches)",
		 (double)deadline_ns / 1e9, (unsigned long long)o->preempted);
	rundir_unavailable(g->run, what, why);
	progress_note("%s: %s", what, why);
	if (++g->in_a_row >= GIVE_UPS_IN_A_ROW)
		g->stopped = true;
	return false;
}

uint64_t spin_guard_deadline_ns(double seconds, uint64_t computed)
{
	return seconds > 0 ? (uint64_t)(seconds * 1e9) : computed;
}

bool spin_guard_stopped(const struct spin_guard *g)
{
	return g->stopped || interrupt_requested();
}

/* Adds "WHAT; " to BUF (of SIZE bytes), as far as it fits. */
static void add_reason(char *buf, size_t size, const char *fmt, ...) ML_PRINTF(3, 4);
static void add_reason(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= size)
		return;
	if (len)
		snprintf(buf + len, size - len, "; ");
	len = strlen(buf);
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* The verdict and its words, from what the guard saw. */
static void judge(struct run_conditions *c, bool stopped)
{
	c->why[0] = '\0';
	if (c->available >= 0 && c->available < AVAILABLE_OK)
		add_reason(c->why, sizeof(c->why), "PU %d ran the probe's thread %.0f%% of the time",
			   c->least_available_pu, 100 * c->available);
	if (c->steal > STEAL_OK)
		add_reason(c->why, sizeof(c->why), "the hypervisor took %.0f%% of the CPU time (steal)",
			   100 * c->steal);
	if (c->given_up)
		add_reason(c->why, sizeof(c->why), "%u of %u measurements gave up at their deadline%s",
			   c->given_up, c->measurements, stopped ? ", then the benchmark stopped" : "");
	/* Give-ups on PUs the probe found free are a deadline too short for
	 * the work, not a crowded machine. */
	if (c->available >= 0 && (c->available < AVAILABLE_OVERSUBSCRIBED ||
				  (c->given_up && c->available < AVAILABLE_OK)))
		snprintf(c->verdict, sizeof(c->verdict), "oversubscribed");
	else if (c->why[0])
		snprintf(c->verdict, sizeof(c->verdict), "busy");
	else
		snprintf(c->verdict, sizeof(c->verdict), "ok");
}

void spin_guard_end(struct spin_guard *g)
{
	struct cpu_load after;

	cpu_load_read(&after);
	g->cond.steal = cpu_load_steal_share(&g->before, &after);
	judge(&g->cond, g->stopped);
	if (g->stopped) {
		char what[64];

		snprintf(what, sizeof(what), "%s (the rest)", g->cond.benchmark);
		char why[160];

		snprintf(why, sizeof(why),
			 "not measured: %d measurements in a row gave up at their deadline (threads that do "
			 "not get their PUs: an overcommitted VM, a busy machine, a CPU quota)",
			 GIVE_UPS_IN_A_ROW);
		rundir_unavailable(g->run, what, why);
	}
	if (strcmp(g->cond.verdict, "ok") != 0)
		progress_note("%s: %s machine: %s; its timings are not the hardware's alone", g->cond.benchmark,
			      g->cond.verdict, g->cond.why);
	rundir_add_conditions(g->run, &g->cond);
}
