// SPDX-License-Identifier: MIT
#include <agent/https/proxy.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <string>

using feedz::proxy_for;

namespace {

auto environment(std::map<std::string, std::string> values) {
    return [values](std::string_view name) -> std::optional<std::string> {
        auto it = values.find(std::string(name));
        if (it == values.end() || it->second.empty()) {
            return std::nullopt;
        }
        return it->second;
    };
}

} // namespace

TEST_CASE("proxy_for: https uses https_proxy, then HTTPS_PROXY, then all_proxy", "[net][proxy]") {
    auto proxy =
        proxy_for("https", "f.feedz.io", environment({{"https_proxy", "http://p.example:3128"}}));
    REQUIRE(proxy);
    REQUIRE(*proxy);
    CHECK((*proxy)->host == "p.example");
    CHECK((*proxy)->port == 3128);
    CHECK((*proxy)->username.empty());

    proxy = proxy_for("https", "f.feedz.io", environment({{"HTTPS_PROXY", "upper.example:8080"}}));
    REQUIRE(proxy);
    REQUIRE(*proxy);
    CHECK((*proxy)->host == "upper.example");
    CHECK((*proxy)->port == 8080);

    proxy = proxy_for("https", "f.feedz.io", environment({{"ALL_PROXY", "http://all.example"}}));
    REQUIRE(proxy);
    REQUIRE(*proxy);
    CHECK((*proxy)->host == "all.example");
    CHECK((*proxy)->port == 1080);

    // http_proxy is for http only.
    proxy = proxy_for("https", "f.feedz.io", environment({{"http_proxy", "http://h.example:1"}}));
    REQUIRE(proxy);
    CHECK_FALSE(*proxy);
    proxy = proxy_for("http", "127.0.0.1", environment({{"http_proxy", "http://h.example:1"}}));
    REQUIRE(proxy);
    CHECK(*proxy);
}

TEST_CASE("proxy_for: credentials in the proxy URL, percent-decoded", "[net][proxy]") {
    auto proxy = proxy_for("https",
                           "f.feedz.io",
                           environment({{"https_proxy", "http://me%40corp:p%3Ass@[::1]:3128/"}}));
    REQUIRE(proxy);
    REQUIRE(*proxy);
    CHECK((*proxy)->host == "::1");
    CHECK((*proxy)->port == 3128);
    CHECK((*proxy)->username == "me@corp");
    CHECK((*proxy)->password == "p:ss");
}

TEST_CASE("proxy_for: no_proxy bypasses hosts, domains and everything", "[net][proxy]") {
    const std::map<std::string, std::string> base = {{"https_proxy", "http://p.example:3128"}};
    auto with = [&](const std::string& no_proxy) {
        auto values = base;
        values["no_proxy"] = no_proxy;
        return environment(values);
    };
    for (const auto& [no_proxy, host, bypass] :
         std::vector<std::tuple<std::string, std::string, bool>>{
             {"f.feedz.io", "f.feedz.io", true},
             {"feedz.io", "f.feedz.io", true},
             {".feedz.io", "f.feedz.io", true},
             {"localhost, .feedz.io", "F.FEEDZ.IO", true},
             {"notfeedz.io", "f.feedz.io", false},
             {"oo.io", "f.feedz.io", false},
             {"*", "anything.example", true},
             {"127.0.0.1:8443", "127.0.0.1", true},
             {"::1", "[::1]", true},
             {"", "f.feedz.io", false},
         }) {
        INFO(no_proxy << " / " << host);
        auto proxy = proxy_for("https", host, with(no_proxy));
        REQUIRE(proxy);
        CHECK(proxy->has_value() == !bypass);
    }
    auto upper = base;
    upper["NO_PROXY"] = "f.feedz.io";
    auto proxy = proxy_for("https", "f.feedz.io", environment(upper));
    REQUIRE(proxy);
    CHECK_FALSE(*proxy);
}

TEST_CASE("proxy_for: no proxy configured means a direct connection", "[net][proxy]") {
    auto proxy = proxy_for("https", "f.feedz.io", environment({}));
    REQUIRE(proxy);
    CHECK_FALSE(*proxy);
}

TEST_CASE("proxy_for: a value that is not a proxy URL names the variable, never the password",
          "[net][proxy]") {
    for (const auto& value : {"socks5://p.example:1080",
                              "http://:3128",
                              "http://p.example:99999",
                              "http://user:T-secretsecret@p.example:x"}) {
        INFO(value);
        auto proxy = proxy_for("https", "f.feedz.io", environment({{"https_proxy", value}}));
        REQUIRE_FALSE(proxy);
        CHECK(proxy.error().message.find("https_proxy") != std::string::npos);
        CHECK(proxy.error().message.find("secret") == std::string::npos);
    }
}
