/* rt_err.c - error values, program name, fatal exits, and rt_fail (ABI). */
#include "runtime/rt_err.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/rt_abi.h"
#include "runtime/rt_parallel.h"

static char prog_name[256] = "graphc-program";
static void (*fail_hook)(void);
static atomic_int dying;

int rt_error_set(rt_error *err, int code, uint64_t line, const char *fmt, ...)
{
    if (!err || err->code != RT_OK)
        return err ? err->code : code;
    err->code = code;
    err->line = line;
    err->located = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

int rt_error_set_at(rt_error *err, int code, const char *file, uint64_t line, const char *fmt, ...)
{
    if (!err || err->code != RT_OK)
        return err ? err->code : code;
    err->code = code;
    err->line = line;
    err->located = 1;
    int k = line ? snprintf(err->msg, sizeof err->msg, "%s:%" PRIu64 ": error: ", file, line)
                 : snprintf(err->msg, sizeof err->msg, "%s: error: ", file);
    if (k < 0 || (size_t)k >= sizeof err->msg)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + k, sizeof err->msg - (size_t)k, fmt, ap);
    va_end(ap);
    return code;
}

void rt_error_clear(rt_error *err)
{
    err->code = RT_OK;
    err->line = 0;
    err->located = 0;
    err->msg[0] = '\0';
}

char *rt_quote_token(char *out, size_t outsz, const char *s, size_t len, size_t max)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    int cut = len > max;
    if (cut)
        len = max;
    for (size_t i = 0; i < len && o + 5 < outsz; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f) {
            out[o++] = (char)c;
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    if (cut && o + 4 < outsz) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

void rt_set_prog_name(const char *argv0)
{
    if (!argv0 || !*argv0)
        return;
    const char *base = strrchr(argv0, '/');
    base = base ? base + 1 : argv0;
    if (!*base)
        return;
    snprintf(prog_name, sizeof prog_name, "%s", base);
}

const char *rt_prog_name(void) { return prog_name; }

void rt_set_fail_hook(void (*hook)(void)) { fail_hook = hook; }

_Noreturn void rt_die(int status, const char *fmt, ...)
{
    /* A second thread failing at the same time waits for the first to exit. */
    if (atomic_exchange(&dying, 1)) {
        for (;;)
            pause();
    }
    char msg[RT_ERROR_MSG_MAX + 300];
    int k = snprintf(msg, sizeof msg, "%s: error: ", prog_name);
    if (k < 0 || (size_t)k >= sizeof msg)
        k = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + k, sizeof msg - (size_t)k - 1, fmt, ap);
    va_end(ap);
    size_t len = strlen(msg);
    msg[len++] = '\n';
    fflush(stdout);
    /* One write so that the line is not interleaved with other output. */
    ssize_t w = write(2, msg, len);
    (void)w;
    if (fail_hook)
        fail_hook();
    /* _exit, not exit: we may be inside an OpenMP region where other threads
     * still run; atexit handlers and stdio teardown would race with them. */
    _exit(status);
}

void rt_fail(const char *msg)
{
    /* Inside a parallel loop, the first error in node order is reported: a
     * failing chunk lets every lower chunk finish (or fail) first. */
    rt_wait_lower_chunks();
    rt_die(1, "%s", msg ? msg : "failure");
}
