/* rt_fmt.h - number formatting shared by output writing and print().
 *
 * Floats print in shortest round-trip form: the fewest significant digits
 * (1..17) for which strtod gives back the same double, laid out like C's %g
 * with precision 17 minus trailing zeros: fixed notation when the decimal
 * exponent X satisfies -4 <= X < 17 ("0.1", "1234.5", "100", "0.0001"),
 * otherwise d[.ddd]e[+-]XX with at least two exponent digits ("1e-05",
 * "1.5e+20"). Specials: "inf", "-inf", "nan" (sign of a NaN is dropped), "-0".
 * Digits come from Ryu: the shortest, and among those the closest to x. */
#ifndef GRAPHC_RT_FMT_H
#define GRAPHC_RT_FMT_H
#include <stdint.h>

#define RT_FMT_MAX 32 /* buffer size enough for any value below, with NUL */

/* Each writes a NUL-terminated string into buf and returns its length. */
int rt_fmt_double(char *buf, double x);
int rt_fmt_i64(char *buf, int64_t v);
int rt_fmt_u64(char *buf, uint64_t v);
/* Formats x correctly rounded to `digits` significant digits (1..17, via
 * printf), same layout as rt_fmt_double, trailing zeros removed. For tests. */
int rt_fmt_double_digits(char *buf, double x, int digits);

#endif
