/* opt_copy_prop.c - copy propagation; see opt.h.
 *
 * Kernelization and the builder leave many `%57 : int = copy %55`: every
 * element-wise operand of a vector op, every assignment of a name. A read of
 * %57 where `%57 = copy %55` has run on every path and neither variable has
 * been assigned since reads %55 instead. Program variables may be assigned
 * more than once (a loop-carried `x = y` in a loop), so "not assigned since"
 * is decided by the forward walk of opt_avail.c, not by looking the copy up
 * once. The copies themselves are left for dce. */
#include "opt/opt.h"

bool opt_copy_prop(IrFunc *f) { return opt_avail_run(f, false); }
