#include <config.h>

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "report.h"
#include "xalloc.h"

/* The counters every table shows, in order: a table, not a switch. */
static const struct metric {
	const char *csv_name;
	const char *title;
	size_t offset;
} metrics[] = {
#define FIELD(member) offsetof(struct core_stats, member)
	{ "reads", "reads", FIELD(reads) },
	{ "writes", "writes (incl. atomics)", FIELD(writes) },
	{ "rmws", "atomics", FIELD(rmws) },
	{ "hits", "hits", FIELD(hits) },
	{ "misses", "misses", FIELD(misses) },
	{ "misses_cold", "  cold", FIELD(cause[CAUSE_COLD]) },
	{ "misses_capacity", "  capacity", FIELD(cause[CAUSE_CAPACITY]) },
	{ "misses_conflict", "  conflict", FIELD(cause[CAUSE_CONFLICT]) },
	{ "misses_true_sharing", "  coherence, true sharing", FIELD(cause[CAUSE_TRUE_SHARING]) },
	{ "misses_false_sharing", "  coherence, false sharing", FIELD(cause[CAUSE_FALSE_SHARING]) },
	{ "upgrades", "hits needing the bus", FIELD(upgrades) },
	{ "bus_rd", "BusRd", FIELD(bus[BUS_RD]) },
	{ "bus_rdx", "BusRdX", FIELD(bus[BUS_RDX]) },
	{ "bus_upgr", "BusUpgr", FIELD(bus[BUS_UPGR]) },
	{ "bus_upd", "BusUpd", FIELD(bus[BUS_UPD]) },
	{ "flushes", "flushes", FIELD(flushes) },
	{ "invalidations", "invalidations", FIELD(invalidations_sent) },
	{ "invalidations_received", "invalidations received", FIELD(invalidations_received) },
	{ "interventions", "interventions (E/M given up to a read)", FIELD(interventions) },
	{ "updates", "updates", FIELD(updates_sent) },
	{ "c2c_transfers", "cache-to-cache transfers", FIELD(c2c_transfers) },
	{ "memory_reads", "lines from memory or LLC", FIELD(memory_reads) },
	{ "llc_hits", "LLC hits", FIELD(llc_hits) },
	{ "writebacks", "writebacks", FIELD(writebacks) },
	{ "back_invalidations", "back-invalidations", FIELD(back_invalidations) },
	{ "bus_bytes", "data bytes on the bus", FIELD(bus_bytes) },
	{ "l1_misses", "L1 misses (with an L2)", FIELD(l1_misses) },
	{ "ifetches", "instruction fetches", FIELD(ifetches) },
	{ "ifetch_misses", "L1i misses", FIELD(ifetch_misses) },
	{ "ifetches_skipped", "fetches skipped (no L1i)", FIELD(ifetches_skipped) },
	{ "cycles", "cycles", FIELD(cycles) },
#undef FIELD
};

#define NMETRICS (sizeof(metrics) / sizeof(metrics[0]))

static uint64_t value_of(const struct core_stats *st, const struct metric *m)
{
	return *(const uint64_t *)((const char *)st + m->offset);
}

/* Key columns, then one per metric. COLUMNS must outlive the table. */
static struct table *metrics_table(struct table_column *columns, const char *const *keys, size_t nkeys)
{
	for (size_t k = 0; k < nkeys; k++)
		columns[k] = (struct table_column){ keys[k], keys[k], TABLE_LEFT };
	for (size_t m = 0; m < NMETRICS; m++)
		columns[nkeys + m] = (struct table_column){ metrics[m].csv_name, metrics[m].csv_name, TABLE_RIGHT };
	return table_new(columns, nkeys + NMETRICS);
}

static bool is_cause(const struct metric *m)
{
	return m->offset >= offsetof(struct core_stats, cause) &&
	       m->offset < offsetof(struct core_stats, cause) + sizeof(((struct core_stats *)0)->cause);
}

/* Causes not classified are left empty: unknown, not zero. */
static void add_metrics(struct table *t, size_t first_column, const struct core_stats *st, const struct sim *s)
{
	for (size_t m = 0; m < NMETRICS; m++)
		if (sim_classifies_causes(s) || !is_cause(&metrics[m]))
			table_setf(t, first_column + m, "%" PRIu64, value_of(st, &metrics[m]));
}

struct table *sim_summary_table(const struct sim *s)
{
	static const char *const keys[] = { "protocol" };
	static struct table_column columns[1 + NMETRICS];
	struct table *t = metrics_table(columns, keys, 1);

	for (unsigned i = 0; i < sim_protocols(s); i++) {
		struct core_stats total;

		sim_total_stats(s, i, &total);
		table_add_row(t);
		table_set(t, 0, sim_protocol(s, i)->name, NULL);
		add_metrics(t, 1, &total, s);
	}
	return t;
}

struct table *sim_workloads_table(void)
{
	static const char *const keys[] = { "workload", "protocol" };
	static struct table_column columns[2 + NMETRICS];

	return metrics_table(columns, keys, 2);
}

void sim_add_workload_rows(struct table *t, const struct sim *s, const char *workload)
{
	for (unsigned i = 0; i < sim_protocols(s); i++) {
		struct core_stats total;

		sim_total_stats(s, i, &total);
		table_add_row(t);
		table_set(t, 0, workload, NULL);
		table_set(t, 1, sim_protocol(s, i)->name, NULL);
		add_metrics(t, 2, &total, s);
	}
}

struct table *sim_cores_table(const struct sim *s)
{
	static const char *const keys[] = { "protocol", "core" };
	static struct table_column columns[2 + NMETRICS];
	struct table *t = metrics_table(columns, keys, 2);

	for (unsigned i = 0; i < sim_protocols(s); i++) {
		for (unsigned c = 0; c < sim_cores(s); c++) {
			struct core_stats one;

			table_add_row(t);
			table_set(t, 0, sim_protocol(s, i)->name, NULL);
			table_setf(t, 1, "%u", c);
			sim_core_stats(s, i, c, &one);
			add_metrics(t, 2, &one, s);
		}
	}
	return t;
}

enum { T_PROTOCOL, T_STATE, T_EVENT, T_NEXT, T_COUNT, T_FIRED, NTCOLUMNS };

static const struct table_column transition_columns[NTCOLUMNS] = {
	[T_PROTOCOL] = { "protocol", "protocol", TABLE_LEFT },
	[T_STATE] = { "state", "state", TABLE_LEFT },
	[T_EVENT] = { "event", "event", TABLE_LEFT },
	[T_NEXT] = { "next", "next", TABLE_LEFT },
	[T_COUNT] = { "count", "count", TABLE_RIGHT },
	[T_FIRED] = { "fired", "fired", TABLE_LEFT },
};

static void add_transition(struct table *t, const struct sim *s, unsigned i, unsigned state,
			   unsigned event, unsigned next)
{
	const struct protocol *p = sim_protocol(s, i);
	uint64_t count = sim_transitions(s, i, state, event, next);

	table_add_row(t);
	table_set(t, T_PROTOCOL, p->name, NULL);
	table_set(t, T_STATE, p->state_names[state], NULL);
	table_set(t, T_EVENT, sim_event_name(event), NULL);
	table_set(t, T_NEXT, p->state_names[next], NULL);
	table_setf(t, T_COUNT, "%" PRIu64, count);
	table_set(t, T_FIRED, count ? "1" : "0", count ? "yes" : "never");
}

struct table *sim_transitions_table(const struct sim *s)
{
	struct table *t = table_new(transition_columns, NTCOLUMNS);

	for (unsigned i = 0; i < sim_protocols(s); i++) {
		const struct protocol *p = sim_protocol(s, i);

		for (unsigned st = 0; st < p->nstates; st++) {
			for (unsigned e = 0; e < PROC_NEVENTS; e++) {
				const struct proc_rule *r = &p->proc[st][e];

				if (!r->defined)
					continue;
				add_transition(t, s, i, st, e, r->next[0]);
				if (r->next[1] != r->next[0])
					add_transition(t, s, i, st, e, r->next[1]);
			}
			for (unsigned b = BUS_RD; b < BUS_NOPS; b++)
				if (st != STATE_I && p->snoop[st][b].defined)
					add_transition(t, s, i, st, PROC_NEVENTS + b - 1, p->snoop[st][b].next);
		}
	}
	return t;
}

struct table *sim_side_by_side_table(const struct sim *s)
{
	static struct table_column columns[2 * SIM_MAX_PROTOCOLS];
	struct core_stats totals[SIM_MAX_PROTOCOLS];
	unsigned n = sim_protocols(s);
	size_t ncolumns = 0;
	struct table *t;

	columns[ncolumns++] = (struct table_column){ "metric", "", TABLE_LEFT };
	for (unsigned i = 0; i < n; i++) {
		sim_total_stats(s, i, &totals[i]);
		columns[ncolumns++] = (struct table_column){ sim_protocol(s, i)->name, sim_protocol(s, i)->name,
							     TABLE_RIGHT };
		if (i > 0)
			columns[ncolumns++] = (struct table_column){ "change", "vs first", TABLE_RIGHT };
	}
	t = table_new(columns, ncolumns);
	for (size_t m = 0; m < NMETRICS; m++) {
		uint64_t base = value_of(&totals[0], &metrics[m]);
		size_t col = 1;
		bool any = false;

		for (unsigned i = 0; i < n; i++)
			any |= value_of(&totals[i], &metrics[m]) != 0;
		if (!any || (is_cause(&metrics[m]) && !sim_classifies_causes(s)))
			continue; /* nothing happened, or nobody looked: keep the table short */
		table_add_row(t);
		table_set(t, 0, metrics[m].title, NULL);
		for (unsigned i = 0; i < n; i++) {
			uint64_t v = value_of(&totals[i], &metrics[m]);

			table_setf(t, col++, "%" PRIu64, v);
			if (i == 0)
				continue;
			if (v == base)
				table_set(t, col++, "=", NULL);
			else if (base == 0)
				table_set(t, col++, "new", NULL);
			else
				table_setf(t, col++, "%+.1f%%", 100.0 * ((double)v - (double)base) / (double)base);
		}
	}
	return t;
}
