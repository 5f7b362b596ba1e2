// SPDX-License-Identifier: MIT
#include "scratch_directory.hpp"
#include <agent/core/token.hpp>
#include <agent/server/request_handler.hpp>
#include <agent/store/memory_store.hpp>
#include <agent/util/file.hpp>

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

using namespace feedz;
using nlohmann::json;

namespace {

// Distinctive tokens, so that a search for them in output and files cannot hit by accident.
const std::string k_laptop_secret = "T-LAPtq9Zx7Vb2Kp9Lm3Nz4Rt8Wy";
const std::string k_ci_secret = "T-CIwm5Hg6Dd4Ss1Ff0Qa2Ee3";
const std::string k_feed = "https://f.feedz.io/acme/pkgs/";
const std::string k_url = "https://f.feedz.io/acme/pkgs/npm/left-pad";

// A RequestHandler over a MemoryStore with an audit log in a scratch directory.
class Agent {
public:
    Agent()
        : m_audit(AuditLog::open(m_dir.path("state/feedz-agent/audit.log"))) {
        REQUIRE(m_audit.has_value());
        m_facts.socket_path = m_dir.path("agent.sock");
        m_facts.on_demand = true;
        m_facts.idle_timeout = std::chrono::seconds(900);
        m_handler.emplace(m_registry, *m_audit, m_facts);
    }

    RequestHandler& handler() { return *m_handler; }

    MemoryStore& store() { return m_store; }

    TokenRegistry& registry() { return m_registry; }

    const std::string& audit_path() const { return m_audit->path(); }

    Peer peer{4242, 1000, "/usr/bin/dotnet"};

    Reply call(json header, std::string_view secret = {}) {
        Message message;
        message.header = std::move(header);
        if (!secret.empty()) {
            message.secret = SecretString(secret);
        }
        return m_handler->handle(message, peer);
    }

    Reply
    store_token(const std::string& name, const std::string& secret, json fields = json::object()) {
        json token = {{"name", name}, {"scopes", {k_feed}}, {"access", "read"}};
        token.update(fields);
        return call({{"op", "store"}, {"token", token}}, secret);
    }

    Reply get(const std::string& url, const std::string& operation = "read") {
        return call({{"op", "get"}, {"url", url}, {"operation", operation}});
    }

    std::string audit_text() const { return read_existing_file(m_audit->path()); }

    std::vector<json> audit_entries() const {
        std::vector<json> entries;
        std::istringstream lines(audit_text());
        std::string line;
        while (std::getline(lines, line)) {
            json entry = json::parse(line, nullptr, false);
            REQUIRE_FALSE(entry.is_discarded());
            entries.push_back(std::move(entry));
        }
        return entries;
    }

    std::size_t stored_count() {
        auto listed = m_store.list();
        REQUIRE(listed.has_value());
        return listed->size();
    }

private:
    ScratchDirectory m_dir;
    MemoryStore m_store;
    TokenRegistry m_registry{m_store};
    Result<AuditLog> m_audit;
    AgentFacts m_facts;
    std::optional<RequestHandler> m_handler;
};

void check_ok(const Reply& reply) {
    INFO("reply: " << reply.header.dump());
    REQUIRE(reply.header.value("ok", false));
}

void check_error(const Reply& reply, Errc code) {
    INFO("reply: " << reply.header.dump());
    REQUIRE(reply.header.value("ok", true) == false);
    REQUIRE(reply.header.contains("error"));
    const json& error = reply.header.at("error");
    CHECK(error.value("code", "") == to_string(code));
    CHECK((error.contains("message") && error.at("message").is_string()));
    CHECK(reply.secret.empty());
    CHECK_FALSE(reply.stop_agent);
}

// True when `text` contains `secret` or the part of it after the 7-character prefix.
bool contains_secret(const std::string& text, const std::string& secret) {
    return text.find(secret) != std::string::npos
           || text.find(secret.substr(k_token_prefix_length)) != std::string::npos;
}

} // namespace

TEST_CASE("RequestHandler: the greeting names the agent, protocol, pid and store",
          "[server][request_handler]") {
    Agent agent;
    json greeting = agent.handler().greeting();
    CHECK(greeting["agent"] == "feedz-agent");
    CHECK(greeting["protocol"] == k_protocol_version);
    CHECK(greeting["pid"] == static_cast<long>(::getpid()));
    CHECK(greeting["store"] == "memory");
    CHECK(greeting["version"].is_string());
}

TEST_CASE("RequestHandler: a stored token is served for a URL it covers",
          "[server][request_handler]") {
    Agent agent;
    Reply stored = agent.store_token("laptop", k_laptop_secret);
    check_ok(stored);
    CHECK(stored.header["token"]["name"] == "laptop");
    CHECK(stored.secret.empty());
    CHECK_FALSE(contains_secret(stored.header.dump(), k_laptop_secret));
    CHECK(agent.stored_count() == 1);

    Reply got = agent.get(k_url);
    check_ok(got);
    REQUIRE(got.header["token"].is_object());
    CHECK(got.header["token"]["name"] == "laptop");
    CHECK(got.header["token"]["prefix"] == "T-LAPtq");
    CHECK(got.header["token"]["scopes"] == json::array({k_feed}));
    // The secret travels after the header; MessageChannel::write sets its length.
    CHECK(got.secret.view() == k_laptop_secret);
    CHECK(got.header["rejected"] == json::array());
    CHECK_FALSE(contains_secret(got.header.dump(), k_laptop_secret));
    CHECK_FALSE(got.stop_agent);
}

TEST_CASE("RequestHandler: the agent sets prefix and creation time, not the client",
          "[server][request_handler]") {
    Agent agent;
    auto before =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    Reply stored = agent.store_token(
        "laptop",
        k_laptop_secret,
        {{"prefix", "FORGED!"}, {"created", "2001-01-01T00:00:00Z"}, {"expires", "2099-12-31"}});
    auto after =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    check_ok(stored);
    json token = stored.header["token"];
    CHECK(token["prefix"] == token_prefix(k_laptop_secret));
    auto created = parse_timestamp(token["created"].get<std::string>());
    REQUIRE(created.has_value());
    CHECK(*created >= before);
    CHECK(*created <= after);
    CHECK(token["expires"] == "2099-12-31");
    CHECK(token["disabled"] == false);

    // The store holds what the agent decided.
    auto held = agent.store().get("laptop");
    REQUIRE(held.has_value());
    REQUIRE(held->has_value());
    CHECK((*held)->info.prefix == token_prefix(k_laptop_secret));
    CHECK((*held)->info.created == *created);
    CHECK((*held)->secret.view() == k_laptop_secret);
}

TEST_CASE("RequestHandler: scopes are normalised when a token is stored",
          "[server][request_handler]") {
    Agent agent;
    Reply stored = agent.store_token(
        "laptop",
        k_laptop_secret,
        {{"scopes", {"HTTPS://F.FEEDZ.IO:443/acme/pkgs", "https://Feeds.Example.com:8443/x/"}}});
    check_ok(stored);
    CHECK(stored.header["token"]["scopes"]
          == json::array({"https://f.feedz.io/acme/pkgs/", "https://feeds.example.com:8443/x/"}));
    CHECK(agent.get(k_url).header["token"]["name"] == "laptop");
    CHECK(agent.get("https://f.feedz.io/acme/pkgs2/npm/").header["token"].is_null());
}

TEST_CASE("RequestHandler: get for a URL no token covers answers token null, not an error",
          "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("laptop", k_laptop_secret));
    for (const std::string url : {"https://f.feedz.io/acme/pkgs2/npm/left-pad",
                                  "https://f.feedz.io/other/repo/nuget/index.json",
                                  "https://feeds.example.com/acme/pkgs/"}) {
        Reply reply = agent.get(url);
        INFO("url: " << url);
        check_ok(reply);
        REQUIRE(reply.header.contains("token"));
        CHECK(reply.header["token"].is_null());
        CHECK(reply.header["rejected"] == json::array());
        CHECK_FALSE(reply.header.contains("secret_length"));
        CHECK(reply.secret.empty());
    }
}

TEST_CASE("RequestHandler: disabled, expired and too-weak tokens are listed in rejected",
          "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("old", k_ci_secret, {{"expires", "2020-01-01"}}));
    check_ok(agent.store_token("off", k_laptop_secret, {{"access", "full"}}));
    check_ok(agent.call({{"op", "disable"}, {"name", "off"}}));

    Reply reply = agent.get(k_url);
    check_ok(reply);
    CHECK(reply.header["token"].is_null());
    CHECK(reply.secret.empty());
    const json& rejected = reply.header["rejected"];
    REQUIRE(rejected.size() == 2);
    std::map<std::string, std::string> reasons;
    for (const auto& entry : rejected) {
        reasons[entry.at("token").at("name").get<std::string>()] =
            entry.at("reason").get<std::string>();
    }
    CHECK(reasons == std::map<std::string, std::string>{{"old", "expired"}, {"off", "disabled"}});
    CHECK_FALSE(contains_secret(reply.header.dump(), k_laptop_secret));
    CHECK_FALSE(contains_secret(reply.header.dump(), k_ci_secret));

    // A read token asked to publish.
    check_ok(agent.store_token("reader", "T-READERsecret-0123456"));
    Reply write = agent.get(k_url, "write");
    check_ok(write);
    CHECK(write.header["token"].is_null());
    bool insufficient = false;
    for (const auto& entry : write.header["rejected"]) {
        if (entry.at("token").at("name") == "reader") {
            insufficient = entry.at("reason") == "insufficient_access";
        }
    }
    CHECK(insufficient);
    // Reading works with it.
    Reply read = agent.get(k_url, "read");
    CHECK(read.header["token"]["name"] == "reader");
    CHECK(read.secret.view() == "T-READERsecret-0123456");
}

TEST_CASE("RequestHandler: get picks by operation among several tokens",
          "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("reader", k_laptop_secret, {{"access", "read"}}));
    check_ok(agent.store_token("publisher", k_ci_secret, {{"access", "read-write"}}));
    CHECK(agent.get(k_url, "read").secret.view() == k_laptop_secret);
    CHECK(agent.get(k_url, "write").secret.view() == k_ci_secret);
    Reply manage = agent.get(k_url, "manage");
    check_ok(manage);
    CHECK(manage.header["token"].is_null());
    CHECK(manage.header["rejected"].size() == 2);
}

TEST_CASE("RequestHandler: disable and enable switch a token off and on",
          "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("laptop", k_laptop_secret));

    Reply disabled = agent.call({{"op", "disable"}, {"name", "laptop"}});
    check_ok(disabled);
    CHECK(disabled.header["token"]["name"] == "laptop");
    CHECK(disabled.header["token"]["disabled"] == true);
    CHECK(agent.get(k_url).header["token"].is_null());
    auto held = agent.store().get("laptop");
    REQUIRE(held.has_value());
    REQUIRE(held->has_value());
    CHECK((*held)->info.disabled); // the change reached the store

    // Disabling twice is fine.
    check_ok(agent.call({{"op", "disable"}, {"name", "laptop"}}));

    Reply enabled = agent.call({{"op", "enable"}, {"name", "laptop"}});
    check_ok(enabled);
    CHECK(enabled.header["token"]["disabled"] == false);
    Reply got = agent.get(k_url);
    CHECK(got.header["token"]["name"] == "laptop");
    CHECK(got.secret.view() == k_laptop_secret);
    CHECK_FALSE(contains_secret(enabled.header.dump(), k_laptop_secret));
}

TEST_CASE("RequestHandler: enable or disable of an unknown token is not_found",
          "[server][request_handler]") {
    Agent agent;
    for (const char* op : {"enable", "disable"}) {
        Reply reply = agent.call({{"op", op}, {"name", "nobody"}});
        check_error(reply, Errc::not_found);
        CHECK_THAT(reply.header["error"]["message"].get<std::string>(), Catch::Contains("nobody"));
        check_error(agent.call({{"op", op}}), Errc::protocol_error);
        check_error(agent.call({{"op", op}, {"name", 7}}), Errc::protocol_error);
    }
}

TEST_CASE("RequestHandler: erase removes one token and says how many",
          "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("laptop", k_laptop_secret));
    check_ok(agent.store_token("ci", k_ci_secret));
    Reply erased = agent.call({{"op", "erase"}, {"name", "laptop"}});
    check_ok(erased);
    CHECK(erased.header["erased"] == 1);
    CHECK(agent.stored_count() == 1);
    CHECK(agent.get(k_url).header["token"]["name"] == "ci");

    Reply again = agent.call({{"op", "erase"}, {"name", "laptop"}});
    check_ok(again);
    CHECK(again.header["erased"] == 0);
}

TEST_CASE("RequestHandler: erase all removes every token", "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("laptop", k_laptop_secret));
    check_ok(agent.store_token("ci", k_ci_secret));
    check_ok(agent.store_token("third", "T-THIRDsecret-01234567"));
    Reply erased = agent.call({{"op", "erase"}, {"all", true}});
    check_ok(erased);
    CHECK(erased.header["erased"] == 3);
    CHECK(agent.stored_count() == 0);
    CHECK(agent.get(k_url).header["token"].is_null());
    Reply list = agent.call({{"op", "list"}});
    check_ok(list);
    CHECK(list.header["tokens"] == json::array());
    // Nothing left: erasing all again erases none.
    CHECK(agent.call({{"op", "erase"}, {"all", true}}).header["erased"] == 0);
}

TEST_CASE("RequestHandler: erase needs a name or all", "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("laptop", k_laptop_secret));
    check_error(agent.call({{"op", "erase"}}), Errc::protocol_error);
    check_error(agent.call({{"op", "erase"}, {"name", 3}}), Errc::protocol_error);
    check_error(agent.call({{"op", "erase"}, {"all", false}}), Errc::protocol_error);
    CHECK(agent.stored_count() == 1);
}

// A request is untrusted input: a wrong type must give an error reply, never an exception
// (the connection thread does not catch, so an exception would end the agent).
TEST_CASE("RequestHandler: erase with a non-boolean all is an error reply, not an exception",
          "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("laptop", k_laptop_secret));
    for (const json& all : {json("yes"), json(1), json(nullptr), json::array()}) {
        INFO("all: " << all.dump());
        std::optional<Reply> reply;
        CHECK_NOTHROW(reply.emplace(agent.call({{"op", "erase"}, {"all", all}})));
        if (reply) {
            check_error(*reply, Errc::protocol_error);
        }
    }
    CHECK(agent.stored_count() == 1);
}

TEST_CASE("RequestHandler: list shows every token without its secret",
          "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("laptop", k_laptop_secret));
    check_ok(agent.store_token("ci", k_ci_secret, {{"access", "read-write"}}));
    Reply list = agent.call({{"op", "list"}});
    check_ok(list);
    CHECK(list.secret.empty());
    const json& tokens = list.header["tokens"];
    REQUIRE(tokens.size() == 2);
    std::map<std::string, std::string> prefixes;
    for (const auto& token : tokens) {
        prefixes[token.at("name").get<std::string>()] = token.at("prefix").get<std::string>();
    }
    CHECK(prefixes == std::map<std::string, std::string>{{"laptop", "T-LAPtq"}, {"ci", "T-CIwm5"}});
    std::string text = list.header.dump();
    CHECK_FALSE(contains_secret(text, k_laptop_secret));
    CHECK_FALSE(contains_secret(text, k_ci_secret));
}

TEST_CASE("RequestHandler: list picks up tokens stored behind the agent's back",
          "[server][request_handler]") {
    Agent agent;
    StoredToken token;
    token.info.name = "direct";
    token.info.prefix = token_prefix(k_ci_secret);
    token.info.scopes = {k_feed};
    token.secret = SecretString(k_ci_secret);
    REQUIRE(agent.store().put(token).has_value());
    Reply list = agent.call({{"op", "list"}});
    check_ok(list);
    REQUIRE(list.header["tokens"].size() == 1);
    CHECK(list.header["tokens"][0]["name"] == "direct");
    // list refreshed the registry, so get serves it too.
    CHECK(agent.get(k_url).secret.view() == k_ci_secret);
}

TEST_CASE("RequestHandler: status reports the agent's facts", "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("laptop", k_laptop_secret));
    Reply status = agent.call({{"op", "status"}});
    check_ok(status);
    CHECK_THAT(status.header["socket"].get<std::string>(), Catch::EndsWith("/agent.sock"));
    CHECK(status.header["tokens"] == 1);
    CHECK(status.header["store"] == "memory");
    CHECK(status.header["on_demand"] == true);
    CHECK(status.header["idle_timeout"] == 900);
    CHECK(status.header["uptime"].is_number_integer());
    CHECK(status.header["uptime"] >= 0);
    CHECK_FALSE(status.header.contains("store_error"));
    CHECK_FALSE(status.stop_agent);
}

TEST_CASE("RequestHandler: stop answers ok and asks the agent to stop",
          "[server][request_handler]") {
    Agent agent;
    Reply reply = agent.call({{"op", "stop"}});
    check_ok(reply);
    CHECK(reply.stop_agent);
    for (const char* op : {"status", "list"}) {
        CHECK_FALSE(agent.call({{"op", op}}).stop_agent);
    }
    CHECK_FALSE(agent.get(k_url).stop_agent);
}

TEST_CASE("RequestHandler: an unknown or missing op is a protocol error",
          "[server][request_handler]") {
    Agent agent;
    Reply unknown = agent.call({{"op", "frobnicate"}});
    check_error(unknown, Errc::protocol_error);
    CHECK(unknown.header["error"]["message"] == "unknown request 'frobnicate'");
    Reply missing = agent.call(json::object());
    check_error(missing, Errc::protocol_error);
    CHECK(missing.header["error"]["message"] == "request without \"op\"");
    check_error(agent.call({{"op", 1}}), Errc::protocol_error);
    check_error(agent.call({{"op", nullptr}}), Errc::protocol_error);
    check_error(agent.call({{"op", "GET"}}), Errc::protocol_error);
    check_error(agent.call({{"op", ""}}), Errc::protocol_error);
}

TEST_CASE("RequestHandler: get with a missing URL or a bad operation is a protocol error",
          "[server][request_handler]") {
    Agent agent;
    check_error(agent.call({{"op", "get"}}), Errc::protocol_error);
    check_error(agent.call({{"op", "get"}, {"url", 7}, {"operation", "read"}}),
                Errc::protocol_error);
    for (const char* operation : {"delete", "READ", "", "full"}) {
        INFO("operation: " << operation);
        check_error(agent.get(k_url, operation), Errc::protocol_error);
    }
}

// PROTOCOL.md: "operation is read, write or manage". A request that gives something else is
// malformed, whatever its type; today a non-string operation is silently taken as "read".
TEST_CASE("RequestHandler: get with an operation that is not a string is a protocol error",
          "[server][request_handler]") {
    Agent agent;
    for (const json& operation : {json(2), json(true), json::array({"write"}), json(nullptr)}) {
        INFO("operation: " << operation.dump());
        check_error(agent.call({{"op", "get"}, {"url", k_url}, {"operation", operation}}),
                    Errc::protocol_error);
    }
}

TEST_CASE("RequestHandler: get with a URL that is not an https feed URL is invalid_argument",
          "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("laptop", k_laptop_secret));
    for (const char* url : {"",
                            "acme/pkgs",
                            "ftp://f.feedz.io/acme/pkgs/",
                            "http://f.feedz.io/acme/pkgs/",
                            "https://user:pw@f.feedz.io/acme/pkgs/",
                            "https://f.feedz.io:99999/acme/pkgs/",
                            "https:///acme/pkgs/"}) {
        INFO("url: " << url);
        check_error(agent.get(url), Errc::invalid_argument);
    }
}

TEST_CASE("RequestHandler: get for a URL that may leave its scope on the server gets no token",
          "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("laptop", k_laptop_secret));
    for (const char* url : {"https://f.feedz.io/acme/pkgs/..%2fother/",
                            "https://f.feedz.io/acme/pkgs/..%5Cother/",
                            "https://f.feedz.io/acme/pkgs//../other/"}) {
        INFO("url: " << url);
        Reply got = agent.get(url);
        CHECK(got.secret.empty());
        check_error(got, Errc::invalid_argument);
    }
}

TEST_CASE("RequestHandler: store without a secret is a protocol error",
          "[server][request_handler]") {
    Agent agent;
    Reply reply = agent.store_token("laptop", "");
    check_error(reply, Errc::protocol_error);
    CHECK(agent.stored_count() == 0);
}

TEST_CASE("RequestHandler: store with an invalid token is invalid_argument and does not quote it",
          "[server][request_handler]") {
    Agent agent;
    for (const std::string& secret : {std::string("T-LAPtq9Zx7"),
                                      std::string("T-LAPtq9Zx7Vb2 Kp9Lm3Nz4"),
                                      std::string("T-LAPtq9Zx7Vb2\tKp9Lm3Nz4"),
                                      std::string("T-LAPtq9Zx7Vb2Kp9Lm3Nz4\n"),
                                      std::string("T-LAPtq9Zx7Vb2\x01Kp9Lm3Nz4"),
                                      std::string("T-LAPtq9Zx7Vb2Kp9Lm3Nz4\xC3\xA9"),
                                      std::string(2000, 'L')}) {
        Reply reply = agent.store_token("laptop", secret);
        check_error(reply, Errc::invalid_argument);
        std::string text = reply.header.dump();
        CHECK(text.find("LAPtq9") == std::string::npos);
        CHECK(text.find("Zx7Vb2") == std::string::npos);
        CHECK(text.find("LLLLLL") == std::string::npos);
    }
    CHECK(agent.stored_count() == 0);
}

TEST_CASE("RequestHandler: store with a bad name or scopes is invalid_argument",
          "[server][request_handler]") {
    Agent agent;
    for (const char* name : {"-laptop", "my laptop", "", ".hidden"}) {
        INFO("name: " << name);
        check_error(agent.store_token(name, k_laptop_secret), Errc::invalid_argument);
    }
    check_error(agent.store_token("laptop", k_laptop_secret, {{"scopes", json::array()}}),
                Errc::invalid_argument);
    for (const char* scope : {"acme/pkgs", "http://f.feedz.io/", "ftp://h/", "https://u:p@h/"}) {
        INFO("scope: " << scope);
        check_error(agent.store_token("laptop", k_laptop_secret, {{"scopes", {scope}}}),
                    Errc::invalid_argument);
    }
    CHECK(agent.stored_count() == 0);
}

TEST_CASE("RequestHandler: store with malformed token fields is a protocol error",
          "[server][request_handler]") {
    Agent agent;
    check_error(agent.call({{"op", "store"}}, k_laptop_secret), Errc::protocol_error);
    check_error(agent.call({{"op", "store"}, {"token", "laptop"}}, k_laptop_secret),
                Errc::protocol_error);
    check_error(agent.call({{"op", "store"}, {"token", {{"scopes", {k_feed}}, {"access", "read"}}}},
                           k_laptop_secret),
                Errc::protocol_error);
    const std::vector<json> bad_fields = {
        {{"access", "admin"}},
        {{"access", nullptr}},
        {{"scopes", k_feed}},
        {{"scopes", {1}}},
        {{"expires", "2026-02-29"}},
        {{"expires", "tomorrow"}},
        {{"disabled", "no"}},
        {{"name", 5}},
    };
    for (const json& fields : bad_fields) {
        INFO("fields: " << fields.dump());
        check_error(agent.store_token("laptop", k_laptop_secret, fields), Errc::protocol_error);
    }
    CHECK(agent.stored_count() == 0);
}

TEST_CASE("RequestHandler: the same token stored under a second name is pointed out",
          "[server][request_handler]") {
    Agent agent;
    Reply first = agent.store_token("laptop", k_laptop_secret);
    check_ok(first);
    CHECK_FALSE(first.header.contains("same_token_as"));

    Reply second = agent.store_token("desktop", k_laptop_secret);
    check_ok(second);
    CHECK(second.header["same_token_as"] == "laptop");
    CHECK(agent.stored_count() == 2);

    // Replacing a token under its own name is not "the same token as" itself.
    Reply replaced = agent.store_token("laptop", k_laptop_secret, {{"access", "full"}});
    check_ok(replaced);
    CHECK(replaced.header.value("same_token_as", "") != "laptop");

    Reply other = agent.store_token("ci", k_ci_secret);
    check_ok(other);
    CHECK_FALSE(other.header.contains("same_token_as"));
    CHECK_FALSE(contains_secret(second.header.dump(), k_laptop_secret));
}

TEST_CASE("RequestHandler: the audit log records who asked for what, by prefix only",
          "[server][request_handler]") {
    Agent agent;
    check_ok(agent.store_token("laptop", k_laptop_secret));
    Reply got = agent.get(k_url);
    check_ok(got);
    agent.get("https://f.feedz.io/other/repo/");
    agent.call({{"op", "frobnicate"}});

    std::vector<json> entries = agent.audit_entries();
    REQUIRE(entries.size() >= 4);
    for (const auto& entry : entries) {
        INFO("entry: " << entry.dump());
        CHECK(entry.value("time", "").size() == 20);
        CHECK(parse_timestamp(entry.value("time", "")).has_value());
        CHECK(entry.value("pid", 0) == 4242);
        CHECK(entry.value("uid", 0) == 1000);
        CHECK(entry.value("exe", "") == "/usr/bin/dotnet");
        CHECK_FALSE(entry.value("decision", "").empty());
    }
    json store = entries[entries.size() - 4];
    CHECK(store["op"] == "store");
    CHECK(store["name"] == "laptop");
    CHECK(store["token"] == "T-LAPtq");
    CHECK(store["decision"] == "ok");

    json served = entries[entries.size() - 3];
    CHECK(served["op"] == "get");
    CHECK(served["url"] == k_url);
    CHECK(served["operation"] == "read");
    CHECK(served["decision"] == "served");
    CHECK(served["name"] == "laptop");
    CHECK(served["token"] == "T-LAPtq");

    json not_found = entries[entries.size() - 2];
    CHECK(not_found["decision"] == "not_found");
    CHECK_FALSE(not_found.contains("token"));

    json failed = entries.back();
    CHECK(failed["op"] == "frobnicate");
    CHECK(failed["decision"] == "error");
    CHECK(failed["error"] == "protocol_error");
}

TEST_CASE("RequestHandler: the audit log is private to the user", "[server][request_handler]") {
    Agent agent;
    agent.get(k_url);

    struct stat st {};

    REQUIRE(::stat(agent.audit_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    std::string directory = agent.audit_path().substr(0, agent.audit_path().rfind('/'));
    REQUIRE(::stat(directory.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0700);
}

TEST_CASE("RequestHandler: no token text reaches the audit log after a full session",
          "[server][request_handler]") {
    Agent agent;
    const std::string bad_secret = "T-BADxx9Zx7Vb2 Kp9Lm3Nz4";
    check_ok(agent.store_token("laptop", k_laptop_secret));
    check_ok(agent.store_token("ci", k_ci_secret, {{"access", "read-write"}}));
    check_ok(agent.store_token("copy", k_laptop_secret));
    check_error(agent.store_token("bad", bad_secret), Errc::invalid_argument);
    check_error(agent.store_token("-bad", k_ci_secret), Errc::invalid_argument);
    agent.get(k_url);
    agent.get(k_url, "write");
    agent.get(k_url, "manage");
    agent.get("https://f.feedz.io/other/repo/npm/");
    agent.call({{"op", "disable"}, {"name", "laptop"}});
    agent.get(k_url);
    agent.call({{"op", "enable"}, {"name", "laptop"}});
    agent.call({{"op", "list"}});
    agent.call({{"op", "status"}});
    agent.call({{"op", "erase"}, {"name", "copy"}});
    agent.call({{"op", "erase"}, {"all", true}});
    agent.call({{"op", "stop"}});

    std::string log = agent.audit_text();
    CHECK_FALSE(log.empty());
    CHECK_THAT(log, Catch::Contains("T-LAPtq")); // the prefix identifies the token
    CHECK_FALSE(contains_secret(log, k_laptop_secret));
    CHECK_FALSE(contains_secret(log, k_ci_secret));
    CHECK(log.find("Zx7Vb2 Kp9") == std::string::npos);
    CHECK(log.find("Kp9Lm3Nz4") == std::string::npos);
}

// People paste "https://user:TOKEN@host/..." URLs; the audit log must not keep the password.
TEST_CASE("RequestHandler: a get URL with user info does not put the password in the audit log",
          "[server][request_handler]") {
    Agent agent;
    Reply reply = agent.get("https://user:" + k_ci_secret + "@f.feedz.io/acme/pkgs/npm/x");
    check_error(reply, Errc::invalid_argument);
    CHECK_FALSE(contains_secret(reply.header.dump(), k_ci_secret));
    CHECK_FALSE(contains_secret(agent.audit_text(), k_ci_secret));
}

namespace {

// A keychain that is there but locked: every operation fails with store_locked.
class LockedStore final : public SecretStore {
public:
    const char* kind() const override { return "secret-service"; }

    Result<std::optional<StoredToken>> get(std::string_view) override { return locked(); }

    Result<void> put(const StoredToken&) override { return locked(); }

    Result<bool> erase(std::string_view) override { return locked(); }

    Result<std::vector<TokenInfo>> list() override { return locked(); }

private:
    static Error locked() {
        return make_error(Errc::store_locked, "the login keyring is locked; unlock it");
    }
};

} // namespace

TEST_CASE("RequestHandler: a locked keychain is reported as store_locked, never as no token",
          "[server][request_handler]") {
    ScratchDirectory dir;
    LockedStore store;
    TokenRegistry registry(store);
    auto audit = AuditLog::open(dir.path("audit.log"));
    REQUIRE(audit.has_value());
    AgentFacts facts;
    RequestHandler handler(registry, *audit, facts);
    REQUIRE_FALSE(registry.refresh().has_value()); // what the agent does at start
    const Peer peer{1, 1000, "/usr/bin/npm"};
    auto call = [&](json header, std::string_view secret = {}) {
        Message message;
        message.header = std::move(header);
        if (!secret.empty()) {
            message.secret = SecretString(secret);
        }
        return handler.handle(message, peer);
    };

    Reply got = call({{"op", "get"}, {"url", k_url}, {"operation", "read"}});
    check_error(got, Errc::store_locked);
    CHECK_FALSE(got.header.contains("token"));
    CHECK_THAT(got.header["error"]["message"].get<std::string>(), Catch::Contains("unlock"));

    check_error(call({{"op", "list"}}), Errc::store_locked);
    check_error(call({{"op", "store"},
                      {"token", {{"name", "laptop"}, {"scopes", {k_feed}}, {"access", "read"}}}},
                     k_laptop_secret),
                Errc::store_locked);
    check_error(call({{"op", "erase"}, {"name", "laptop"}}), Errc::store_locked);
    check_error(call({{"op", "disable"}, {"name", "laptop"}}), Errc::store_locked);
    CHECK(registry.size() == 0);

    Reply status = call({{"op", "status"}});
    check_ok(status);
    CHECK(status.header["store"] == "secret-service");
    CHECK(status.header["store_error"]["code"] == "store_locked");
    CHECK_THAT(status.header["store_error"]["message"].get<std::string>(),
               Catch::Contains("unlock"));
}
