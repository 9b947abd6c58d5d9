/* numfmt.c - see numfmt.h. */
#include "common/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void fmt_double(char *buf, double x) {
    if (isnan(x)) { snprintf(buf, 32, "nan"); return; }
    if (isinf(x)) { snprintf(buf, 32, x < 0 ? "-inf" : "inf"); return; }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) return;
    }
}
