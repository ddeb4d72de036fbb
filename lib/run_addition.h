/* A command writing into a directory that holds an earlier run's meta.json
 * adds to that run: the earlier document is kept whole (its command line,
 * status, clock, host, settings, checks and files) and the command's own
 * files, settings, unavailable results, conditions and checks are merged
 * into it, an item of the same name replaced, with one entry under
 * "additions" saying which command wrote what. What a whole run
 * ('mesilab run') holds itself is never replaced: its measurements and
 * the settings that describe them stay, the addition's are in its entry
 * (and a file of the same name goes under another name). Another
 * command's directory is its output, which a command run again updates. */
#ifndef MESILAB_RUN_ADDITION_H
#define MESILAB_RUN_ADDITION_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "json_read.h"

struct run_addition {
	struct json_value *earlier; /* the run's meta.json, an object */
	char *text;                 /* its bytes, put back when the addition writes nothing */
	size_t len;
	unsigned number;            /* this addition's, 1 for the first */
	bool whole_run;             /* the run is 'mesilab run''s */
};

/* Reads and checks PATH, the meta.json of the run in DIR (it must lie
 * inside DIR): 0, or -1 with ERR naming PATH when it is not a run's
 * metadata (not a file, too large, not JSON, not an object, members of
 * the wrong kind, nested too deep to be written back). */
int run_addition_read(struct run_addition *a, const char *path, const char *dir, struct ml_error *err);
void run_addition_free(struct run_addition *a);

/* Whether NAME is a file of a whole run itself (listed in its "files"
 * and written by none of its additions): an addition never replaces one. */
bool run_addition_owns(const struct run_addition *a, const char *name);
/* NAME as the addition writes it when the run owns NAME:
 * "sim-machine.csv" -> "sim-machine-addition2.csv"; to be freed. */
char *run_addition_file_name(const struct run_addition *a, const char *name);

/* Writes the merged document to FP: the earlier one, with OWN (the
 * document the command would have written into a directory of its own)
 * merged in. */
void run_addition_write(const struct run_addition *a, const struct json_value *own, FILE *fp);

#endif
