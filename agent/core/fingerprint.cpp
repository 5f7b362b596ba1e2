// SPDX-License-Identifier: MIT
#include "fingerprint.hpp"

#include <openssl/evp.h>

namespace feedz {

std::string fingerprint(std::string_view token) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(token.data(), token.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
        return "";
    }
    static const char* const k_hex = "0123456789abcdef";
    std::string text = "sha256:";
    for (unsigned int i = 0; i < length; ++i) {
        text += k_hex[digest[i] >> 4];
        text += k_hex[digest[i] & 0x0f];
    }
    return text;
}

} // namespace feedz
