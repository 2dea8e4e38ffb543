#ifndef FINOPS_CCURL_SHIM_H
#define FINOPS_CCURL_SHIM_H
// Fixed-type wrappers for libcurl's variadic setopt/getinfo calls, which Swift cannot import.
#include <stdint.h>
#include <curl/curl.h>

typedef size_t (*finops_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);

static inline CURLcode finops_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode finops_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode finops_easy_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode finops_easy_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode finops_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode finops_easy_setopt_cb(CURL *h, CURLoption o, finops_curl_data_cb v) { return curl_easy_setopt(h, o, v); }

static inline CURLcode finops_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode finops_easy_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }

static inline CURLMcode finops_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

static inline curl_version_info_data *finops_curl_version_info(void) { return curl_version_info(CURLVERSION_NOW); }
static const size_t FINOPS_CURL_WRITEFUNC_PAUSE = CURL_WRITEFUNC_PAUSE;
#endif
