// SPDX-License-Identifier: MIT
#include "fake_credential_source.hpp"
#include "nuget_peer.hpp"
#include <agent/util/file.hpp>

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>

using namespace feedz;
using namespace feedz::nuget;
using namespace feedz::nuget::test;
using nlohmann::json;

namespace {

const std::string k_root = "https://feeds.example/acme/pkgs/";
const std::string k_source = k_root + "nuget/index.json";
const std::string k_read_token = "T-read1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab";
const std::string k_write_token = "T-write1BcDeFgHiJkLmNoPqRsTuVwXyZ012345678ab";

std::string credentials_line(std::string_view id, std::string_view token) {
    return std::string("{\"RequestId\":\"") + std::string(id)
           + "\",\"Type\":\"Response\",\"Method\":\"GetAuthenticationCredentials\",\"Payload\":{"
             "\"Username\":\"feedz\",\"Password\":\""
           + std::string(token)
           + "\",\"AuthenticationTypes\":[\"Basic\"],\"ResponseCode\":\"Success\"}}";
}

std::string response_line(std::string_view id, std::string_view method, std::string_view code) {
    return std::string("{\"RequestId\":\"") + std::string(id)
           + "\",\"Type\":\"Response\",\"Method\":\"" + std::string(method)
           + "\",\"Payload\":{\"ResponseCode\":\"" + std::string(code) + "\"}}";
}

std::string not_found_line(std::string_view id) {
    return response_line(id, "GetAuthenticationCredentials", "NotFound");
}

// Reads the plugin's Log requests until the response to `id`; returns the Log messages.
std::vector<json> logs_then_response(NuGetPeer& peer, std::string_view id, std::string& response) {
    std::vector<json> logs;
    while (true) {
        auto line = peer.next_line();
        REQUIRE(line.has_value());
        auto message = json::parse(*line);
        if (message["Type"] == "Request" && message["Method"] == "Log") {
            logs.push_back(message);
            peer.acknowledge(message);
            continue;
        }
        REQUIRE(message["RequestId"] == id);
        response = *line;
        return logs;
    }
}

} // namespace

TEST_CASE("PluginSession: our Handshake request goes out first, before NuGet says anything",
          "[nuget][session]") {
    FakeCredentialSource source;
    NuGetPeer peer(source);
    auto line = peer.next_line();
    REQUIRE(line);
    std::regex expected(
        R"(\{"RequestId":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",)"
        R"("Type":"Request","Method":"Handshake",)"
        R"("Payload":\{"ProtocolVersion":"2\.0\.0","MinimumProtocolVersion":"1\.0\.0"\}\})");
    CHECK(std::regex_match(*line, expected));
}

TEST_CASE("PluginSession: handshake in both orders", "[nuget][session]") {
    FakeCredentialSource source;
    NuGetPeer peer(source);
    const std::string nuget_handshake =
        R"({"RequestId":"n1","Type":"Request","Method":"Handshake","Payload":{"ProtocolVersion":"2.0.0","MinimumProtocolVersion":"1.0.0"}})";
    const std::string expected =
        R"({"RequestId":"n1","Type":"Response","Method":"Handshake","Payload":{"ResponseCode":"Success","ProtocolVersion":"2.0.0"}})";

    SECTION("NuGet answers ours first") {
        peer.answer_plugin_handshake();
        peer.send(nuget_handshake);
        CHECK(peer.next_line() == expected);
    }
    SECTION("NuGet asks before it answers ours") {
        auto ours = peer.next_message();
        peer.send(nuget_handshake);
        CHECK(peer.next_line() == expected);
        peer.send_json(
            json{{"RequestId", ours["RequestId"]},
                 {"Type", "Response"},
                 {"Method", "Handshake"},
                 {"Payload", {{"ResponseCode", "Success"}, {"ProtocolVersion", "2.0.0"}}}});
        CHECK(peer.silent_for(100ms));
    }
    CHECK(peer.request(
              "i",
              "Initialize",
              {{"ClientVersion", "7.0.0"}, {"Culture", "en"}, {"RequestTimeout", "00:00:30"}})
          == response_line("i", "Initialize", "Success"));
}

TEST_CASE("PluginSession: version negotiation", "[nuget][session]") {
    FakeCredentialSource source;
    NuGetPeer peer(source);
    peer.answer_plugin_handshake();
    auto handshake = [&](std::string_view version, std::string_view minimum) {
        return peer.request(
            "v", "Handshake", {{"ProtocolVersion", version}, {"MinimumProtocolVersion", minimum}});
    };
    auto success = [](std::string_view version) {
        return std::string(
                   R"({"RequestId":"v","Type":"Response","Method":"Handshake","Payload":{"ResponseCode":"Success","ProtocolVersion":")")
               + std::string(version) + "\"}}";
    };
    // Overlapping ranges: the lower of the two current versions.
    CHECK(handshake("3.0.0", "1.0.0") == success("2.0.0"));
    CHECK(handshake("2.0.0", "2.0.0") == success("2.0.0"));
    CHECK(handshake("1.0.0", "1.0.0") == success("1.0.0"));
    CHECK(handshake("2.5.0", "2.0.0") == success("2.0.0"));
    // No overlap, or nonsense: Error, and no ProtocolVersion with it.
    const std::string error = response_line("v", "Handshake", "Error");
    CHECK(handshake("4.0.0", "3.0.0") == error);
    CHECK(handshake("0.9.0", "0.5.0") == error);
    CHECK(handshake("2.0.0", "3.0.0") == error);
    CHECK(handshake("two", "1.0.0") == error);
    CHECK(handshake("2.0", "1.0.0") == error);
    CHECK(peer.request("v", "Handshake", json::object()) == error);
}

TEST_CASE("PluginSession: claims Authentication for the source-agnostic request only",
          "[nuget][session]") {
    FakeCredentialSource source;
    NuGetPeer peer(source);
    peer.answer_plugin_handshake();
    const std::string authentication =
        R"({"RequestId":"c","Type":"Response","Method":"GetOperationClaims","Payload":{"Claims":["Authentication"]}})";
    const std::string none =
        R"({"RequestId":"c","Type":"Response","Method":"GetOperationClaims","Payload":{"Claims":[]}})";
    CHECK(peer.request("c", "GetOperationClaims", json::object()) == authentication);
    CHECK(peer.request("c", "GetOperationClaims", json()) == authentication);
    CHECK(peer.request("c",
                       "GetOperationClaims",
                       {{"PackageSourceRepository", nullptr}, {"ServiceIndex", nullptr}})
          == authentication);
    CHECK(peer.request("c",
                       "GetOperationClaims",
                       {{"PackageSourceRepository", "A"}, {"ServiceIndex", {{"B", "C"}}}})
          == none);
    CHECK(peer.request("c", "GetOperationClaims", {{"PackageSourceRepository", k_source}}) == none);
    CHECK(peer.request("c", "GetOperationClaims", {{"serviceindex", {{"version", "3.0.0"}}}})
          == none);
}

TEST_CASE("PluginSession: Initialize, SetLogLevel, SetCredentials and MonitorNuGetProcessExit",
          "[nuget][session]") {
    FakeCredentialSource source;
    NuGetPeer peer(source);
    peer.answer_plugin_handshake();
    CHECK(peer.request("1", "SetLogLevel", {{"LogLevel", "Debug"}})
          == response_line("1", "SetLogLevel", "Success"));
    CHECK(peer.request("2", "SetLogLevel", {{"LogLevel", 4}})
          == response_line("2", "SetLogLevel", "Success"));
    CHECK(peer.request("3", "SetLogLevel", {{"LogLevel", "Loud"}})
          == response_line("3", "SetLogLevel", "Error"));
    CHECK(peer.request("4",
                       "SetCredentials",
                       {{"PackageSourceRepository", "/acme/"},
                        {"ProxyUsername", "p"},
                        {"ProxyPassword", "secret"}})
          == response_line("4", "SetCredentials", "Success"));
    CHECK(peer.request("5", "MonitorNuGetProcessExit", {{"ProcessId", ::getpid()}})
          == response_line("5", "MonitorNuGetProcessExit", "Success"));
    CHECK(peer.request("6", "MonitorNuGetProcessExit", {{"ProcessId", "nope"}})
          == response_line("6", "MonitorNuGetProcessExit", "Error"));
    CHECK(peer.request("7",
                       "Initialize",
                       {{"ClientVersion", "7.0.0"},
                        {"Culture", "en-US"},
                        {"RequestTimeout", "1.02:03:04.0050000"}})
          == response_line("7", "Initialize", "Success"));
    CHECK_FALSE(peer.end(50ms)); // watching ourselves: still running
}

TEST_CASE("PluginSession: Success with the token as the Basic password", "[nuget][session]") {
    FakeCredentialSource source;
    source.add("acme/pkgs", k_root, Access::read, k_read_token);
    NuGetPeer peer(source);
    peer.start();
    peer.ask("r1", k_source);
    CHECK(peer.next_line() == credentials_line("r1", k_read_token));
    REQUIRE(source.calls().size() == 1);
    CHECK(source.calls()[0].first == k_source);
    CHECK(source.calls()[0].second == Operation::read);
    CHECK(peer.silent_for(100ms));
}

TEST_CASE("PluginSession: a token with JSON metacharacters is escaped", "[nuget][session]") {
    const std::string token = R"(T-quote"back\slash/and-more-characters)";
    FakeCredentialSource source;
    source.add("odd", k_root, Access::read, token);
    NuGetPeer peer(source);
    peer.start();
    peer.ask("r1", k_source);
    auto answer = peer.next_message();
    CHECK(answer["Payload"]["Password"] == token);
}

TEST_CASE("PluginSession: NotFound when no token covers the source", "[nuget][session]") {
    FakeCredentialSource source;
    source.add("other", "https://feeds.example/acme/other/", Access::read, k_read_token);
    NuGetPeer peer(source);
    peer.start("Warning");
    peer.ask("r1", "https://api.nuget.org/v3/index.json");
    CHECK(peer.next_line() == not_found_line("r1"));
    peer.ask("r2", k_source);
    CHECK(peer.next_line() == not_found_line("r2"));
    CHECK(peer.silent_for(100ms));
}

TEST_CASE("PluginSession: a disabled or expired token gives NotFound and a Warning with the fix",
          "[nuget][session]") {
    FakeCredentialSource source;
    SECTION("disabled") {
        source.add("acme/pkgs", k_root, Access::read, k_read_token, true);
        NuGetPeer peer(source);
        peer.start();
        peer.ask("r1", k_source);
        std::string response;
        auto logs = logs_then_response(peer, "r1", response);
        CHECK(response == not_found_line("r1"));
        REQUIRE(logs.size() == 1);
        CHECK(logs[0]["Payload"]["LogLevel"] == "Warning");
        std::string text = logs[0]["Payload"]["Message"];
        CHECK_THAT(text, Catch::Contains(k_read_token.substr(0, 7)));
        CHECK_THAT(text, Catch::Contains("`feedz-agent enable acme/pkgs`"));
        CHECK_THAT(text, !Catch::Contains(k_read_token));
    }
    SECTION("expired") {
        source.add("acme/pkgs",
                   k_root,
                   Access::read,
                   k_read_token,
                   false,
                   today_utc() - std::chrono::days(2));
        NuGetPeer peer(source);
        peer.start();
        peer.ask("r1", k_source);
        std::string response;
        auto logs = logs_then_response(peer, "r1", response);
        CHECK(response == not_found_line("r1"));
        REQUIRE(logs.size() == 1);
        std::string text = logs[0]["Payload"]["Message"];
        CHECK_THAT(text, Catch::Contains(k_read_token.substr(0, 7)));
        CHECK_THAT(text, Catch::Contains("expired"));
        CHECK_THAT(text, Catch::Contains("`feedz-agent login --name acme/pkgs`"));
    }
}

TEST_CASE("PluginSession: Log waits for SetLogLevel and respects its level", "[nuget][session]") {
    FakeCredentialSource source;
    source.add("acme/pkgs", k_root, Access::read, k_read_token, true);
    NuGetPeer peer(source);
    peer.answer_plugin_handshake();

    SECTION("a message from before SetLogLevel goes out after it") {
        peer.ask("r1", k_source);
        CHECK(peer.next_line() == not_found_line("r1"));
        CHECK(peer.silent_for(100ms));
        peer.send(
            R"({"RequestId":"l","Type":"Request","Method":"SetLogLevel","Payload":{"LogLevel":"Minimal"}})");
        CHECK(peer.next_line() == response_line("l", "SetLogLevel", "Success"));
        auto log = peer.next_message();
        CHECK(log["Type"] == "Request");
        CHECK(log["Method"] == "Log");
        CHECK(log["Payload"]["LogLevel"] == "Warning");
        peer.acknowledge(log);
        CHECK(peer.silent_for(100ms));
    }
    SECTION("below NuGet's level nothing is sent") {
        CHECK(peer.request("l", "SetLogLevel", {{"LogLevel", "Error"}})
              == response_line("l", "SetLogLevel", "Success"));
        peer.ask("r1", k_source);
        CHECK(peer.next_line() == not_found_line("r1"));
        CHECK(peer.silent_for(100ms));
    }
    SECTION("after SetLogLevel the Log comes before the response, in the exact wire format") {
        CHECK(peer.request("l", "SetLogLevel", {{"LogLevel", "Debug"}})
              == response_line("l", "SetLogLevel", "Success"));
        peer.ask("r1", k_source);
        auto line = peer.next_line();
        REQUIRE(line);
        std::regex log_request(
            R"(\{"RequestId":"[0-9a-f-]{36}","Type":"Request","Method":"Log","Payload":\{"LogLevel":"Warning","Message":"feedz-agent: [^"]+"\}\})");
        CHECK(std::regex_match(*line, log_request));
        // The response waits until NuGet has dealt with the Log (a Fault, here: no handler).
        CHECK(peer.silent_for(150ms));
        peer.send_json(json{{"RequestId", json::parse(*line)["RequestId"]},
                            {"Type", "Fault"},
                            {"Method", "Log"},
                            {"Payload", {{"Message", "A request handler does not exist"}}}});
        CHECK(peer.next_line() == not_found_line("r1"));
        CHECK(peer.silent_for(100ms));
    }
    SECTION("each message is said once per process") {
        CHECK(peer.request("l", "SetLogLevel", {{"LogLevel", "Warning"}})
              == response_line("l", "SetLogLevel", "Success"));
        std::string response;
        peer.ask("r1", k_source);
        CHECK(logs_then_response(peer, "r1", response).size() == 1);
        peer.ask("r2", k_source);
        CHECK(logs_then_response(peer, "r2", response).empty());
    }
}

TEST_CASE("PluginSession: IsRetry never gets the same token again", "[nuget][session]") {
    FakeCredentialSource source;
    source.add("acme/pkgs", k_root, Access::read, k_read_token);
    NuGetPeer peer(source);
    peer.start();
    peer.ask("r1", k_source);
    CHECK(peer.next_line() == credentials_line("r1", k_read_token));

    peer.ask("r2", k_source, true);
    std::string response;
    auto logs = logs_then_response(peer, "r2", response);
    CHECK(response == not_found_line("r2"));
    REQUIRE(logs.size() == 1);
    CHECK(logs[0]["Payload"]["LogLevel"] == "Warning");
    std::string text = logs[0]["Payload"]["Message"];
    CHECK_THAT(text, Catch::Contains(k_read_token.substr(0, 7)));
    CHECK_THAT(text, Catch::Contains("deactivated or expired"));
    CHECK_THAT(text, Catch::Contains("15 s"));
    CHECK_THAT(text, Catch::Contains("Read/Write"));
    CHECK_THAT(text, !Catch::Contains(k_read_token));

    // Not even when NuGet asks afresh later in the same process.
    peer.ask("r3", k_source);
    logs = logs_then_response(peer, "r3", response);
    CHECK(response == not_found_line("r3"));
    peer.ask("r4", k_source, true);
    logs = logs_then_response(peer, "r4", response);
    CHECK(response == not_found_line("r4"));
}

TEST_CASE("PluginSession: IsRetry escalates to a Read/Write token (dotnet nuget push after 403)",
          "[nuget][session]") {
    FakeCredentialSource source;
    source.add("acme/pkgs", k_root, Access::read, k_read_token);
    source.add("acme/pkgs-write", k_root, Access::read_write, k_write_token);
    NuGetPeer peer(source);
    peer.start();
    peer.ask("r1", k_source);
    CHECK(peer.next_line() == credentials_line("r1", k_read_token));
    peer.ask("r2", k_source, true);
    std::string response;
    logs_then_response(peer, "r2", response);
    CHECK(response == credentials_line("r2", k_write_token));
    auto calls = source.calls();
    REQUIRE(calls.size() == 3);
    CHECK(calls[0].second == Operation::read);
    CHECK(calls[1].second == Operation::read);
    CHECK(calls[2].second == Operation::write);

    // The next request for the source starts at the level that worked.
    peer.ask("r3", k_source);
    CHECK(peer.next_line() == credentials_line("r3", k_write_token));
    // And when that one is refused too, nothing is left.
    peer.ask("r4", k_source, true);
    auto logs = logs_then_response(peer, "r4", response);
    CHECK(response == not_found_line("r4"));
    REQUIRE_FALSE(logs.empty());
    CHECK_THAT(logs.back()["Payload"]["Message"].get<std::string>(),
               Catch::Contains(k_write_token.substr(0, 7)));
}

TEST_CASE("PluginSession: an unreachable agent gives NotFound and a Warning with its message",
          "[nuget][session]") {
    FakeCredentialSource source;
    source.fail_with(make_error(Errc::agent_unavailable, "no feedz-agent answers on /run/x.sock"));
    NuGetPeer peer(source);
    peer.start();
    peer.ask("r1", k_source);
    std::string response;
    auto logs = logs_then_response(peer, "r1", response);
    CHECK(response == not_found_line("r1"));
    REQUIRE(logs.size() == 1);
    CHECK(logs[0]["Payload"]["LogLevel"] == "Warning");
    CHECK_THAT(logs[0]["Payload"]["Message"].get<std::string>(),
               Catch::Contains("no feedz-agent answers on /run/x.sock"));
}

TEST_CASE("PluginSession: Progress while a look-up is slow, never after the response",
          "[nuget][session]") {
    FakeCredentialSource source;
    source.add("acme/pkgs", k_root, Access::read, k_read_token);
    auto options = fast_options();
    options.progress_interval = 30ms;
    NuGetPeer peer(source, options);
    peer.start();
    source.hold();
    peer.ask("r1", k_source);
    REQUIRE(source.wait_until_held_lookup());
    const std::string progress =
        R"({"RequestId":"r1","Type":"Progress","Method":"GetAuthenticationCredentials","Payload":{}})";
    CHECK(peer.next_line() == progress);
    CHECK(peer.next_line() == progress);
    source.release();
    std::optional<std::string> line;
    while ((line = peer.next_line()) == progress) {
    }
    CHECK(line == credentials_line("r1", k_read_token));
    CHECK(peer.silent_for(150ms));
}

TEST_CASE("PluginSession: Cancel of an in-flight request", "[nuget][session]") {
    FakeCredentialSource source;
    source.add("acme/pkgs", k_root, Access::read, k_read_token);
    NuGetPeer peer(source);
    peer.start();
    source.hold();
    peer.ask("r1", k_source);
    REQUIRE(source.wait_until_held_lookup());
    peer.send(R"({"RequestId":"r1","Type":"Cancel","Method":"GetAuthenticationCredentials"})");
    CHECK(peer.next_line()
          == R"({"RequestId":"r1","Type":"Cancel","Method":"GetAuthenticationCredentials"})");
    // A second Cancel, or one for a request that does not run, gets nothing: an unrequested
    // Cancel kills the connection.
    peer.send(R"({"RequestId":"r1","Type":"Cancel","Method":"GetAuthenticationCredentials"})");
    peer.send(R"({"RequestId":"zz","Type":"Cancel","Method":"GetAuthenticationCredentials"})");
    source.release();
    CHECK(peer.silent_for(150ms)); // the cancelled look-up's answer is dropped
    peer.ask("r2", k_source);
    CHECK(peer.next_line() == credentials_line("r2", k_read_token));
    // IsRetry after a cancelled answer refers to r2's token, the one NuGet got.
    peer.ask("r3", k_source, true);
    std::string response;
    logs_then_response(peer, "r3", response);
    CHECK(response == not_found_line("r3"));
}

TEST_CASE("PluginSession: Cancel of a queued request", "[nuget][session]") {
    FakeCredentialSource source;
    source.add("acme/pkgs", k_root, Access::read, k_read_token);
    NuGetPeer peer(source);
    peer.start();
    source.hold();
    peer.ask("r1", k_source);
    REQUIRE(source.wait_until_held_lookup());
    peer.ask("r2", k_source);
    peer.send(R"({"RequestId":"r2","Type":"Cancel","Method":"GetAuthenticationCredentials"})");
    CHECK(peer.next_line()
          == R"({"RequestId":"r2","Type":"Cancel","Method":"GetAuthenticationCredentials"})");
    source.release();
    CHECK(peer.next_line() == credentials_line("r1", k_read_token));
    CHECK(peer.silent_for(150ms));
    CHECK(source.calls().size() == 1);
}

TEST_CASE("PluginSession: Close ends the session without an answer", "[nuget][session]") {
    FakeCredentialSource source;
    source.add("acme/pkgs", k_root, Access::read, k_read_token);
    NuGetPeer peer(source);
    peer.start();
    SECTION("idle") {
        peer.send(R"({"RequestId":"x","Type":"Request","Method":"Close"})");
        CHECK(peer.end() == SessionEnd::close);
        CHECK(peer.silent_for(50ms));
    }
    SECTION("while a look-up runs: its answer is never written") {
        source.hold();
        peer.ask("r1", k_source);
        REQUIRE(source.wait_until_held_lookup());
        peer.send(R"({"RequestId":"x","Type":"Request","Method":"Close"})");
        CHECK(peer.end() == SessionEnd::close);
        source.release();
        CHECK(peer.silent_for(150ms));
    }
}

TEST_CASE("PluginSession: stdin EOF ends the session", "[nuget][session]") {
    FakeCredentialSource source;
    NuGetPeer peer(source);
    peer.answer_plugin_handshake();
    SECTION("after a complete line") {
        peer.send(R"({"RequestId":"i","Type":"Request","Method":"Initialize","Payload":{}})");
        CHECK(peer.next_line() == response_line("i", "Initialize", "Success"));
    }
    SECTION("a last line without newline is still answered") {
        peer.send_raw(R"({"RequestId":"i","Type":"Request","Method":"Initialize","Payload":{}})");
        peer.close_input();
        CHECK(peer.next_line() == response_line("i", "Initialize", "Success"));
    }
    peer.close_input();
    CHECK(peer.end() == SessionEnd::end_of_input);
}

TEST_CASE("PluginSession: the session ends when the NuGet process is gone", "[nuget][session]") {
    FakeCredentialSource source;
    NuGetPeer peer(source);
    peer.answer_plugin_handshake();
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::pause();
        ::_exit(0);
    }
    SECTION("already dead when NuGet names it") {
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        CHECK(peer.request("m", "MonitorNuGetProcessExit", {{"ProcessId", child}})
              == response_line("m", "MonitorNuGetProcessExit", "Success"));
        CHECK(peer.end(2s) == SessionEnd::nuget_exited);
    }
    SECTION("dies later") {
        CHECK(peer.request("m", "MonitorNuGetProcessExit", {{"ProcessId", child}})
              == response_line("m", "MonitorNuGetProcessExit", "Success"));
        CHECK_FALSE(peer.end(100ms));
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        CHECK(peer.end(2s) == SessionEnd::nuget_exited);
    }
}

TEST_CASE("PluginSession: garbage and empty lines are ignored, never answered",
          "[nuget][session]") {
    FakeCredentialSource source;
    NuGetPeer peer(source);
    peer.answer_plugin_handshake();
    for (std::string_view line : {
             "",
             "   ",
             "\r",
             "hello",
             "{",
             "[1,2,3]",
             "null",
             "42",
             "{}",
             R"({"RequestId":"","Type":"Request","Method":"Initialize"})",
             R"({"RequestId":7,"Type":"Request","Method":"Initialize"})",
             R"({"RequestId":"g","Type":"Shout","Method":"Initialize"})",
             R"({"RequestId":"g","Method":"Initialize"})",
             R"({"RequestId":"g","Type":"Request"})",
             R"({"RequestId":"g","Type":"Request","Method":""})",
             R"({"RequestId":"g","Type":"Request","Method":{"x":1}})",
             "{\"RequestId\":\"g\xff\xfe\",\"Type\":\"Request\",\"Method\":\"Initialize\"}",
             "\x01\x02\x03\x7f",
         }) {
        peer.send(line);
    }
    CHECK(peer.silent_for(150ms));
    CHECK(peer.request("i", "Initialize", json::object())
          == response_line("i", "Initialize", "Success"));
}

TEST_CASE("PluginSession: a message nested too deep is ignored like garbage, never answered",
          "[nuget][session]") {
    FakeCredentialSource source;
    NuGetPeer peer(source);
    peer.answer_plugin_handshake();
    const std::string deep = std::string(50000, '[') + std::string(50000, ']');
    peer.send(R"({"Method":"Handshake","x":)" + deep + "}");
    // Long but under the line limit, with a RequestId: still not read, so not answered.
    peer.send(
        R"({"RequestId":"d","Type":"Request","Method":"GetOperationClaims","Payload":{"ServiceIndex":)"
        + deep + "}}");
    CHECK(peer.silent_for(150ms));
    CHECK(peer.request("i", "Initialize", json::object())
          == response_line("i", "Initialize", "Success"));
}

TEST_CASE("PluginSession: a UTF-8 BOM before the first line is skipped", "[nuget][session]") {
    FakeCredentialSource source;
    NuGetPeer peer(source);
    peer.answer_plugin_handshake();
    // Sent in pieces, the BOM split across writes.
    peer.send_raw("\xEF");
    peer.send_raw("\xBB\xBF{\"RequestId\":\"i\",\"Type\":\"Request\",");
    peer.send_raw("\"Method\":\"Initialize\",\"Payload\":{}}\r\n");
    CHECK(peer.next_line() == response_line("i", "Initialize", "Success"));
}

TEST_CASE("PluginSession: unknown methods get Error, unknown fields are ignored",
          "[nuget][session]") {
    FakeCredentialSource source;
    source.add("acme/pkgs", k_root, Access::read, k_read_token);
    NuGetPeer peer(source);
    peer.start();
    CHECK(peer.request("u", "TeleportPackage", {{"Where", "moon"}})
          == response_line("u", "TeleportPackage", "Error"));
    CHECK(peer.request("u", "GetPackageVersions", {{"PackageId", "a"}})
          == response_line("u", "GetPackageVersions", "Error"));
    CHECK(peer.request("u", "PrefetchPackage", json())
          == response_line("u", "PrefetchPackage", "Error"));
    // Unknown fields in the envelope and the payload.
    peer.send_json(
        json{{"RequestId", "r1"},
             {"Type", "Request"},
             {"Method", "GetAuthenticationCredentials"},
             {"Extra", {1, 2, 3}},
             {"Payload", {{"Uri", k_source}, {"IsRetry", false}, {"Future", {{"a", "b"}}}}}});
    CHECK(peer.next_line() == credentials_line("r1", k_read_token));
    // Responses and Progress that belong to nothing of ours, and a Fault: noted, not answered.
    peer.send(
        R"({"RequestId":"nobody","Type":"Response","Method":"Log","Payload":{"ResponseCode":"Success"}})");
    peer.send(R"({"RequestId":"nobody","Type":"Progress","Method":"Handshake","Payload":{}})");
    peer.send(R"({"RequestId":"nobody","Type":"Fault","Method":"Log","Payload":{"Message":"no"}})");
    CHECK(peer.silent_for(150ms));
    // A request without a Uri cannot be looked up.
    CHECK(peer.request("r2", "GetAuthenticationCredentials", {{"IsRetry", false}})
          == not_found_line("r2"));
}

TEST_CASE("PluginSession: lowercase keys and enum values are understood; answers are PascalCase",
          "[nuget][session]") {
    FakeCredentialSource source;
    source.add("acme/pkgs", k_root, Access::read, k_read_token);
    NuGetPeer peer(source);
    peer.answer_plugin_handshake();
    peer.send(
        R"({"requestid":"h","type":"request","method":"handshake","payload":{"protocolversion":"2.0.0","minimumprotocolversion":"1.0.0"}})");
    CHECK(
        peer.next_line()
        == R"({"RequestId":"h","Type":"Response","Method":"Handshake","Payload":{"ResponseCode":"Success","ProtocolVersion":"2.0.0"}})");
    peer.send(R"({"REQUESTID":"c","TYPE":"REQUEST","METHOD":"GETOPERATIONCLAIMS","PAYLOAD":{}})");
    CHECK(
        peer.next_line()
        == R"({"RequestId":"c","Type":"Response","Method":"GetOperationClaims","Payload":{"Claims":["Authentication"]}})");
    peer.send(
        R"({"requestId":"l","type":"Request","method":"setLogLevel","payload":{"logLevel":"warning"}})");
    CHECK(peer.next_line() == response_line("l", "SetLogLevel", "Success"));
    // Json.NET also reads enums as numbers: Request = 3, GetAuthenticationCredentials = 17.
    peer.send(std::string(R"({"requestId":"r","type":3,"method":17,"payload":{"uri":")") + k_source
              + R"(","isRetry":"False"}})");
    CHECK(peer.next_line() == credentials_line("r", k_read_token));
}

TEST_CASE("PluginSession: very long lines are dropped, the session goes on", "[nuget][session]") {
    FakeCredentialSource source;
    auto options = fast_options();
    SECTION("over the limit, in many writes") {
        options.max_line_bytes = 64 * 1024;
    }
    SECTION("over the default 1 MiB limit") {}
    NuGetPeer peer(source, options);
    peer.answer_plugin_handshake();
    std::string huge =
        R"({"RequestId":"big","Type":"Request","Method":"GetOperationClaims","Payload":{"ServiceIndex":")";
    huge.append(options.max_line_bytes + 10, 'x');
    huge += "\"}}";
    peer.send(huge);
    CHECK(peer.silent_for(100ms));
    CHECK(peer.request("i", "Initialize", json::object())
          == response_line("i", "Initialize", "Success"));
}

TEST_CASE("PluginSession: a broken output ends the session", "[nuget][session]") {
    FakeCredentialSource source;
    NuGetPeer peer(source);
    peer.answer_plugin_handshake();
    peer.close_output_reader();
    peer.send(R"({"RequestId":"i","Type":"Request","Method":"Initialize","Payload":{}})");
    CHECK(peer.end() == SessionEnd::output_closed);
}

TEST_CASE("PluginSession: the diagnostic log has prefixes and decisions, never the token",
          "[nuget][session]") {
    char path_template[] = "/tmp/nuget-plugin-log-XXXXXX";
    int fd = ::mkstemp(path_template);
    REQUIRE(fd >= 0);
    ::close(fd);
    std::string path = path_template;
    {
        auto log = DiagnosticLog::open(path);
        REQUIRE(log.enabled());
        FakeCredentialSource source;
        source.add("acme/pkgs", k_root, Access::read, k_read_token);
        NuGetPeer peer(source, fast_options(), log);
        peer.start();
        peer.ask("r1", k_source);
        CHECK(peer.next_line() == credentials_line("r1", k_read_token));
        peer.ask("r2", k_source, true);
        std::string response;
        logs_then_response(peer, "r2", response);
        peer.send(R"({"RequestId":"x","Type":"Request","Method":"Close"})");
        CHECK(peer.end() == SessionEnd::close);
    }
    auto contents = read_file(path);
    ::unlink(path.c_str());
    REQUIRE(contents);
    REQUIRE(*contents);
    const std::string& text = **contents;
    CHECK_THAT(text, !Catch::Contains(k_read_token));
    CHECK_THAT(text, !Catch::Contains(k_read_token.substr(0, 12)));
    CHECK_THAT(text, Catch::Contains(R"("token_prefix":")" + k_read_token.substr(0, 7) + "\""));
    CHECK_THAT(text, Catch::Contains(R"("decision":"success")"));
    CHECK_THAT(text, Catch::Contains(R"("decision":"refused")"));
    CHECK_THAT(text, Catch::Contains(R"("decision":"close")"));
    CHECK_THAT(text, Catch::Contains(R"("url":")" + k_source + "\""));
    // One JSON object per line.
    std::size_t begin = 0;
    while (begin < text.size()) {
        auto end = text.find('\n', begin);
        REQUIRE(end != std::string::npos);
        CHECK(json::parse(text.substr(begin, end - begin), nullptr, false).is_object());
        begin = end + 1;
    }
}

TEST_CASE("PluginSession: the response waits for NuGet to acknowledge the Log, within limits",
          "[nuget][session]") {
    FakeCredentialSource source;
    source.add("acme/pkgs", k_root, Access::read, k_read_token, true);
    auto options = fast_options();
    options.log_answer_timeout = 300ms;
    NuGetPeer peer(source, options);
    peer.start();
    SECTION("acknowledged: the response follows at once") {
        peer.ask("r1", k_source);
        auto log = peer.next_message();
        REQUIRE(log["Method"] == "Log");
        CHECK(peer.silent_for(100ms));
        peer.acknowledge(log);
        CHECK(peer.next_line(100ms) == not_found_line("r1"));
    }
    SECTION("never acknowledged: the response comes after the timeout") {
        peer.ask("r1", k_source);
        auto log = peer.next_message();
        REQUIRE(log["Method"] == "Log");
        auto started = std::chrono::steady_clock::now();
        CHECK(peer.next_line() == not_found_line("r1"));
        CHECK(std::chrono::steady_clock::now() - started >= 250ms);
    }
    SECTION("cancelled meanwhile: the Cancel, and no response") {
        peer.ask("r1", k_source);
        auto log = peer.next_message();
        REQUIRE(log["Method"] == "Log");
        peer.send(R"({"RequestId":"r1","Type":"Cancel","Method":"GetAuthenticationCredentials"})");
        CHECK(peer.next_line()
              == R"({"RequestId":"r1","Type":"Cancel","Method":"GetAuthenticationCredentials"})");
        peer.acknowledge(log);
        CHECK(peer.silent_for(400ms));
    }
}
