/* A coherence protocol is a table. For each state and processor event the
 * table gives the bus transaction issued and the next state, which may
 * depend on the shared signal raised by the other caches during that
 * transaction; for each state and snooped transaction it gives the next
 * state, whether this cache supplies the line and whether it writes it
 * back. The engine, the verifier and the printed documentation all read
 * the same table, and know no protocol by name. */
#ifndef MESILAB_PROTOCOL_H
#define MESILAB_PROTOCOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PROTOCOL_MAX_STATES 8
#define STATE_I 0 /* every protocol's state 0: the line is not here */

enum bus_op { BUS_NONE, BUS_RD, BUS_RDX, BUS_UPGR, BUS_UPD, BUS_NOPS };
enum proc_event { PROC_READ, PROC_WRITE, PROC_EVICT, PROC_NEVENTS };

/* What a state means, for the invariants and the statistics. */
enum state_flag {
	STATE_VALID = 1 << 0,    /* holds a readable copy */
	STATE_WRITABLE = 1 << 1, /* a write needs no bus transaction */
	STATE_DIRTY = 1 << 2,    /* memory is stale: evicting writes back */
	STATE_OWNER = 1 << 3,    /* answers for the line (O, F, Sm, M) */
};

struct proc_rule {
	bool defined;
	uint8_t bus;          /* enum bus_op, issued first */
	uint8_t next[2];      /* next state without / with the shared signal */
	uint8_t then_bus[2];  /* a second transaction, by shared signal (Dragon's write miss) */
	bool writeback;       /* the line goes to memory (a dirty eviction) */
};

struct snoop_rule {
	bool defined;
	uint8_t next;
	bool supplies;  /* puts the line on the bus for the requester */
	bool writeback; /* memory takes the line too */
};

struct protocol {
	const char *name;        /* "mesi" */
	const char *title;       /* "MESI (Illinois)" */
	const char *summary;     /* one line for --list-protocols: what it is, whose rules */
	const char *description; /* a paragraph for --print-table */
	/* A course's or textbook's variant of another protocol, differing in
	 * one rule: run when named, not by 'all', so that 'all' stays the
	 * protocols being compared and a run's columns stay what they were. */
	bool named_only;
	/* Counting rule: on BusRd or BusRdX, every cache whose rule supplies
	 * the line counts a flush (as a course reading "Flush'" at each
	 * sharer does), not only the one the requester takes it from. */
	bool flush_every_supplier;
	unsigned nstates;
	const char *state_names[PROTOCOL_MAX_STATES];
	unsigned state_flags[PROTOCOL_MAX_STATES];
	struct proc_rule proc[PROTOCOL_MAX_STATES][PROC_NEVENTS];
	struct snoop_rule snoop[PROTOCOL_MAX_STATES][BUS_NOPS];
};

extern const char *const bus_op_names[BUS_NOPS];    /* "BusRd" ... */
extern const char *const proc_event_names[PROC_NEVENTS]; /* "PrRd" ... */

/* NULL-terminated, in the order --list-protocols lists them; 'all' runs
 * those that are not named_only, in this order. */
extern const struct protocol *const protocols[];
const struct protocol *protocol_find(const char *name);
/* "msi,mesi" or "all" (the protocols not named_only) into OUT (at most MAX); returns how many, or -1 with
 * the unknown name (or the first beyond MAX, said so) copied into BAD. */
int protocol_parse_list(const char *list, const struct protocol **out, size_t max, char *bad,
			size_t bad_len);

/* Checks that every reachable entry is defined and every state exists;
 * returns 0, or -1 with a description in WHY. */
int protocol_check(const struct protocol *p, char *why, size_t len);

/* The table as Markdown: the protocol's documentation. */
void protocol_print_markdown(const struct protocol *p, FILE *fp);
/* Every protocol, one a line: name, whether 'all' runs it, summary. */
void protocol_print_list(FILE *fp);
/* The names, comma-separated, into BUF: for messages naming the choices. */
void protocol_names(char *buf, size_t len);

#endif
