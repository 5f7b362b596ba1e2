// SPDX-License-Identifier: MIT
#include "secret_string.hpp"

#include <string.h>

#include <cstring>

namespace feedz {

// glibc's explicit_bzero gives the same guarantee as OPENSSL_cleanse; using it keeps libcrypto
// out of the shims, whose start-up time is what users feel.
void wipe_memory(void* data, std::size_t size) {
    if (data != nullptr && size > 0) {
        explicit_bzero(data, size);
    }
}

SecretString::SecretString(std::string_view text)
    : m_data(text.empty() ? nullptr : new char[text.size()])
    , m_size(text.size()) {
    if (!text.empty()) {
        std::memcpy(m_data.get(), text.data(), text.size());
    }
}

SecretString SecretString::with_size(std::size_t size) {
    SecretString secret;
    if (size > 0) {
        secret.m_data.reset(new char[size]);
        secret.m_size = size;
    }
    return secret;
}

SecretString::SecretString(SecretString&& other) noexcept
    : m_data(std::move(other.m_data))
    , m_size(other.m_size) {
    other.m_size = 0;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
    if (this != &other) {
        clear();
        m_data = std::move(other.m_data);
        m_size = other.m_size;
        other.m_size = 0;
    }
    return *this;
}

SecretString::~SecretString() {
    clear();
}

void SecretString::clear() {
    wipe_memory(m_data.get(), m_size);
    m_data.reset();
    m_size = 0;
}

SecretString join_lines(const std::vector<SecretLine>& lines) {
    std::size_t size = 0;
    for (const auto& line : lines) {
        size += line.content.size() + line.eol.size();
    }
    SecretString text = SecretString::with_size(size);
    char* out = text.data();
    for (const auto& line : lines) {
        for (std::string_view part : {line.content.view(), std::string_view(line.eol)}) {
            if (!part.empty()) {
                std::memcpy(out, part.data(), part.size());
                out += part.size();
            }
        }
    }
    return text;
}

} // namespace feedz
