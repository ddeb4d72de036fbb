/* Run directories made from the fuzzer's bytes, for the targets of the
 * commands that read them (report, compare, baseline, fleet, sweep
 * --collect, plot): those readers take directories, so an input is a
 * small archive unpacked into a temporary tree, emptied and reused from
 * one input to the next.
 *
 * The archive is a sequence of records separated by FUZZ_SEPARATOR
 * (a mutation inside one file then leaves the others whole), each:
 *   byte 0     the directory: its index in the target's list (modulo) in
 *              the low 6 bits; the kind of entry in the top 2 (a regular
 *              file, a symbolic link, a FIFO, a directory)
 *   byte 1     the file: its index in the target's list (modulo)
 *   the rest   a regular file's content; a link points to one of a few
 *              fixed places (inside the directory, outside it, devices),
 *              chosen by its first byte; nothing for the other kinds
 * A later record of a name replaces an earlier one. Names are fixed per
 * target so that nothing outside the tree is ever written: a reader that
 * follows a link when it writes finds only /dev/null, /dev/zero or a
 * file of the fuzzer's own. */
#ifndef MESILAB_FUZZ_RUNDIR_H
#define MESILAB_FUZZ_RUNDIR_H

#include <stddef.h>
#include <stdint.h>

enum fuzz_entry_kind { FUZZ_REGULAR, FUZZ_SYMLINK, FUZZ_FIFO, FUZZ_DIRECTORY };

#define FUZZ_MAX_DIRS 64 /* what byte 0's low 6 bits can name */
/* Bytes no file of a run directory holds (text, without NULs). */
#define FUZZ_SEPARATOR "\0FILE\0"
#define FUZZ_SEPARATOR_LEN 6

struct fuzz_layout {
	const char *target;          /* "fuzz_report" */
	const char *const *dirs;     /* relative to the tree: "run", "hist/r1" */
	size_t ndirs;
	const char *const *files;    /* relative to a directory: "meta.json", "rows/c00000.csv" */
	size_t nfiles;
};

/* Every target's layout, for the targets and for the packer of seeds. */
extern const struct fuzz_layout fuzz_layouts[];
extern const size_t nfuzz_layouts;
/* The layout of TARGET ("fuzz_report"), or NULL. */
const struct fuzz_layout *fuzz_layout(const char *target);

/* Empties the tree (made at the first call, removed at exit), makes each
 * of the layout's directories in it and unpacks DATA's records there;
 * returns the tree's path. A record that cannot be made as asked (its
 * name a directory full of files) is left out. Exits on a failure of the
 * fuzzing machine itself. */
const char *fuzz_rundir_unpack(const struct fuzz_layout *l, const uint8_t *data, size_t size);

#endif
