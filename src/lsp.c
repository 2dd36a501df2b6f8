/* lsp.c - the language server's main loop, dispatch and lifecycle.
 *
 * Messages are read into a queue and handled one at a time, in order.
 * Reading drains whatever input is ready before anything is handled, so
 * a $/cancelRequest sent right behind its request is in the queue when
 * the request's turn comes, and the request is answered with -32800
 * instead of being run.  Diagnostics are published only when every
 * message read has been handled, just before the server waits for more:
 * a burst of edits that arrived together is analysed once, for its last
 * version, without a timer.  (Waiting also for the pipe to be empty would
 * starve the diagnostics of a client that sends requests back to back.)
 *
 * The rules of JSON-RPC and of the LSP lifecycle are kept here: a body
 * that is not JSON is answered -32700 with a null id, a message that is
 * not a request, notification or response -32600, an unknown request
 * -32601 (an unknown notification is logged, one starting with "$/" is
 * ignored silently), a request before initialize -32002, a request after
 * shutdown -32600.  `exit` ends the loop with status 0 after shutdown and
 * 1 without; so does the end of input.  Responses the client sends are
 * ignored (the server sends no requests).  The only mutable state is the
 * struct lsp_server of one run. */
#include "lsp.h"

#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

/* Messages read ahead at most; reading stops there until some are handled. */
#define QUEUE_MAX 256

/* ---- replies ---------------------------------------------------------- */

static void send_json(struct lsp_server *s, cJSON *msg)
{
	char *text = cJSON_PrintUnformatted(msg);
	cJSON_Delete(msg);
	if (!text)
		depc_out_of_memory();
	if (!s->out_failed && !lsp_write_message(s->out, text, strlen(text)))
		s->out_failed = true;
	free(text);
}

static cJSON *message(void)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "jsonrpc", "2.0");
	return m;
}

/* `id` is copied; NULL stands for a null id. */
static void reply(struct lsp_server *s, const cJSON *id, cJSON *result)
{
	cJSON *m = message();
	cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());
	cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
	send_json(s, m);
}

static void reply_error(struct lsp_server *s, const cJSON *id, int code, const char *text)
{
	cJSON *m = message();
	cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());
	cJSON *e = cJSON_AddObjectToObject(m, "error");
	cJSON_AddNumberToObject(e, "code", code);
	cJSON_AddStringToObject(e, "message", text);
	send_json(s, m);
}

void lsp_notify(struct lsp_server *s, const char *method, cJSON *params)
{
	cJSON *m = message();
	cJSON_AddStringToObject(m, "method", method);
	cJSON_AddItemToObject(m, "params", params);
	send_json(s, m);
}

void lsp_log(struct lsp_server *s, int type, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	lsp_utf8_trim(text);
	cJSON *p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "type", type);
	cJSON_AddStringToObject(p, "message", text);
	lsp_notify(s, "window/logMessage", p);
}

cJSON *lsp_fail(struct lsp_request *rq, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rq->message, sizeof rq->message, fmt, ap);
	va_end(ap);
	lsp_utf8_trim(rq->message);
	rq->error = code;
	return NULL;
}

/* ---- lifecycle ------------------------------------------------------ */

static bool offers_utf8(const cJSON *params)
{
	const cJSON *caps = cJSON_GetObjectItemCaseSensitive(params, "capabilities");
	const cJSON *general = cJSON_GetObjectItemCaseSensitive(caps, "general");
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(general, "positionEncodings");
	const cJSON *e;
	cJSON_ArrayForEach(e, list)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, "utf-8"))
			return true;
	return false;
}

/* capabilities.textDocument.completion.completionItem.snippetSupport */
static bool takes_snippets(const cJSON *params)
{
	const char *const path[] = { "capabilities", "textDocument", "completion", "completionItem",
				     "snippetSupport" };
	const cJSON *o = params;
	for (size_t i = 0; i < sizeof path / sizeof path[0]; i++)
		o = cJSON_GetObjectItemCaseSensitive(o, path[i]);
	return cJSON_IsTrue(o);
}

static void add_strings(cJSON *o, const char *key, const char *const *list)
{
	cJSON *a = cJSON_AddArrayToObject(o, key);
	for (; *list; list++)
		cJSON_AddItemToArray(a, cJSON_CreateString(*list));
}

static cJSON *sync_options(void)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "openClose", true);
	cJSON_AddNumberToObject(o, "change", 2); /* incremental */
	return o;
}

static void add_providers(cJSON *c)
{
	static const char *const completion[] = { ".", "=", "[", "(", NULL };
	static const char *const signature[] = { "(", ",", NULL };
	static const char *const actions[] = { "quickfix", NULL };
	cJSON_AddBoolToObject(c, "hoverProvider", true);
	add_strings(cJSON_AddObjectToObject(c, "completionProvider"), "triggerCharacters", completion);
	add_strings(cJSON_AddObjectToObject(c, "signatureHelpProvider"), "triggerCharacters", signature);
	cJSON_AddBoolToObject(c, "definitionProvider", true);
	cJSON_AddBoolToObject(c, "referencesProvider", true);
	cJSON_AddBoolToObject(cJSON_AddObjectToObject(c, "renameProvider"), "prepareProvider", true);
	cJSON_AddBoolToObject(c, "documentSymbolProvider", true);
	cJSON_AddBoolToObject(c, "workspaceSymbolProvider", true);
	cJSON *tokens = cJSON_AddObjectToObject(c, "semanticTokensProvider");
	cJSON_AddItemToObject(tokens, "legend", lsp_semantic_legend());
	cJSON_AddBoolToObject(tokens, "full", true);
	cJSON_AddBoolToObject(c, "foldingRangeProvider", true);
	add_strings(cJSON_AddObjectToObject(c, "codeActionProvider"), "codeActionKinds", actions);
	cJSON_AddBoolToObject(c, "documentFormattingProvider", true);
	static const char *const schemes[] = { "depc", NULL };
	cJSON *content = cJSON_AddObjectToObject(cJSON_AddObjectToObject(c, "workspace"),
						 "textDocumentContent");
	add_strings(content, "schemes", schemes);
}

static cJSON *on_initialize(struct lsp_request *rq)
{
	struct lsp_server *s = rq->s;
	if (s->initialized)
		return lsp_fail(rq, LSP_INVALID_REQUEST, "initialize was already received");
	if (!cJSON_IsObject(rq->params))
		return lsp_fail(rq, LSP_INVALID_PARAMS, "initialize needs an InitializeParams object");
	s->encoding = offers_utf8(rq->params) ? LSP_UTF8 : LSP_UTF16;
	s->snippets = takes_snippets(rq->params);
	s->initialized = true;
	cJSON *r = cJSON_CreateObject();
	cJSON *c = cJSON_AddObjectToObject(r, "capabilities");
	cJSON_AddStringToObject(c, "positionEncoding", s->encoding == LSP_UTF8 ? "utf-8" : "utf-16");
	cJSON_AddItemToObject(c, "textDocumentSync", sync_options());
	add_providers(c);
	cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
	cJSON_AddStringToObject(info, "name", "depc");
	cJSON_AddStringToObject(info, "version", PACKAGE_VERSION);
	return r;
}

static cJSON *on_shutdown(struct lsp_request *rq)
{
	rq->s->shutdown = true;
	return cJSON_CreateNull();
}

static cJSON *on_exit_notification(struct lsp_request *rq)
{
	rq->s->exiting = true;
	return NULL;
}

static cJSON *on_ignore(struct lsp_request *rq)
{
	return NULL;
}

/* ---- dispatch ----------------------------------------------------------- */

struct method {
	const char *name;
	lsp_handler *run;
};

static const struct method requests[] = {
	{ "initialize", on_initialize },
	{ "shutdown", on_shutdown },
	{ "textDocument/hover", lsp_hover },
	{ "textDocument/completion", lsp_completion },
	{ "textDocument/signatureHelp", lsp_signature_help },
	{ "textDocument/definition", lsp_definition },
	{ "textDocument/references", lsp_references },
	{ "textDocument/prepareRename", lsp_prepare_rename },
	{ "textDocument/rename", lsp_rename },
	{ "textDocument/documentSymbol", lsp_document_symbols },
	{ "workspace/symbol", lsp_workspace_symbols },
	{ "textDocument/semanticTokens/full", lsp_semantic_tokens },
	{ "textDocument/foldingRange", lsp_folding_ranges },
	{ "textDocument/codeAction", lsp_code_action },
	{ "textDocument/formatting", lsp_formatting },
	{ "workspace/textDocumentContent", lsp_text_document_content },
};

static const struct method notifications[] = {
	{ "exit", on_exit_notification },
	{ "initialized", on_ignore },
	{ "textDocument/didOpen", lsp_did_open },
	{ "textDocument/didChange", lsp_did_change },
	{ "textDocument/didClose", lsp_did_close },
	{ "textDocument/didSave", on_ignore },
	{ "workspace/didChangeConfiguration", on_ignore },
	{ "workspace/didChangeWatchedFiles", on_ignore },
};

static lsp_handler *lookup(const struct method *table, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(table[i].name, name))
			return table[i].run;
	return NULL;
}

#define LOOKUP(table, name) lookup(table, sizeof table / sizeof table[0], name)

static bool same_id(const cJSON *a, const cJSON *b)
{
	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		return a->valuedouble == b->valuedouble;
	return cJSON_IsString(a) && cJSON_IsString(b) && !strcmp(a->valuestring, b->valuestring);
}

/* A $/cancelRequest for `id` waiting in the queue, behind the request. */
static bool cancelled(const struct lsp_server *s, const cJSON *id)
{
	for (const struct lsp_message *m = s->queue; m; m = m->next) {
		const cJSON *method = cJSON_GetObjectItemCaseSensitive(m->json, "method");
		if (!cJSON_IsString(method) || strcmp(method->valuestring, "$/cancelRequest"))
			continue;
		const cJSON *params = cJSON_GetObjectItemCaseSensitive(m->json, "params");
		if (same_id(cJSON_GetObjectItemCaseSensitive(params, "id"), id))
			return true;
	}
	return false;
}

/* The reason a request may not run now, or NULL. */
static const char *refused(const struct lsp_server *s, const char *name, int *code)
{
	if (!s->initialized && strcmp(name, "initialize")) {
		*code = LSP_SERVER_NOT_INITIALIZED;
		return "the server is not initialized: send initialize first";
	}
	if (s->shutdown) {
		*code = LSP_INVALID_REQUEST;
		return "the server is shutting down: only exit is accepted";
	}
	return NULL;
}

/* Answers a request: an error when it may not run, else its result. */
static cJSON *run_request(struct lsp_server *s, const char *name, const cJSON *id,
			  struct lsp_request *rq)
{
	int code = 0;
	const char *why = refused(s, name, &code);
	if (why)
		return lsp_fail(rq, code, "%s", why);
	if (cancelled(s, id))
		return lsp_fail(rq, LSP_REQUEST_CANCELLED, "the request was cancelled");
	lsp_handler *run = LOOKUP(requests, name);
	if (!run)
		return lsp_fail(rq, LSP_METHOD_NOT_FOUND, "unknown method '%s'", name);
	return run(rq);
}

static void handle_request(struct lsp_server *s, const char *name, const cJSON *id,
			   const cJSON *params)
{
	struct lsp_request rq = { .s = s, .params = params };
	arena_init(&rq.scratch);
	cJSON *result = run_request(s, name, id, &rq);
	if (rq.error) {
		cJSON_Delete(result);
		reply_error(s, id, rq.error, rq.message);
	} else {
		reply(s, id, result);
	}
	arena_free(&rq.scratch);
}

static void handle_notification(struct lsp_server *s, const char *name, const cJSON *params)
{
	lsp_handler *run = LOOKUP(notifications, name);
	if (!s->initialized && strcmp(name, "exit"))
		return; /* dropped, as the specification asks */
	if (!run) {
		if (strncmp(name, "$/", 2))
			lsp_log(s, 4, "ignoring unknown notification '%s'", name);
		return;
	}
	struct lsp_request rq = { .s = s, .params = params };
	arena_init(&rq.scratch);
	cJSON_Delete(run(&rq));
	if (rq.error)
		lsp_log(s, 1, "%s: %s", name, rq.message);
	arena_free(&rq.scratch);
}

/* Requests, notifications and responses: anything else is -32600. */
static const char *malformed(const cJSON *msg, const cJSON *id)
{
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(msg, "jsonrpc");
	if (!cJSON_IsObject(msg) || !cJSON_IsString(version) || strcmp(version->valuestring, "2.0"))
		return "not a JSON-RPC 2.0 message";
	if (id && !cJSON_IsNumber(id) && !cJSON_IsString(id))
		return "the id is neither a number nor a string";
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(msg, "method")))
		return "the message has no method";
	return NULL;
}

static bool is_response(const cJSON *msg, const cJSON *id)
{
	return id && !cJSON_HasObjectItem(msg, "method") &&
	       (cJSON_HasObjectItem(msg, "result") || cJSON_HasObjectItem(msg, "error"));
}

static void handle(struct lsp_server *s, const cJSON *msg)
{
	const cJSON *id = cJSON_IsObject(msg) ? cJSON_GetObjectItemCaseSensitive(msg, "id") : NULL;
	if (is_response(msg, id))
		return; /* the server sends no requests */
	const char *why = malformed(msg, id);
	if (why) {
		bool usable = cJSON_IsNumber(id) || cJSON_IsString(id);
		reply_error(s, usable ? id : NULL, LSP_INVALID_REQUEST, why);
		return;
	}
	const char *method = cJSON_GetObjectItemCaseSensitive(msg, "method")->valuestring;
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
	if (id)
		handle_request(s, method, id, params);
	else
		handle_notification(s, method, params);
}

/* ---- the queue ------------------------------------------------------ */

static struct lsp_message *enqueue(struct lsp_server *s)
{
	struct lsp_message *m = xmalloc(sizeof *m);
	memset(m, 0, sizeof *m);
	*s->queue_tail = m;
	s->queue_tail = &m->next;
	s->queued++;
	return m;
}

static struct lsp_message *dequeue(struct lsp_server *s)
{
	struct lsp_message *m = s->queue;
	s->queue = m->next;
	if (!s->queue)
		s->queue_tail = &s->queue;
	s->queued--;
	return m;
}

/* Parses one body; trailing bytes other than white space make it bad. */
static void enqueue_body(struct lsp_server *s, const char *body, size_t len)
{
	struct lsp_message *m = enqueue(s);
	const char *end = NULL;
	size_t n = len;
	char *clean = lsp_json_clean(body, len, &n, m->mark);
	const char *text = clean ? clean : body;
	m->json = cJSON_ParseWithLengthOpts(text, n, &end, false);
	while (m->json && end < text + n && strchr(" \t\r\n", *end) && *end)
		end++;
	bool whole = m->json && end == text + n;
	free(clean);
	if (whole) {
		lsp_json_unmark(m->json, m->mark);
		return;
	}
	cJSON_Delete(m->json);
	m->json = NULL;
	m->error = LSP_PARSE_ERROR;
	snprintf(m->why, sizeof m->why, "the message is not valid JSON");
}

/* Frames every complete message that has been read. */
static void frame_all(struct lsp_server *s)
{
	for (;;) {
		char *body = NULL;
		size_t len = 0;
		const char *why = NULL;
		enum lsp_frame f = lsp_reader_next(&s->in, &body, &len, &why);
		if (f == FRAME_MORE)
			return;
		if (f == FRAME_MESSAGE) {
			enqueue_body(s, body, len);
			free(body);
			continue;
		}
		struct lsp_message *m = enqueue(s);
		m->error = strstr(why, "limit (64") ? LSP_INVALID_REQUEST : LSP_PARSE_ERROR;
		snprintf(m->why, sizeof m->why, "%s", why);
	}
}

/* Blocks for input, then takes in all that is ready (up to QUEUE_MAX). */
static void read_input(struct lsp_server *s)
{
	do {
		lsp_reader_fill(&s->in);
		frame_all(s);
	} while (!s->in.eof && s->queued < QUEUE_MAX && lsp_input_ready(s->in.fd));
}

/* ---- the loop ------------------------------------------------------- */

/* Every analysis frees what the last one allocated and allocates about
 * as much again.  By default the C library gives large blocks back to
 * the kernel and maps them anew, and the kernel clears each page again
 * on first touch: a seventh of an edit's diagnostics went to page
 * faults.  The server keeps what it freed for the next analysis; its
 * peak is the same, it only does not shrink between edits. */
static void keep_freed_memory(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

static void server_init(struct lsp_server *s, int in, int out)
{
	keep_freed_memory();
	memset(s, 0, sizeof *s);
	lsp_reader_init(&s->in, in);
	s->out = out;
	s->queue_tail = &s->queue;
	const char *env = getenv("DEPC_PATH");
	size_t n = 0;
	char *save = NULL;
	s->search_text = strdup(env ? env : "");
	if (!s->search_text)
		depc_out_of_memory();
	s->search = xmalloc(sizeof *s->search * (strlen(s->search_text) / 2 + 1));
	for (char *dir = strtok_r(s->search_text, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save))
		s->search[n++] = dir;
	s->options = (struct compile_options){ .search = s->search, .search_count = n };
}

static void server_free(struct lsp_server *s)
{
	while (s->queue) {
		struct lsp_message *m = dequeue(s);
		cJSON_Delete(m->json);
		free(m);
	}
	lsp_docs_free(s);
	lsp_reader_free(&s->in);
	free(s->search);
	free(s->search_text);
}

static void handle_next(struct lsp_server *s)
{
	struct lsp_message *m = dequeue(s);
	memcpy(s->mark, m->mark, sizeof s->mark);
	if (m->json)
		handle(s, m->json);
	else
		reply_error(s, NULL, m->error, m->why);
	cJSON_Delete(m->json);
	free(m);
}

int lsp_run(int in, int out)
{
	struct lsp_server s;
	server_init(&s, in, out);
	signal(SIGPIPE, SIG_IGN); /* a vanished client is a failed write, not a signal */
	while (!s.exiting && !s.out_failed) {
		if (s.queue) {
			handle_next(&s);
			continue;
		}
		if (s.in.eof)
			break;
		lsp_publish_pending(&s); /* everything read has been handled */
		read_input(&s);
	}
	int code = s.shutdown && !s.out_failed ? 0 : 1;
	server_free(&s);
	return code;
}
