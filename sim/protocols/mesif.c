/* MESIF: of the clean shared copies, one (F, the forwarder) answers reads;
 * the newest reader takes the role over. The variant: mesif-migratory,
 * where a read of a line another cache has written takes it over. */
#include <config.h>

#include "protocol_table.h"

enum { I, S, E, F, M };

/* M_ON_READ: what a cache in M becomes on another's read, S (sharing the
 * line) or I (handing it over). */
#define MESIF_TABLE(m_on_read)                                                                     \
	.nstates = 5,                                                                              \
	.state_names = { [I] = "I", [S] = "S", [E] = "E", [F] = "F", [M] = "M" },                  \
	.state_flags = { [I] = 0, [S] = VALID, [E] = VALID | WRITABLE, [F] = VALID | OWNER,        \
			 [M] = VALID | WRITABLE | DIRTY | OWNER },                                 \
	.proc = {                                                                                  \
		[I] = { [PROC_READ] = ON(BUS_RD, E, F), [PROC_WRITE] = ON(BUS_RDX, M, M) },        \
		[S] = { [PROC_READ] = HIT(S), [PROC_WRITE] = ON(BUS_UPGR, M, M),                   \
			[PROC_EVICT] = EVICT(false) },                                             \
		[E] = { [PROC_READ] = HIT(E), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(false) }, \
		[F] = { [PROC_READ] = HIT(F), [PROC_WRITE] = ON(BUS_UPGR, M, M),                   \
			[PROC_EVICT] = EVICT(false) },                                             \
		[M] = { [PROC_READ] = HIT(M), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(true) }, \
	},                                                                                         \
	.snoop = {                                                                                 \
		[S] = { [BUS_RD] = SNOOP(S, false, false), [BUS_RDX] = SNOOP(I, false, false),     \
			[BUS_UPGR] = SNOOP(I, false, false) },                                     \
		[E] = { [BUS_RD] = SNOOP(S, true, false), [BUS_RDX] = SNOOP(I, true, false) },     \
		[F] = { [BUS_RD] = SNOOP(S, true, false), [BUS_RDX] = SNOOP(I, true, false),       \
			[BUS_UPGR] = SNOOP(I, false, false) },                                     \
		[M] = { [BUS_RD] = SNOOP(m_on_read, true, true), [BUS_RDX] = SNOOP(I, true, true) }, \
	}

#define MESIF_RULES                                                                                \
	"MESI where a read miss that finds other copies ends in F (forward) rather than S: the "  \
	"cache in F or E supplies the next reader and becomes S, the reader becoming the new F. " \
	"S copies never supply; with no F, E or M copy, memory does. "

const struct protocol protocol_mesif = {
	.name = "mesif",
	.title = "MESIF",
	.summary = "MESIF (Intel): the newest reader of a shared line is the forwarder F, which "
		   "alone supplies it",
	.description = MESIF_RULES "A cache in M supplies a reader, writes the line back and keeps "
				   "it in S, the reader becoming the new F.",
	MESIF_TABLE(S),
};

/* Migratory sharing (Cox and Fowler, ISCA 1993; Stenstrom, Brorsson and
 * Sandberg, ISCA 1993; AMD's Hammer protocol, gem5's MOESI_hammer, whose
 * MM state, a line written since it came, goes to the reader whole): a
 * line read then written by one core after another (a lock, a hand-over
 * flag) costs a transfer a hand-over where MESIF's reader, left in F,
 * pays an upgrade as well. A cache in M has written the line since it got
 * it (a line comes in E or S, or in M only for a write), so M alone
 * migrates; a line only read stays shared. The line migrates clean (the
 * old owner writes it back) and the reader's E makes its write silent,
 * where the Hammer protocol keeps it dirty in the reader. */
const struct protocol protocol_mesif_migratory = {
	.name = "mesif-migratory",
	.title = "MESIF with migratory sharing",
	.summary = "variant of mesif: a read of a line another cache holds Modified takes it over "
		   "alone (migratory sharing, as AMD's Hammer protocol)",
	.description = MESIF_RULES "A cache in M supplies a reader, writes the line back and gives "
				   "its copy up (migratory sharing): no copy stays, the shared "
				   "signal is not raised, and the reader ends in E, so that its "
				   "write that follows needs no BusUpgr. A line only read is "
				   "shared as in mesif.",
	.named_only = true,
	MESIF_TABLE(I),
};
