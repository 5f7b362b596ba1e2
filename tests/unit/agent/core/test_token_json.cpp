// SPDX-License-Identifier: MIT
#include <agent/core/token_json.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace feedz;
using nlohmann::json;

namespace {

Date make_date(int year, unsigned month, unsigned day) {
    return Date(std::chrono::year_month_day(
        std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)));
}

TokenInfo sample_info() {
    TokenInfo info;
    info.name = "laptop";
    info.prefix = "T-abc12";
    info.scopes = {"https://f.feedz.io/acme/pkgs/", "https://f.feedz.io/"};
    info.access = Access::read_write;
    info.expires = make_date(2026, 12, 31);
    info.created = Timestamp(make_date(2026, 1, 2)) + std::chrono::hours(3)
                   + std::chrono::minutes(4) + std::chrono::seconds(5);
    info.disabled = true;
    info.fingerprint = "sha256:0011";
    return info;
}

bool same_info(const TokenInfo& a, const TokenInfo& b) {
    return a.name == b.name && a.prefix == b.prefix && a.scopes == b.scopes && a.access == b.access
           && a.expires == b.expires && a.created == b.created && a.disabled == b.disabled
           && a.fingerprint == b.fingerprint;
}

json valid_json() {
    return json::parse(R"({
        "name": "laptop",
        "prefix": "T-abc12",
        "scopes": ["https://f.feedz.io/acme/pkgs/"],
        "access": "read",
        "expires": "2026-12-31",
        "created": "2026-01-02T03:04:05Z",
        "disabled": false
    })");
}

void check_malformed(const json& document, const std::string& field) {
    auto info = token_info_from_json(document);
    INFO("json: " << document.dump());
    REQUIRE_FALSE(info.has_value());
    CHECK(info.error().code == Errc::protocol_error);
    CHECK(info.error().message == "malformed token field '" + field + "'");
}

} // namespace

TEST_CASE("token JSON: to_json writes every field in its documented form", "[core][token_json]") {
    json document = to_json(sample_info());
    CHECK(document["name"] == "laptop");
    CHECK(document["prefix"] == "T-abc12");
    CHECK(document["scopes"]
          == json::array({"https://f.feedz.io/acme/pkgs/", "https://f.feedz.io/"}));
    CHECK(document["access"] == "read-write");
    CHECK(document["expires"] == "2026-12-31");
    CHECK(document["created"] == "2026-01-02T03:04:05Z");
    CHECK(document["disabled"] == true);
    CHECK(document["fingerprint"] == "sha256:0011");
}

TEST_CASE("token JSON: no expiry is null and an empty fingerprint is left out",
          "[core][token_json]") {
    TokenInfo info = sample_info();
    info.expires.reset();
    info.fingerprint.clear();
    json document = to_json(info);
    REQUIRE(document.contains("expires"));
    CHECK(document["expires"].is_null());
    CHECK_FALSE(document.contains("fingerprint"));
}

TEST_CASE("token JSON: holds only metadata fields, never a secret", "[core][token_json]") {
    StoredToken token;
    token.info = sample_info();
    token.secret = SecretString("T-abc12SECRETSECRETSECRET");
    token.info.prefix = token_prefix(token.secret.view());
    json document = to_json(token.info);
    const std::set<std::string> allowed = {
        "name", "prefix", "scopes", "access", "expires", "created", "disabled", "fingerprint"};
    for (const auto& [key, value] : document.items()) {
        INFO("key: " << key);
        CHECK(allowed.count(key) == 1);
    }
    std::string text = document.dump();
    CHECK_THAT(text, !Catch::Contains("SECRETSECRET"));
    CHECK_THAT(text, Catch::Contains("\"T-abc12\""));
}

TEST_CASE("token JSON: round trips through to_json and token_info_from_json",
          "[core][token_json]") {
    TokenInfo info = sample_info();
    SECTION("with every field set") {}
    SECTION("without expiry and fingerprint, enabled") {
        info.expires.reset();
        info.fingerprint.clear();
        info.disabled = false;
    }
    SECTION("with no scopes") {
        info.scopes.clear();
    }
    SECTION("with each access level") {
        auto access = GENERATE(Access::read, Access::read_write, Access::full, Access::unknown);
        info.access = access;
    }
    SECTION("at the epoch") {
        info.created = Timestamp();
    }
    auto back = token_info_from_json(to_json(info));
    REQUIRE(back.has_value());
    CHECK(same_info(*back, info));
    // And through text, as on the wire.
    auto reparsed = token_info_from_json(json::parse(to_json(info).dump()));
    REQUIRE(reparsed.has_value());
    CHECK(same_info(*reparsed, info));
}

TEST_CASE("token JSON: optional fields may be missing or null", "[core][token_json]") {
    json document = valid_json();
    document.erase("expires");
    auto info = token_info_from_json(document);
    REQUIRE(info.has_value());
    CHECK_FALSE(info->expires.has_value());
    CHECK(info->fingerprint.empty());
    document["expires"] = nullptr;
    info = token_info_from_json(document);
    REQUIRE(info.has_value());
    CHECK_FALSE(info->expires.has_value());
}

TEST_CASE("token JSON: access aliases are read", "[core][token_json]") {
    json document = valid_json();
    document["access"] = "readwrite";
    auto info = token_info_from_json(document);
    REQUIRE(info.has_value());
    CHECK(info->access == Access::read_write);
}

TEST_CASE("token JSON: a document that is not an object is a protocol error",
          "[core][token_json]") {
    check_malformed(json::array(), "token");
    check_malformed(json(nullptr), "token");
    check_malformed(json("laptop"), "token");
    check_malformed(json(42), "token");
    check_malformed(json::array({valid_json()}), "token");
}

TEST_CASE("token JSON: a missing required field is a protocol error naming it",
          "[core][token_json]") {
    auto field =
        GENERATE(as<std::string>{}, "name", "prefix", "scopes", "access", "created", "disabled");
    json document = valid_json();
    document.erase(field);
    check_malformed(document, field);
}

TEST_CASE("token JSON: a field of the wrong type or value is a protocol error naming it",
          "[core][token_json]") {
    struct Case {
        const char* field;
        json value;
    };

    const std::vector<Case> cases = {
        {"name", 42},
        {"name", nullptr},
        {"name", json::array({"laptop"})},
        {"prefix", false},
        {"scopes", "https://f.feedz.io/"},
        {"scopes", json::object()},
        {"scopes", json::array({"https://f.feedz.io/", 1})},
        {"scopes", json::array({nullptr})},
        {"access", "admin"},
        {"access", "Read"},
        {"access", ""},
        {"access", 0},
        {"access", nullptr},
        {"expires", "2026-02-29"},
        {"expires", "31.12.2026"},
        {"expires", "2026-12-31T00:00:00Z"},
        {"expires", 20261231},
        {"expires", true},
        {"created", "2026-01-02"},
        {"created", "2026-01-02T03:04:05"},
        {"created", "yesterday"},
        {"created", 1767322800},
        {"created", nullptr},
        {"disabled", "false"},
        {"disabled", 0},
        {"disabled", nullptr},
        {"fingerprint", 7},
        {"fingerprint", nullptr},
    };
    for (const Case& c : cases) {
        json document = valid_json();
        document[c.field] = c.value;
        check_malformed(document, c.field);
    }
}
