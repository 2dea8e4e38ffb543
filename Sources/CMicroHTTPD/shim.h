#ifndef FINOPS_CMICROHTTPD_SHIM_H
#define FINOPS_CMICROHTTPD_SHIM_H
// Fixed-type wrappers for libmicrohttpd's variadic and macro-only API, which Swift cannot import.
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

static const uint64_t FINOPS_MHD_SIZE_UNKNOWN = MHD_SIZE_UNKNOWN;
static const ssize_t FINOPS_MHD_END_OF_STREAM = MHD_CONTENT_READER_END_OF_STREAM;
static const ssize_t FINOPS_MHD_END_WITH_ERROR = MHD_CONTENT_READER_END_WITH_ERROR;
static const enum MHD_Result FINOPS_MHD_YES = MHD_YES;
static const enum MHD_Result FINOPS_MHD_NO = MHD_NO;
static const enum MHD_ValueKind FINOPS_MHD_HEADER_KIND = MHD_HEADER_KIND;
static const enum MHD_ValueKind FINOPS_MHD_GET_ARGUMENT_KIND = MHD_GET_ARGUMENT_KIND;
static inline int finops_mhd_has_epoll(void) { return MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES; }
/// Internal epoll polling thread(s), suspend/resume (needs the inter-thread channel), turbo.
static const unsigned int FINOPS_MHD_FLAGS = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL
    | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO;

/// Starts a daemon bound to an IPv4 address (NULL or "0.0.0.0" = any) with the options this
/// server needs. Returns NULL when the address is invalid or the port cannot be bound.
static inline struct MHD_Daemon *finops_mhd_start(
    unsigned int flags, const char *bind_host, uint16_t port,
    MHD_AccessHandlerCallback handler, void *handler_cls,
    MHD_RequestCompletedCallback completed, void *completed_cls,
    unsigned int connection_limit, unsigned int thread_pool_size,
    unsigned int connection_timeout_seconds, size_t connection_memory_limit)
{
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    if (bind_host == NULL || bind_host[0] == '\0') {
        addr.sin_addr.s_addr = htonl(INADDR_ANY);
    } else if (inet_pton(AF_INET, bind_host, &addr.sin_addr) != 1) {
        return NULL;
    }
    struct MHD_OptionItem ops[] = {
        { MHD_OPTION_SOCK_ADDR, 0, &addr },
        { MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, completed_cls },
        { MHD_OPTION_CONNECTION_LIMIT, (intptr_t)connection_limit, NULL },
        { MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)thread_pool_size, NULL },
        { MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)connection_timeout_seconds, NULL },
        { MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)connection_memory_limit, NULL },
        { MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, NULL },
        { MHD_OPTION_END, 0, NULL }
    };
    return MHD_start_daemon(flags, port, NULL, NULL, handler, handler_cls,
                            MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
}

/// The port the daemon actually bound (useful with port 0), or 0 if unknown.
static inline uint16_t finops_mhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

static inline struct MHD_Response *finops_mhd_response_copy(const void *data, size_t size) {
    return MHD_create_response_from_buffer(size, (void *)data, MHD_RESPMEM_MUST_COPY);
}
#endif
