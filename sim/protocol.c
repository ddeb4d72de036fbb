#include <config.h>

#include <string.h>

#include "protocol.h"

const char *const bus_op_names[BUS_NOPS] = { "-", "BusRd", "BusRdX", "BusUpgr", "BusUpd" };
const char *const proc_event_names[PROC_NEVENTS] = { "PrRd", "PrWr", "Evict" };

const struct protocol *protocol_find(const char *name)
{
	for (size_t i = 0; protocols[i]; i++)
		if (strcmp(protocols[i]->name, name) == 0)
			return protocols[i];
	return NULL;
}

int protocol_parse_list(const char *list, const struct protocol **out, size_t max, char *bad,
			size_t bad_len)
{
	size_t n = 0;

	while (*list) {
		size_t len = strcspn(list, ",");
		bool all = len == 3 && strncmp(list, "all", 3) == 0;
		bool found = false;

		for (size_t i = 0; protocols[i]; i++) {
			bool match = (all && !protocols[i]->named_only) ||
				     (strlen(protocols[i]->name) == len &&
				      strncmp(protocols[i]->name, list, len) == 0);
			bool seen = false;

			for (size_t k = 0; k < n; k++)
				seen |= out[k] == protocols[i];
			found |= match;
			if (match && !seen) {
				/* More than OUT holds is refused, never cut short. */
				if (n == max) {
					snprintf(bad, bad_len, "%s (more than %zu protocols)", protocols[i]->name, max);
					return -1;
				}
				out[n++] = protocols[i];
			}
		}
		if (!found) {
			snprintf(bad, bad_len, "%.*s", (int)len, list);
			return -1;
		}
		list += len + (list[len] == ',');
	}
	return (int)n;
}

int protocol_check(const struct protocol *p, char *why, size_t len)
{
	if (p->nstates < 2 || p->nstates > PROTOCOL_MAX_STATES || (p->state_flags[STATE_I] & STATE_VALID)) {
		snprintf(why, len, "%s: state 0 must be the invalid state, of 2 to %d states", p->name,
			 PROTOCOL_MAX_STATES);
		return -1;
	}
	if (p->proc[STATE_I][PROC_READ].bus == BUS_NONE || p->proc[STATE_I][PROC_WRITE].bus == BUS_NONE) {
		snprintf(why, len, "%s: a read or write of an absent line must issue a transaction", p->name);
		return -1;
	}
	for (unsigned s = 0; s < p->nstates; s++) {
		for (int e = 0; e < PROC_NEVENTS; e++) {
			const struct proc_rule *r = &p->proc[s][e];

			if (e == PROC_EVICT && s == STATE_I)
				continue;
			if (!r->defined || r->next[0] >= p->nstates || r->next[1] >= p->nstates) {
				snprintf(why, len, "%s: %s on %s is missing or names no state", p->name,
					 proc_event_names[e], p->state_names[s]);
				return -1;
			}
		}
		for (int b = BUS_RD; b < BUS_NOPS; b++) {
			if (p->snoop[s][b].defined && p->snoop[s][b].next >= p->nstates) {
				snprintf(why, len, "%s: snooped %s in %s names no state", p->name, bus_op_names[b],
					 p->state_names[s]);
				return -1;
			}
		}
	}
	return 0;
}

static void flag_names(unsigned flags, char *buf, size_t len)
{
	static const char *const names[] = { "valid", "writable", "dirty", "owner" };
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < 4; i++)
		if (flags & (1u << i))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", names[i]);
	if (!used)
		snprintf(buf, len, "not present");
}

void protocol_print_markdown(const struct protocol *p, FILE *fp)
{
	char flags[64];

	fprintf(fp, "# %s\n\n%s\n\n## States\n\n| state | meaning |\n| --- | --- |\n", p->title,
		p->description);
	for (unsigned s = 0; s < p->nstates; s++) {
		flag_names(p->state_flags[s], flags, sizeof(flags));
		fprintf(fp, "| %s | %s |\n", p->state_names[s], flags);
	}
	fputs("\n## Processor events\n\nThe shared signal is raised by the other caches that keep a "
	      "copy through the transaction.\n\n| state | event | shared | bus | next | then | writes back |\n"
	      "| --- | --- | --- | --- | --- | --- | --- |\n", fp);
	for (unsigned s = 0; s < p->nstates; s++) {
		for (int e = 0; e < PROC_NEVENTS; e++) {
			const struct proc_rule *r = &p->proc[s][e];
			bool split = r->next[0] != r->next[1] || r->then_bus[0] != r->then_bus[1];

			if (!r->defined)
				continue;
			for (int shared = 0; shared <= (split ? 1 : 0); shared++)
				fprintf(fp, "| %s | %s | %s | %s | %s | %s | %s |\n", p->state_names[s],
					proc_event_names[e], split ? (shared ? "yes" : "no") : "any",
					bus_op_names[r->bus], p->state_names[r->next[shared]],
					bus_op_names[r->then_bus[shared]], r->writeback ? "yes" : "no");
		}
	}
	fputs("\n## Snooped transactions\n\n| state | snooped | next | supplies the line | writes back |\n"
	      "| --- | --- | --- | --- | --- |\n", fp);
	for (unsigned s = 1; s < p->nstates; s++)
		for (int b = BUS_RD; b < BUS_NOPS; b++)
			if (p->snoop[s][b].defined)
				fprintf(fp, "| %s | %s | %s | %s | %s |\n", p->state_names[s], bus_op_names[b],
					p->state_names[p->snoop[s][b].next],
					p->snoop[s][b].supplies ? "yes" : "no",
					p->snoop[s][b].writeback ? "yes" : "no");
	fputs("\nA snooped transaction not listed leaves the state as it is.\n", fp);
	fprintf(fp, "\n## Supply and counting\n\nWhen several caches supply the line, an owner does, "
		"else the first after the requester in core order. %s\n",
		p->flush_every_supplier
			? "A flush is counted at every cache that supplies the line, though the bus "
			  "carries it once (a course's counting)."
			: "A flush is counted at the cache the line came from and at each cache "
			  "writing it back.");
}

void protocol_print_list(FILE *fp)
{
	fputs("protocol                in all  what it is\n", fp);
	for (size_t i = 0; protocols[i]; i++)
		fprintf(fp, "%-22s  %-6s  %s\n", protocols[i]->name, protocols[i]->named_only ? "no" : "yes",
			protocols[i]->summary);
}

void protocol_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; protocols[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", protocols[i]->name);
}
