#ifndef FINOPS_CSQLITE_SHIM_H
#define FINOPS_CSQLITE_SHIM_H

#include <sqlite3.h>

/// SQLITE_STATIC / SQLITE_TRANSIENT are cast macros that Swift does not import.
/// TRANSIENT makes SQLite copy bound text/blobs, so Swift buffers may go away right after binding.
static const sqlite3_destructor_type FINOPS_SQLITE_STATIC = (sqlite3_destructor_type)0;
static const sqlite3_destructor_type FINOPS_SQLITE_TRANSIENT = (sqlite3_destructor_type)-1;

/// Wrapper around the variadic sqlite3_db_config(): turn off double-quoted string literals,
/// so a mistyped identifier fails instead of silently becoming a string.
static inline void finops_sqlite3_disable_dqs(sqlite3 *db) {
#if SQLITE_VERSION_NUMBER >= 3029000
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (void *)0);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (void *)0);
#else
    (void)db;
#endif
}

#endif
