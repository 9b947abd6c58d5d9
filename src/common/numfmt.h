/* numfmt.h - shortest round-trip formatting of doubles for dumps and plans. */
#ifndef GRAPHC_NUMFMT_H
#define GRAPHC_NUMFMT_H

/* Writes the shortest %g form of x that reads back as exactly x ("0.85",
 * "1e-06", "inf", "-inf", "nan") into buf, which must hold 32 bytes. */
void fmt_double(char *buf, double x);

#endif
