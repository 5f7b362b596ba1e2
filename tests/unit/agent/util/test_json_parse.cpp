// SPDX-License-Identifier: MIT
#include <agent/util/json_parse.hpp>
#include <agent/util/json_wipe.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace feedz;
using nlohmann::json;

namespace {

std::string nested_arrays(std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

} // namespace

TEST_CASE("parse_untrusted_json: documents up to the depth limit are parsed", "[util][json]") {
    auto parsed = parse_untrusted_json(nested_arrays(k_max_json_depth));
    REQUIRE(parsed.has_value());
    CHECK(parsed->is_array());

    auto message = parse_untrusted_json(R"({"a": [1, {"b": "c"}], "d": null})");
    REQUIRE(message.has_value());
    CHECK((*message)["a"][1]["b"] == "c");
}

TEST_CASE("parse_untrusted_json: deeper documents are refused, however deep", "[util][json]") {
    auto depth = GENERATE(k_max_json_depth + 1, std::size_t(60000), std::size_t(1'000'000));
    INFO("depth " << depth);
    auto parsed =
        parse_untrusted_json("{\"Method\":\"Handshake\",\"x\":" + nested_arrays(depth) + "}");
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == Errc::protocol_error);
    CHECK(parsed.error().message == "JSON nested deeper than 32 levels");

    std::string objects_text;
    for (std::size_t i = 0; i < depth; ++i) {
        objects_text += "{\"a\":";
    }
    auto objects = parse_untrusted_json(objects_text);
    REQUIRE_FALSE(objects.has_value());
    CHECK(objects.error().message == "JSON nested deeper than 32 levels");
}

TEST_CASE("parse_untrusted_json: invalid JSON is an error that quotes nothing", "[util][json]") {
    const std::string token = "T-SECRETq7Vb2Kp9Lm3";
    auto text = GENERATE_COPY(as<std::string>{},
                              std::string(""),
                              std::string("{"),
                              std::string("[\"") + token,
                              std::string("[\"") + token + "\"] trailing",
                              std::string("{\"token\": ") + token + "}");
    INFO("text: " << text);
    auto parsed = parse_untrusted_json(text);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().message == "invalid JSON");
}

TEST_CASE("wipe_json_strings: a document nested far deeper than any parser allows",
          "[util][json]") {
    // Built in memory, so no depth limit applies; the walk must not recurse.
    json document = "T-SECRETq7Vb2Kp9Lm3";
    for (int i = 0; i < 200000; ++i) {
        json wrapper = json::array();
        wrapper.push_back(std::move(document));
        document = std::move(wrapper);
    }
    wipe_json_strings(document);
    const json* innermost = &document;
    while (innermost->is_array()) {
        innermost = &(*innermost)[0];
    }
    CHECK(*innermost == std::string(19, '\0'));
}
