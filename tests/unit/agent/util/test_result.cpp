// SPDX-License-Identifier: MIT
#include <agent/util/result.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace feedz;

namespace {

Result<int> half(int value) {
    if (value % 2 != 0) {
        return make_error(Errc::invalid_argument, std::to_string(value) + " is odd");
    }
    return value / 2;
}

Result<void> check_even(int value) {
    if (value % 2 != 0) {
        return make_error(Errc::invalid_argument, "odd");
    }
    return {};
}

// Uses FEEDZ_TRY twice; `steps` counts how far it got.
Result<int> quarter(int value, int& steps) {
    FEEDZ_TRY(check_even(value));
    ++steps;
    FEEDZ_TRY(half(value / 2));
    ++steps;
    return value / 4;
}

} // namespace

TEST_CASE("Result: holds a value or an error", "[util][result]") {
    Result<int> value = half(8);
    REQUIRE(value.has_value());
    CHECK(static_cast<bool>(value));
    CHECK(value.value() == 4);
    CHECK(*value == 4);

    Result<int> error = half(7);
    REQUIRE_FALSE(error.has_value());
    CHECK_FALSE(static_cast<bool>(error));
    CHECK(error.error().code == Errc::invalid_argument);
    CHECK(error.error().message == "7 is odd");
}

TEST_CASE("Result: gives access to and moves out its value", "[util][result]") {
    Result<std::string> text = std::string("hello");
    CHECK(text->size() == 5);
    text.value() += " world";
    CHECK(*text == "hello world");
    std::string moved = std::move(text).value();
    CHECK(moved == "hello world");

    Result<std::unique_ptr<int>> owned = std::make_unique<int>(42);
    std::unique_ptr<int> taken = *std::move(owned);
    REQUIRE(taken != nullptr);
    CHECK(*taken == 42);
}

TEST_CASE("Result<void>: success or an error", "[util][result]") {
    Result<void> ok = check_even(2);
    CHECK(ok.has_value());
    CHECK(static_cast<bool>(ok));
    Result<void> failed = check_even(3);
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().code == Errc::invalid_argument);
    CHECK(failed.error().message == "odd");
}

TEST_CASE("FEEDZ_TRY: returns the first error and continues on success", "[util][result]") {
    int steps = 0;
    Result<int> ok = quarter(8, steps);
    REQUIRE(ok.has_value());
    CHECK(*ok == 2);
    CHECK(steps == 2);

    steps = 0;
    Result<int> first = quarter(3, steps);
    REQUIRE_FALSE(first.has_value());
    CHECK(first.error().message == "odd");
    CHECK(steps == 0);

    steps = 0;
    Result<int> second = quarter(6, steps);
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error().message == "3 is odd");
    CHECK(steps == 1);
}
