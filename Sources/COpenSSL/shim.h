// Umbrella header for OpenSSL 3 (Debian package libssl-dev): libssl and libcrypto.
#pragma once
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/crypto.h>
