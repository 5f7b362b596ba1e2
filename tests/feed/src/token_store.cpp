// SPDX-License-Identifier: MIT
#include "token_store.hpp"

#include "error.hpp"
#include "files.hpp"

#include <nlohmann/json.hpp>

#include <utility>

namespace feed {

namespace {

nlohmann::json to_json(const TokenRecord& record) {
    return {
        {"prefix", record.prefix},
        {"sha256", record.hash},
        {"name", record.name},
        {"access", to_string(record.access)},
        {"expires", record.expires ? nlohmann::json(format_date(*record.expires)) : nullptr},
        {"active", record.active},
        {"created", record.created},
    };
}

TokenRecord from_json(const nlohmann::json& item) {
    TokenRecord record;
    record.prefix = item.at("prefix").get<std::string>();
    record.hash = item.at("sha256").get<std::string>();
    record.name = item.at("name").get<std::string>();
    auto access = parse_access_level(item.at("access").get<std::string>());
    if (!access) {
        throw FeedError("unknown access level in token " + record.prefix);
    }
    record.access = *access;
    if (item.contains("expires") && !item.at("expires").is_null()) {
        record.expires = parse_date(item.at("expires").get<std::string>());
        if (!record.expires) {
            throw FeedError("bad expiry date in token " + record.prefix);
        }
    }
    record.active = item.at("active").get<bool>();
    record.created = item.at("created").get<std::string>();
    return record;
}

} // namespace

TokenStore::TokenStore(std::filesystem::path file)
    : m_file(std::move(file)) {}

std::vector<TokenRecord> TokenStore::load() const {
    auto text = read_file(m_file);
    if (!text) {
        return {};
    }
    try {
        std::vector<TokenRecord> records;
        auto document = nlohmann::json::parse(*text);
        for (const auto& item : document.at("tokens")) {
            records.push_back(from_json(item));
        }
        return records;
    } catch (const nlohmann::json::exception& e) {
        throw FeedError(m_file.string() + " is corrupt: " + e.what());
    }
}

void TokenStore::save(const std::vector<TokenRecord>& records) const {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& record : records) {
        items.push_back(to_json(record));
    }
    write_file_atomic(m_file, nlohmann::json{{"tokens", items}}.dump(2) + "\n");
}

std::optional<TokenRecord> TokenStore::find_by_hash(const std::string& hash) const {
    for (auto& record : load()) {
        if (record.hash == hash) {
            return record;
        }
    }
    return std::nullopt;
}

} // namespace feed
