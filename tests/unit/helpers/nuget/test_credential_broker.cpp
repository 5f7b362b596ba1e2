// SPDX-License-Identifier: MIT
#include "fake_credential_source.hpp"
#include <helpers/nuget/credential_broker.hpp>

#include <catch2/catch.hpp>

using namespace feedz;
using namespace feedz::nuget;
using namespace feedz::nuget::test;

namespace {

const std::string k_root = "https://feeds.example/acme/pkgs/";
const std::string k_source = k_root + "nuget/index.json";
const std::string k_read = "T-readAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const std::string k_write = "T-writeBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
const std::string k_full = "T-fullCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";

std::string all_text(const CredentialAnswer& answer) {
    std::string text;
    for (const auto& message : answer.messages) {
        text += message.text + "\n";
    }
    return text;
}

} // namespace

TEST_CASE("CredentialBroker: read first, then escalate on each retry", "[nuget][broker]") {
    FakeCredentialSource source;
    source.add("r", k_root, Access::read, k_read);
    source.add("w", k_root, Access::read_write, k_write);
    source.add("f", k_root, Access::full, k_full);
    CredentialBroker broker(source);

    auto first = broker.answer(k_source, false);
    REQUIRE(first.token);
    CHECK(first.secret.view() == k_read);
    broker.delivered(first);

    auto second = broker.answer(k_source, true);
    REQUIRE(second.token);
    CHECK(second.secret.view() == k_write);
    REQUIRE(second.messages.size() == 1);
    CHECK(second.messages[0].level == LogLevel::information);
    broker.delivered(second);

    auto third = broker.answer(k_source, true);
    REQUIRE(third.token);
    CHECK(third.secret.view() == k_full);
    broker.delivered(third);

    auto last = broker.answer(k_source, true);
    CHECK_FALSE(last.token);
    CHECK(last.decision == Decision::refused);
    CHECK_THAT(all_text(last), Catch::Contains(k_full.substr(0, 7)));
}

TEST_CASE("CredentialBroker: a retry without a delivered token is a first request",
          "[nuget][broker]") {
    FakeCredentialSource source;
    source.add("r", k_root, Access::read, k_read);
    CredentialBroker broker(source);
    auto answer = broker.answer(k_source, true);
    REQUIRE(answer.token);
    CHECK(answer.secret.view() == k_read);
    // Not delivered (cancelled): a retry does not blame it.
    auto again = broker.answer(k_source, true);
    REQUIRE(again.token);
}

TEST_CASE("CredentialBroker: a Read token refused for a push names the access level needed",
          "[nuget][broker]") {
    FakeCredentialSource source;
    source.add("laptop", k_root, Access::read, k_read);
    CredentialBroker broker(source);
    auto first = broker.answer(k_source, false);
    broker.delivered(first);
    auto retry = broker.answer(k_source, true);
    CHECK_FALSE(retry.token);
    std::string text = all_text(retry);
    CHECK_THAT(text, Catch::Contains("'laptop' (" + k_read.substr(0, 7)));
    CHECK_THAT(text, Catch::Contains("publishing needs Read/Write; 'laptop' is Read"));
    CHECK_THAT(text, Catch::Contains("--access read-write"));
    CHECK_THAT(text, Catch::Contains("`feedz-agent login --name laptop`"));
}

TEST_CASE("CredentialBroker: tokens from the environment are fixed in the environment",
          "[nuget][broker]") {
    FakeCredentialSource source(true);
    source.add("FEEDZ_PAT", "https://feeds.example/", Access::unknown, k_read);
    CredentialBroker broker(source);
    auto first = broker.answer(k_source, false);
    REQUIRE(first.token);
    broker.delivered(first);
    auto retry = broker.answer(k_source, true);
    CHECK_FALSE(retry.token);
    CHECK_THAT(all_text(retry), Catch::Contains("FEEDZ_PAT/FEEDZ_CREDENTIALS"));
    CHECK_THAT(all_text(retry), !Catch::Contains("feedz-agent login"));
    // Unknown level: every operation gets the same token, which is refused; no loop.
    CHECK(source.calls().size() == 4);
}

TEST_CASE("CredentialBroker: sources are independent", "[nuget][broker]") {
    FakeCredentialSource source;
    source.add("a", "https://feeds.example/acme/a/", Access::read, k_read);
    source.add("b", "https://feeds.example/acme/b/", Access::read, k_write);
    CredentialBroker broker(source);
    auto a = broker.answer("https://feeds.example/acme/a/nuget/index.json", false);
    REQUIRE(a.token);
    CHECK(a.secret.view() == k_read);
    broker.delivered(a);
    auto b = broker.answer("https://feeds.example/acme/b/nuget/index.json", true);
    REQUIRE(b.token);
    CHECK(b.secret.view() == k_write);
}

TEST_CASE("CredentialBroker: nothing stored, a bad URL, an expiring token", "[nuget][broker]") {
    FakeCredentialSource source;
    source.add("soon", k_root, Access::read, k_read, false, today_utc() + std::chrono::days(3));
    CredentialBroker broker(source);

    auto none = broker.answer("https://elsewhere.example/acme/x/nuget/index.json", false);
    CHECK_FALSE(none.token);
    CHECK(none.decision == Decision::no_token);
    REQUIRE(none.messages.size() == 1);
    CHECK(none.messages[0].level == LogLevel::information);
    CHECK_THAT(none.messages[0].text,
               Catch::Contains("feedz-agent login --feed https://elsewhere.example/acme/x/"));

    auto bad = broker.answer("not a url", false);
    CHECK_FALSE(bad.token);
    CHECK(bad.messages.empty());
    CHECK(source.calls().size() == 1);

    auto soon = broker.answer(k_source, false);
    REQUIRE(soon.token);
    REQUIRE(soon.messages.size() == 1);
    CHECK(soon.messages[0].level == LogLevel::warning);
    CHECK_THAT(soon.messages[0].text, Catch::Contains("(in 3 days)"));
    // Said once per process.
    CHECK(broker.answer(k_source, false).messages.empty());
}

TEST_CASE("CredentialBroker: a disabled or an expired token is named, with its fix",
          "[nuget][broker]") {
    SECTION("disabled") {
        FakeCredentialSource source;
        source.add("laptop", k_root, Access::read, k_read, true);
        CredentialBroker broker(source);
        auto answer = broker.answer(k_source, false);
        CHECK_FALSE(answer.token);
        CHECK(answer.decision == Decision::disabled);
        REQUIRE(answer.messages.size() == 1);
        CHECK(answer.messages[0].level == LogLevel::warning);
        CHECK_THAT(answer.messages[0].text, Catch::StartsWith("feedz-agent: token 'laptop' ("));
        CHECK_THAT(answer.messages[0].text, Catch::Contains("`feedz-agent enable laptop`"));
    }
    SECTION("expired") {
        FakeCredentialSource source;
        source.add(
            "old", k_root, Access::read, k_read, false, Date(std::chrono::year(2020) / 1 / 31));
        CredentialBroker broker(source);
        auto answer = broker.answer(k_source, false);
        CHECK_FALSE(answer.token);
        CHECK(answer.decision == Decision::expired);
        REQUIRE(answer.messages.size() == 1);
        CHECK_THAT(answer.messages[0].text,
                   Catch::Contains(" expired on 2020-01-31, so it was not used"));
        CHECK_THAT(answer.messages[0].text, Catch::Contains("`feedz-agent login --name old`"));
    }
}

TEST_CASE("CredentialBroker: a token refused for one source is not offered for another",
          "[nuget][broker]") {
    FakeCredentialSource source;
    source.add("any", "https://feeds.example/", Access::unknown, k_read);
    CredentialBroker broker(source);
    auto first = broker.answer(k_source, false);
    REQUIRE(first.token);
    broker.delivered(first);
    auto retry = broker.answer(k_source, true);
    CHECK(retry.decision == Decision::refused);
    CHECK(retry.detail == "token refused by the feed: " + k_read.substr(0, 7));

    auto other = broker.answer("https://feeds.example/acme/other/nuget/index.json", false);
    CHECK_FALSE(other.token);
    CHECK(other.decision == Decision::refused_before);
    CHECK(other.detail == "token refused earlier: " + k_read.substr(0, 7));
    REQUIRE(other.messages.size() == 1);
    CHECK_THAT(other.messages[0].text,
               Catch::Contains("was rejected by the feed earlier in this run and is not offered "
                               "again for https://feeds.example/acme/other/nuget/index.json"));
}

TEST_CASE("CredentialBroker: a source that cannot be asked, and a source that is no URL",
          "[nuget][broker]") {
    FakeCredentialSource source;
    source.fail_with(make_error(Errc::agent_unavailable, "no agent answers"));
    CredentialBroker broker(source);
    auto failed = broker.answer(k_source, false);
    CHECK_FALSE(failed.token);
    CHECK(failed.decision == Decision::source_error);
    CHECK(failed.detail == "no agent answers");
    REQUIRE(failed.messages.size() == 1);
    CHECK(failed.messages[0].text
          == "feedz-agent: cannot get a token for " + k_source
                 + " from the agent: no agent answers");

    auto bad = broker.answer("not a url", false);
    CHECK(bad.decision == Decision::not_found);
    CHECK_FALSE(bad.detail.empty());
    CHECK(bad.messages.empty());
}

TEST_CASE("CredentialBroker: each decision has its name in the diagnostic log", "[nuget][broker]") {
    CHECK(std::string(to_string(Decision::success)) == "success");
    CHECK(std::string(to_string(Decision::not_found)) == "not_found");
    CHECK(std::string(to_string(Decision::source_error)) == "source_error");
    CHECK(std::string(to_string(Decision::refused)) == "refused");
    CHECK(std::string(to_string(Decision::refused_before)) == "refused_before");
    CHECK(std::string(to_string(Decision::disabled)) == "disabled");
    CHECK(std::string(to_string(Decision::expired)) == "expired");
    CHECK(std::string(to_string(Decision::no_token)) == "no_token");
    CHECK(std::string(to_string(Decision::internal_error)) == "internal_error");
}
