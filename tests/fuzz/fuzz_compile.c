/* fuzz_compile.c - libFuzzer entry point over the whole compiler.
 *
 * One input is one .dep file: it is parsed, checked and lowered, and when
 * it is valid every backend writes its files into an in-memory output that
 * is never committed, so the fuzzer touches no disk.  Any crash, hang,
 * leak or sanitizer report is a bug; diagnostics are the expected answer
 * to bad input.  Built by tests/fuzz/build.sh (`make fuzz`); AFL++ runs
 * the same binary through its libFuzzer driver. */
#include <stddef.h>
#include <stdint.h>

#include "backends.h"
#include "compile.h"
#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void emit_all(struct compilation *c)
{
	struct output o;
	output_init(&o, &c->arena, "fuzz.dep", "fuzz-out");
	for (size_t i = 0; i < backend_count(); i++)
		if (!backend_at(i)->emit(c->model, &o))
			break;
	output_free(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct compilation c;
	struct compile_options opt = {0};
	compile_init(&c);
	compile_load_memory(&c, "fuzz.dep", (const char *)data, size);
	if (compile_check(&c, &opt) && c.model)
		emit_all(&c);
	else if (!c.program)
		compile_resolve_partial(&c, &opt);
	compile_free(&c);
	return 0;
}
