// SPDX-License-Identifier: MIT
#include "token_json.hpp"

namespace feedz {

nlohmann::json to_json(const TokenInfo& info) {
    nlohmann::json json = {
        {"name", info.name},
        {"prefix", info.prefix},
        {"scopes", info.scopes},
        {"access", to_string(info.access)},
        {"expires", nullptr},
        {"created", format_timestamp(info.created)},
        {"disabled", info.disabled},
    };
    if (info.expires) {
        json["expires"] = format_date(*info.expires);
    }
    if (!info.fingerprint.empty()) {
        json["fingerprint"] = info.fingerprint;
    }
    return json;
}

Result<TokenInfo> token_info_from_json(const nlohmann::json& json) {
    auto bad = [](const std::string& field) {
        return make_error(Errc::protocol_error, "malformed token field '" + field + "'");
    };
    if (!json.is_object()) {
        return bad("token");
    }
    TokenInfo info;
    auto text = [&](const char* field, std::string& out) {
        auto it = json.find(field);
        if (it == json.end() || !it->is_string()) {
            return false;
        }
        out = it->get<std::string>();
        return true;
    };
    if (!text("name", info.name)) {
        return bad("name");
    }
    if (!text("prefix", info.prefix)) {
        return bad("prefix");
    }
    auto scopes = json.find("scopes");
    if (scopes == json.end() || !scopes->is_array()) {
        return bad("scopes");
    }
    for (const auto& scope : *scopes) {
        if (!scope.is_string()) {
            return bad("scopes");
        }
        info.scopes.push_back(scope.get<std::string>());
    }
    std::string access;
    if (!text("access", access) || !access_from_string(access)) {
        return bad("access");
    }
    info.access = *access_from_string(access);
    if (auto expires = json.find("expires"); expires != json.end() && !expires->is_null()) {
        auto date = expires->is_string() ? parse_date(expires->get<std::string>()) : std::nullopt;
        if (!date) {
            return bad("expires");
        }
        info.expires = date;
    }
    std::string created;
    if (!text("created", created) || !parse_timestamp(created)) {
        return bad("created");
    }
    info.created = *parse_timestamp(created);
    auto disabled = json.find("disabled");
    if (disabled == json.end() || !disabled->is_boolean()) {
        return bad("disabled");
    }
    info.disabled = disabled->get<bool>();
    if (auto fingerprint = json.find("fingerprint"); fingerprint != json.end()) {
        if (!fingerprint->is_string()) {
            return bad("fingerprint");
        }
        info.fingerprint = fingerprint->get<std::string>();
    }
    return info;
}

} // namespace feedz
