// SPDX-License-Identifier: MIT
// OpenSSL 3's EVP interface initialises its provider machinery on first use, which costs the
// agent about 2.5 MiB of resident memory for one hash. The low-level SHA-256 functions compute
// the same digest without it; they are deprecated in OpenSSL 3 but remain part of its ABI.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "fingerprint.hpp"

#include <agent/util/secret_string.hpp>

#include <openssl/sha.h>

namespace feedz {

std::string fingerprint(std::string_view token) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, token.data(), token.size());
    SHA256_Final(digest, &context);
    wipe_memory(&context, sizeof(context));
    static const char* const k_hex = "0123456789abcdef";
    std::string text = "sha256:";
    for (unsigned char byte : digest) {
        text += k_hex[byte >> 4];
        text += k_hex[byte & 0x0f];
    }
    return text;
}

} // namespace feedz
