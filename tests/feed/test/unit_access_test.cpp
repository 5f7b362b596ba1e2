// SPDX-License-Identifier: MIT
#include "access.hpp"
#include "date.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace feed;

TEST_CASE("access levels parse only their command-line spelling", "[access]") {
    CHECK(parse_access_level("read") == AccessLevel::read);
    CHECK(parse_access_level("read-write") == AccessLevel::read_write);
    CHECK(parse_access_level("full") == AccessLevel::full);
    CHECK_FALSE(parse_access_level("Read"));
    CHECK_FALSE(parse_access_level("write"));
    CHECK_FALSE(parse_access_level(""));
    CHECK(to_string(AccessLevel::read_write) == "read-write");
    CHECK(display_name(AccessLevel::read_write) == "Read/Write");
}

TEST_CASE("read may download, read/write may publish, only full may delete", "[access]") {
    CHECK(allows(AccessLevel::read, Operation::read));
    CHECK_FALSE(allows(AccessLevel::read, Operation::write));
    CHECK_FALSE(allows(AccessLevel::read, Operation::remove));
    CHECK(allows(AccessLevel::read_write, Operation::read));
    CHECK(allows(AccessLevel::read_write, Operation::write));
    CHECK_FALSE(allows(AccessLevel::read_write, Operation::remove));
    CHECK(allows(AccessLevel::full, Operation::read));
    CHECK(allows(AccessLevel::full, Operation::write));
    CHECK(allows(AccessLevel::full, Operation::remove));
}

TEST_CASE("expiry dates are strict YYYY-MM-DD calendar days", "[date]") {
    CHECK(parse_date("2026-02-28"));
    CHECK(parse_date("2024-02-29"));
    CHECK_FALSE(parse_date("2026-02-29"));
    CHECK_FALSE(parse_date("2026-13-01"));
    CHECK_FALSE(parse_date("2026-1-01"));
    CHECK_FALSE(parse_date("26-01-01"));
    CHECK_FALSE(parse_date("2026-01-01T00"));
    CHECK_FALSE(parse_date("tomorrow"));
    CHECK_FALSE(parse_date(""));
    CHECK(format_date(*parse_date("2026-03-04")) == "2026-03-04");
}

TEST_CASE("a token is valid through the end of its expiry day, UTC", "[date]") {
    using namespace std::chrono;
    auto day = *parse_date("2026-05-10");
    auto start_of_day = sys_days{day};
    CHECK_FALSE(is_expired(day, start_of_day));
    CHECK_FALSE(is_expired(day, start_of_day + hours(23) + minutes(59)));
    CHECK(is_expired(day, start_of_day + days(1)));
    CHECK_FALSE(is_expired(std::nullopt, start_of_day + days(10000)));
    CHECK(format_timestamp(start_of_day + seconds(3661)) == "2026-05-10T01:01:01Z");
    CHECK(format_timestamp_ms(start_of_day + seconds(3661) + milliseconds(25))
          == "2026-05-10T01:01:01.025Z");
}
