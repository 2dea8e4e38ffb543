#ifndef FINOPS_CHIREDIS_SHIM_H
#define FINOPS_CHIREDIS_SHIM_H

// hiredis 0.14.1: no TLS, no RESP3, no redisConnectWithOptions.
#include <hiredis/hiredis.h>

/// Connects with a timeout given in milliseconds and applies the same timeout to every
/// later command, so a stalled server cannot block the calling thread forever.
/// Returns NULL only when hiredis could not allocate a context; check `err` otherwise.
static inline redisContext *finops_redis_connect(const char *host, int port, int timeout_ms) {
    struct timeval tv;
    tv.tv_sec = timeout_ms / 1000;
    tv.tv_usec = (timeout_ms % 1000) * 1000;
    redisContext *c = redisConnectWithTimeout(host, port, tv);
    if (c != NULL && c->err == 0) {
        redisSetTimeout(c, tv);
    }
    return c;
}

/// Typed form of redisCommandArgv (which returns void *): NULL means an I/O or protocol
/// error, reported in the context's `err` / `errstr`.
static inline redisReply *finops_redis_command_argv(redisContext *c, int argc, const char **argv,
                                                    const size_t *argvlen) {
    return (redisReply *)redisCommandArgv(c, argc, argv, argvlen);
}

#endif
