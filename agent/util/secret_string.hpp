// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace feedz {

// Owns a secret (a token) in one heap block that is wiped before it is freed. Move-only and never
// resized, so no stale copy is left behind by a reallocation; std::string does both (and keeps
// short strings inline), which is why tokens never live in one.
class SecretString {
public:
    SecretString() = default;

    explicit SecretString(std::string_view text);

    // An uninitialised buffer of `size` bytes, to be filled through data().
    static SecretString with_size(std::size_t size);

    SecretString(const SecretString&) = delete;
    SecretString& operator=(const SecretString&) = delete;
    SecretString(SecretString&& other) noexcept;
    SecretString& operator=(SecretString&& other) noexcept;
    ~SecretString();

    std::string_view view() const { return {m_data.get(), m_size}; }

    char* data() { return m_data.get(); }

    std::size_t size() const { return m_size; }

    bool empty() const { return m_size == 0; }

    SecretString clone() const { return SecretString(view()); }

    void clear();

    friend bool operator==(const SecretString& a, const SecretString& b) {
        return a.view() == b.view();
    }

private:
    std::unique_ptr<char[]> m_data;
    std::size_t m_size = 0;
};

// Overwrites `size` bytes at `data` in a way the compiler may not elide.
void wipe_memory(void* data, std::size_t size);

// One line of a text file that may hold a secret (a config file's), kept apart from its line
// ending so that edits keep the file's own.
struct SecretLine {
    SecretString content; // without the line ending
    std::string eol;      // "\n", "\r\n", a lone "\r", or "" for a last line without one
};

// The lines joined back into the file's text, in one wiped buffer.
SecretString join_lines(const std::vector<SecretLine>& lines);

} // namespace feedz
