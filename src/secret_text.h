/* secret_text.h - what looks like a secret, by its value and its place.
 *
 * One place decides it, so the policy (E0402, E0403, E0404) and the
 * diagnostics renderer, which masks a secret-looking literal in every
 * source line it quotes, agree.  A name alone never makes a value
 * secret: a value is one when its own shape says so (a known key
 * format, a random token, a password inside a URL) or when it lands in
 * a credential-bearing place (a variable or a command-line flag whose
 * last word names a credential). */
#ifndef DEPC_SECRET_TEXT_H
#define DEPC_SECRET_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* A random token: a run of at least SECRET_TOKEN_MIN letters, digits,
 * '+', '/' and '=' that mixes character classes, has SECRET_ENTROPY_MIN
 * bits of Shannon entropy per character or more, and changes class
 * between at least SECRET_SWITCH_MIN of its neighbouring characters;
 * hex of one case (digests, commit SHAs) never counts.  man/dep.5
 * quotes these. */
#define SECRET_TOKEN_MIN 20
#define SECRET_ENTROPY_MIN 3.5
#define SECRET_SWITCH_MIN 0.45

/* The name of a known key format found in s[0..n) ("an AWS access key
 * ID"), or NULL. */
const char *secret_key_format(const char *s, size_t n);
/* A random token in s[0..n), outside values known to be public (Stripe
 * publishable keys pk_..., SSH public keys and SHA256: fingerprints). */
bool secret_random(const char *s, size_t n);
/* scheme://user:password@host with a password that is not a
 * placeholder ("...", "***", "<password>", "${X}", "$X"). */
bool secret_url_password(const char *s, size_t n);
/* Any of the three: what the renderer masks wherever it appears. */
bool secret_by_value(const char *s, size_t n);

/* A variable or flag name whose last word names a credential: DB_PASS,
 * JWT_SIGNING_KEY, --db-password, requirepass; not TOKEN_TTL,
 * PASSWORD_RESET_URL, STRIPE_PUBLISHABLE_KEY or *_FILE. */
bool secret_credential_name(const char *name, size_t n);
/* A placeholder or a reference, not a value: "", "$X", "${X}", "<x>",
 * "***", "changeme"-free of text. */
bool secret_placeholder(const char *s, size_t n);
/* A command-line credential in s: `--NAME=VALUE`, or `--NAME VALUE` /
 * `-NAME VALUE` in one string, NAME a credential and VALUE a literal.
 * `next` is the following argument of an exec-form command, or NULL. */
bool secret_cli_flag(const char *s, const char *next);

/* Masks, in place, every part of `s` that is secret by value. */
void secret_mask(char *s);

#endif
