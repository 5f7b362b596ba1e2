// SPDX-License-Identifier: MIT
#include "env_credentials.hpp"

#include <agent/core/environment.hpp>
#include <agent/core/feed.hpp>
#include <agent/util/json_parse.hpp>
#include <agent/util/json_wipe.hpp>

#include <nlohmann/json.hpp>

namespace feedz {

namespace {

// A FEEDZ_CREDENTIALS "feed": org/repo, a feed URL, or any URL prefix ("https://h/org/").
Result<std::string> parse_scope(std::string_view text) {
    if (text.find("://") == std::string_view::npos) {
        auto feed = parse_feed(text);
        if (!feed) {
            return feed.error();
        }
        return feed->root;
    }
    auto url = normalize_url(text);
    if (!url) {
        return url.error();
    }
    std::string scope = url->text;
    if (scope.back() != '/') {
        scope += '/';
    }
    return scope;
}

StoredToken make_token(std::string name, std::string scope, std::string_view secret) {
    StoredToken token;
    token.info.name = std::move(name);
    token.info.prefix = token_prefix(secret);
    token.info.scopes = {std::move(scope)};
    token.secret = SecretString(secret);
    return token;
}

} // namespace

Result<TokenSet> parse_env_credentials(std::optional<std::string_view> pat,
                                       std::optional<std::string_view> credentials) {
    TokenSet tokens;
    if (pat) {
        if (auto valid = validate_token(*pat); !valid) {
            return make_error(Errc::invalid_argument, "FEEDZ_PAT: " + valid.error().message);
        }
        tokens.put(make_token("FEEDZ_PAT", std::string(k_default_host_root), *pat));
    }
    if (!credentials) {
        return tokens;
    }

    const std::string expected_form =
        "; expected [{\"feed\": \"org/repo or URL prefix\", \"token\": \"...\"}, ...]";
    auto parsed = parse_untrusted_json(*credentials);
    if (!parsed) {
        return make_error(Errc::invalid_argument,
                          "FEEDZ_CREDENTIALS is not a JSON list (" + parsed.error().message + ")"
                              + expected_form);
    }
    nlohmann::json& json = *parsed;

    struct Wiper {
        nlohmann::json& json;

        ~Wiper() { wipe_json_strings(json); }
    } wiper{json};

    if (!json.is_array()) {
        return make_error(Errc::invalid_argument,
                          "FEEDZ_CREDENTIALS is not a JSON list" + expected_form);
    }
    for (std::size_t i = 0; i < json.size(); ++i) {
        const auto& entry = json[i];
        std::string where = "FEEDZ_CREDENTIALS[" + std::to_string(i) + "]";
        if (!entry.is_object() || !entry.contains("feed") || !entry["feed"].is_string()
            || !entry.contains("token") || !entry["token"].is_string()) {
            return make_error(Errc::invalid_argument,
                              where + " needs string fields \"feed\" and \"token\""
                                  + expected_form);
        }
        auto scope = parse_scope(entry["feed"].get_ref<const std::string&>());
        if (!scope) {
            // Not quoted: with "feed" and "token" swapped by mistake, it would be a token.
            return make_error(Errc::invalid_argument,
                              where
                                  + ": \"feed\" is neither org/repo nor an https:// URL "
                                    "prefix (plain http only for loopback hosts)");
        }
        const auto& secret = entry["token"].get_ref<const std::string&>();
        if (auto valid = validate_token(secret); !valid) {
            return make_error(Errc::invalid_argument, where + ": " + valid.error().message);
        }
        StoredToken token = make_token(where, std::move(*scope), secret);
        // Among equally good entries the first listed wins ("newest").
        token.info.created = Timestamp(std::chrono::seconds(1'000'000'000 - static_cast<long>(i)));
        if (auto access = entry.find("access"); access != entry.end()) {
            auto level =
                access->is_string() ? access_from_string(access->get<std::string>()) : std::nullopt;
            if (!level) {
                return make_error(Errc::invalid_argument,
                                  where + ": \"access\" must be read, read-write or full");
            }
            token.info.access = *level;
        }
        tokens.put(std::move(token));
    }
    return tokens;
}

Result<TokenSet> env_credentials_from_environment(const Environment& environment) {
    auto pat = environment.get(k_env_pat);
    auto credentials = environment.get(k_env_credentials);
    auto tokens = parse_env_credentials(pat ? std::optional<std::string_view>(*pat) : std::nullopt,
                                        credentials ? std::optional<std::string_view>(*credentials)
                                                    : std::nullopt);
    if (pat) {
        wipe_memory(pat->data(), pat->size());
    }
    if (credentials) {
        wipe_memory(credentials->data(), credentials->size());
    }
    return tokens;
}

} // namespace feedz
