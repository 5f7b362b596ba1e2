// SPDX-License-Identifier: MIT
#include <agent/core/token_json.hpp>
#include <agent/ipc/protocol.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace feedz;
using nlohmann::json;

namespace {

TokenInfo sample_token(const std::string& name) {
    TokenInfo info;
    info.name = name;
    info.prefix = "T-abc12";
    info.scopes = {"https://f.feedz.io/acme/pkgs/"};
    info.access = Access::read_write;
    info.expires = parse_date("2027-01-31");
    info.created = *parse_timestamp("2026-11-30T13:54:30Z");
    info.fingerprint = "sha256:0011";
    return info;
}

// Through text, as on the wire.
json through_text(const json& message) {
    return json::parse(message.dump());
}

std::string dump(const json& message) {
    return message.dump();
}

std::string tokens_text(const std::vector<TokenInfo>& tokens) {
    json list = json::array();
    for (const auto& info : tokens) {
        list.push_back(to_json(info));
    }
    return list.dump();
}

// The names in the first column of the Markdown table whose header line is `header`:
// "| `store_locked` | ... |" gives "store_locked".
std::vector<std::string> table_names(const std::string& document, const std::string& header) {
    std::istringstream lines(document);
    std::string line;
    while (std::getline(lines, line) && line != header) {
    }
    REQUIRE(line == header);
    std::getline(lines, line); // | --- | --- |
    std::vector<std::string> names;
    while (std::getline(lines, line) && line.starts_with("| `")) {
        names.push_back(line.substr(3, line.find('`', 3) - 3));
    }
    return names;
}

// Every `op` named in a "### " heading: "### `enable`, `disable`" gives enable and disable.
std::set<std::string> heading_ops(const std::string& document) {
    std::istringstream lines(document);
    std::string line;
    std::set<std::string> ops;
    while (std::getline(lines, line)) {
        if (!line.starts_with("### `")) {
            continue;
        }
        for (std::size_t open = line.find('`'); open != std::string::npos;) {
            std::size_t close = line.find('`', open + 1);
            ops.insert(line.substr(open + 1, close - open - 1));
            open = line.find('`', close + 1);
        }
    }
    return ops;
}

template <std::size_t... I>
std::set<std::string> request_ops(std::index_sequence<I...>) {
    std::set<std::string> ops;
    (ops.insert(
         std::variant_alternative_t<I, Request>{}.to_json()["op"].template get<std::string>()),
     ...);
    ops.insert(SetDisabledRequest{"x", false}.to_json()["op"].get<std::string>());
    return ops;
}

std::string protocol_document() {
    std::ifstream file(FEEDZ_SOURCE_DIR "/agent/PROTOCOL.md");
    REQUIRE(file.good());
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

} // namespace

// --- Names ---

TEST_CASE("protocol: every error code round trips through its name", "[ipc][protocol]") {
    std::set<std::string> names;
    for (Errc code : k_error_codes) {
        std::string name = to_string(code);
        INFO("code " << static_cast<int>(code) << ": " << name);
        CHECK(errc_from_string(name) == code);
        names.insert(name);
    }
    CHECK(names.size() == k_error_codes.size());
    // k_error_codes lists every Errc: any value that has a name is in it.
    for (int value = 0; value < 256; ++value) {
        auto code = static_cast<Errc>(value);
        if (std::string(to_string(code)) != "invalid") {
            CHECK(std::count(k_error_codes.begin(), k_error_codes.end(), code) == 1);
        }
    }
}

TEST_CASE("protocol: every rejection reason round trips through its name", "[ipc][protocol]") {
    std::set<std::string> names;
    for (Rejection reason : k_rejections) {
        std::string name = to_string(reason);
        CHECK(rejection_from_string(name) == reason);
        names.insert(name);
    }
    CHECK(names.size() == k_rejections.size());
    for (int value = 0; value < 256; ++value) {
        auto reason = static_cast<Rejection>(value);
        if (std::string(to_string(reason)) != "invalid") {
            CHECK(std::count(k_rejections.begin(), k_rejections.end(), reason) == 1);
        }
    }
}

TEST_CASE("protocol: names this version does not know are not taken for ones it does",
          "[ipc][protocol]") {
    for (const char* name : {"", "Timeout", "not found", "exploded", "internal ", "invalid"}) {
        INFO("name: " << name);
        CHECK_FALSE(errc_from_string(name).has_value());
        CHECK_FALSE(rejection_from_string(name).has_value());
    }
    CHECK_FALSE(rejection_from_string("revoked").has_value());
    CHECK_FALSE(rejection_from_string("Disabled").has_value());
}

// --- PROTOCOL.md ---

TEST_CASE("protocol: PROTOCOL.md lists exactly the error codes, reasons and requests we know",
          "[ipc][protocol]") {
    std::string document = protocol_document();

    std::vector<std::string> documented_codes = table_names(document, "| code | meaning |");
    std::vector<std::string> codes;
    for (Errc code : k_error_codes) {
        codes.push_back(to_string(code));
    }
    CHECK(documented_codes == codes);

    std::vector<std::string> documented_reasons = table_names(document, "| reason | meaning |");
    std::vector<std::string> reasons;
    for (Rejection reason : k_rejections) {
        reasons.push_back(to_string(reason));
    }
    CHECK(documented_reasons == reasons);

    CHECK(heading_ops(document)
          == request_ops(std::make_index_sequence<std::variant_size_v<Request>>()));
}

// --- Greeting ---

TEST_CASE("protocol: the greeting round trips and keeps its wire form", "[ipc][protocol]") {
    Greeting greeting{k_protocol_version, "0.1.0", 4242, "secret-service"};
    CHECK(
        dump(greeting.to_json())
        == R"({"agent":"feedz-agent","pid":4242,"protocol":1,"store":"secret-service","version":"0.1.0"})");
    auto back = Greeting::from_json(through_text(greeting.to_json()));
    REQUIRE(back.has_value());
    CHECK(back->protocol == k_protocol_version);
    CHECK(back->version == "0.1.0");
    CHECK(back->pid == 4242);
    CHECK(back->store == "secret-service");
}

TEST_CASE("protocol: another program or another protocol version is refused with advice",
          "[ipc][protocol]") {
    for (const json& other : {json::object(),
                              json{{"agent", "ssh-agent"}, {"protocol", 1}},
                              json{{"agent", "feedz-agent"}, {"protocol", "1"}},
                              json{{"ok", false}}}) {
        INFO("greeting: " << other.dump());
        auto greeting = Greeting::from_json(other);
        REQUIRE_FALSE(greeting.has_value());
        CHECK(greeting.error().code == Errc::protocol_error);
        CHECK_THAT(greeting.error().message, Catch::Contains("not feedz-agent"));
    }
    auto newer = Greeting::from_json(
        {{"agent", "feedz-agent"}, {"protocol", 2}, {"version", "9.0.0"}, {"pid", "x"}});
    REQUIRE_FALSE(newer.has_value());
    CHECK(newer.error().code == Errc::protocol_error);
    CHECK_THAT(newer.error().message, Catch::Contains("protocol 2 (version 9.0.0)"));
    CHECK_THAT(newer.error().message, Catch::Contains("feedz-agent stop"));

    auto no_pid = Greeting::from_json(
        {{"agent", "feedz-agent"}, {"protocol", 1}, {"version", "0.1.0"}, {"store", "memory"}});
    REQUIRE_FALSE(no_pid.has_value());
    CHECK(no_pid.error().code == Errc::protocol_error);
}

// --- Requests ---

namespace {

template <typename T>
T parsed_as(const json& request) {
    auto parsed = parse_request(through_text(request));
    INFO("request: " << request.dump());
    REQUIRE(parsed.has_value());
    REQUIRE(std::holds_alternative<T>(*parsed));
    return std::get<T>(*parsed);
}

} // namespace

TEST_CASE("protocol: every request round trips and keeps its wire form", "[ipc][protocol]") {
    GetRequest get{"https://f.feedz.io/acme/pkgs/npm/", Operation::write, std::nullopt};
    CHECK(dump(get.to_json())
          == R"({"op":"get","operation":"write","url":"https://f.feedz.io/acme/pkgs/npm/"})");
    auto got = parsed_as<GetRequest>(get.to_json());
    CHECK(got.url == get.url);
    CHECK(got.operation == Operation::write);
    CHECK_FALSE(got.name.has_value());
    get.name = "laptop";
    CHECK(parsed_as<GetRequest>(get.to_json()).name == std::optional<std::string>("laptop"));
    // "operation" may be left out.
    CHECK(parsed_as<GetRequest>({{"op", "get"}, {"url", "u"}}).operation == Operation::read);

    TokenInfo token = sample_token("laptop");
    token.fingerprint.clear();
    StoreRequest store{token};
    CHECK(store.to_json() == json{{"op", "store"}, {"token", to_json(token)}});
    auto stored = parsed_as<StoreRequest>(store.to_json());
    CHECK(stored.token.name == "laptop");
    CHECK(stored.token.scopes == token.scopes);
    CHECK(stored.token.access == Access::read_write);
    CHECK(stored.token.expires == token.expires);
    // The agent sets these itself: what a client sends is not believed.
    json forged = store.to_json();
    forged["token"]["fingerprint"] = "sha256:forged";
    stored = parsed_as<StoreRequest>(forged);
    CHECK(stored.token.prefix.empty());
    CHECK(stored.token.created == Timestamp{});
    CHECK(stored.token.fingerprint.empty());
    // disabled, expires, prefix and created may be left out.
    stored = parsed_as<StoreRequest>(
        {{"op", "store"},
         {"token", {{"name", "ci"}, {"scopes", {"https://f.feedz.io/"}}, {"access", "read"}}}});
    CHECK(stored.token.name == "ci");
    CHECK_FALSE(stored.token.disabled);
    CHECK_FALSE(stored.token.expires.has_value());

    CHECK(dump(EraseRequest{"laptop"}.to_json()) == R"({"name":"laptop","op":"erase"})");
    CHECK(parsed_as<EraseRequest>(EraseRequest{"laptop"}.to_json()).name == "laptop");
    CHECK(dump(EraseAllRequest{}.to_json()) == R"({"all":true,"op":"erase"})");
    parsed_as<EraseAllRequest>(EraseAllRequest{}.to_json());
    // "all": false is erase by name.
    CHECK(parsed_as<EraseRequest>({{"op", "erase"}, {"all", false}, {"name", "x"}}).name == "x");

    CHECK(dump(ListRequest{}.to_json()) == R"({"op":"list"})");
    parsed_as<ListRequest>(ListRequest{}.to_json());

    for (bool disabled : {true, false}) {
        SetDisabledRequest set{"laptop", disabled};
        CHECK(set.to_json()["op"] == (disabled ? "disable" : "enable"));
        auto back = parsed_as<SetDisabledRequest>(set.to_json());
        CHECK(back.name == "laptop");
        CHECK(back.disabled == disabled);
    }

    CHECK(dump(StatusRequest{}.to_json()) == R"({"op":"status"})");
    parsed_as<StatusRequest>(StatusRequest{}.to_json());
    CHECK(dump(StopRequest{}.to_json()) == R"({"op":"stop"})");
    parsed_as<StopRequest>(StopRequest{}.to_json());
}

TEST_CASE("protocol: a malformed request is a protocol error, never an exception",
          "[ipc][protocol]") {
    const std::vector<json> requests = {
        json::object(),
        json(nullptr),
        json::array({"get"}),
        json("get"),
        {{"op", 1}},
        {{"op", "GET"}},
        {{"op", "frobnicate"}},
        {{"op", "get"}},
        {{"op", "get"}, {"url", 7}},
        {{"op", "get"}, {"url", "u"}, {"operation", "delete"}},
        {{"op", "get"}, {"url", "u"}, {"operation", nullptr}},
        {{"op", "get"}, {"url", "u"}, {"name", 3}},
        {{"op", "store"}},
        {{"op", "store"}, {"token", "laptop"}},
        {{"op", "store"}, {"token", {{"name", "x"}, {"scopes", "s"}, {"access", "read"}}}},
        {{"op", "erase"}},
        {{"op", "erase"}, {"all", "yes"}},
        {{"op", "erase"}, {"all", false}},
        {{"op", "disable"}},
        {{"op", "enable"}, {"name", json::array()}},
    };
    for (const json& request : requests) {
        INFO("request: " << request.dump());
        auto parsed = parse_request(request);
        REQUIRE_FALSE(parsed.has_value());
        CHECK(parsed.error().code == Errc::protocol_error);
    }
    CHECK(parse_request({{"op", "frobnicate"}}).error().message == "unknown request 'frobnicate'");
    CHECK(parse_request(json::object()).error().message == "request without \"op\"");
}

// --- Replies ---

TEST_CASE("protocol: every reply round trips and keeps its wire form", "[ipc][protocol]") {
    TokenInfo laptop = sample_token("laptop");
    TokenInfo old = sample_token("old");

    SECTION("get, with a token and a token passed over for every reason") {
        GetReply reply{laptop, {}};
        for (Rejection reason : k_rejections) {
            reply.rejected.push_back({old, reason});
        }
        CHECK(reply.to_json()["ok"] == true);
        auto back = GetReply::from_json(through_text(reply.to_json()));
        REQUIRE(back.has_value());
        REQUIRE(back->token.has_value());
        CHECK(to_json(*back->token) == to_json(laptop));
        REQUIRE(back->rejected.size() == k_rejections.size());
        for (std::size_t i = 0; i < k_rejections.size(); ++i) {
            CHECK(back->rejected[i].reason == k_rejections[i]);
            CHECK(to_json(back->rejected[i].token) == to_json(old));
        }
    }
    SECTION("get, with nothing found") {
        GetReply reply;
        CHECK(dump(reply.to_json()) == R"({"ok":true,"rejected":[],"token":null})");
        auto back = GetReply::from_json(through_text(reply.to_json()));
        REQUIRE(back.has_value());
        CHECK_FALSE(back->token.has_value());
        CHECK(back->rejected.empty());
    }
    SECTION("store") {
        for (const auto& same : {std::optional<std::string>(), std::optional<std::string>("ci")}) {
            StoreReply reply{laptop, same};
            CHECK(reply.to_json().contains("same_token_as") == same.has_value());
            auto back = StoreReply::from_json(through_text(reply.to_json()));
            REQUIRE(back.has_value());
            CHECK(to_json(back->token) == to_json(laptop));
            CHECK(back->same_token_as == same);
        }
    }
    SECTION("erase and erase all") {
        CHECK(dump(EraseReply{3}.to_json()) == R"({"erased":3,"ok":true})");
        auto back = EraseReply::from_json(through_text(EraseReply{3}.to_json()));
        REQUIRE(back.has_value());
        CHECK(back->erased == 3);
    }
    SECTION("list") {
        ListReply reply{{laptop, old}};
        auto back = ListReply::from_json(through_text(reply.to_json()));
        REQUIRE(back.has_value());
        CHECK(tokens_text(back->tokens) == tokens_text(reply.tokens));
        CHECK(dump(ListReply{}.to_json()) == R"({"ok":true,"tokens":[]})");
    }
    SECTION("enable and disable") {
        auto back = SetDisabledReply::from_json(through_text(SetDisabledReply{laptop}.to_json()));
        REQUIRE(back.has_value());
        CHECK(to_json(back->token) == to_json(laptop));
    }
    SECTION("status") {
        StatusReply reply{"/run/user/1000/feedz-agent/agent.sock",
                          "secret-service",
                          2,
                          true,
                          std::chrono::seconds(900),
                          std::chrono::seconds(12),
                          std::nullopt};
        CHECK(dump(reply.to_json())
              == R"({"idle_timeout":900,"ok":true,"on_demand":true,)"
                 R"("socket":"/run/user/1000/feedz-agent/agent.sock","store":"secret-service",)"
                 R"("tokens":2,"uptime":12})");
        auto back = StatusReply::from_json(through_text(reply.to_json()));
        REQUIRE(back.has_value());
        CHECK(back->socket == reply.socket);
        CHECK(back->store == reply.store);
        CHECK(back->tokens == 2);
        CHECK(back->on_demand);
        CHECK(back->idle_timeout == std::chrono::seconds(900));
        CHECK(back->uptime == std::chrono::seconds(12));
        CHECK_FALSE(back->store_error.has_value());

        reply.store_error = make_error(Errc::store_locked, "unlock the keyring");
        back = StatusReply::from_json(through_text(reply.to_json()));
        REQUIRE(back.has_value());
        REQUIRE(back->store_error.has_value());
        CHECK(back->store_error->code == Errc::store_locked);
        CHECK(back->store_error->message == "unlock the keyring");
    }
    SECTION("stop") {
        CHECK(dump(StopReply{}.to_json()) == R"({"ok":true})");
        CHECK_FALSE(reply_error(StopReply{}.to_json()).has_value());
    }
}

TEST_CASE("protocol: an error reply round trips for every error code", "[ipc][protocol]") {
    for (Errc code : k_error_codes) {
        Error error = make_error(code, std::string("what went wrong: ") + to_string(code));
        json reply = error_reply(error);
        CHECK(dump(reply)
              == R"({"error":{"code":")" + std::string(to_string(code)) + R"(","message":")"
                     + error.message + R"("},"ok":false})");
        auto back = reply_error(through_text(reply));
        REQUIRE(back.has_value());
        CHECK(back->code == code);
        CHECK(back->message == error.message);
    }
}

TEST_CASE("protocol: a successful reply has no error", "[ipc][protocol]") {
    CHECK_FALSE(reply_error({{"ok", true}}).has_value());
    CHECK_FALSE(reply_error({{"ok", true}, {"token", nullptr}}).has_value());
    // "ok" decides, whatever else is there.
    CHECK_FALSE(reply_error({{"ok", true}, {"error", {{"code", "timeout"}}}}).has_value());
}

TEST_CASE("protocol: a reply without a boolean ok is a protocol error", "[ipc][protocol]") {
    for (const json& reply : {json::object(),
                              json{{"ok", "true"}},
                              json{{"ok", 1}},
                              json{{"ok", nullptr}},
                              json{{"error", {{"code", "timeout"}, {"message", "m"}}}},
                              json::array({true}),
                              json(nullptr)}) {
        INFO("reply: " << reply.dump());
        auto error = reply_error(reply);
        REQUIRE(error.has_value());
        CHECK(error->code == Errc::protocol_error);
    }
}

TEST_CASE("protocol: an error reply without a code and message is a protocol error",
          "[ipc][protocol]") {
    for (const json& reply : {json{{"ok", false}},
                              json{{"ok", false}, {"error", {{"code", 3}, {"message", false}}}},
                              json{{"ok", false}, {"error", {{"code", "timeout"}}}},
                              json{{"ok", false}, {"error", "timeout"}}}) {
        INFO("reply: " << reply.dump());
        auto error = reply_error(reply);
        REQUIRE(error.has_value());
        CHECK(error->code == Errc::protocol_error);
    }
}

// A newer agent may know more. An unknown code must not pass for a known one (it once became
// `internal`), and what the agent said must not be lost.
TEST_CASE("protocol: an unknown error code is a protocol error that keeps the agent's message",
          "[ipc][protocol]") {
    auto error = reply_error(
        {{"ok", false}, {"error", {{"code", "quota_exceeded"}, {"message", "too many tokens"}}}});
    REQUIRE(error.has_value());
    CHECK(error->code == Errc::protocol_error);
    CHECK_THAT(error->message, Catch::StartsWith("too many tokens"));
    CHECK_THAT(error->message, Catch::Contains("'quota_exceeded'"));
    CHECK_THAT(error->message, Catch::Contains("feedz-agent stop"));

    StatusReply status{"s", "memory", 0, false, {}, {}, std::nullopt};
    json reply = status.to_json();
    reply["store_error"] = {{"code", "quota_exceeded"}, {"message", "m"}};
    auto read = StatusReply::from_json(reply);
    REQUIRE(read.has_value());
    REQUIRE(read->store_error.has_value());
    CHECK(read->store_error->code == Errc::protocol_error);
}

// It once became `disabled`, and the user was told to enable a token that was not disabled.
TEST_CASE("protocol: an unknown rejection reason is a protocol error, not another reason",
          "[ipc][protocol]") {
    GetReply reply{std::nullopt, {{sample_token("old"), Rejection::expired}}};
    json wire = reply.to_json();
    wire["rejected"][0]["reason"] = "revoked";
    auto read = GetReply::from_json(wire);
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().code == Errc::protocol_error);
    CHECK_THAT(read.error().message, Catch::Contains("'revoked'"));
    CHECK_THAT(read.error().message, Catch::Contains("'old'"));

    wire["rejected"][0].erase("reason");
    read = GetReply::from_json(wire);
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().code == Errc::protocol_error);
}

TEST_CASE("protocol: a malformed reply is a protocol error, never an exception",
          "[ipc][protocol]") {
    const std::vector<json> replies = {
        json(nullptr),
        json::array(),
        json("ok"),
        {{"ok", true}},
        {{"ok", true}, {"token", "laptop"}},
        {{"ok", true}, {"token", nullptr}, {"rejected", "none"}},
        {{"ok", true}, {"token", nullptr}, {"rejected", {"x"}}},
        {{"ok", true}, {"tokens", {1}}},
        {{"ok", true}, {"erased", -1}},
        {{"ok", true}, {"erased", "1"}},
        {{"ok", true}, {"socket", "s"}, {"store", 1}},
    };
    auto check_error = [](const auto& read) {
        REQUIRE_FALSE(read.has_value());
        CHECK(read.error().code == Errc::protocol_error);
    };
    for (const json& reply : replies) {
        INFO("reply: " << reply.dump());
        check_error(GetReply::from_json(reply));
        check_error(StoreReply::from_json(reply));
        check_error(EraseReply::from_json(reply));
        check_error(ListReply::from_json(reply));
        check_error(SetDisabledReply::from_json(reply));
        check_error(StatusReply::from_json(reply));
        check_error(Greeting::from_json(reply));
    }
    json same_token = StoreReply{sample_token("laptop"), std::nullopt}.to_json();
    same_token["same_token_as"] = 5;
    check_error(StoreReply::from_json(same_token));
}
