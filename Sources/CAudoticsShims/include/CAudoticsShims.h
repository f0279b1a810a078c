// Shims for C macros that Swift cannot call directly. Each function exists only because the
// library exposes the operation as a preprocessor macro (or a macro taking sizeof/version
// arguments); Swift imports functions, not function-like macros.
#pragma once

#include <openssl/ssl.h>
#include <zlib.h>
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif

// MARK: OpenSSL

/// `SSL_CTX_set_min_proto_version` is a macro over `SSL_CTX_ctrl`.
static inline int audotics_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

/// `SSL_CTX_set_max_proto_version` is a macro over `SSL_CTX_ctrl`.
static inline int audotics_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

/// `SSL_set_tlsext_host_name` (SNI) is a macro over `SSL_ctrl`.
static inline int audotics_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/// `SSL_CTX_set_mode` is a macro over `SSL_CTX_ctrl`.
static inline long audotics_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

/// `BIO_pending` (bytes waiting to be read from a memory BIO) is a macro over `BIO_ctrl`.
static inline long audotics_BIO_pending(BIO *bio) {
    return (long)BIO_pending(bio);
}

/// `SSL_OP_NO_RENEGOTIATION` is built with the `SSL_OP_BIT` macro, which Swift does not import. TLS engines
/// refuse TLS 1.2 renegotiation: it would make a write wait for a read, which memory-BIO engines do not model.
static inline void audotics_SSL_disable_renegotiation(SSL *ssl) {
    SSL_set_options(ssl, SSL_OP_NO_RENEGOTIATION);
}

/// `XN_FLAG_RFC2253` combines casted flag macros that Swift does not import; it prints names as `CN=x,O=y`.
static inline unsigned long audotics_XN_FLAG_RFC2253(void) {
    return XN_FLAG_RFC2253;
}

// MARK: zlib

/// `deflateInit2` is a macro that passes `ZLIB_VERSION` and `sizeof(z_stream)` to `deflateInit2_`.
static inline int audotics_deflateInit2(z_streamp stream, int level, int windowBits, int memLevel) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}

/// `inflateInit2` is a macro that passes `ZLIB_VERSION` and `sizeof(z_stream)` to `inflateInit2_`.
static inline int audotics_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
