/* emit_compose_composed.c - composed secret values in compose.yaml.
 *
 * Read as a variable (the default), a composed value is interpolated by
 * `docker compose` itself from the variables its secret parts are read
 * from, as a single secret is: the literal text goes through the value
 * escaping ('$' doubled), the parts are ${SECRET_NAME:?...}, so the
 * composed value exists only in the container's environment.  Read as a
 * file, the parts are Compose secrets under /run/secrets and the
 * container starts with the wrapper of composed.c as its entrypoint,
 * which writes the value to a file in a tmpfs of its own (COMPOSED_DIR)
 * and runs the command.  The YAML writer doubles every '$' of the script
 * and Compose turns each "$$" back into '$', so the shell reads the
 * script as composed.c wrote it. */
#include <string.h>

#include "composed.h"
#include "emit_compose.h"
#include "escape.h"

bool compose_composed_wraps(const struct model_service *s)
{
	return composed_needs_wrapper(s, false);
}

static const char *interpolated(struct arena *a, const struct model_composed *c)
{
	struct strbuf b;
	strbuf_init(&b);
	for (const struct model_composed_part *p = c->parts; p; p = p->next)
		strbuf_puts(&b, p->secret ? compose_secret_interpolation(a, p->secret)
					  : escape_compose(a, p->text));
	return strbuf_finish(&b, a);
}

void compose_composed_env(struct yaml_out *y, struct arena *a, const struct model_service *s)
{
	for (const struct model_composed *c = s->composed; c; c = c->next) {
		if (s->secrets_as_file) {
			yaml_kv_str(y, arena_printf(a, "%s_FILE", c->env), composed_file(a, c));
			continue;
		}
		yaml_str(y, c->env);
		yaml_str_interpolated(y, interpolated(a, c));
	}
}

void compose_composed_secret_files(struct yaml_out *y, const struct model_service *s)
{
	for (const struct model_composed *c = s->composed; c; c = c->next)
		for (const struct model_composed_part *p = c->parts; p; p = p->next)
			if (p->secret && composed_part_new(s, c, p))
				yaml_str(y, p->secret->name);
}

void compose_composed_command(struct yaml_out *y, struct arena *a, const struct model_service *s)
{
	const struct model_strings *cmd = composed_command(s);
	yaml_key_seq(y, "entrypoint");
	yaml_str(y, "/bin/sh");
	yaml_str(y, "-c");
	yaml_str(y, composed_wrapper_script(a, s, true));
	yaml_str(y, "sh");
	yaml_close(y);
	yaml_key_seq(y, "command");
	for (size_t i = 0; cmd && i < cmd->count; i++)
		yaml_str(y, cmd->items[i]);
	yaml_close(y);
}
