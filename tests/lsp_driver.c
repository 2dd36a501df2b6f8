/* lsp_driver.c - replays an LSP transcript against `depc lsp`.
 *
 *   lsp_driver [-u] TRANSCRIPT COMMAND [ARG...]
 *
 * runs COMMAND ARG... lsp (COMMAND is depc, or valgrind with its options
 * and depc) and talks to it as the transcript says.
 * A transcript is a text file, one directive per line:
 *
 *   # text            a comment (blank lines too)
 *   > JSON            a message from the client, framed with Content-Length
 *   >raw TEXT         bytes sent as they are, after C escapes (\r \n \t
 *                     \\ \xNN) are decoded: for broken framing
 *   < JSON            a message the server must send next, byte for byte
 *   pause MS          send what is pending, then wait MS milliseconds
 *   exit N            close the server's input; it must then send nothing
 *                     more and exit with status N
 *
 * Consecutive '>' lines form one group, written with a single write(2)
 * when the next '<', pause or exit line is reached, so the server sees
 * them together (that is how cancellation and debounced diagnostics are
 * tested).  In a message, @TEXT:NAME@ stands for the contents of the file
 * NAME beside the transcript, as a JSON string body (escaped, without the
 * quotes), and in an expected message @VERSION@ stands for depc's
 * version.  With -u the expected lines are rewritten from what the server
 * sends (review the diff).  Exit status 0 when everything matched. */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#define WAIT_MS 10000 /* longest wait for an expected message */
#define QUIET_MS 400  /* with -u: silence that ends a group's replies */

struct buf {
	char *data;
	size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->data = realloc(b->data, b->cap);
		if (!b->data)
			abort();
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void puts_buf(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

struct driver {
	const char *dir;     /* the transcript's directory */
	int to, from;        /* the server's stdin and stdout */
	pid_t pid;
	struct buf group;    /* client bytes not yet sent */
	struct buf in;       /* server bytes not yet framed */
	struct buf out;      /* with -u: the rewritten transcript */
	bool update;
	int failures;
	int line;
};

/* ---- the server ------------------------------------------------------ */

static void start(struct driver *d, char **argv, int argc)
{
	int in[2], out[2];
	if (pipe(in) || pipe(out)) {
		perror("pipe");
		exit(2);
	}
	d->pid = fork();
	if (d->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		char **args = calloc((size_t)argc + 2, sizeof *args);
		memcpy(args, argv, (size_t)argc * sizeof *args);
		args[argc] = "lsp";
		execvp(args[0], args);
		perror(args[0]);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	d->to = in[1];
	d->from = out[0];
}

static void flush_group(struct driver *d)
{
	size_t off = 0;
	while (off < d->group.len) {
		ssize_t w = write(d->to, d->group.data + off, d->group.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* the server has gone: what it said is checked next */
		off += (size_t)w;
	}
	d->group.len = 0;
}

/* Reads more server output; false on timeout or end of output. */
static bool read_more(struct driver *d, int ms)
{
	struct pollfd p = { .fd = d->from, .events = POLLIN };
	if (poll(&p, 1, ms) <= 0)
		return false;
	char chunk[65536];
	ssize_t n = read(d->from, chunk, sizeof chunk);
	if (n <= 0)
		return false;
	put(&d->in, chunk, (size_t)n);
	return true;
}

/* The next message body (malloc'd), or NULL. */
static char *next_message(struct driver *d, int ms)
{
	for (;;) {
		char *end = d->in.len ? strstr(d->in.data, "\r\n\r\n") : NULL;
		const char *cl = d->in.len ? strstr(d->in.data, "Content-Length: ") : NULL;
		if (end && cl && cl < end) {
			size_t n = strtoul(cl + 16, NULL, 10), head = (size_t)(end - d->in.data) + 4;
			if (d->in.len >= head + n) {
				char *body = strndup(d->in.data + head, n);
				memmove(d->in.data, d->in.data + head + n, d->in.len - head - n);
				d->in.len -= head + n;
				d->in.data[d->in.len] = '\0';
				return body;
			}
		}
		if (!read_more(d, ms))
			return NULL;
	}
}

/* ---- transcript lines ---------------------------------------------------- */

static char *read_file(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		put(&b, chunk, n);
	fclose(f);
	puts_buf(&b, "");
	return b.data;
}

static void json_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];
		if (c == '"' || c == '\\')
			snprintf(esc, sizeof esc, "\\%c", c);
		else if (c == '\n')
			snprintf(esc, sizeof esc, "\\n");
		else if (c < 0x20)
			snprintf(esc, sizeof esc, "\\u%04x", c);
		else
			esc[0] = (char)c, esc[1] = '\0';
		puts_buf(b, esc);
	}
}

/* Replaces @TEXT:NAME@ by the escaped contents of NAME. */
static char *expand(struct driver *d, const char *s)
{
	struct buf b = { 0 };
	puts_buf(&b, "");
	for (const char *at; (at = strstr(s, "@TEXT:")) != NULL;) {
		const char *close = strchr(at + 6, '@');
		if (!close)
			break;
		put(&b, s, (size_t)(at - s));
		char *name = strndup(at + 6, (size_t)(close - at - 6));
		char *text = read_file(d->dir, name);
		json_escape(&b, text);
		free(text);
		free(name);
		s = close + 1;
	}
	puts_buf(&b, s);
	return b.data;
}

/* Replaces every `from` in `s` by `to`. */
static char *replace(const char *s, const char *from, const char *to)
{
	struct buf b = { 0 };
	puts_buf(&b, "");
	for (const char *at; (at = strstr(s, from)) != NULL; s = at + strlen(from)) {
		put(&b, s, (size_t)(at - s));
		puts_buf(&b, to);
	}
	puts_buf(&b, s);
	return b.data;
}

static void send_json(struct driver *d, const char *json)
{
	char *body = expand(d, json), head[64];
	snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", strlen(body));
	puts_buf(&d->group, head);
	puts_buf(&d->group, body);
	free(body);
}

static void send_raw(struct driver *d, const char *s)
{
	for (; *s; s++) {
		char c = *s;
		if (c == '\\' && s[1]) {
			s++;
			if (*s == 'x' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
				char hex[3] = { s[1], s[2], 0 };
				c = (char)strtol(hex, NULL, 16);
				s += 2;
			} else {
				c = *s == 'r' ? '\r' : *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
			}
		}
		put(&d->group, &c, 1);
	}
}

static void expect(struct driver *d, const char *want)
{
	flush_group(d);
	char *expected = replace(want, "@VERSION@", PACKAGE_VERSION);
	char *got = next_message(d, WAIT_MS);
	if (!got || strcmp(got, expected)) {
		fprintf(stderr, "line %d: expected\n  %s\ngot\n  %s\n", d->line, expected,
			got ? got : "(nothing)");
		d->failures++;
	}
	free(got);
	free(expected);
}

/* With -u: whatever the server sends after a group becomes its '<' lines. */
static void record(struct driver *d, int ms)
{
	flush_group(d);
	char *got;
	char version[64];
	snprintf(version, sizeof version, "\"version\":\"%s\"", PACKAGE_VERSION);
	while ((got = next_message(d, ms)) != NULL) {
		char *line = replace(got, version, "\"version\":\"@VERSION@\"");
		puts_buf(&d->out, "< ");
		puts_buf(&d->out, line);
		puts_buf(&d->out, "\n");
		free(line);
		free(got);
	}
}

static int finish(struct driver *d, int want)
{
	if (d->update)
		record(d, QUIET_MS);
	flush_group(d);
	close(d->to);
	char *extra;
	while ((extra = next_message(d, WAIT_MS)) != NULL) {
		fprintf(stderr, "line %d: unexpected message\n  %s\n", d->line, extra);
		free(extra);
		d->failures++;
	}
	int status;
	waitpid(d->pid, &status, 0);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (d->update)
		want = code;
	if (code != want) {
		fprintf(stderr, "line %d: exit status %d, expected %d\n", d->line, code, want);
		d->failures++;
	}
	return code;
}

static void directive(struct driver *d, const char *line, bool *done)
{
	bool group = d->group.len > 0;
	if (d->update && group && (line[0] == '<' || !strncmp(line, "pause ", 6)))
		record(d, QUIET_MS);
	if (!strncmp(line, ">raw ", 5))
		send_raw(d, line + 5);
	else if (!strncmp(line, "> ", 2))
		send_json(d, line + 2);
	else if (!strncmp(line, "< ", 2) && !d->update)
		expect(d, line + 2);
	else if (!strncmp(line, "pause ", 6)) {
		flush_group(d);
		struct timespec ts = { 0, atol(line + 6) * 1000000L };
		nanosleep(&ts, NULL);
	} else if (!strncmp(line, "exit ", 5)) {
		int code = finish(d, atoi(line + 5));
		char text[32];
		snprintf(text, sizeof text, "exit %d\n", code);
		puts_buf(&d->out, text);
		*done = true;
		return;
	} else if (line[0] && line[0] != '#' && line[0] != '<') {
		fprintf(stderr, "line %d: unknown directive\n", d->line);
		d->failures++;
	}
	if (!d->update || line[0] != '<') {
		puts_buf(&d->out, line);
		puts_buf(&d->out, "\n");
	}
}

static void run(struct driver *d, FILE *f, const char *path)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	bool done = false;
	while (!done && (n = getline(&line, &cap, f)) > 0) {
		d->line++;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		directive(d, line, &done);
	}
	free(line);
	if (!done) {
		fprintf(stderr, "%s: no 'exit N' line at the end\n", path);
		finish(d, 0);
		d->failures++;
	}
}

int main(int argc, char **argv)
{
	struct driver d = { 0 };
	int a = 1;
	if (argc > 1 && !strcmp(argv[1], "-u"))
		d.update = true, a++;
	if (argc - a < 2) {
		fprintf(stderr, "usage: lsp_driver [-u] TRANSCRIPT COMMAND [ARG...]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	char *dir = strdup(argv[a]), *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	d.dir = slash ? dir : ".";
	FILE *f = fopen(argv[a], "r");
	if (!f) {
		perror(argv[a]);
		return 2;
	}
	start(&d, argv + a + 1, argc - a - 1);
	run(&d, f, argv[a]);
	fclose(f);
	if (d.update && (f = fopen(argv[a], "w")) != NULL) {
		fwrite(d.out.data, 1, d.out.len, f);
		fclose(f);
	}
	free(dir);
	free(d.group.data), free(d.in.data), free(d.out.data);
	return d.failures ? 1 : 0;
}
