// SPDX-License-Identifier: MIT
#pragma once

#include "access.hpp"
#include "date.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace feed {

// What the feed keeps of a token. The token itself is never stored: only its SHA-256.
struct TokenRecord {
    std::string prefix;
    std::string hash;
    std::string name;
    AccessLevel access = AccessLevel::read;
    std::optional<Date> expires;
    bool active = true;
    std::string created;
};

// tokens.json. Reads need no lock (writes are atomic renames); writers hold the data dir lock.
class TokenStore {
public:
    explicit TokenStore(std::filesystem::path file);

    std::vector<TokenRecord> load() const;
    void save(const std::vector<TokenRecord>& records) const;

    std::optional<TokenRecord> find_by_hash(const std::string& hash) const;

private:
    std::filesystem::path m_file;
};

} // namespace feed
