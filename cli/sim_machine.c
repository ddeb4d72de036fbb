#include <config.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "sim_machine.h"
#include "units.h"
#include "xalloc.h"

/* Where each part of the model goes in the simulator's configuration: a
 * cache's geometry, or a latency's whole cycles and its sixteenths. */
#define LATENCY(name) offsetof(struct sim_config, latency.name), offsetof(struct sim_config, sixteenths.name), false
static const struct {
	size_t offset, sixteenths;
	bool cache; /* a struct cache_geometry, else cycles (unsigned) */
	const char *option;
} fields[MACHINE_NPARTS] = {
	[MACHINE_L1] = { offsetof(struct sim_config, l1), 0, true, "--l1" },
	[MACHINE_L2] = { offsetof(struct sim_config, l2), 0, true, "--l2" },
	[MACHINE_LLC] = { offsetof(struct sim_config, llc), 0, true, "--llc" },
	[MACHINE_HIT] = { LATENCY(hit), "--hit" },
	[MACHINE_L2_HIT] = { LATENCY(l2), "--l2-hit" },
	[MACHINE_LLC_HIT] = { LATENCY(llc), "--llc-hit" },
	[MACHINE_MEMORY] = { LATENCY(memory), "--memory" },
	[MACHINE_C2C] = { LATENCY(c2c), "--c2c" },
	[MACHINE_BUS] = { LATENCY(bus), "--bus" },
	[MACHINE_HANDOVER] = { LATENCY(handover), "--handover" },
	[MACHINE_ATOMIC] = { LATENCY(atomic), "--atomic" },
};
#undef LATENCY

/* The host's store buffer, in entries per core: no file of a run says it,
 * so the model takes a figure of the vendors' manuals. Intel's
 * optimization reference manual gives Skylake's (server and client) 56
 * store buffer entries, and its successors have more (Sunny Cove 72,
 * Golden Cove 114); AMD's software optimization guides give Zen 2 48 and
 * Zen 3 and 4 64 store queue entries. 56 is the most common x86 server
 * core's and within the range of the others: what the simulator takes
 * is what lets the core run ahead of its stores, which 48 to 114 do
 * alike for the suite's two-thread workloads. */
#define HOST_STORE_BUFFER 56
#define HOST_STORE_BUFFER_SOURCE \
	"the simulator's host default: Intel Skylake's 56 store buffer entries (Intel 64 and IA-32 Architectures " \
	"Optimization Reference Manual; Zen 2 has 48, Zen 3 and 4 64, later Intel cores 72 to 114)"

/* The host's transfers take their time: a machine's line is on its way
 * for as long as its transfer lasts, and its new owner uses it first. */
#define HOST_IN_FLIGHT_SOURCE \
	"the simulator's host default: a core's access to a line on its way to another core waits until it has " \
	"landed and that core has used it, as on a machine (sim --no-in-flight: every access takes effect at once)"

enum { M_PART, M_VALUE, M_FROM, M_SOURCE, NMCOLUMNS };

static const struct table_column columns[NMCOLUMNS] = {
	[M_PART] = { "part", "part", TABLE_LEFT },
	[M_VALUE] = { "value", "value", TABLE_RIGHT },
	[M_FROM] = { "from", "from", TABLE_LEFT },
	[M_SOURCE] = { "source", "source", TABLE_LEFT },
};

int sim_machine_read(struct sim_machine *m, const char *run, const char *name, struct ml_error *err)
{
	memset(m, 0, sizeof(*m));
	m->name = name;
	return machine_model_read(run, &m->model, err);
}

void sim_machine_apply(const struct sim_machine *m, struct sim_config *cfg)
{
	for (int p = 0; p < MACHINE_NPARTS; p++) {
		const struct machine_part_value *v = &m->model.part[p];
		char *field = (char *)cfg + fields[p].offset;

		if (!v->from_run || m->given[p])
			continue;
		if (fields[p].cache)
			*(struct cache_geometry *)(void *)field =
				(struct cache_geometry){ .size = v->size, .ways = v->ways, .line = v->line };
		else {
			*(unsigned *)(void *)field = v->cycles;
			*(unsigned *)(void *)((char *)cfg + fields[p].sixteenths) = v->sixteenths;
		}
	}
	if (m->plain_replays)
		return;
	if (!m->store_buffer_given)
		cfg->store_buffer = HOST_STORE_BUFFER;
	if (!m->in_flight_given)
		cfg->in_flight = true;
}

/* The parts plain replays leave out. */
static bool left_out(const struct sim_machine *m, int part)
{
	return m->plain_replays && (part == MACHINE_HANDOVER || part == MACHINE_ATOMIC);
}

static void add_row(struct table *t, const char *part, const char *value, const char *human, const char *from,
		    const char *source)
{
	table_add_row(t);
	table_set(t, M_PART, part, NULL);
	table_set(t, M_VALUE, value, human);
	table_set(t, M_FROM, from, NULL);
	table_set(t, M_SOURCE, source, NULL);
}

struct table *sim_machine_table(const struct sim_machine *m, const struct sim_config *cfg)
{
	struct table *t = table_new(columns, NMCOLUMNS);
	char value[64], human[96], source[320];

	/* 0: each simulation its own (the suite's workloads). */
	value[0] = '\0';
	if (cfg->cores)
		snprintf(value, sizeof(value), "%u", cfg->cores);
	if (m->model.pus)
		snprintf(source, sizeof(source), "%s; the run used %u PU%s", m->cores_source, m->model.pus,
			 m->model.pus == 1 ? "" : "s");
	else
		snprintf(source, sizeof(source), "%s; the run does not say how many PUs it used", m->cores_source);
	add_row(t, "cores", value, NULL, "trace", source);
	for (int p = 0; p < MACHINE_NPARTS; p++) {
		const struct machine_part_value *v = &m->model.part[p];
		const char *field = (const char *)cfg + fields[p].offset;
		const char *from = m->given[p] ? "option" : v->from_run ? "run" : "default";

		if (fields[p].cache) {
			const struct cache_geometry *g = (const void *)field;
			char size[32];

			units_format_size(g->size, size, sizeof(size));
			snprintf(value, sizeof(value), g->size ? "%llu:%u:%u" : "none", (unsigned long long)g->size, g->ways,
				 g->line);
			snprintf(human, sizeof(human), g->size ? "%s %u-way %u B" : "none", size, g->ways, g->line);
		} else {
			unsigned sixteenths = *(const unsigned *)(const void *)((const char *)cfg + fields[p].sixteenths);

			/* A sixteenth is 625 ten-thousandths: exact in four digits. */
			snprintf(value, sizeof(value), "%u", *(const unsigned *)(const void *)field);
			if (sixteenths)
				snprintf(value + strlen(value), sizeof(value) - strlen(value), ".%04u", sixteenths * 625);
			while (sixteenths && value[strlen(value) - 1] == '0')
				value[strlen(value) - 1] = '\0';
			snprintf(human, sizeof(human), "%s cycles", value);
		}
		if (m->given[p])
			snprintf(source, sizeof(source), "%s, over the run's %s", fields[p].option,
				 v->from_run ? "figure" : "default");
		if (left_out(m, p))
			add_row(t, machine_part_names[p], "none", NULL, "default", m->plain_replays);
		else if (m->given_value[p])
			add_row(t, machine_part_names[p], m->given_value[p], NULL, from, source);
		else
			add_row(t, machine_part_names[p], value, human, from, m->given[p] ? source : v->source);
	}
	add_row(t, "llc_inclusive", cfg->llc_inclusive ? "yes" : "no", NULL, m->inclusive_given ? "option" : "default",
		m->inclusive_given ? "--non-inclusive" : "the simulator's default: topology.csv does not say");
	snprintf(value, sizeof(value), "%u", cfg->store_buffer);
	snprintf(human, sizeof(human), "%s entries", value);
	add_row(t, "store_buffer", value, human, m->store_buffer_given ? "option" : "default",
		m->store_buffer_given ? "--store-buffer" : m->plain_replays ? m->plain_replays : HOST_STORE_BUFFER_SOURCE);
	add_row(t, "in_flight", cfg->in_flight ? "yes" : "no", NULL, m->in_flight_given ? "option" : "default",
		m->in_flight_given ? (cfg->in_flight ? "--in-flight" : "--no-in-flight")
		: m->plain_replays ? m->plain_replays : HOST_IN_FLIGHT_SOURCE);
	if (m->spread_applied) {
		snprintf(value, sizeof(value), "%u", cfg->spread);
		snprintf(human, sizeof(human), "%u%% either side", cfg->spread);
		add_row(t, "spread", value, human, strncmp(m->model.spread_source, "none", 4) ? "run" : "default",
			m->model.spread_source);
	}
	return t;
}

void sim_machine_print(const struct sim_machine *m, const struct sim_config *cfg, FILE *fp)
{
	struct table *t = sim_machine_table(m, cfg);

	fputs("machine: ", fp);
	escape_terminal(fp, m->name, false);
	fputs(" (each part from the run's files, a default or an option)\n", fp);
	table_print_human(t, fp);
	for (unsigned i = 0; i < m->model.nnotes; i++) {
		fputs("note: ", fp);
		escape_terminal(fp, m->model.notes[i], false);
		fputc('\n', fp);
	}
	fputc('\n', fp);
	table_free(t);
}

int sim_machine_save(const struct sim_machine *m, const struct sim_config *cfg, struct rundir *r, struct ml_error *err)
{
	struct table *t = sim_machine_table(m, cfg);
	int rc = rundir_save_table(r, "sim-machine.csv", t, err);

	table_free(t);
	rundir_set(r, "sim.machine", m->name);
	for (unsigned i = 0; i < m->model.nnotes; i++) {
		char key[32];

		snprintf(key, sizeof(key), "sim.machine.note%u", i + 1);
		rundir_set(r, key, m->model.notes[i]);
	}
	return rc;
}

struct table *sim_machine_tagged(const struct table *t, const char *name)
{
	size_t n = table_columns(t);
	struct table_column *cols = xcalloc(n + 1, sizeof(*cols));
	struct table *tagged;

	for (size_t c = 0; c < n; c++)
		cols[c] = *table_column(t, c);
	cols[n] = (struct table_column){ "machine", "machine", TABLE_LEFT };
	tagged = table_new(cols, n + 1);
	free(cols);
	for (size_t r = 0; r < table_rows(t); r++) {
		table_add_row(tagged);
		for (size_t c = 0; c < n; c++)
			table_set(tagged, c, table_get(t, r, c), table_get_human(t, r, c));
		table_set(tagged, n, name, NULL);
	}
	return tagged;
}
