/* RFC 4180 CSV fields: quoted only when they must be. */
#ifndef MESILAB_CSV_H
#define MESILAB_CSV_H

#include <stdio.h>

void csv_write_field(FILE *fp, const char *text);

#endif
