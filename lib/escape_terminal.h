/* Text from a file shown on a terminal. A file of its own, below
 * error.c, which writes every message through it: the other escaping
 * routines (escape.h) stop the program through error.c when memory runs
 * out, so they sit above it. */
#ifndef MESILAB_ESCAPE_TERMINAL_H
#define MESILAB_ESCAPE_TERMINAL_H

#include <stdbool.h>
#include <stdio.h>

/* Text from a file, shown on a terminal: control bytes (C0, DEL and the
 * C1 controls, raw or UTF-8 encoded) become '?', so a file cannot send
 * the terminal escape sequences. A tab and a line break are kept when
 * KEEP_LINES. */
void escape_terminal(FILE *fp, const char *text, bool keep_lines);

#endif
