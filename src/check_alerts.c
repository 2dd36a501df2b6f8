/* check_alerts.c - a service's `alerts { ... }`: the generated alerts
 * it turns off or retunes.
 *
 *   alerts {
 *     ServiceHighLatency    = off
 *     ServiceHighErrorRatio { threshold = 2%  for = 10m  severity = warning }
 *   }
 *
 * Names are those of alert_names.c (E0260, with the closest); a
 * threshold is measured as its alert measures (E0261: a percentage for
 * the error ratio, a duration for the latency, none for the alerts that
 * fire on a state) and within range (E0264); an entry is `off` or a
 * block of threshold, for and severity (E0262).  Whether the service
 * gets the alert at all is known from the model: W0073. */
#include <string.h>

#include "alert_names.h"
#include "alert_rules.h"
#include "model.h"
#include "suggest.h"
#include "typed.h"
#include "units.h"

static const char *const settings[] = { "threshold", "for", "severity" };
#define SETTINGS (sizeof settings / sizeof settings[0])

static const char *entry_name(const struct ast_node *e)
{
	return e->kind == AST_BLOCK ? e->u.block.kind : e->u.attr.name;
}

static struct span name_span(const struct ast_node *e)
{
	return e->kind == AST_BLOCK ? e->u.block.kind_span : e->u.attr.name_span;
}

static struct tval *new_val(struct checker *c, enum type_kind t, const struct ast_node *n,
			    const char *key)
{
	struct tval *v = arena_calloc(c->p->arena, 1, sizeof *v);
	v->type = t;
	v->node = n;
	v->key = key;
	return v;
}

static void report_unknown_alert(struct checker *c, const struct ast_node *e)
{
	const char *name = entry_name(e);
	struct diag *d = diag_emit(c->p->diags, DIAG_E0260, e->src, name_span(e),
				   "depc generates no alert '%s' for a service", name);
	struct suggest s;
	suggest_init(&s, name);
	for (size_t i = 0; i < service_alert_count(); i++)
		suggest_consider(&s, service_alert_at(i)->name);
	const char *best = suggest_result(&s);
	if (best) {
		diag_add_help(c->p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(c->p->diags, d, name_span(e), best,
			     arena_printf(c->p->arena, "replace with '%s'", best));
	} else {
		diag_add_note(c->p->diags, d, "a service's alerts are ServiceDown, "
			      "ServiceTargetsMissing, ServiceHighErrorRatio and ServiceHighLatency");
		diag_add_help(c->p->diags, d, "declare an alert of your own with "
			      "alert NAME { expr = \"...\" } in the monitor");
	}
}

static const char *threshold_example(enum alert_threshold t)
{
	return t == ALERT_THRESHOLD_PERCENT ? "a percentage such as 2%" : "a duration such as 500ms";
}

/* The written threshold in the alert's unit, or NULL after E0261/E0264. */
static struct tval *check_threshold(struct checker *c, const struct service_alert *al,
				    const struct ast_node *attr)
{
	const struct ast_node *v = attr->u.attr.value;
	if (al->threshold == ALERT_THRESHOLD_NONE) {
		struct diag *d = diag_emit(c->p->diags, DIAG_E0261, attr->src, attr->u.attr.name_span,
					   "%s has no threshold: it fires on a state, not above a value",
					   al->name);
		diag_add_help(c->p->diags, d, "remove threshold; `for` and `severity` can be changed");
		return NULL;
	}
	enum unit_dim dim = al->threshold == ALERT_THRESHOLD_PERCENT ? UNIT_PERCENT : UNIT_DURATION;
	if (v->kind != AST_UNIT || !unit_in_dim(v->u.unit.suffix, dim)) {
		const char *written = arena_strndup(c->p->arena, v->src->text + v->span.start,
						    v->span.end - v->span.start);
		struct diag *d = diag_emit(c->p->diags, DIAG_E0261, v->src, v->span,
					   "the threshold of %s is %s, not '%s'", al->name,
					   threshold_example(al->threshold), written);
		diag_add_help(c->p->diags, d, "write it in %s", dim == UNIT_PERCENT
			      ? "percent: threshold = 2%"
			      : arena_printf(c->p->arena, "%s, e.g. threshold = 500ms",
					     unit_list(UNIT_DURATION)));
		return NULL;
	}
	struct tval *t = check_typed(c, dim == UNIT_PERCENT ? TY_PERCENT : TY_DURATION, 0, NULL,
				     "threshold", v);
	if (!t)
		return NULL;
	bool bad = dim == UNIT_PERCENT ? !(t->u.d > 0 && t->u.d <= 100) : t->u.i <= 0;
	if (bad) {
		struct diag *d = diag_emit(c->p->diags, DIAG_E0264, v->src, v->span,
					   "the threshold of %s must be %s", al->name,
					   dim == UNIT_PERCENT ? "above 0% and at most 100%"
							       : "longer than 0");
		diag_add_help(c->p->diags, d, "to stop the alert, write %s = off", al->name);
		return NULL;
	}
	return t;
}

static void report_unknown_setting(struct checker *c, const struct ast_node *s)
{
	struct diag *d = diag_emit(c->p->diags, DIAG_E0262, s->src,
				   s->kind == AST_BLOCK ? s->u.block.kind_span : s->u.attr.name_span,
				   "an alert's settings are threshold, for and severity, not '%s'",
				   entry_name(s));
	struct suggest sg;
	suggest_init(&sg, entry_name(s));
	for (size_t i = 0; i < SETTINGS; i++)
		suggest_consider(&sg, settings[i]);
	const char *best = suggest_result(&sg);
	if (best)
		diag_add_help(c->p->diags, d, "did you mean '%s'?", best);
}

static struct tval *check_setting(struct checker *c, const struct service_alert *al,
				  const struct ast_node *s)
{
	const char *name = entry_name(s);
	if (s->kind != AST_ATTR || !s->u.attr.value ||
	    (strcmp(name, "threshold") && strcmp(name, "for") && strcmp(name, "severity"))) {
		report_unknown_setting(c, s);
		return NULL;
	}
	struct tval *v = !strcmp(name, "threshold") ? check_threshold(c, al, s)
		: !strcmp(name, "for") ? check_typed(c, TY_DURATION, 0, NULL, "for", s->u.attr.value)
		: check_typed(c, TY_ENUM, 0, "critical|warning|info", "severity", s->u.attr.value);
	if (v)
		v->key = name;
	return v;
}

/* NAME { threshold = ...  for = ...  severity = ... } */
static struct tval *check_tuning(struct checker *c, const struct service_alert *al,
				 const struct ast_node *e)
{
	struct tval *map = new_val(c, TY_MAP, e, al->name), **tail = &map->u.items;
	bool seen[SETTINGS] = { false };
	for (const struct ast_node *s = e->u.block.body; s; s = s->next) {
		struct tval *v = check_setting(c, al, s);
		if (!v)
			continue;
		size_t i = 0;
		while (strcmp(settings[i], v->key))
			i++;
		if (seen[i]) {
			diag_emit(c->p->diags, DIAG_E0304, s->src, s->u.attr.name_span,
				  "'%s' is set twice", v->key);
			continue;
		}
		seen[i] = true;
		*tail = v;
		tail = &v->next;
	}
	return map;
}

static bool is_off(const struct ast_node *e)
{
	const struct ast_node *v = e->u.attr.value;
	return v && v->kind == AST_IDENT && !strcmp(v->u.ident.name, "off");
}

static struct tval *check_one(struct checker *c, const struct ast_node *e)
{
	const struct service_alert *al = service_alert_named(entry_name(e));
	if (!al) {
		report_unknown_alert(c, e);
		return NULL;
	}
	if (e->kind == AST_BLOCK && !e->u.block.label && !e->u.block.base)
		return check_tuning(c, al, e);
	if (e->kind == AST_ATTR && is_off(e))
		return new_val(c, TY_BOOL, e, al->name); /* u.b false: off */
	const struct ast_node *at = e->kind == AST_ATTR && e->u.attr.value ? e->u.attr.value : e;
	struct diag *d = diag_emit(c->p->diags, DIAG_E0262, at->src, at->span,
				   "%s is changed by `off` or by a block of settings", al->name);
	diag_add_help(c->p->diags, d, "write %s = off, or %s { threshold = ...  for = ...  "
		      "severity = ... }", al->name, al->name);
	return NULL;
}

struct tval *check_alerts(struct checker *c, const struct ast_node *e)
{
	const struct ast_node *items = e->kind == AST_BLOCK ? e->u.block.body
							    : e->u.attr.value->u.list.items;
	struct tval *map = new_val(c, TY_MAP, e, NULL), **tail = &map->u.items;
	for (const struct ast_node *i = items; i; i = i->next) {
		const struct ast_node *first = items;
		while (first != i && strcmp(entry_name(first), entry_name(i)))
			first = first->next;
		if (first != i) {
			struct diag *d = diag_emit(c->p->diags, DIAG_E0304, i->src, name_span(i),
						   "'%s' is set twice", entry_name(i));
			diag_add_label(c->p->diags, d, first->src, name_span(first), "first set here");
			continue;
		}
		struct tval *v = check_one(c, i);
		if (!v)
			continue;
		*tail = v;
		tail = &v->next;
	}
	return map;
}

/* --- on the model -------------------------------------------------------- */

static void report_not_generated(struct program *p, const struct model_service *s,
				 const struct model_alert_tuning *t, const struct service_alert *al)
{
	struct diag *d = diag_emit(p->diags, DIAG_W0073, t->origin.src, t->origin.span,
				   "service '%s' gets no %s alert to change", s->name, t->alert);
	if (!s->metrics.set || s->metrics.port <= 0)
		diag_add_note(p->diags, d, "alerts are generated for a service with metrics { ... }");
	else if (al->http)
		diag_add_note(p->diags, d, "'%s' has no port, so it serves no requests: it gets "
			      "no request alerts", s->name);
	diag_add_help(p->diags, d, "remove this entry");
}

void check_alert_tunings(struct program *p, const struct model *m)
{
	for (size_t i = 0; i < m->service_count; i++) {
		const struct model_service *s = m->services[i];
		for (const struct model_alert_tuning *t = s->alert_tunings; t; t = t->next) {
			const struct service_alert *al = service_alert_named(t->alert);
			if (al && !alert_rules_generated(s, al))
				report_not_generated(p, s, t, al);
		}
	}
}
