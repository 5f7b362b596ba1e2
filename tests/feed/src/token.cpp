// SPDX-License-Identifier: MIT
#include "token.hpp"

#include "base64.hpp"
#include "error.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>

namespace feed {

namespace {

constexpr std::string_view k_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

std::string digest(const EVP_MD* md, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &length, md, nullptr) != 1) {
        throw FeedError("OpenSSL digest failed");
    }
    return std::string(reinterpret_cast<const char*>(out.data()), length);
}

std::string to_hex(const std::string& bytes) {
    static constexpr std::string_view k_hex = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (char c : bytes) {
        auto byte = static_cast<unsigned char>(c);
        hex += k_hex[byte >> 4];
        hex += k_hex[byte & 0x0f];
    }
    return hex;
}

} // namespace

std::string generate_token() {
    std::string token(k_token_marker);
    // Rejection sampling keeps every character equally likely: 248 = 4 * 62.
    constexpr unsigned k_limit = 4 * k_alphabet.size();
    while (token.size() < k_token_marker.size() + k_token_random_chars) {
        std::array<unsigned char, 64> random{};
        if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
            throw FeedError("OpenSSL's random number generator failed");
        }
        for (unsigned char byte : random) {
            if (byte < k_limit && token.size() < k_token_marker.size() + k_token_random_chars) {
                token += k_alphabet[byte % k_alphabet.size()];
            }
        }
    }
    return token;
}

std::string token_prefix(std::string_view token) {
    return std::string(token.substr(0, k_token_prefix_length));
}

std::string sha256_hex(std::string_view data) {
    return to_hex(digest(EVP_sha256(), data));
}

std::string sha1_hex(std::string_view data) {
    return to_hex(digest(EVP_sha1(), data));
}

std::string sha512_integrity(std::string_view data) {
    return "sha512-" + encode_base64(digest(EVP_sha512(), data));
}

} // namespace feed
