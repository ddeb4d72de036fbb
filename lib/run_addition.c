#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "input_file.h"
#include "json.h"
#include "run_addition.h"
#include "run_meta.h"
#include "xalloc.h"

/* As json_parse_file's: no meta.json of a run is larger. */
#define META_MAX_BYTES (16u << 20)
/* A run's meta.json nests 4 deep (topology.caches[i]); the writer takes
 * JSON_MAX_DEPTH, and the merged document puts an earlier addition's
 * files 4 deep. Deeper is no run's and could not be written back. */
#define META_MAX_NESTING (JSON_MAX_DEPTH / 2)

/* The arrays merged item by item: an item of the addition's replaces the
 * run's item of the same MATCH member ("" the item itself, a string), or
 * is appended when the run has none. ITEM_TYPE: what each item must be.
 * The addition's entry under "additions" keeps its own (ENTRY_ALWAYS:
 * even when empty). */
static const struct merged_array {
	const char *key;
	const char *match;
	enum json_type item_type;
	bool entry_always;
} merged[] = {
	{ "files", "", JSON_STRING, true },
	{ "settings", "name", JSON_OBJECT, false },
	{ "unavailable", "what", JSON_OBJECT, false },
	{ "conditions", "benchmark", JSON_OBJECT, false },
	{ "steal", "stage", JSON_OBJECT, false },
	{ "checks", "name", JSON_OBJECT, false },
	{ "additions", NULL, JSON_OBJECT, false },
};
#define NMERGED (sizeof(merged) / sizeof(merged[0]))
#define FILES 0
#define ADDITIONS (NMERGED - 1)

/* What the addition's entry says of it besides the arrays above. */
static const char *const entry_members[] = { "command_line", "pid", "status", "start_time", "end_time" };

static const struct merged_array *merged_rule(const char *key)
{
	for (size_t i = 0; i < NMERGED; i++)
		if (strcmp(merged[i].key, key) == 0)
			return &merged[i];
	return NULL;
}

static unsigned nesting(const struct json_value *v)
{
	unsigned deepest = 0;

	if (v->type != JSON_ARRAY && v->type != JSON_OBJECT)
		return 0;
	for (size_t i = 0; i < v->count; i++) {
		unsigned d = nesting(v->items[i]);

		if (d > deepest)
			deepest = d;
	}
	return deepest + 1;
}

static int check_earlier(const struct json_value *v, const char *path, struct ml_error *err)
{
	static const char *const type_names[] = {
		[JSON_NULL] = "null", [JSON_BOOL] = "true or false", [JSON_NUMBER] = "numbers",
		[JSON_STRING] = "strings", [JSON_ARRAY] = "arrays", [JSON_OBJECT] = "objects",
	};

	if (v->type != JSON_OBJECT) {
		ml_error_set(err, "%s: not a run's metadata (not a JSON object): not added to", path);
		return -1;
	}
	if (nesting(v) > META_MAX_NESTING) {
		ml_error_set(err, "%s: not a run's metadata (nested more than %d deep): not added to", path,
			     META_MAX_NESTING);
		return -1;
	}
	for (size_t i = 0; i < NMERGED; i++) {
		const struct json_value *a = json_lookup(v, merged[i].key);
		bool ok = !a || a->type == JSON_ARRAY;

		for (size_t k = 0; ok && a && k < a->count; k++)
			ok = a->items[k]->type == merged[i].item_type;
		if (!ok) {
			ml_error_set(err, "%s: not a run's metadata (\"%s\" is not an array of %s): not added to", path,
				     merged[i].key, type_names[merged[i].item_type]);
			return -1;
		}
	}
	return 0;
}

int run_addition_read(struct run_addition *a, const char *path, const char *dir, struct ml_error *err)
{
	const struct json_value *additions;

	memset(a, 0, sizeof(*a));
	a->text = input_read_all(path, dir, META_MAX_BYTES, &a->len, err);
	if (!a->text)
		return -1;
	a->earlier = json_parse(a->text, a->len, path, err);
	if (!a->earlier || check_earlier(a->earlier, path, err) < 0) {
		run_addition_free(a);
		return -1;
	}
	additions = json_lookup(a->earlier, "additions");
	a->number = (additions ? (unsigned)additions->count : 0) + 1;
	/* Only 'mesilab run' says its stages. */
	a->whole_run = run_meta_setting(a->earlier, "stages") != NULL;
	return 0;
}

void run_addition_free(struct run_addition *a)
{
	json_value_free(a->earlier);
	free(a->text);
	memset(a, 0, sizeof(*a));
}

static const char *item_key(const struct json_value *item, const char *match)
{
	if (!match)
		return NULL;
	if (!*match)
		return item->type == JSON_STRING ? item->string : NULL;
	return item->type == JSON_OBJECT ? json_lookup_string(item, match) : NULL;
}

/* The item of the array ARRAY (may be NULL) whose MATCH member is KEY. */
static const struct json_value *find_item(const struct json_value *array, const char *match, const char *key)
{
	for (size_t i = 0; array && key && i < array->count; i++) {
		const char *k = item_key(array->items[i], match);

		if (k && strcmp(k, key) == 0)
			return array->items[i];
	}
	return NULL;
}

/* Whether the array RULE of document V holds an item of key KEY. */
static bool holds(const struct json_value *v, const struct merged_array *rule, const char *key)
{
	return find_item(v ? json_lookup(v, rule->key) : NULL, rule->match, key) != NULL;
}

/* Whether a whole run holds the item KEY of RULE's array itself: not
 * put there by one of its additions. */
static bool run_owns(const struct run_addition *a, const struct merged_array *rule, const char *key)
{
	const struct json_value *additions = json_lookup(a->earlier, "additions");

	if (!a->whole_run || !key || !holds(a->earlier, rule, key))
		return false;
	for (size_t i = 0; additions && i < additions->count; i++)
		if (holds(additions->items[i], rule, key))
			return false;
	return true;
}

bool run_addition_owns(const struct run_addition *a, const char *name)
{
	return run_owns(a, &merged[FILES], name);
}

char *run_addition_file_name(const struct run_addition *a, const char *name)
{
	const char *dot = strrchr(name, '.');
	int stem = dot && dot != name ? (int)(dot - name) : (int)strlen(name);

	return xasprintf("%.*s-addition%u%s", stem, name, a->number, name + stem);
}

/* Doubles hold integers exactly up to 2^53: those are written as integers
 * (json_double's %.12g would round a 13-digit memory size). */
#define EXACT_INTEGER 9007199254740992.0

static void write_value(struct json_writer *w, const char *key, const struct json_value *v)
{
	switch (v->type) {
	case JSON_NULL:
		json_null(w, key);
		break;
	case JSON_BOOL:
		json_bool(w, key, v->boolean);
		break;
	case JSON_NUMBER:
		if (v->number == trunc(v->number) && fabs(v->number) <= EXACT_INTEGER)
			json_int(w, key, (int64_t)v->number);
		else
			json_double(w, key, v->number);
		break;
	case JSON_STRING:
		json_string(w, key, v->string);
		break;
	case JSON_ARRAY:
		json_array_begin(w, key);
		for (size_t i = 0; i < v->count; i++)
			write_value(w, NULL, v->items[i]);
		json_array_end(w);
		break;
	case JSON_OBJECT:
		json_object_begin(w, key);
		for (size_t i = 0; i < v->count; i++)
			write_value(w, v->keys[i], v->items[i]);
		json_object_end(w);
		break;
	}
}

/* An earlier addition's entry, less the files this one wrote again (the
 * entry says which command wrote what is there now). */
static void write_earlier_entry(struct json_writer *w, const struct json_value *entry, const struct json_value *own)
{
	json_object_begin(w, NULL);
	for (size_t i = 0; i < entry->count; i++) {
		const struct json_value *v = entry->items[i];

		if (strcmp(entry->keys[i], "files") != 0 || v->type != JSON_ARRAY) {
			write_value(w, entry->keys[i], v);
			continue;
		}
		json_array_begin(w, "files");
		for (size_t k = 0; k < v->count; k++)
			if (!holds(own, &merged[FILES], item_key(v->items[k], "")))
				write_value(w, NULL, v->items[k]);
		json_array_end(w);
	}
	json_object_end(w);
}

static void write_additions(struct json_writer *w, const struct json_value *earlier, const struct json_value *own)
{
	json_array_begin(w, "additions");
	for (size_t i = 0; earlier && i < earlier->count; i++)
		write_earlier_entry(w, earlier->items[i], own);
	json_object_begin(w, NULL);
	for (size_t i = 0; i < sizeof(entry_members) / sizeof(entry_members[0]); i++) {
		const struct json_value *v = json_lookup(own, entry_members[i]);

		if (v)
			write_value(w, entry_members[i], v);
	}
	for (size_t i = 0; i < ADDITIONS; i++) {
		const struct json_value *v = json_lookup(own, merged[i].key);

		if (v && (v->count || merged[i].entry_always))
			write_value(w, merged[i].key, v);
	}
	json_object_end(w);
	json_array_end(w);
}

/* The run's items, each replaced by the addition's item of the same key
 * unless a whole run holds it itself (the addition's stays in its entry),
 * then the addition's other items. */
static void write_merged(struct json_writer *w, const struct run_addition *a, const struct merged_array *rule,
			 const struct json_value *earlier, const struct json_value *own)
{
	json_array_begin(w, rule->key);
	for (size_t i = 0; earlier && i < earlier->count; i++) {
		const char *key = item_key(earlier->items[i], rule->match);
		const struct json_value *mine = find_item(own, rule->match, key);

		write_value(w, NULL, mine && !run_owns(a, rule, key) ? mine : earlier->items[i]);
	}
	for (size_t i = 0; own && i < own->count; i++)
		if (!find_item(earlier, rule->match, item_key(own->items[i], rule->match)))
			write_value(w, NULL, own->items[i]);
	json_array_end(w);
}

void run_addition_write(const struct run_addition *a, const struct json_value *own, FILE *fp)
{
	struct json_writer w;
	const struct json_value *e = a->earlier;
	bool written[NMERGED] = { false };

	json_init(&w, fp);
	json_object_begin(&w, NULL);
	for (size_t i = 0; i < e->count; i++) {
		const struct merged_array *rule = merged_rule(e->keys[i]);

		if (!rule)
			write_value(&w, e->keys[i], e->items[i]);
		else if (rule == &merged[ADDITIONS])
			write_additions(&w, e->items[i], own);
		else
			write_merged(&w, a, rule, e->items[i], json_lookup(own, rule->key));
		if (rule)
			written[rule - merged] = true;
	}
	/* What the run had none of (an older schema): the addition's. */
	for (size_t i = 0; i < NMERGED; i++) {
		if (written[i])
			continue;
		if (i == ADDITIONS)
			write_additions(&w, NULL, own);
		else if (json_lookup(own, merged[i].key))
			write_merged(&w, a, &merged[i], NULL, json_lookup(own, merged[i].key));
	}
	json_object_end(&w);
	json_finish(&w);
}
