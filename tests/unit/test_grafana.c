/* test_grafana.c - the grafana backend's dashboards, read back with cJSON
 * and held to what Grafana's import and file provisioning expect: "id"
 * null, a uid of at most 40 characters, a title, schemaVersion, the
 * ${datasource} variable, and panels numbered 1..n, each with a type and
 * a gridPos inside the 24 columns, none overlapping; every panel but a
 * row reads the ${datasource} variable and has targets with a unique
 * refId and an expr.  Sources compile through the compile.h API, as
 * `depc build` does; examples/webapp.dep is read from $srcdir. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>

#include "backends.h"
#include "compile.h"
#include "unit.h"

/* One compiled source and the grafana backend's output. */
struct fixture {
	struct compilation c;
	struct output o;
	bool emitted;
};

static bool fx_finish(struct fixture *fx)
{
	const struct compile_options opt = { .env = NULL };
	if (!compile_check(&fx->c, &opt))
		return false;
	output_init(&fx->o, &fx->c.arena, fx->c.source->name, "-");
	fx->emitted = emit_grafana(fx->c.model, &fx->o);
	return true;
}

static bool fx_file(struct fixture *fx, const char *path)
{
	compile_init(&fx->c);
	const char *err = NULL;
	return compile_load_file(&fx->c, path, &err) && fx_finish(fx);
}

static bool fx_text(struct fixture *fx, const char *text)
{
	compile_init(&fx->c);
	compile_load_memory(&fx->c, "test.dep", text, strlen(text));
	return fx_finish(fx);
}

static void fx_free(struct fixture *fx)
{
	output_free(&fx->o);
	compile_free(&fx->c);
}

static size_t count_json(const struct output *o)
{
	size_t n = 0;
	for (const struct output_file *f = o->files; f; f = f->next) {
		size_t len = strlen(f->path);
		n += len > 5 && !strcmp(f->path + len - 5, ".json");
	}
	return n;
}

static const char *str_of(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num_of(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static void check_datasource(const cJSON *owner)
{
	const cJSON *ds = cJSON_GetObjectItemCaseSensitive(owner, "datasource");
	CU_ASSERT_TRUE_FATAL(cJSON_IsObject(ds));
	CU_ASSERT_STRING_EQUAL(str_of(ds, "type"), "prometheus");
	CU_ASSERT_STRING_EQUAL(str_of(ds, "uid"), "${datasource}");
}

/* Targets: at least one, each with a unique refId and an expr. */
static void check_targets(const cJSON *panel)
{
	const cJSON *targets = cJSON_GetObjectItemCaseSensitive(panel, "targets");
	CU_ASSERT_TRUE_FATAL(cJSON_IsArray(targets));
	CU_ASSERT_TRUE(cJSON_GetArraySize(targets) > 0);
	char seen[32] = "";
	const cJSON *t;
	cJSON_ArrayForEach(t, targets) {
		const char *ref = str_of(t, "refId");
		const char *expr = str_of(t, "expr");
		CU_ASSERT_TRUE_FATAL(ref && strlen(ref) == 1 && expr);
		CU_ASSERT_PTR_NULL(strchr(seen, ref[0]));
		strncat(seen, ref, sizeof seen - strlen(seen) - 1);
		CU_ASSERT_TRUE(strlen(expr) > 0);
		check_datasource(t);
	}
}

struct box { int x, y, w, h; };

static struct box grid_of(const cJSON *panel)
{
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(panel, "gridPos");
	CU_ASSERT_TRUE_FATAL(cJSON_IsObject(g));
	struct box b = { (int)num_of(g, "x"), (int)num_of(g, "y"),
			 (int)num_of(g, "w"), (int)num_of(g, "h") };
	CU_ASSERT_TRUE(b.x >= 0 && b.y >= 0 && b.w > 0 && b.h > 0 && b.x + b.w <= 24);
	return b;
}

static bool overlap(struct box a, struct box b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Panel ids 1..n in order, no two boxes overlapping; returns n. */
static int check_panels(const cJSON *panels)
{
	CU_ASSERT_TRUE_FATAL(cJSON_IsArray(panels));
	struct box boxes[256];
	int n = 0;
	const cJSON *p;
	cJSON_ArrayForEach(p, panels) {
		CU_ASSERT_TRUE_FATAL(n < 256);
		CU_ASSERT_EQUAL(num_of(p, "id"), n + 1);
		const char *type = str_of(p, "type");
		CU_ASSERT_PTR_NOT_NULL_FATAL(type);
		CU_ASSERT_PTR_NOT_NULL(str_of(p, "title"));
		boxes[n] = grid_of(p);
		for (int i = 0; i < n; i++)
			CU_ASSERT_FALSE(overlap(boxes[i], boxes[n]));
		n++;
		if (!strcmp(type, "row"))
			continue;
		check_datasource(p);
		check_targets(p);
	}
	return n;
}

static void check_templating(const cJSON *dash)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(dash, "templating"), "list");
	CU_ASSERT_TRUE_FATAL(cJSON_IsArray(list));
	const cJSON *v = cJSON_GetArrayItem(list, 0);
	CU_ASSERT_STRING_EQUAL(str_of(v, "name"), "datasource");
	CU_ASSERT_STRING_EQUAL(str_of(v, "type"), "datasource");
	CU_ASSERT_STRING_EQUAL(str_of(v, "query"), "prometheus");
}

/* The whole dashboard; returns its panel count (0 when it is no JSON). */
static int check_dashboard(const char *text)
{
	cJSON *dash = cJSON_Parse(text);
	CU_ASSERT_TRUE_FATAL(cJSON_IsObject(dash));
	CU_ASSERT_TRUE(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(dash, "id")));
	const char *uid = str_of(dash, "uid");
	CU_ASSERT_TRUE(uid && *uid && strlen(uid) <= 40);
	CU_ASSERT_TRUE(uid && strspn(uid, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(uid));
	CU_ASSERT_TRUE(str_of(dash, "title") && *str_of(dash, "title"));
	CU_ASSERT_EQUAL(num_of(dash, "schemaVersion"), 39);
	CU_ASSERT_PTR_NOT_NULL(strstr(str_of(dash, "description"), "generated by depc from"));
	CU_ASSERT_TRUE(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(dash, "tags")));
	check_templating(dash);
	int n = check_panels(cJSON_GetObjectItemCaseSensitive(dash, "panels"));
	cJSON_Delete(dash);
	return n;
}

static const char *file_text(const struct output *o, const char *path)
{
	const struct output_file *f = output_find(o, path);
	return f ? f->content.data : NULL;
}

static void test_webapp(void)
{
	const char *dir = getenv("srcdir");
	char path[4096];
	snprintf(path, sizeof path, "%s/examples/webapp.dep", dir ? dir : ".");
	struct fixture fx;
	CU_ASSERT_TRUE_FATAL(fx_file(&fx, path));
	CU_ASSERT_TRUE(fx.emitted);
	CU_ASSERT_EQUAL(count_json(&fx.o), 1);
	const char *text = file_text(&fx.o, "monitoring/grafana/web-application-metrics.json");
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	/* Two declared panels, then web's row and its four RED panels. */
	CU_ASSERT_EQUAL(check_dashboard(text), 7);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "myapp-web-application-metrics"));
	CU_ASSERT_PTR_NOT_NULL(file_text(&fx.o, "monitoring/grafana/provisioning/datasources/prometheus.yaml"));
	CU_ASSERT_PTR_NOT_NULL(file_text(&fx.o, "monitoring/grafana/provisioning/dashboards/depc.yaml"));
	fx_free(&fx);
}

static const char src_head[] =
	"import \"std/go\"\n"
	"app shop { version = \"1.0.0\" }\n"
	"service api = go(port = 8080) { metrics { slo_latency = 250ms } }\n"
	"service worker = go(port = 8081) { }\n";

/* No dashboard declared: one named after the app with api's RED row
 * (the worker has no metrics), its threshold at the 250ms objective. */
static void test_fallback_dashboard(void)
{
	char text[1024];
	snprintf(text, sizeof text, "%smonitor { }\n", src_head);
	struct fixture fx;
	CU_ASSERT_TRUE_FATAL(fx_text(&fx, text));
	CU_ASSERT_TRUE(fx.emitted);
	const char *json = file_text(&fx.o, "monitoring/grafana/shop-services.json");
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	CU_ASSERT_EQUAL(check_dashboard(json), 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"value\":\t0.25"));
	CU_ASSERT_PTR_NULL(strstr(json, "worker"));
	fx_free(&fx);
}

/* Titles too long for a uid that share their first 40 characters still
 * get distinct uids within the limit. */
static void test_long_titles(void)
{
	char text[2048];
	const char *t = "A very long dashboard title that will not fit in a uid";
	snprintf(text, sizeof text, "%smonitor {\n"
		 "  dashboard \"%s one\" { panel \"p\" { query = \"up\" } }\n"
		 "  dashboard \"%s two\" { panel \"p\" { query = \"up\"  type = \"table\" } }\n"
		 "}\n", src_head, t, t);
	struct fixture fx;
	CU_ASSERT_TRUE_FATAL(fx_text(&fx, text));
	CU_ASSERT_EQUAL_FATAL(count_json(&fx.o), 2);
	char *uids[2];
	size_t i = 0;
	for (const struct output_file *f = output_files(&fx.o); f; f = f->next) {
		if (!strstr(f->path, ".json"))
			continue;
		CU_ASSERT_EQUAL(check_dashboard(f->content.data), 6);
		cJSON *d = cJSON_Parse(f->content.data);
		uids[i++] = strdup(str_of(d, "uid"));
		cJSON_Delete(d);
	}
	CU_ASSERT_STRING_NOT_EQUAL(uids[0], uids[1]);
	free(uids[0]);
	free(uids[1]);
	fx_free(&fx);
}

/* Same model, same bytes; and no monitor block, no files. */
static void test_deterministic_and_optional(void)
{
	char text[1024];
	snprintf(text, sizeof text, "%smonitor { }\n", src_head);
	struct fixture a, b, none;
	CU_ASSERT_TRUE_FATAL(fx_text(&a, text) && fx_text(&b, text));
	const char *p = "monitoring/grafana/shop-services.json";
	CU_ASSERT_STRING_EQUAL(file_text(&a.o, p), file_text(&b.o, p));
	CU_ASSERT_TRUE_FATAL(fx_text(&none, src_head));
	CU_ASSERT_TRUE(none.emitted);
	CU_ASSERT_PTR_NULL(output_files(&none.o));
	fx_free(&a);
	fx_free(&b);
	fx_free(&none);
}

int suite_grafana(void)
{
	CU_pSuite s = CU_add_suite("grafana", NULL, NULL);
	if (!s)
		return -1;
	bool ok = CU_add_test(s, "webapp's dashboard imports", test_webapp) &&
		  CU_add_test(s, "a dashboard when none is declared", test_fallback_dashboard) &&
		  CU_add_test(s, "long titles, distinct uids", test_long_titles) &&
		  CU_add_test(s, "deterministic; nothing without monitor",
			      test_deterministic_and_optional);
	return ok ? 0 : -1;
}
