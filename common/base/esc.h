/* esc.h: strings from outside (xenstore, another process's argv, link
 * names, uevents) made safe for a terminal, a log line or JSON. Pure. */
#ifndef VIFPLUG_ESC_H
#define VIFPLUG_ESC_H

#include <stddef.h>
#include <stdio.h>

/* Room for esc_text of n bytes: each may become "\xNN". */
#define ESC_TEXT_SIZE(n) (4 * (n) + 1)

/* in as one printable line in out (always NUL-terminated, never an
 * escape cut in half): valid UTF-8 stays as it is; a control character
 * (C0, DEL, C1) and every byte that is not part of valid UTF-8 becomes
 * the four characters \xNN. Idempotent. Returns out. */
char *esc_text(const char *in, char *out, size_t outlen);

/* in as a JSON string, quotes included: valid UTF-8 as UTF-8, '"' and
 * '\' escaped, control characters as \u00XX of their code point, and a
 * byte that is not valid UTF-8 as the text \xNN (written "\\xNN"), the
 * same four characters esc_text shows. */
void esc_json(FILE *f, const char *in);

#endif
