// SPDX-License-Identifier: MIT
#include <agent/npm/npm_checks.hpp>
#include <agent/npm/npm_preflight.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using feedz::NpmConfigs;
using feedz::NpmEnvironment;
using feedz::NpmFinding;
using feedz::Npmrc;

namespace {

const std::string k_registry = "https://f.feedz.io/acme/pkgs/npm/";
const std::string k_nerf = "//f.feedz.io/acme/pkgs/npm/";

NpmConfigs configs_of(const std::string& user,
                      const std::string& project = "",
                      const std::string& global = "") {
    NpmConfigs configs;
    configs.user = Npmrc::parse(user, "/home/u/.npmrc");
    if (!project.empty()) {
        configs.project = Npmrc::parse(project, "/work/app/.npmrc");
    }
    if (!global.empty()) {
        configs.global = Npmrc::parse(global, "/usr/etc/npmrc");
    }
    return configs;
}

std::vector<NpmFinding> preflight(const NpmConfigs& configs,
                                  const std::vector<std::string>& environment = {}) {
    return feedz::npm_preflight(configs, {k_registry}, NpmEnvironment(environment));
}

bool mentions(const NpmFinding& finding, const std::string& text) {
    return (finding.problem + " " + finding.fix).find(text) != std::string::npos;
}

} // namespace

TEST_CASE("npm preflight: a clean setup, ours included, has no findings",
          "[config][npm_preflight]") {
    auto configs = configs_of("registry=https://registry.npmjs.org/\n" + k_nerf
                                  + ":_auth=ZmVlZHo6VC1hYmM=\n@acme:registry=" + k_registry + "\n",
                              "//f.feedz.io/acme/pkgs/npm/:_authToken=${FEEDZ_NPM_TOKEN?}\n"
                              "@acme:registry="
                                  + k_registry + "\n",
                              "cafile=/etc/ssl/certs/ca-certificates.crt\n");
    CHECK(preflight(configs).empty());
}

TEST_CASE("npm preflight: every unscoped credential, in every file, with file and line",
          "[config][npm_preflight]") {
    auto configs = configs_of(
        "# mine\n_authToken=abc\n_auth=YWJj\n", "username=u\n_password=cA==\n", "_authtoken=x\n");
    auto findings = preflight(configs);
    REQUIRE(findings.size() == 5);
    CHECK(findings[0].file == "/work/app/.npmrc");
    CHECK(findings[0].line == 1);
    CHECK(mentions(findings[0], "unscoped `username`"));
    CHECK(findings[1].line == 2);
    CHECK(findings[2].file == "/home/u/.npmrc");
    CHECK(findings[2].line == 2);
    CHECK(mentions(findings[2], "ERR_INVALID_AUTH"));
    CHECK(mentions(findings[2], "npm config fix"));
    CHECK(findings[3].line == 3);
    CHECK(findings[4].file == "/usr/etc/npmrc");
}

TEST_CASE("npm preflight: a scoped or sectioned credential is fine", "[config][npm_preflight]") {
    auto configs = configs_of("//registry.npmjs.org/:_authToken=abc\n[section]\n_authToken=x\n");
    CHECK(preflight(configs).empty());
}

TEST_CASE("npm preflight: a literal project credential for our registry overrides ours",
          "[config][npm_preflight]") {
    auto configs = configs_of("", "; committed by mistake\n" + k_nerf + ":_auth=ZmVlZHo6eHh4\n");
    auto findings = preflight(configs);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].file == "/work/app/.npmrc");
    CHECK(findings[0].line == 2);
    CHECK(mentions(findings[0], "takes precedence over feedz-agent's"));
    CHECK(mentions(findings[0], "${FEEDZ_NPM_AUTH?}"));
    // Another registry's credential in the project is none of our business.
    CHECK(preflight(configs_of("", "//other.example/:_auth=eHh4\n")).empty());
}

TEST_CASE("npm preflight: an _authToken for our registry anywhere beats our _auth",
          "[config][npm_preflight]") {
    auto findings = preflight(configs_of(k_nerf + ":_authToken=T-handwritten\n"));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].line == 1);
    CHECK(mentions(findings[0], "Bearer"));
}

TEST_CASE("npm preflight: a registry URL with a path needs its trailing slash",
          "[config][npm_preflight]") {
    auto findings = preflight(configs_of("registry=https://registry.npmjs.org\n"
                                         "@acme:registry=https://f.feedz.io/acme/pkgs/npm\n"
                                         "@b:registry=\"https://f.feedz.io/b/c/npm/\"\n"));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].line == 2);
    CHECK(mentions(findings[0], "ENEEDAUTH"));
    CHECK(mentions(findings[0], "`@acme:registry=https://f.feedz.io/acme/pkgs/npm/`"));
}

TEST_CASE("npm preflight: ${NAME} with NAME unset, not ${NAME?} nor an escaped one",
          "[config][npm_preflight]") {
    auto configs = configs_of("",
                              k_nerf
                                  + ":_authToken=${FEEDZ_NPM_TOKEN}\n"
                                    "//other/:_authToken=${OTHER?}\n"
                                    "cache=\\${LITERAL}\n"
                                    "prefix=${HOME}/.npm-global\n");
    auto findings = preflight(configs, {"HOME=/home/u"});
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].line == 1);
    CHECK(mentions(findings[0], "`${FEEDZ_NPM_TOKEN}` is not set"));
    CHECK(mentions(findings[0], "feedz-agent exec"));
    // Set (even to nothing), it is no problem.
    CHECK(preflight(configs, {"HOME=/home/u", "FEEDZ_NPM_TOKEN="}).empty());
}

TEST_CASE("npm preflight: leftover always-auth", "[config][npm_preflight]") {
    auto findings = preflight(configs_of("always-auth=true\n" + k_nerf + ":always-auth=true\n"));
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].line == 1);
    CHECK(findings[1].line == 2);
    CHECK(mentions(findings[0], "delete the line"));
}

TEST_CASE("npm preflight: a file npm reads but we cannot is reported", "[config][npm_preflight]") {
    auto configs = configs_of("");
    configs.unreadable.emplace_back("/work/app/.npmrc",
                                    feedz::make_error(feedz::Errc::io_error, "a NUL byte"));
    auto findings = preflight(configs);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].line == 0);
    CHECK(mentions(findings[0], "a NUL byte"));
}

TEST_CASE("format_npm_finding: file:line, home as ~", "[config][npm_preflight]") {
    NpmFinding finding{"/home/u/.npmrc", 3, "problem", "fix it"};
    CHECK(feedz::format_npm_finding(finding, "/home/u") == "~/.npmrc:3: problem; fix: fix it");
    finding.line = 0;
    CHECK(feedz::format_npm_finding(finding, "/other") == "/home/u/.npmrc: problem; fix: fix it");
}

TEST_CASE("judge_npm_answer: a refused token is named by its prefix, for doctor",
          "[config][npm_preflight]") {
    auto feed = feedz::parse_feed("https://f.feedz.io/acme/pkgs/");
    REQUIRE(feed);
    feedz::TokenInfo token;
    token.name = "laptop";
    token.prefix = "T-abc12";
    auto answer = [](int status, const char* reason) {
        feedz::ProbeAnswer probe;
        probe.status = status;
        probe.reason = reason;
        return probe;
    };
    CHECK_FALSE(feedz::judge_npm_answer(*feed, token, answer(200, "OK")));
    auto rejected = feedz::judge_npm_answer(*feed, token, answer(401, "Unauthorized"));
    REQUIRE(rejected);
    CHECK(rejected->file == k_registry);
    CHECK(
        mentions(*rejected, "the feed rejected the token 'laptop' (T-abc12…) (401 Unauthorized)"));
    CHECK(mentions(*rejected, "deactivated"));
    CHECK(mentions(*rejected,
                   "feedz-agent login --name laptop --feed https://f.feedz.io/acme/pkgs/"));
    auto forbidden = feedz::judge_npm_answer(*feed, token, answer(403, "Forbidden"));
    REQUIRE(forbidden);
    CHECK(mentions(*forbidden, "has no access"));
}
