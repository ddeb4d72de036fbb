#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "counters.h"

#ifdef HAVE_PAPI
#include <papi.h>
#endif

static int parse_list(struct counters *c, const char *list, struct ml_error *err)
{
	while (*list) {
		size_t len = strcspn(list, ",");

		if (len == 0 || len >= sizeof(c->names[0])) {
			ml_error_set(err, "invalid event name '%.*s' in --events", (int)len, list);
			return -1;
		}
		if (c->nevents == COUNTERS_MAX) {
			ml_error_set(err, "more than %d events in --events", COUNTERS_MAX);
			return -1;
		}
		snprintf(c->names[c->nevents++], sizeof(c->names[0]), "%.*s", (int)len, list);
		list += len + (list[len] == ',');
	}
	if (c->nevents == 0) {
		ml_error_set(err, "--events names no event");
		return -1;
	}
	return 0;
}

static void unavailable(struct counters *c, const char *fmt, ...) ML_PRINTF(2, 3);
static void unavailable(struct counters *c, const char *fmt, ...)
{
	va_list ap;

	c->available = false;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

#ifdef HAVE_PAPI
/* The default set; a machine's cache-to-cache event has a different name
 * on each processor family, so the first one PAPI knows is taken. */
static const char *const default_events[] = { "PAPI_TOT_CYC", "PAPI_TOT_INS", "PAPI_L1_DCM",
					       "PAPI_L2_DCM" };
static const char *const c2c_events[] = {
	"MEM_LOAD_L3_HIT_RETIRED:XSNP_HITM",      /* Intel Skylake and later */
	"MEM_LOAD_UOPS_L3_HIT_RETIRED:XSNP_HITM", /* Intel Haswell, Broadwell */
	"MEM_LOAD_UOPS_LLC_HIT_RETIRED:XSNP_HITM",/* Intel Sandy Bridge, Ivy Bridge */
	"LS_ANY_FILLS_FROM_SYS:LCL_CCX_CACHE",    /* AMD Zen 3, Zen 4 */
	"LS_DMND_FILLS_FROM_SYS:LS_MABRESP_LCL_CACHE", /* AMD Zen 2 */
};

/* Why PAPI counts nothing here: its CPU component's own reason (no PMU in
 * a virtual machine, perf_event_paranoid, ...). */
static const char *cpu_component_reason(void)
{
	for (int i = 0; i < PAPI_num_components(); i++) {
		const PAPI_component_info_t *info = PAPI_get_component_info(i);

		if (info && strcmp(info->name, "perf_event") == 0 && info->disabled)
			return info->disabled_reason[0] ? info->disabled_reason : "the component is disabled";
	}
	return "no hardware counters";
}

static bool event_known(const char *name)
{
	int code;

	return PAPI_event_name_to_code((char *)name, &code) == PAPI_OK;
}

int counters_open(struct counters *c, const char *list, struct ml_error *err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->eventset = PAPI_NULL;
	if (list && parse_list(c, list, err) < 0)
		return -1;
	rc = PAPI_library_init(PAPI_VER_CURRENT);
	if (rc != PAPI_VER_CURRENT) {
		unavailable(c, "PAPI did not start: %s", rc > 0 ? "version mismatch" : PAPI_strerror(rc));
		return 0;
	}
	if (PAPI_num_hwctrs() <= 0) {
		unavailable(c, "PAPI finds no hardware counters: %s", cpu_component_reason());
		return 0;
	}
	if (!list) {
		for (size_t i = 0; i < sizeof(default_events) / sizeof(default_events[0]); i++)
			snprintf(c->names[c->nevents++], sizeof(c->names[0]), "%s", default_events[i]);
		for (size_t i = 0; i < sizeof(c2c_events) / sizeof(c2c_events[0]); i++)
			if (event_known(c2c_events[i])) {
				snprintf(c->names[c->nevents++], sizeof(c->names[0]), "%s", c2c_events[i]);
				break;
			}
	}
	for (size_t i = 0; i < c->nevents; i++)
		if (!event_known(c->names[i])) {
			ml_error_set(err, "unknown event '%s' in --events (papi_avail and papi_native_avail list them)",
				     c->names[i]);
			return -1;
		}
	c->available = true;
	return 0;
}

/* Events that cannot be counted together or at all are left out, and the
 * reason says which. */
void counters_start(struct counters *c)
{
	PAPI_option_t inherit;
	size_t kept = 0;

	if (!c->available)
		return;
	if (PAPI_create_eventset(&c->eventset) != PAPI_OK ||
	    PAPI_assign_eventset_component(c->eventset, 0) != PAPI_OK) {
		unavailable(c, "PAPI cannot make an event set: %s", cpu_component_reason());
		return;
	}
	/* The benchmark's threads are created after this: count them too. */
	memset(&inherit, 0, sizeof(inherit));
	inherit.inherit.eventset = c->eventset;
	inherit.inherit.inherit = PAPI_INHERIT_ALL;
	if (PAPI_set_opt(PAPI_INHERIT, &inherit) != PAPI_OK) {
		unavailable(c, "PAPI cannot count the threads a benchmark creates (PAPI_INHERIT)");
		return;
	}
	for (size_t i = 0; i < c->nevents; i++) {
		if (PAPI_add_named_event(c->eventset, c->names[i]) != PAPI_OK) {
			snprintf(c->why, sizeof(c->why), "%s cannot be counted here, left out", c->names[i]);
			continue;
		}
		if (kept != i)
			memcpy(c->names[kept], c->names[i], sizeof(c->names[0]));
		kept++;
	}
	c->nevents = kept;
	if (kept == 0 || PAPI_start(c->eventset) != PAPI_OK)
		unavailable(c, "PAPI cannot start counting: %s", cpu_component_reason());
}

void counters_stop(struct counters *c)
{
	if (!c->available)
		return;
	if (PAPI_stop(c->eventset, c->values) != PAPI_OK)
		unavailable(c, "PAPI could not read the counters: %s", cpu_component_reason());
	PAPI_cleanup_eventset(c->eventset);
	PAPI_destroy_eventset(&c->eventset);
}

void counters_close(struct counters *c)
{
	(void)c;
	if (PAPI_is_initialized())
		PAPI_shutdown();
}

#else

int counters_open(struct counters *c, const char *list, struct ml_error *err)
{
	memset(c, 0, sizeof(*c));
	if (list && parse_list(c, list, err) < 0)
		return -1;
	unavailable(c, "mesilab was built without PAPI (configure found no libpapi-dev)");
	return 0;
}

void counters_start(struct counters *c)
{
	(void)c;
}

void counters_stop(struct counters *c)
{
	(void)c;
}

void counters_close(struct counters *c)
{
	(void)c;
}

#endif
