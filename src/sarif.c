/* sarif.c - diagnostics as a SARIF 2.1.0 log (see sarif.h).
 *
 * One run, tool "depc"; the driver lists the codes the log uses, each
 * result points at its rule by id and index.  Notes and help lines follow
 * the message on lines of their own, since viewers show only the
 * message; labels become related locations, a fix a SARIF fix with one
 * replacement.  A diagnostic about no file has no location. */
#include "sarif.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"

void sarif_put(cJSON *parent, const char *key, cJSON *item)
{
	bool ok = item && (key ? cJSON_AddItemToObject(parent, key, item)
			       : cJSON_AddItemToArray(parent, item));
	if (!ok)
		depc_out_of_memory();
}

static cJSON *object(void)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		depc_out_of_memory();
	return o;
}

static cJSON *array(void)
{
	cJSON *a = cJSON_CreateArray();
	if (!a)
		depc_out_of_memory();
	return a;
}

cJSON *sarif_message(const char *text)
{
	cJSON *m = object();
	sarif_put(m, "text", cJSON_CreateString(text ? text : ""));
	return m;
}

cJSON *sarif_log(cJSON **rules, cJSON **results)
{
	cJSON *log = object(), *runs = array(), *run = object();
	cJSON *tool = object(), *driver = object();
	sarif_put(log, "$schema", cJSON_CreateString("https://json.schemastore.org/sarif-2.1.0.json"));
	sarif_put(log, "version", cJSON_CreateString("2.1.0"));
	sarif_put(log, "runs", runs);
	sarif_put(runs, NULL, run);
	sarif_put(run, "tool", tool);
	sarif_put(tool, "driver", driver);
	sarif_put(driver, "name", cJSON_CreateString("depc"));
	sarif_put(driver, "version", cJSON_CreateString(PACKAGE_VERSION));
	sarif_put(driver, "rules", *rules = array());
	sarif_put(run, "columnKind", cJSON_CreateString("unicodeCodePoints"));
	sarif_put(run, "results", *results = array());
	return log;
}

cJSON *sarif_rule(const char *id, const char *text, const char *level)
{
	cJSON *r = object(), *config = object();
	sarif_put(r, "id", cJSON_CreateString(id));
	sarif_put(r, "shortDescription", sarif_message(text));
	sarif_put(config, "level", cJSON_CreateString(level));
	sarif_put(r, "defaultConfiguration", config);
	return r;
}

/* A URI reference: everything but unreserved characters and '/' is
 * percent-encoded, so "<stdin>" or a name with spaces stays valid. */
static cJSON *uri(const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	char *buf = xmalloc(strlen(name) * 3 + 1), *o = buf;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p)) {
			*o++ = (char)*p;
			continue;
		}
		*o++ = '%';
		*o++ = hex[*p >> 4];
		*o++ = hex[*p & 15];
	}
	*o = '\0';
	cJSON *s = cJSON_CreateString(buf);
	free(buf);
	return s;
}

static cJSON *artifact(const struct source *s)
{
	cJSON *a = object();
	sarif_put(a, "uri", uri(s->name));
	return a;
}

static cJSON *region(const struct source *s, struct span sp)
{
	uint32_t start = sp.start < s->len ? sp.start : (uint32_t)s->len;
	uint32_t end = sp.end < start ? start : sp.end < s->len ? sp.end : (uint32_t)s->len;
	cJSON *r = object();
	sarif_put(r, "startLine", cJSON_CreateNumber((double)source_line_of(s, start)));
	sarif_put(r, "startColumn", cJSON_CreateNumber((double)source_char_column(s, start)));
	sarif_put(r, "endLine", cJSON_CreateNumber((double)source_line_of(s, end)));
	sarif_put(r, "endColumn", cJSON_CreateNumber((double)source_char_column(s, end)));
	return r;
}

cJSON *sarif_location(const struct source *s, struct span sp, const char *message)
{
	cJSON *loc = object(), *phys = object();
	sarif_put(phys, "artifactLocation", artifact(s));
	sarif_put(phys, "region", region(s, sp));
	sarif_put(loc, "physicalLocation", phys);
	if (message)
		sarif_put(loc, "message", sarif_message(message));
	return loc;
}

void sarif_print(FILE *out, cJSON *log)
{
	char *text = cJSON_Print(log);
	cJSON_Delete(log);
	if (!text)
		depc_out_of_memory();
	fputs(text, out);
	fputc('\n', out);
	cJSON_free(text);
}

/* ---- diagnostics ---- */

static const char *level_of(enum diag_severity sev)
{
	return sev == SEV_ERROR ? "error" : sev == SEV_WARNING ? "warning" : "note";
}

/* The message, then "note: ..." and "help: ..." lines. */
static cJSON *full_message(const struct diag *d)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_puts(&b, d->message ? d->message : "");
	for (const struct diag_text *t = d->notes; t; t = t->next)
		strbuf_printf(&b, "\nnote: %s", t->text);
	for (const struct diag_text *t = d->helps; t; t = t->next)
		strbuf_printf(&b, "\nhelp: %s", t->text);
	cJSON *m = sarif_message(b.data);
	strbuf_free(&b);
	return m;
}

static cJSON *related(const struct diag *d)
{
	cJSON *list = array();
	int id = 1;
	for (const struct diag_label *l = d->labels; l; l = l->next) {
		if (!l->src)
			continue;
		cJSON *loc = sarif_location(l->src, l->span, l->message ? l->message
								       : "related location");
		sarif_put(loc, "id", cJSON_CreateNumber(id++));
		sarif_put(list, NULL, loc);
	}
	return list;
}

static cJSON *fix(const struct diag *d)
{
	cJSON *list = array(), *f = object(), *changes = array(), *change = object();
	cJSON *replacements = array(), *rep = object(), *inserted = object();
	sarif_put(f, "description", sarif_message(d->fix->title ? d->fix->title : "apply the fix"));
	sarif_put(change, "artifactLocation", artifact(d->src));
	sarif_put(rep, "deletedRegion", region(d->src, d->fix->span));
	sarif_put(inserted, "text", cJSON_CreateString(d->fix->replacement));
	sarif_put(rep, "insertedContent", inserted);
	sarif_put(replacements, NULL, rep);
	sarif_put(change, "replacements", replacements);
	sarif_put(changes, NULL, change);
	sarif_put(f, "artifactChanges", changes);
	sarif_put(list, NULL, f);
	return list;
}

/* Index of code's rule in the driver's list, adding it when new. */
static int rule_index(cJSON *rules, int *index, enum diag_code code)
{
	if (index[code] < 0) {
		index[code] = cJSON_GetArraySize(rules);
		sarif_put(rules, NULL, sarif_rule(diag_code_name(code), diag_code_summary(code),
						  level_of(diag_code_severity(code))));
	}
	return index[code];
}

static cJSON *result(const struct diag *d, cJSON *rules, int *index)
{
	cJSON *r = object();
	sarif_put(r, "ruleId", cJSON_CreateString(diag_code_name(d->code)));
	sarif_put(r, "ruleIndex", cJSON_CreateNumber(rule_index(rules, index, d->code)));
	sarif_put(r, "level", cJSON_CreateString(level_of(d->severity)));
	sarif_put(r, "message", full_message(d));
	if (d->src) {
		cJSON *locs = array();
		sarif_put(locs, NULL, sarif_location(d->src, d->span, NULL));
		sarif_put(r, "locations", locs);
		if (d->labels)
			sarif_put(r, "relatedLocations", related(d));
		if (d->fix)
			sarif_put(r, "fixes", fix(d));
	}
	return r;
}

void diag_render_sarif(FILE *out, const struct diag_bag *bag)
{
	cJSON *rules, *results;
	cJSON *log = sarif_log(&rules, &results);
	int index[DIAG_CODE_COUNT];
	for (int i = 0; i < DIAG_CODE_COUNT; i++)
		index[i] = -1;
	for (const struct diag *d = bag->first; d; d = d->next)
		sarif_put(results, NULL, result(d, rules, index));
	sarif_print(out, log);
}
