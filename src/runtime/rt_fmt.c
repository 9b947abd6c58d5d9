/* rt_fmt.c - integers and shortest round-trip doubles. */
#include "runtime/rt_fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

int rt_fmt_u64(char *buf, uint64_t v)
{
    char tmp[24];
    int i = 24;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        tmp[--i] = digit_pairs[2 * r + 1];
        tmp[--i] = digit_pairs[2 * r];
    }
    if (v >= 10) {
        tmp[--i] = digit_pairs[2 * v + 1];
        tmp[--i] = digit_pairs[2 * v];
    } else {
        tmp[--i] = (char)('0' + v);
    }
    int len = 24 - i;
    memcpy(buf, tmp + i, (size_t)len);
    buf[len] = '\0';
    return len;
}

int rt_fmt_i64(char *buf, int64_t v)
{
    if (v < 0) {
        buf[0] = '-';
        /* 0 - (uint64_t)v is well defined for INT64_MIN too. */
        return 1 + rt_fmt_u64(buf + 1, 0 - (uint64_t)v);
    }
    return rt_fmt_u64(buf, (uint64_t)v);
}

/* Lays out significant digits d[0..k) (no trailing zeros) with decimal
 * exponent x (value = d0.d1d2... * 10^x) as described in rt_fmt.h. */
static int layout(char *buf, int neg, const char *d, int k, int x)
{
    char *p = buf;
    if (neg)
        *p++ = '-';
    if (x >= -4 && x < 17) {
        if (x < 0) {
            *p++ = '0';
            *p++ = '.';
            for (int i = 0; i < -x - 1; i++)
                *p++ = '0';
            memcpy(p, d, (size_t)k);
            p += k;
        } else if (k <= x + 1) {
            memcpy(p, d, (size_t)k);
            p += k;
            for (int i = 0; i < x + 1 - k; i++)
                *p++ = '0';
        } else {
            memcpy(p, d, (size_t)x + 1);
            p += x + 1;
            *p++ = '.';
            memcpy(p, d + x + 1, (size_t)(k - x - 1));
            p += k - x - 1;
        }
    } else {
        *p++ = d[0];
        if (k > 1) {
            *p++ = '.';
            memcpy(p, d + 1, (size_t)k - 1);
            p += k - 1;
        }
        *p++ = 'e';
        *p++ = x < 0 ? '-' : '+';
        int ax = x < 0 ? -x : x;
        if (ax >= 100)
            *p++ = (char)('0' + ax / 100);
        *p++ = (char)('0' + ax / 10 % 10);
        *p++ = (char)('0' + ax % 10);
    }
    *p = '\0';
    return (int)(p - buf);
}

/* Digits of |x| rounded to `prec` significant digits (correctly rounded by
 * printf). Fills d (trailing zeros removed), returns k; *x10 the exponent.
 * `sci` receives the %e text, for the round-trip check. */
static int digits_of(double x, int prec, char *d, int *x10, char *sci, size_t scisz)
{
    snprintf(sci, scisz, "%.*e", prec - 1, x);
    const char *s = sci;
    if (*s == '-')
        s++;
    int k = 0;
    for (; *s && *s != 'e'; s++)
        if (*s != '.')
            d[k++] = *s;
    *x10 = (*s == 'e') ? atoi(s + 1) : 0;
    while (k > 1 && d[k - 1] == '0')
        k--;
    return k;
}

static int special(char *buf, double x)
{
    if (isnan(x)) {
        memcpy(buf, "nan", 4);
        return 3;
    }
    if (isinf(x)) {
        if (x < 0) {
            memcpy(buf, "-inf", 5);
            return 4;
        }
        memcpy(buf, "inf", 4);
        return 3;
    }
    if (x == 0) {
        if (signbit(x)) {
            memcpy(buf, "-0", 3);
            return 2;
        }
        memcpy(buf, "0", 2);
        return 1;
    }
    return -1;
}

int rt_fmt_double_digits(char *buf, double x, int digits)
{
    int r = special(buf, x);
    if (r >= 0)
        return r;
    char d[40], sci[48];
    int x10;
    int k = digits_of(x, digits < 1 ? 1 : digits > 17 ? 17 : digits, d, &x10, sci, sizeof sci);
    return layout(buf, x < 0, d, k, x10);
}

int rt_fmt_double(char *buf, double x)
{
    int r = special(buf, x);
    if (r >= 0)
        return r;
    /* Integers below 1e15 print exactly as integers (the common case for
     * distances, counts and labels stored as floats). */
    if (fabs(x) < 1e15 && x == (double)(int64_t)x)
        return rt_fmt_i64(buf, (int64_t)x);
    /* A double with a round-tripping representation of <= 15 digits is
     * printed by %.15e with exactly that representation (15 digits cannot
     * separate two doubles, so rounding lands on it); otherwise try 16, then
     * 17, which always round-trips. */
    char d[40], sci[48];
    int x10, k = 0;
    for (int prec = 15; prec <= 17; prec++) {
        k = digits_of(x, prec, d, &x10, sci, sizeof sci);
        if (prec == 17 || strtod(sci, NULL) == x)
            break;
    }
    return layout(buf, x < 0, d, k, x10);
}
