/* rt_main.c - main() of every generated program, alone in its object file so
 * that programs with their own main (unit tests) do not pull it in. */
#include "runtime/rt_driver.h"

int main(int argc, char **argv) { return rt_main(argc, argv); }
