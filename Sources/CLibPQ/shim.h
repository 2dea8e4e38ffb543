#ifndef FINOPS_CLIBPQ_SHIM_H
#define FINOPS_CLIBPQ_SHIM_H

// Resolves only through pkg-config (-I/usr/include/postgresql).
#include <libpq-fe.h>

#endif
