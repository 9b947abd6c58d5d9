/* rt_fmt.c - integers and shortest round-trip doubles. */
#include "runtime/rt_fmt.h"

#include <math.h>
#include <pthread.h>
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

/* ---- shortest digits: Ryu (Ulf Adams, PLDI 2018) ---------------------------------
 * For x = m2 * 2^e2, the interval of decimals that read back as x is scaled
 * by a 125-bit power of 5 (or its inverse) so that its bounds become 64-bit
 * integers vm < vr < vp; digits are removed while the bounds still differ,
 * which yields the shortest digit string, the closest to x among those.
 * The two power tables are computed once, exactly, with a small bignum. */

#define POW5_INV_BITCOUNT 125
#define POW5_BITCOUNT 125
enum { POW5_INV_TABLE = 342, POW5_TABLE = 326 };

static uint64_t pow5_inv_split[POW5_INV_TABLE][2]; /* [lo, hi] */
static uint64_t pow5_split[POW5_TABLE][2];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

/* Little-endian base-2^32 bignum, enough for 5^341 (< 2^793). */
enum { BIG_LIMBS = 28 };
typedef struct big {
    uint32_t d[BIG_LIMBS];
    int n; /* limbs in use */
} big;

static int big_bits(const big *a)
{
    return a->n ? 32 * (a->n - 1) + (32 - __builtin_clz(a->d[a->n - 1])) : 0;
}

static int big_bit(const big *a, int i)
{
    return i / 32 < a->n ? (int)(a->d[i / 32] >> (i % 32)) & 1 : 0;
}

static int big_cmp(const big *a, const big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i])
            return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

static void big_sub(big *a, const big *b) /* a -= b, a >= b */
{
    int64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int64_t t = (int64_t)a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
        borrow = t < 0;
        a->d[i] = (uint32_t)(t + (borrow << 32));
    }
    while (a->n && !a->d[a->n - 1])
        a->n--;
}

static void big_shl1(big *a)
{
    uint32_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint32_t c = a->d[i] >> 31;
        a->d[i] = a->d[i] << 1 | carry;
        carry = c;
    }
    if (carry)
        a->d[a->n++] = carry;
}

static void make_tables(void)
{
    big p = {{1}, 1}; /* 5^i */
    for (int i = 0; i < POW5_INV_TABLE; i++) {
        int len = big_bits(&p);
        if (i < POW5_TABLE) { /* the top 125 bits of 5^i */
            unsigned __int128 top = 0;
            for (int b = len - 1; b >= len - POW5_BITCOUNT; b--)
                top = top << 1 | (unsigned)(b >= 0 ? big_bit(&p, b) : 0);
            pow5_split[i][0] = (uint64_t)top;
            pow5_split[i][1] = (uint64_t)(top >> 64);
        }
        /* floor(2^(len - 1 + 125) / 5^i) + 1, by binary long division: the
         * remainder starts at 2^(len-1) (the dividend's leading 1 moved
         * down while it is still below 5^i), then 125 more quotient bits. */
        big r = {{0}, 0};
        r.n = (len - 1) / 32 + 1;
        r.d[(len - 1) / 32] = 1u << ((len - 1) % 32);
        unsigned __int128 q = 0;
        if (big_cmp(&r, &p) >= 0) {
            big_sub(&r, &p);
            q = 1;
        }
        for (int s = 0; s < POW5_INV_BITCOUNT; s++) {
            if (r.n)
                big_shl1(&r);
            q <<= 1;
            if (big_cmp(&r, &p) >= 0) {
                big_sub(&r, &p);
                q |= 1;
            }
        }
        q += 1;
        pow5_inv_split[i][0] = (uint64_t)q;
        pow5_inv_split[i][1] = (uint64_t)(q >> 64);
        /* p *= 5 */
        uint64_t carry = 0;
        for (int k = 0; k < p.n; k++) {
            uint64_t t = (uint64_t)p.d[k] * 5 + carry;
            p.d[k] = (uint32_t)t;
            carry = t >> 32;
        }
        if (carry)
            p.d[p.n++] = (uint32_t)carry;
    }
}

static inline int32_t pow5bits(int32_t e) { return (int32_t)(((uint32_t)e * 1217359) >> 19) + 1; }
static inline uint32_t log10_pow2(int32_t e) { return ((uint32_t)e * 78913) >> 18; }
static inline uint32_t log10_pow5(int32_t e) { return ((uint32_t)e * 732923) >> 20; }

static inline uint32_t pow5_factor(uint64_t v)
{
    uint32_t c = 0;
    while (v % 5 == 0) {
        v /= 5;
        c++;
    }
    return c;
}

static inline int multiple_of_pow5(uint64_t v, uint32_t p) { return pow5_factor(v) >= p; }
static inline int multiple_of_pow2(uint64_t v, uint32_t p) { return (v & ((1ULL << p) - 1)) == 0; }

static inline uint64_t mul_shift(uint64_t m, const uint64_t *mul, int32_t j)
{
    unsigned __int128 b0 = (unsigned __int128)m * mul[0];
    unsigned __int128 b2 = (unsigned __int128)m * mul[1];
    return (uint64_t)(((b0 >> 64) + b2) >> (j - 64));
}

/* Shortest digits of the finite, non-zero |x|: returns the digit integer,
 * *e10 its decimal exponent (value = digits * 10^e10). */
static uint64_t ryu_digits(uint64_t ieee_m, uint32_t ieee_e, int32_t *e10_out)
{
    int32_t e2;
    uint64_t m2;
    if (ieee_e == 0) {
        e2 = 1 - 1023 - 52 - 2;
        m2 = ieee_m;
    } else {
        e2 = (int32_t)ieee_e - 1023 - 52 - 2;
        m2 = (1ULL << 52) | ieee_m;
    }
    const int accept_bounds = (m2 & 1) == 0;
    const uint64_t mv = 4 * m2;
    const uint32_t mm_shift = ieee_m != 0 || ieee_e <= 1;
    uint64_t vr, vp, vm;
    int32_t e10;
    int vm_trailing_zeros = 0, vr_trailing_zeros = 0;
    if (e2 >= 0) {
        const uint32_t q = log10_pow2(e2) - (e2 > 3);
        e10 = (int32_t)q;
        const int32_t k = POW5_INV_BITCOUNT + pow5bits((int32_t)q) - 1;
        const int32_t i = -e2 + (int32_t)q + k;
        vr = mul_shift(4 * m2, pow5_inv_split[q], i);
        vp = mul_shift(4 * m2 + 2, pow5_inv_split[q], i);
        vm = mul_shift(4 * m2 - 1 - mm_shift, pow5_inv_split[q], i);
        if (q <= 21) {
            if (mv % 5 == 0)
                vr_trailing_zeros = multiple_of_pow5(mv, q);
            else if (accept_bounds)
                vm_trailing_zeros = multiple_of_pow5(mv - 1 - mm_shift, q);
            else
                vp -= multiple_of_pow5(mv + 2, q);
        }
    } else {
        const uint32_t q = log10_pow5(-e2) - (-e2 > 1);
        e10 = (int32_t)q + e2;
        const int32_t i = -e2 - (int32_t)q;
        const int32_t k = pow5bits(i) - POW5_BITCOUNT;
        const int32_t j = (int32_t)q - k;
        vr = mul_shift(4 * m2, pow5_split[i], j);
        vp = mul_shift(4 * m2 + 2, pow5_split[i], j);
        vm = mul_shift(4 * m2 - 1 - mm_shift, pow5_split[i], j);
        if (q <= 1) {
            vr_trailing_zeros = 1;
            if (accept_bounds)
                vm_trailing_zeros = mm_shift == 1;
            else
                --vp;
        } else if (q < 63) {
            vr_trailing_zeros = multiple_of_pow2(mv, q);
        }
    }
    int32_t removed = 0;
    uint8_t last_removed = 0;
    uint64_t output;
    if (vm_trailing_zeros || vr_trailing_zeros) {
        /* rare: exact ties and trailing zeros need the careful loop */
        while (vp / 10 > vm / 10) {
            vm_trailing_zeros &= vm % 10 == 0;
            vr_trailing_zeros &= last_removed == 0;
            last_removed = (uint8_t)(vr % 10);
            vr /= 10;
            vp /= 10;
            vm /= 10;
            removed++;
        }
        if (vm_trailing_zeros) {
            while (vm % 10 == 0) {
                vr_trailing_zeros &= last_removed == 0;
                last_removed = (uint8_t)(vr % 10);
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
        }
        if (vr_trailing_zeros && last_removed == 5 && vr % 2 == 0)
            last_removed = 4; /* round half to even */
        output = vr + ((vr == vm && (!accept_bounds || !vm_trailing_zeros)) || last_removed >= 5);
    } else {
        int round_up = 0;
        while (vp / 10 > vm / 10) {
            round_up = vr % 10 >= 5;
            vr /= 10;
            vp /= 10;
            vm /= 10;
            removed++;
        }
        output = vr + (vr == vm || round_up);
    }
    *e10_out = e10 + removed;
    return output;
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
    pthread_once(&tables_once, make_tables);
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int32_t e10;
    uint64_t v = ryu_digits(bits & ((1ULL << 52) - 1), (uint32_t)(bits >> 52) & 0x7ff, &e10);
    char d[24];
    int k = rt_fmt_u64(d, v);
    while (k > 1 && d[k - 1] == '0') {
        k--;
        e10++;
    }
    return layout(buf, x < 0, d, k, e10 + k - 1);
}
