/* tm_format is what every test line and runtime message goes through: check each conversion. */
#include <string.h>

#include "micro_test.h"
#include "tm_log.h"

static int formats_to(const char *expected, const char *got) { return strcmp(expected, got) == 0; }

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(FormatsIntegers) {
  char buf[64];
  tm_format(buf, sizeof buf, "%d %i %u %ld", -42, 7, 4000000000u, -2147483647L - 1);
  TF_LITE_MICRO_EXPECT(formats_to("-42 7 4000000000 -2147483648", buf));
}

TF_LITE_MICRO_TEST(FormatsHexWidthAndPadding) {
  char buf[64];
  tm_format(buf, sizeof buf, "0x%08lx %X %4d|%-4d|%04d", 0x8000123UL, 0xabcu, 5, 6, -7);
  TF_LITE_MICRO_EXPECT(formats_to("0x08000123 ABC    5|6   |-007", buf));
}

TF_LITE_MICRO_TEST(FormatsStringsAndChars) {
  char buf[64];
  const char *volatile missing = 0; /* a NULL string prints as (null) instead of faulting */
  tm_format(buf, sizeof buf, "%s %c 100%%", "op", 'x');
  TF_LITE_MICRO_EXPECT(formats_to("op x 100%", buf));
  tm_format(buf, sizeof buf, "[%s]", missing);
  TF_LITE_MICRO_EXPECT(formats_to("[(null)]", buf));
}

TF_LITE_MICRO_TEST(FormatsFloats) {
  char buf[64];
  tm_format(buf, sizeof buf, "%f %.2f %.0f %f", 1.5, -0.125, 2.5, 0.0000004);
  TF_LITE_MICRO_EXPECT(formats_to("1.500000 -0.13 3 0.000000", buf));
}

/* The integer formatter (no soft-float) at its edges: round-up carries into the whole part,
 * a subnormal, the largest whole part, a scale-sized value, NaN. */
TF_LITE_MICRO_TEST(FormatsFloatEdges) {
  char buf[96];
  const volatile double zero = 0.0;
  tm_format(buf, sizeof buf, "%.3f %f %.1f %f %.9f %f %.0f", 0.9999999, 1e-320, 4294967294.96,
            0.00390625, 0.000244140625, zero / zero, 0.49999999999999994);
  TF_LITE_MICRO_EXPECT(formats_to("1.000 0.000000 4294967295.0 0.003906 0.000244141 nan 0", buf));
}

TF_LITE_MICRO_TEST(FormatsFloatsBeyondThirtyTwoBits) {
  char buf[64];
  const volatile double big = 5e9, inf = 1e308 * 10.0;
  tm_format(buf, sizeof buf, "%f %f %.1f", big, -inf, 4294967294.0);
  TF_LITE_MICRO_EXPECT(formats_to(">4294967295 -inf 4294967294.0", buf));
}

TF_LITE_MICRO_TEST(TruncatesWithoutOverflow) {
  char buf[8];
  memset(buf, 'z', sizeof buf);
  size_t n = tm_format(buf, 6, "%s", "abcdefghij");
  TF_LITE_MICRO_EXPECT_EQ(5, n);
  TF_LITE_MICRO_EXPECT(formats_to("abcde", buf));
  TF_LITE_MICRO_EXPECT_EQ('z', buf[6]);
}

TF_LITE_MICRO_TEST(UnknownConversionIsShown) {
  char buf[16];
  const char *volatile fmt = "%q%"; /* volatile: keep the compiler's format check out */
  tm_format(buf, sizeof buf, fmt);
  TF_LITE_MICRO_EXPECT(formats_to("%q", buf));
}

TF_LITE_MICRO_TESTS_END
