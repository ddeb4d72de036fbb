/* The report's section on a traced program, from the files 'mesilab
 * explain' writes: the code lines and data objects that cost the most
 * misses, the false sharing with the computed saving of padding it away,
 * and the latent false sharing other lines or placements would show. */
#ifndef MESILAB_REPORT_EXPLAIN_H
#define MESILAB_REPORT_EXPLAIN_H

#include "error.h"
#include "report_doc.h"

/* Adds the section to D when the run directory RUN has explain's files;
 * 0, or -1 with ERR when one is malformed. */
int report_explain(struct doc *d, const char *run, struct ml_error *err);

#endif
