/* esc.c: escape outside strings for terminals, logs and JSON. */
#include "esc.h"

#include <stdint.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at s (1 for ASCII), 0 if the
 * byte at s does not start one. Overlong forms, surrogates and code
 * points above U+10FFFF are invalid. *cp gets the code point. */
static size_t utf8_len(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* the NUL stops here too */
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

static int is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

static const char hex[] = "0123456789abcdef";

char *esc_text(const char *in, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	if (!outlen)
		return out;
	while (*s) {
		uint32_t cp;
		size_t n = utf8_len(s, &cp);

		if (n && !is_control(cp)) {
			if (o + n >= outlen)
				break;
			memcpy(out + o, s, n);
			o += n;
			s += n;
			continue;
		}
		/* a control character, or a byte of no valid sequence: each
		 * of its bytes on its own */
		if (!n)
			n = 1;
		if (o + 4 * n >= outlen)
			break;
		for (size_t i = 0; i < n; i++, s++) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[*s >> 4];
			out[o++] = hex[*s & 15];
		}
	}
	out[o] = '\0';
	return out;
}

void esc_json(FILE *f, const char *in)
{
	const unsigned char *s = (const unsigned char *)in;

	putc('"', f);
	while (*s) {
		uint32_t cp;
		size_t n = utf8_len(s, &cp);

		if (!n) {
			fprintf(f, "\\\\x%c%c", hex[*s >> 4], hex[*s & 15]);
			s++;
		} else if (cp == '"' || cp == '\\') {
			fprintf(f, "\\%c", (int)cp);
			s++;
		} else if (is_control(cp)) {
			fprintf(f, "\\u%04x", (unsigned)cp);
			s += n;
		} else {
			fwrite(s, 1, n, f);
			s += n;
		}
	}
	putc('"', f);
}
