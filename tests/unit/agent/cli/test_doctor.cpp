// SPDX-License-Identifier: MIT
// doctor's decisions, against a fake agent (doctor.cpp): read from its --json report.
#include "captured_stdout.hpp"
#include "environment_guard.hpp"
#include "fake_context.hpp"
#include "scratch_directory.hpp"
#include <agent/util/report.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace feedz;

namespace {

struct Report {
    int exit_code = -1;
    nlohmann::json checks;

    // The checks of `area`, as "status: message" lines.
    std::vector<std::string> of(const std::string& area) const {
        std::vector<std::string> lines;
        for (const auto& check : checks) {
            if (check["area"] == area) {
                lines.push_back(check["status"].get<std::string>() + ": "
                                + check["message"].get<std::string>());
            }
        }
        return lines;
    }
};

// doctor --json with HOME and the state directory in a scratch directory.
Report doctor(FakeContext& fake) {
    ScratchDirectory home;
    EnvironmentVariableGuard user("HOME", home.path().c_str());
    EnvironmentVariableGuard state("XDG_STATE_HOME", home.path().c_str());
    fake.environment.cwd = home.path();
    Report report;
    std::string output = captured_stdout([&] {
        report.exit_code = fake.run({"doctor", "--json"});
    });
    auto parsed = nlohmann::json::parse(output);
    CHECK(parsed["ok"] == (report.exit_code == k_exit_ok));
    report.checks = parsed["checks"];
    return report;
}

TokenInfo token(std::string name, bool disabled) {
    TokenInfo info;
    info.name = std::move(name);
    info.access = Access::read;
    info.scopes = {"https://f.feedz.io/acme/pkgs/"};
    info.disabled = disabled;
    return info;
}

} // namespace

TEST_CASE("doctor: no agent is a failure, and the keychain and tokens go unchecked") {
    FakeContext fake;
    fake.agent_running = false;

    Report report = doctor(fake);
    CHECK(report.exit_code == k_exit_failure);
    CHECK(report.of("agent") == std::vector<std::string>{"fail: no agent (test)"});
    CHECK(report.of("keychain").empty());
    CHECK(report.of("token").empty());
}

TEST_CASE("doctor: a locked keychain is a failure, and the tokens go unchecked") {
    FakeContext fake;
    fake.agent.add(token("laptop", false), "T-abcdefghijklmnopqrstuvwxyz0123");
    fake.agent.store_error = make_error(Errc::store_locked, "the keychain is locked (test)");

    Report report = doctor(fake);
    CHECK(report.exit_code == k_exit_failure);
    CHECK(report.of("keychain") == std::vector<std::string>{"fail: the keychain is locked (test)"});
    CHECK(report.of("token").empty());
}

TEST_CASE("doctor: no token stored is a failure") {
    FakeContext fake;

    Report report = doctor(fake);
    CHECK(report.exit_code == k_exit_failure);
    CHECK(report.of("keychain")
          == std::vector<std::string>{"info: FEEDZ_AGENT_STORE=memory: tokens live in the agent's "
                                      "memory and are lost when it stops"});
    CHECK(report.of("token") == std::vector<std::string>{"fail: no tokens stored"});
}

TEST_CASE("doctor: a disabled token is a failure and is not sent to its feed") {
    FakeContext fake;
    fake.agent.add(token("laptop", true), "T-abcdefghijklmnopqrstuvwxyz0123");

    Report report = doctor(fake);
    auto tokens = report.of("token");
    REQUIRE(tokens.size() >= 1);
    CHECK(tokens.front() == "fail: 'laptop' (T-abcde…): disabled, so never handed out");
    for (const auto& get : fake.agent.gets()) {
        CHECK(get.url.find("/acme/pkgs/") == std::string::npos);
    }
}

TEST_CASE("doctor: a token the feed rejects is a failure with the way to replace it") {
    FakeContext fake;
    fake.agent.add(token("laptop", false), "T-abcdefghijklmnopqrstuvwxyz0123");
    fake.feed_status = 401;
    fake.feed_reason = "Unauthorized";

    Report report = doctor(fake);
    CHECK(report.exit_code == k_exit_failure);
    CHECK(fake.probed == std::vector<std::string>{"https://f.feedz.io/acme/pkgs/nuget/index.json"});
    CHECK(report.of("token")
          == std::vector<std::string>{
              "info: 'laptop' (T-abcde…): read access: restores and installs only; publishing "
              "(npm publish, dotnet nuget push) needs a read-write token (feedz-agent login "
              "--access read-write)",
              "fail: 'laptop' (T-abcde…): Feedz rejected it at https://f.feedz.io/acme/pkgs/ (401 "
              "Unauthorized): it was deactivated, expired or revoked"});
}

TEST_CASE("doctor: a token the feed accepts is reported as accepted") {
    FakeContext fake;
    fake.agent.add(token("laptop", false), "T-abcdefghijklmnopqrstuvwxyz0123");

    Report report = doctor(fake);
    auto tokens = report.of("token");
    REQUIRE(tokens.size() == 2);
    CHECK(tokens.back() == "ok: 'laptop' (T-abcde…): accepted by https://f.feedz.io/acme/pkgs/");
}

TEST_CASE("doctor: with FEEDZ_PAT set, the agent is not asked") {
    FakeContext fake;
    fake.agent_running = false;
    fake.environment.variables["FEEDZ_PAT"] = "T-abcdefghijklmnopqrstuvwxyz0123";

    Report report = doctor(fake);
    REQUIRE(report.of("agent").size() == 1);
    CHECK(report.of("agent").front().starts_with("info: FEEDZ_PAT or FEEDZ_CREDENTIALS is set"));
    // FEEDZ_PAT is for every feed on the host: reported, not sent to a feed.
    CHECK(report.of("environment")
          == std::vector<std::string>{
              "info: FEEDZ_PAT (T-abcde…): for every feed on https://f.feedz.io/"});
}
