/* What a benchmark measured, and the one emitter of every benchmark's
 * results. A benchmark measures into a result: series of points (each a
 * row of its main table, with the row's statistics and a row per
 * repetition in its samples table) and plain tables. The emitter prints
 * the result (the main table as CSV, or a heading and the tables shown on
 * a terminal) and saves every table into the run directory. */
#ifndef MESILAB_BENCH_RESULT_H
#define MESILAB_BENCH_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "compiler.h"
#include "error.h"
#include "rundir.h"
#include "stats.h"
#include "table.h"
#include "timer.h"

/* Where a column's values come from. */
enum bench_from {
	FROM_POINT,  /* set by the benchmark (bench_set); in a samples table, the point's column of that name */
	FROM_MEDIAN, /* the point's statistics, in the column's FORMAT */
	FROM_MIN,
	FROM_P5,
	FROM_P95,
	FROM_MAD,
	FROM_CYCLES, /* the median in core cycles */
	FROM_STABLE, /* 0 "yes" or 1 "UNSTABLE" (stats_unstable) */
	FROM_REP,    /* samples: the repetition, from 0 */
	FROM_SAMPLE, /* samples: its value, in the column's FORMAT */
};

struct bench_column {
	const char *csv_name, *title;
	enum table_align align;
	enum bench_from from;
	const char *format; /* printf's, of a value from the statistics or a sample */
};

/* The columns, as a benchmark declares them. */
#define BENCH_KEY(csv, title, align) { csv, title, align, FROM_POINT, NULL }
#define BENCH_STAT(csv, title, from, format) { csv, title, TABLE_RIGHT, from, format }
#define BENCH_STABLE { "unstable", "stable", TABLE_LEFT, FROM_STABLE, NULL }
#define BENCH_REP { "rep", "rep", TABLE_RIGHT, FROM_REP, NULL }
#define BENCH_SAMPLE(csv, title, format) { csv, title, TABLE_RIGHT, FROM_SAMPLE, format }

#define BENCH_MAX_COLUMNS 16
#define BENCH_MAX_TABLES 4

/* A series: a main table of points and its samples table. */
struct bench_series {
	struct table *points, *samples;
	const struct bench_column *columns, *sample_columns;
	size_t ncolumns, nsample_columns;
	size_t point_column[BENCH_MAX_COLUMNS]; /* of each samples column FROM_POINT */
	double cycles_per_ns;
};

struct bench_result {
	char *heading; /* printed above the tables on a terminal; NULL for none */
	struct {
		char *file;    /* "states.csv" */
		struct table *table;
		bool shown;    /* on a terminal, after CAPTION */
		char *caption;
	} tables[BENCH_MAX_TABLES];
	size_t ntables;
	struct bench_series series[BENCH_MAX_TABLES / 2];
	size_t nseries;
	double cycles_per_ns;
};

void bench_result_init(struct bench_result *r, const struct clock_calibration *clock);
void bench_result_free(struct bench_result *r);
void bench_heading(struct bench_result *r, const char *fmt, ...) ML_PRINTF(2, 3);

/* Adds the series NAME: NAME.csv of COLUMNS, shown on a terminal after
 * CAPTION (NULL for none; the first table of a result is the one --csv
 * prints), and NAME-samples.csv of SAMPLE_COLUMNS. */
struct bench_series *bench_series(struct bench_result *r, const char *name, const char *caption,
				  const struct bench_column *columns, size_t ncolumns,
				  const struct bench_column *sample_columns, size_t nsample_columns);
/* Adds a table of its own, saved as FILE; shown on a terminal after
 * CAPTION unless CAPTION is NULL. The result frees it. */
void bench_table(struct bench_result *r, const char *file, struct table *t, const char *caption);

/* Starts a point of S: the benchmark then sets its FROM_POINT cells. */
void bench_point(struct bench_series *s);
void bench_set(struct bench_series *s, size_t column, const char *csv, const char *human);
void bench_setf(struct bench_series *s, size_t column, const char *fmt, ...) ML_PRINTF(3, 4);
/* The point's N SAMPLES: their statistics into its columns (and *ST when
 * not NULL) and a row each in the samples table, with the point's cells
 * set so far. */
void bench_samples(struct bench_series *s, const double *samples, size_t n, struct stats *st);
/* COLUMN of the point: "1" ("UNSTABLE") or "0" ("yes") by stats_unstable(ST). */
void bench_stability(struct bench_series *s, size_t column, const struct stats *st);

/* Prints R on OUT (when not NULL): the main table as CSV, or the heading
 * and the tables shown, when the main table has a row. Saves every table
 * into RUN when the measurement went well (RC 0). Returns RC, or -1 with
 * ERR when a table cannot be saved. */
int bench_emit(const struct bench_result *r, FILE *out, bool csv, struct rundir *run, int rc, struct ml_error *err);

#endif
