// SPDX-License-Identifier: MIT
#include <agent/core/token.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace feedz;
using namespace std::chrono_literals;

namespace {

Date make_date(int year, unsigned month, unsigned day) {
    return Date(std::chrono::year_month_day(
        std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)));
}

// True when `message` contains any run of `window` consecutive characters of `secret`.
bool contains_part_of(const std::string& message, std::string_view secret, std::size_t window = 6) {
    if (secret.size() < window) {
        return message.find(secret) != std::string::npos;
    }
    for (std::size_t i = 0; i + window <= secret.size(); ++i) {
        if (message.find(secret.substr(i, window)) != std::string::npos) {
            return true;
        }
    }
    return false;
}

constexpr std::array<Access, 4> k_all_access = {
    Access::read, Access::read_write, Access::full, Access::unknown};
constexpr std::array<Operation, 3> k_all_operations = {
    Operation::read, Operation::write, Operation::manage};

} // namespace

// --- Access and Operation ---

TEST_CASE("Access: printing and parsing round trip", "[core][token]") {
    CHECK(std::string(to_string(Access::read)) == "read");
    CHECK(std::string(to_string(Access::read_write)) == "read-write");
    CHECK(std::string(to_string(Access::full)) == "full");
    CHECK(std::string(to_string(Access::unknown)) == "unknown");
    for (Access access : k_all_access) {
        INFO("access: " << to_string(access));
        CHECK(access_from_string(to_string(access)) == access);
    }
}

TEST_CASE("Access: readwrite and read_write are accepted for read-write", "[core][token]") {
    CHECK(access_from_string("readwrite") == Access::read_write);
    CHECK(access_from_string("read_write") == Access::read_write);
}

TEST_CASE("Access: anything else is not an access level", "[core][token]") {
    auto text = GENERATE(as<std::string>{},
                         "",
                         "Read",
                         "READ",
                         "Full",
                         "write",
                         "rw",
                         "admin",
                         "read ",
                         " read",
                         "read-write-full",
                         "readonly",
                         "manage");
    INFO("text: '" << text << "'");
    CHECK_FALSE(access_from_string(text).has_value());
}

TEST_CASE("Operation: printing and parsing round trip", "[core][token]") {
    CHECK(std::string(to_string(Operation::read)) == "read");
    CHECK(std::string(to_string(Operation::write)) == "write");
    CHECK(std::string(to_string(Operation::manage)) == "manage");
    for (Operation operation : k_all_operations) {
        CHECK(operation_from_string(to_string(operation)) == operation);
    }
    for (std::string text : {"", "Read", "WRITE", "get", "publish", "delete", "full", "read "}) {
        INFO("text: '" << text << "'");
        CHECK_FALSE(operation_from_string(text).has_value());
    }
}

TEST_CASE("access_allows: each level allows exactly its operations", "[core][token]") {
    struct Row {
        Access access;
        bool read;
        bool write;
        bool manage;
    };

    // Feedz: Read downloads; Read/Write also publishes; Full also deletes and manages.
    // A level the user did not give may be anything, so it counts as sufficient.
    const std::array<Row, 4> matrix = {{
        {Access::read, true, false, false},
        {Access::read_write, true, true, false},
        {Access::full, true, true, true},
        {Access::unknown, true, true, true},
    }};
    for (const Row& row : matrix) {
        INFO("access: " << to_string(row.access));
        CHECK(access_allows(row.access, Operation::read) == row.read);
        CHECK(access_allows(row.access, Operation::write) == row.write);
        CHECK(access_allows(row.access, Operation::manage) == row.manage);
    }
}

TEST_CASE("least_access_for: names the lowest level that allows the operation", "[core][token]") {
    CHECK(least_access_for(Operation::read) == Access::read);
    CHECK(least_access_for(Operation::write) == Access::read_write);
    CHECK(least_access_for(Operation::manage) == Access::full);
    // Consistent with access_allows: the level allows it and every known level below does not.
    const std::array<Access, 3> known = {Access::read, Access::read_write, Access::full};
    for (Operation operation : k_all_operations) {
        INFO("operation: " << to_string(operation));
        Access least = least_access_for(operation);
        CHECK(access_allows(least, operation));
        for (Access lower : known) {
            if (lower == least) {
                break;
            }
            CHECK_FALSE(access_allows(lower, operation));
        }
    }
}

// --- Dates and timestamps ---

TEST_CASE("parse_date: reads a calendar date", "[core][token]") {
    CHECK(parse_date("1970-01-01") == Date(std::chrono::days(0)));
    CHECK(parse_date("1970-01-02") == Date(std::chrono::days(1)));
    CHECK(parse_date("2026-03-15") == make_date(2026, 3, 15));
    CHECK(parse_date("2026-12-31") == make_date(2026, 12, 31));
    CHECK(parse_date("0001-01-01") == make_date(1, 1, 1));
    CHECK(parse_date("9999-12-31") == make_date(9999, 12, 31));
}

TEST_CASE("parse_date: February 29 exists only in leap years", "[core][token]") {
    CHECK(parse_date("2024-02-29") == make_date(2024, 2, 29));
    CHECK(parse_date("2028-02-29") == make_date(2028, 2, 29));
    CHECK(parse_date("2000-02-29") == make_date(2000, 2, 29));
    CHECK_FALSE(parse_date("2026-02-29").has_value());
    CHECK_FALSE(parse_date("2025-02-29").has_value());
    CHECK_FALSE(parse_date("1900-02-29").has_value());
    CHECK_FALSE(parse_date("2100-02-29").has_value());
    CHECK(parse_date("2026-02-28") == make_date(2026, 2, 28));
}

TEST_CASE("parse_date: impossible dates and other formats are refused", "[core][token]") {
    auto text = GENERATE(as<std::string>{},
                         "",
                         "2026-04-31",
                         "2026-06-31",
                         "2026-13-01",
                         "2026-00-10",
                         "2026-01-00",
                         "2026-01-32",
                         "2026-1-01",
                         "2026-01-1",
                         "26-01-2026",
                         "2026/01/01",
                         "2026.01.01",
                         "20260101",
                         "2026-01-01 ",
                         " 2026-01-01",
                         "2026-01-01T00:00:00Z",
                         "2026-0a-01",
                         "2026-01-0x",
                         "abcd-01-01",
                         "+026-01-01",
                         "-026-01-01",
                         "2026--1-01",
                         "2026-01--1",
                         "2026-+1-01",
                         "tomorrow");
    INFO("text: '" << text << "'");
    CHECK_FALSE(parse_date(text).has_value());
}

TEST_CASE("format_date: writes YYYY-MM-DD with leading zeros", "[core][token]") {
    CHECK(format_date(Date(std::chrono::days(0))) == "1970-01-01");
    CHECK(format_date(make_date(2026, 3, 5)) == "2026-03-05");
    CHECK(format_date(make_date(999, 1, 9)) == "0999-01-09");
    CHECK(format_date(make_date(2024, 2, 29)) == "2024-02-29");
}

TEST_CASE("format_date and parse_date: round trip every day of several years", "[core][token]") {
    const Date first = make_date(2023, 1, 1);
    const Date last = make_date(2029, 1, 1);
    int days = 0;
    for (Date day = first; day < last; day += std::chrono::days(1)) {
        auto back = parse_date(format_date(day));
        if (back != day) {
            FAIL("round trip failed for " << format_date(day));
        }
        ++days;
    }
    CHECK(days == 2192); // 6 years, two of them leap years
}

TEST_CASE("format_timestamp: writes UTC in ISO 8601 with a Z", "[core][token]") {
    CHECK(format_timestamp(Timestamp(0s)) == "1970-01-01T00:00:00Z");
    CHECK(format_timestamp(Timestamp(make_date(2026, 3, 4)) + 5h + 6min + 7s)
          == "2026-03-04T05:06:07Z");
    CHECK(format_timestamp(Timestamp(make_date(2024, 2, 29)) + 23h + 59min + 59s)
          == "2024-02-29T23:59:59Z");
}

TEST_CASE("parse_timestamp: reads what format_timestamp writes", "[core][token]") {
    CHECK(parse_timestamp("1970-01-01T00:00:00Z") == Timestamp(0s));
    CHECK(parse_timestamp("2026-03-04T05:06:07Z")
          == Timestamp(make_date(2026, 3, 4)) + 5h + 6min + 7s);
    // Round trip over many instants spread over decades.
    const Timestamp start = Timestamp(make_date(2000, 1, 1));
    for (std::int64_t i = 0; i < 2000; ++i) {
        Timestamp time = start + std::chrono::seconds(i * 1'000'003);
        auto back = parse_timestamp(format_timestamp(time));
        if (back != time) {
            FAIL("round trip failed for " << format_timestamp(time));
        }
    }
}

TEST_CASE("parse_timestamp: other formats and impossible times are refused", "[core][token]") {
    auto text = GENERATE(as<std::string>{},
                         "",
                         "2026-03-04",
                         "2026-03-04T05:06:07",
                         "2026-03-04T05:06:07z",
                         "2026-03-04t05:06:07Z",
                         "2026-03-04 05:06:07Z",
                         "2026-03-04T05:06:07.5Z",
                         "2026-03-04T05:06:07+00:00",
                         "2026-03-04T24:00:00Z",
                         "2026-03-04T23:60:00Z",
                         "2026-03-04T23:59:61Z",
                         "2026-03-04T5:06:07Z ",
                         "2026-03-04T05-06-07Z",
                         "2026-02-29T00:00:00Z",
                         "2026-13-01T00:00:00Z",
                         "2026-03-04Tab:06:07Z",
                         "2026-03-04T-1:06:07Z");
    INFO("text: '" << text << "'");
    CHECK_FALSE(parse_timestamp(text).has_value());
}

TEST_CASE("today_utc: is the current UTC day", "[core][token]") {
    auto before = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    Date today = today_utc();
    auto after = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    CHECK((today == before || today == after));
}

// --- TokenInfo and token state ---

TEST_CASE("TokenInfo: display is the prefix and an ellipsis", "[core][token]") {
    TokenInfo info;
    info.prefix = "T-abc12";
    CHECK(info.display() == "T-abc12\xE2\x80\xA6");
}

TEST_CASE("token_state: a token without expiry that is enabled is active", "[core][token]") {
    TokenInfo info;
    CHECK(token_state(info, make_date(2026, 6, 1)) == TokenState::active);
    CHECK(std::string(to_string(TokenState::active)) == "active");
    CHECK(std::string(to_string(TokenState::disabled)) == "disabled");
    CHECK(std::string(to_string(TokenState::expired)) == "expired");
}

TEST_CASE("token_state: a token is active through its expiry day and expired the day after",
          "[core][token]") {
    TokenInfo info;
    info.expires = make_date(2026, 2, 28);
    CHECK(token_state(info, make_date(2026, 2, 1)) == TokenState::active);
    CHECK(token_state(info, make_date(2026, 2, 27)) == TokenState::active);
    CHECK(token_state(info, make_date(2026, 2, 28)) == TokenState::active);
    CHECK(token_state(info, make_date(2026, 3, 1)) == TokenState::expired);
    CHECK(token_state(info, make_date(2027, 1, 1)) == TokenState::expired);
}

TEST_CASE("token_state: disabled wins over expired", "[core][token]") {
    TokenInfo info;
    info.disabled = true;
    CHECK(token_state(info, make_date(2026, 6, 1)) == TokenState::disabled);
    info.expires = make_date(2026, 1, 1);
    CHECK(token_state(info, make_date(2026, 6, 1)) == TokenState::disabled);
    info.expires = make_date(2027, 1, 1);
    CHECK(token_state(info, make_date(2026, 6, 1)) == TokenState::disabled);
    info.disabled = false;
    CHECK(token_state(info, make_date(2026, 6, 1)) == TokenState::active);
}

TEST_CASE("days_until_expiry: counts whole days, 0 on the expiry day", "[core][token]") {
    TokenInfo info;
    CHECK_FALSE(days_until_expiry(info, make_date(2026, 6, 1)).has_value());
    info.expires = make_date(2026, 6, 8);
    CHECK(days_until_expiry(info, make_date(2026, 6, 8)) == 0);
    CHECK(days_until_expiry(info, make_date(2026, 6, 7)) == 1);
    CHECK(days_until_expiry(info, make_date(2026, 6, 1)) == k_expiry_warning_days);
    CHECK(days_until_expiry(info, make_date(2026, 6, 9)) == -1);
    CHECK(days_until_expiry(info, make_date(2025, 6, 8)) == 365);
    info.expires = make_date(2024, 3, 1);
    CHECK(days_until_expiry(info, make_date(2024, 2, 28)) == 2); // across February 29
}

// --- validate_token ---

TEST_CASE("validate_token: printable ASCII tokens of 16 to 1024 characters are accepted",
          "[core][token]") {
    CHECK(validate_token("T-Qx7Vb2Kp9Lm3Nz").has_value()); // 16
    CHECK(validate_token("T-Qx7Vb2Kp9Lm3Nz4Rt8Wy5Hj6Gf1Dc0Sa2Ee3Uu4Ii5Oo6Pp7").has_value());
    CHECK(validate_token(std::string(k_max_token_length, 'a')).has_value());
    // Every printable non-space ASCII character.
    std::string all;
    for (char c = '!'; c <= '~'; ++c) {
        all += c;
    }
    CHECK(validate_token(all).has_value());
    CHECK(k_min_token_length == 16);
    CHECK(k_max_token_length == 1024);
}

TEST_CASE("validate_token: an empty token is refused", "[core][token]") {
    auto valid = validate_token("");
    REQUIRE_FALSE(valid.has_value());
    CHECK(valid.error().code == Errc::invalid_argument);
    CHECK(valid.error().message == "the token is empty");
}

TEST_CASE("validate_token: a token shorter than 16 characters is refused", "[core][token]") {
    for (std::size_t length : {1U, 7U, 15U}) {
        std::string token = std::string("Qx7Vb2Kp9Lm3Nz4Rt8Wy").substr(0, length);
        auto valid = validate_token(token);
        INFO("length: " << length);
        REQUIRE_FALSE(valid.has_value());
        CHECK(valid.error().code == Errc::invalid_argument);
        CHECK_THAT(valid.error().message,
                   Catch::Contains("only " + std::to_string(length) + " characters"));
        CHECK_FALSE(contains_part_of(valid.error().message, token, 3));
    }
}

TEST_CASE("validate_token: a token longer than 1024 characters is refused", "[core][token]") {
    std::string token = "Qx7Vb2Kp9Lm3Nz4Rt8Wy";
    while (token.size() <= k_max_token_length) {
        token += token;
    }
    token.resize(k_max_token_length + 1);
    auto valid = validate_token(token);
    REQUIRE_FALSE(valid.has_value());
    CHECK(valid.error().code == Errc::invalid_argument);
    CHECK_THAT(valid.error().message, Catch::Contains("longer than 1024"));
    CHECK_FALSE(contains_part_of(valid.error().message, token));
}

TEST_CASE("validate_token: whitespace anywhere is refused without quoting the token",
          "[core][token]") {
    auto bad = GENERATE(as<std::string>{}, " ", "\t", "\n", "\r", "\r\n");
    for (std::size_t position : {0U, 9U, 20U}) {
        std::string token = "Qx7Vb2Kp9Lm3Nz4Rt8Wy";
        token.insert(position, bad);
        auto valid = validate_token(token);
        INFO("position " << position);
        REQUIRE_FALSE(valid.has_value());
        CHECK(valid.error().code == Errc::invalid_argument);
        CHECK_THAT(valid.error().message, Catch::Contains("whitespace"));
        CHECK_FALSE(contains_part_of(valid.error().message, token));
    }
}

TEST_CASE("validate_token: control characters and non-ASCII bytes are refused without quoting "
          "the token",
          "[core][token]") {
    auto bad = GENERATE(as<std::string>{},
                        std::string(1, '\0'),
                        "\x01",
                        "\x1b",
                        "\x7f",
                        "\x80",
                        "\xff",
                        "\xC3\xA9",      // é in UTF-8
                        "\xE2\x80\x8B",  // zero-width space
                        "\xEF\xBB\xBF",  // a byte order mark
                        "\xE2\x80\x9C"); // a curly quote
    for (std::size_t position : {0U, 10U, 20U}) {
        std::string token = "Qx7Vb2Kp9Lm3Nz4Rt8Wy";
        token.insert(position, bad);
        auto valid = validate_token(token);
        INFO("position " << position << ", " << bad.size() << " bad bytes");
        REQUIRE_FALSE(valid.has_value());
        CHECK(valid.error().code == Errc::invalid_argument);
        CHECK_THAT(valid.error().message, Catch::Contains("control or non-ASCII"));
        CHECK_FALSE(contains_part_of(valid.error().message, token));
    }
}

TEST_CASE("validate_token: no message ever contains the token text", "[core][token]") {
    // Tokens of every failing kind built from the same distinctive text.
    const std::string base = "SECRETqZ9xW";
    std::vector<std::string> tokens = {
        base,
        base + base + " " + base,
        base + "\x01" + base,
        base + "\xC3\xA9" + base,
        std::string(2000, 'S') + base,
    };
    for (const std::string& token : tokens) {
        auto valid = validate_token(token);
        REQUIRE_FALSE(valid.has_value());
        CHECK_THAT(valid.error().message, !Catch::Contains("SECRETq"));
        CHECK_THAT(valid.error().message, !Catch::Contains("qZ9xW"));
        CHECK_THAT(valid.error().message, !Catch::Contains("SSSS"));
    }
}

// --- validate_token_name and token_prefix ---

TEST_CASE("validate_token_name: letters, digits and . _ @ / - are accepted", "[core][token]") {
    auto name = GENERATE(as<std::string>{},
                         "laptop",
                         "a",
                         "7",
                         "acme/pkgs",
                         "ci.bot_1@build-2",
                         "Laptop-2026",
                         std::string(64, 'x'));
    INFO("name: " << name);
    CHECK(validate_token_name(name).has_value());
}

TEST_CASE("validate_token_name: other names are refused with the rule in the message",
          "[core][token]") {
    auto name = GENERATE(as<std::string>{},
                         "",
                         std::string(65, 'x'),
                         "-laptop",
                         ".laptop",
                         "_laptop",
                         "/laptop",
                         "@laptop",
                         "my laptop",
                         "laptop\t",
                         "laptop\n",
                         "caf\xC3\xA9",
                         "semi;colon",
                         "quote'd",
                         "star*",
                         "back\\slash",
                         "colon:name");
    auto valid = validate_token_name(name);
    INFO("name: " << name);
    REQUIRE_FALSE(valid.has_value());
    CHECK(valid.error().code == Errc::invalid_argument);
    CHECK_THAT(valid.error().message, Catch::StartsWith("bad token name '"));
    CHECK_THAT(valid.error().message, Catch::Contains("1-64"));
}

TEST_CASE("token_prefix: the first 7 characters", "[core][token]") {
    CHECK(k_token_prefix_length == 7);
    CHECK(token_prefix("T-abc123456789xyz") == "T-abc12");
    CHECK(token_prefix("T-abc12") == "T-abc12");
    CHECK(token_prefix("T-ab") == "T-ab");
    CHECK(token_prefix("") == "");
}
