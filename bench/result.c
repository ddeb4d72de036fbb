/* The results of a benchmark: its tables, filled point by point, printed
 * and saved in one way for every benchmark. */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "xalloc.h"

void bench_result_init(struct bench_result *r, const struct clock_calibration *clock)
{
	memset(r, 0, sizeof(*r));
	r->cycles_per_ns = clock ? clock->cycles_per_ns : 0;
}

void bench_result_free(struct bench_result *r)
{
	for (size_t i = 0; i < r->ntables; i++) {
		free(r->tables[i].file);
		free(r->tables[i].caption);
		table_free(r->tables[i].table);
	}
	free(r->heading);
	memset(r, 0, sizeof(*r));
}

void bench_heading(struct bench_result *r, const char *fmt, ...)
{
	va_list ap;

	free(r->heading);
	va_start(ap, fmt);
	r->heading = xvasprintf(fmt, ap);
	va_end(ap);
}

static void add_table(struct bench_result *r, char *file, struct table *t, bool shown, const char *caption)
{
	if (r->ntables == BENCH_MAX_TABLES)
		ml_die(ML_EXIT_CHECK_FAILED, "internal: a benchmark with more than %d tables", BENCH_MAX_TABLES);
	r->tables[r->ntables].file = file;
	r->tables[r->ntables].table = t;
	r->tables[r->ntables].shown = shown;
	r->tables[r->ntables].caption = caption ? xstrdup(caption) : NULL;
	r->ntables++;
}

static struct table *table_of(const struct bench_column *columns, size_t n)
{
	struct table_column plain[BENCH_MAX_COLUMNS];

	if (n > BENCH_MAX_COLUMNS)
		ml_die(ML_EXIT_CHECK_FAILED, "internal: a table of more than %d columns", BENCH_MAX_COLUMNS);
	for (size_t i = 0; i < n; i++)
		plain[i] = (struct table_column){ columns[i].csv_name, columns[i].title, columns[i].align };
	return table_new(plain, n);
}

struct bench_series *bench_series(struct bench_result *r, const char *name, const char *caption,
				  const struct bench_column *columns, size_t ncolumns,
				  const struct bench_column *sample_columns, size_t nsample_columns)
{
	struct bench_series *s = &r->series[r->nseries++];

	*s = (struct bench_series){
		.points = table_of(columns, ncolumns), .samples = table_of(sample_columns, nsample_columns),
		.columns = columns, .sample_columns = sample_columns, .ncolumns = ncolumns,
		.nsample_columns = nsample_columns, .cycles_per_ns = r->cycles_per_ns,
	};
	/* A samples column from the point: the point's column of that name. */
	for (size_t i = 0; i < nsample_columns; i++) {
		s->point_column[i] = ncolumns;
		for (size_t c = 0; c < ncolumns && sample_columns[i].from == FROM_POINT; c++)
			if (strcmp(columns[c].csv_name, sample_columns[i].csv_name) == 0)
				s->point_column[i] = c;
	}
	add_table(r, xasprintf("%s.csv", name), s->points, true, caption);
	add_table(r, xasprintf("%s-samples.csv", name), s->samples, false, NULL);
	return s;
}

void bench_table(struct bench_result *r, const char *file, struct table *t, const char *caption)
{
	add_table(r, xstrdup(file), t, caption != NULL, caption);
}

void bench_point(struct bench_series *s)
{
	table_add_row(s->points);
}

void bench_set(struct bench_series *s, size_t column, const char *csv, const char *human)
{
	table_set(s->points, column, csv, human);
}

void bench_setf(struct bench_series *s, size_t column, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	table_set(s->points, column, text, NULL);
	free(text);
}

void bench_stability(struct bench_series *s, size_t column, const struct stats *st)
{
	bool unstable = stats_unstable(st);

	table_set(s->points, column, unstable ? "1" : "0", unstable ? "UNSTABLE" : "yes");
}

/* A statistic, in the column's format. */
static void set_number(struct table *t, size_t column, const char *format, double value)
{
	char text[64];

	snprintf(text, sizeof(text), format, value);
	table_set(t, column, text, NULL);
}

void bench_samples(struct bench_series *s, const double *samples, size_t n, struct stats *out)
{
	size_t row = table_rows(s->points) - 1;
	struct stats st;

	stats_compute(samples, n, &st);
	for (size_t c = 0; c < s->ncolumns; c++) {
		const struct bench_column *col = &s->columns[c];
		const double values[] = {
			[FROM_MEDIAN] = st.median, [FROM_MIN] = st.min, [FROM_P5] = st.p5, [FROM_P95] = st.p95,
			[FROM_MAD] = st.mad, [FROM_CYCLES] = st.median * s->cycles_per_ns,
		};

		if (col->from == FROM_STABLE)
			bench_stability(s, c, &st);
		else if (col->from >= FROM_MEDIAN && col->from <= FROM_CYCLES)
			set_number(s->points, c, col->format, values[col->from]);
	}
	for (size_t k = 0; k < n; k++) {
		table_add_row(s->samples);
		for (size_t c = 0; c < s->nsample_columns; c++) {
			const struct bench_column *col = &s->sample_columns[c];

			if (col->from == FROM_REP)
				table_setf(s->samples, c, "%zu", k);
			else if (col->from == FROM_SAMPLE)
				set_number(s->samples, c, col->format, samples[k]);
			else if (s->point_column[c] < s->ncolumns)
				table_set(s->samples, c, table_get(s->points, row, s->point_column[c]), NULL);
		}
	}
	if (out)
		*out = st;
}

int bench_emit(const struct bench_result *r, FILE *out, bool csv, struct rundir *run, int rc, struct ml_error *err)
{
	const struct table *main_table = r->ntables ? r->tables[0].table : NULL;

	if (out && main_table && csv) {
		table_print_csv(main_table, out);
	} else if (out && main_table && table_rows(main_table)) {
		if (r->heading)
			fputs(r->heading, out);
		for (size_t i = 0; i < r->ntables; i++) {
			if (!r->tables[i].shown || table_rows(r->tables[i].table) == 0)
				continue;
			if (r->tables[i].caption)
				fputs(r->tables[i].caption, out);
			table_print_human(r->tables[i].table, out);
		}
	}
	for (size_t i = 0; i < r->ntables && rc == 0; i++)
		if (rundir_save_table(run, r->tables[i].file, r->tables[i].table, err) < 0)
			rc = -1;
	return rc;
}
