/* embed.h - text files compiled into the binary (see src/embed.awk). */
#ifndef DEPC_EMBED_H
#define DEPC_EMBED_H

struct embedded_file {
	const char *name;     /* base name without extension: "postgres", "E0101" */
	const char *contents; /* the file's text */
};

/* Both tables end with an entry whose name is NULL. */
extern const struct embedded_file depc_stdlib[];
extern const struct embedded_file depc_explain[];

#endif
