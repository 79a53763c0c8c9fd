/* test-esc.c: what esc_text and esc_json make of outside strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "esc.h"

static const char *text(const char *in)
{
	static char out[256];

	return esc_text(in, out, sizeof(out));
}

static void text_keeps_printable_and_utf8(void **state)
{
	(void)state;
	assert_string_equal(text("vif7.0"), "vif7.0");
	assert_string_equal(text("tap\xc3\xa9"), "tap\xc3\xa9"); /* é */
	assert_string_equal(text("a\\b"), "a\\b");
	assert_string_equal(text("\xe2\x82\xac"), "\xe2\x82\xac"); /* € */
}

static void text_escapes_controls_and_bad_bytes(void **state)
{
	(void)state;
	assert_string_equal(text("a\nb"), "a\\x0ab");
	assert_string_equal(text("\033[2J"), "\\x1b[2J");
	assert_string_equal(text("x\x7f"), "x\\x7f");
	/* C1 CSI, valid UTF-8 but a terminal control */
	assert_string_equal(text("\xc2\x9b"
				 "2J"),
			    "\\xc2\\x9b2J");
	/* invalid: a lone continuation, an overlong '/', a surrogate,
	 * a truncated sequence, beyond U+10FFFF */
	assert_string_equal(text("\x80"), "\\x80");
	assert_string_equal(text("\xc0\xaf"), "\\xc0\\xaf");
	assert_string_equal(text("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	assert_string_equal(text("tap\xc3"), "tap\\xc3");
	assert_string_equal(text("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	/* idempotent: what it makes it leaves alone */
	assert_string_equal(text(text("a\nb\033")), "a\\x0ab\\x1b");
}

static void text_never_cuts_an_escape(void **state)
{
	char out[8];

	(void)state;
	assert_string_equal(esc_text("ab\n", out, 5), "ab");
	assert_string_equal(esc_text("ab\n", out, 7), "ab\\x0a");
	assert_string_equal(esc_text("\xc3\xa9\xc3\xa9", out, 4), "\xc3\xa9");
	assert_string_equal(esc_text("anything", out, 1), "");
}

static const char *json(const char *in)
{
	static char buf[256];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	assert_non_null(f);
	esc_json(f, in);
	fclose(f);
	return buf;
}

static void json_strings(void **state)
{
	(void)state;
	assert_string_equal(json("tap\xc3\xa9"), "\"tap\xc3\xa9\"");
	assert_string_equal(json("a\"b\\c"), "\"a\\\"b\\\\c\"");
	assert_string_equal(json("\033[2J\n"), "\"\\u001b[2J\\u000a\"");
	assert_string_equal(json("\xc2\x9b"), "\"\\u009b\"");
	/* an invalid byte: the same four characters esc_text shows */
	assert_string_equal(json("tap\xff"), "\"tap\\\\xff\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(text_keeps_printable_and_utf8),
	    cmocka_unit_test(text_escapes_controls_and_bad_bytes),
	    cmocka_unit_test(text_never_cuts_an_escape),
	    cmocka_unit_test(json_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
