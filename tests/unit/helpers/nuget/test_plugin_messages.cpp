// SPDX-License-Identifier: MIT
#include <helpers/nuget/plugin_messages.hpp>

#include <catch2/catch.hpp>

#include <regex>
#include <set>

using namespace feedz;
using namespace feedz::nuget;
using nlohmann::json;

TEST_CASE("plugin messages: exact wire names", "[nuget][messages]") {
    CHECK(std::string(wire_name(MessageType::request)) == "Request");
    CHECK(std::string(wire_name(MessageType::response)) == "Response");
    CHECK(std::string(wire_name(MessageType::progress)) == "Progress");
    CHECK(std::string(wire_name(MessageType::fault)) == "Fault");
    CHECK(std::string(wire_name(MessageType::cancel)) == "Cancel");
    CHECK(std::string(wire_name(Method::get_authentication_credentials))
          == "GetAuthenticationCredentials");
    CHECK(std::string(wire_name(Method::monitor_nuget_process_exit)) == "MonitorNuGetProcessExit");
    CHECK(std::string(wire_name(Method::get_operation_claims)) == "GetOperationClaims");
    CHECK(std::string(wire_name(Method::set_log_level)) == "SetLogLevel");
    CHECK(std::string(wire_name(ResponseCode::not_found)) == "NotFound");
    CHECK(std::string(wire_name(LogLevel::minimal)) == "Minimal");
    CHECK(std::string(wire_name(LogLevel::warning)) == "Warning");
}

TEST_CASE("parse_message: NuGet's own lines", "[nuget][messages]") {
    auto message = parse_message(
        R"({"RequestId":"9d3e","Type":"Request","Method":"GetAuthenticationCredentials","Payload":{"Uri":"https://h/v3/index.json","IsRetry":false,"IsNonInteractive":true,"CanShowDialog":true}})");
    REQUIRE(message);
    CHECK(message->request_id == "9d3e");
    CHECK(message->type == MessageType::request);
    CHECK(message->method == Method::get_authentication_credentials);
    CHECK(string_member(message->payload, "Uri") == "https://h/v3/index.json");
    CHECK(bool_member(message->payload, "IsRetry") == false);

    auto close = parse_message(R"({"RequestId":"c","Type":"Request","Method":"Close"})");
    REQUIRE(close);
    CHECK(close->method == Method::close);
    CHECK(close->payload.is_null());
}

TEST_CASE("parse_message: lenient keys, enum cases and numbers", "[nuget][messages]") {
    auto message = parse_message(
        R"({"requestid":"a","TYPE":"cancel","method":"getauthenticationcredentials"})");
    REQUIRE(message);
    CHECK(message->type == MessageType::cancel);
    CHECK(message->method == Method::get_authentication_credentials);
    CHECK(message->method_text == "GetAuthenticationCredentials");
    auto numbers = parse_message(R"({"RequestId":"a","Type":4,"Method":10})");
    REQUIRE(numbers);
    CHECK(numbers->type == MessageType::response);
    CHECK(numbers->method == Method::handshake);
    auto unknown = parse_message(R"({"RequestId":"a","Type":"Request","Method":"FutureThing"})");
    REQUIRE(unknown);
    CHECK(unknown->method == Method::unknown);
    CHECK(unknown->method_text == "FutureThing");
}

TEST_CASE("parse_message: what is not a message", "[nuget][messages]") {
    for (const char* line : {"",
                             "x",
                             "[]",
                             "{}",
                             R"({"RequestId":"a"})",
                             R"({"RequestId":"","Type":"Request","Method":"Close"})",
                             R"({"RequestId":1,"Type":"Request","Method":"Close"})",
                             R"({"RequestId":"a","Type":9,"Method":"Close"})",
                             R"({"RequestId":"a","Type":"Request","Method":99})",
                             R"({"RequestId":"a","Type":"Request","Method":null})"}) {
        INFO(line);
        auto message = parse_message(line);
        REQUIRE_FALSE(message);
        CHECK(message.error().code == Errc::protocol_error);
    }
}

TEST_CASE("parse_message: a message nested too deep is refused, not walked", "[nuget][messages]") {
    const std::string deep = std::string(50000, '[') + std::string(50000, ']');
    for (const std::string& line : {
             R"({"Method":"Handshake","x":)" + deep + "}",
             R"({"RequestId":"a","Type":"Request","Method":"Initialize","Payload":)" + deep + "}",
         }) {
        auto message = parse_message(line);
        REQUIRE_FALSE(message);
        CHECK(message.error().code == Errc::protocol_error);
        CHECK_THAT(message.error().message, Catch::Contains("nested deeper than"));
    }
}

TEST_CASE("parse_message: the error never quotes the line", "[nuget][messages]") {
    auto message = parse_message(R"({"RequestId":"a","Payload":{"ProxyPassword":"hunter2"}})");
    REQUIRE_FALSE(message);
    CHECK_THAT(message.error().message, !Catch::Contains("hunter2"));
    auto broken = parse_message(R"({"ProxyPassword":"hunter2")");
    REQUIRE_FALSE(broken);
    CHECK_THAT(broken.error().message, !Catch::Contains("hunter2"));
}

TEST_CASE("members: case-insensitive look-up and lenient booleans", "[nuget][messages]") {
    json payload = {{"isretry", "TRUE"}, {"Flag", 1}, {"Uri", 5}};
    CHECK(bool_member(payload, "IsRetry") == true);
    CHECK_FALSE(bool_member(payload, "Flag"));
    CHECK_FALSE(string_member(payload, "Uri"));
    CHECK_FALSE(string_member(json::array(), "Uri"));
    CHECK(log_level_from_json("warning") == LogLevel::warning);
    CHECK(log_level_from_json(3) == LogLevel::minimal);
    CHECK_FALSE(log_level_from_json(6));
    CHECK_FALSE(log_level_from_json(-1));
    CHECK(response_code_from_json("notfound") == ResponseCode::not_found);
}

TEST_CASE("format_message: compact, PascalCase, in NuGet's field order", "[nuget][messages]") {
    CHECK(
        format_message(
            "a",
            MessageType::request,
            "Handshake",
            OrderedJson{{"ProtocolVersion", "2.0.0"}, {"MinimumProtocolVersion", "1.0.0"}})
        == R"({"RequestId":"a","Type":"Request","Method":"Handshake","Payload":{"ProtocolVersion":"2.0.0","MinimumProtocolVersion":"1.0.0"}})");
    CHECK(format_message("a\"b", MessageType::cancel, "GetAuthenticationCredentials", std::nullopt)
          == R"({"RequestId":"a\"b","Type":"Cancel","Method":"GetAuthenticationCredentials"})");
    CHECK(
        format_response_code("x", "Initialize", ResponseCode::success)
        == R"({"RequestId":"x","Type":"Response","Method":"Initialize","Payload":{"ResponseCode":"Success"}})");
    // Non-ASCII goes out raw, as Json.NET writes it; invalid UTF-8 is replaced, never thrown.
    CHECK(format_message("\xC3\xA9", MessageType::response, "Log", std::nullopt)
          == "{\"RequestId\":\"\xC3\xA9\",\"Type\":\"Response\",\"Method\":\"Log\"}");
    CHECK_NOTHROW(format_message("\xFF", MessageType::response, "Log", std::nullopt));
}

TEST_CASE("format_credentials_line: the token escaped, the line in a SecretString",
          "[nuget][messages]") {
    SecretString token(R"(T-a"b\c)");
    SecretString line = format_credentials_line("id", "feedz", token);
    std::string_view text = line.view();
    REQUIRE(text.ends_with("\n"));
    CHECK(
        text
        == R"({"RequestId":"id","Type":"Response","Method":"GetAuthenticationCredentials","Payload":{"Username":"feedz","Password":"T-a\"b\\c","AuthenticationTypes":["Basic"],"ResponseCode":"Success"}})"
           "\n");
    auto parsed = json::parse(text);
    CHECK(parsed["Payload"]["Password"] == R"(T-a"b\c)");
}

TEST_CASE("new_request_id: random version 4 UUIDs", "[nuget][messages]") {
    std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        auto id = new_request_id();
        CHECK(std::regex_match(id, uuid));
        seen.insert(id);
    }
    CHECK(seen.size() == 100);
}
