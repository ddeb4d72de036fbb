/* MSI, as in Culler and Singh: a write to a shared line asks for the whole
 * line again with BusRdX; the msi-upgr variant only invalidates the other
 * copies with BusUpgr. Memory supplies every read miss unless a cache
 * holds the line modified. */
#include <config.h>

#include "protocol_table.h"

enum { I, S, M };

#define MSI_TABLE(write_on_shared)                                                                 \
	.nstates = 3,                                                                              \
	.state_names = { [I] = "I", [S] = "S", [M] = "M" },                                        \
	.state_flags = { [I] = 0, [S] = VALID, [M] = VALID | WRITABLE | DIRTY | OWNER },           \
	.proc = {                                                                                  \
		[I] = { [PROC_READ] = ON(BUS_RD, S, S), [PROC_WRITE] = ON(BUS_RDX, M, M) },        \
		[S] = { [PROC_READ] = HIT(S), [PROC_WRITE] = ON(write_on_shared, M, M),            \
			[PROC_EVICT] = EVICT(false) },                                             \
		[M] = { [PROC_READ] = HIT(M), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(true) }, \
	},                                                                                         \
	.snoop = {                                                                                 \
		[S] = { [BUS_RD] = SNOOP(S, false, false), [BUS_RDX] = SNOOP(I, false, false),     \
			[BUS_UPGR] = SNOOP(I, false, false) },                                     \
		[M] = { [BUS_RD] = SNOOP(S, true, true), [BUS_RDX] = SNOOP(I, true, true) },       \
	}

const struct protocol protocol_msi = {
	.name = "msi",
	.title = "MSI",
	.summary = "MSI of Culler and Singh: a write to a shared line issues BusRdX; memory "
		   "supplies clean lines",
	.description = "Three states. A read miss issues BusRd and ends in S; a write issues BusRdX "
		       "(from I or S) and ends in M. A cache holding the line in M supplies it "
		       "and writes it back (Flush) when another cache reads or writes it.",
	MSI_TABLE(BUS_RDX),
};

const struct protocol protocol_msi_upgr = {
	.name = "msi-upgr",
	.title = "MSI with BusUpgr",
	.summary = "MSI where a write to a shared line issues BusUpgr (invalidation without data)",
	.description = "MSI where a write to a line held in S issues BusUpgr, which invalidates the "
		       "other copies without transferring the line again.",
	MSI_TABLE(BUS_UPGR),
};
