// SPDX-License-Identifier: MIT
#include "scratch_directory.hpp"
#include <agent/server/refused_connections.hpp>

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace feedz;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::vector<json> refusals_in(const std::string& path) {
    std::vector<json> lines;
    auto content = read_file(path);
    REQUIRE(content);
    std::istringstream stream(content->value_or(""));
    std::string line;
    while (std::getline(stream, line)) {
        json entry = json::parse(line);
        if (entry.value("decision", "") == "refused") {
            lines.push_back(std::move(entry));
        }
    }
    return lines;
}

Peer other(unsigned uid, long pid) {
    return Peer{pid, uid, "/usr/bin/python3"};
}

} // namespace

TEST_CASE("RefusedConnections: the first refusal of a uid is written at once, with its reason",
          "[server][refused]") {
    ScratchDirectory dir;
    auto log = AuditLog::open(dir.path("audit.log"));
    REQUIRE(log);
    RefusedConnections refused(*log, 1000, 60s);
    refused.record(other(65534, 42), RefusedConnections::Clock::time_point{} + 1s);
    auto lines = refusals_in(dir.path("audit.log"));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["uid"] == 65534);
    CHECK(lines[0]["pid"] == 42);
    CHECK(lines[0]["count"] == 1);
    CHECK(lines[0]["reason"] == "peer uid 65534 is not the agent's uid 1000");
}

TEST_CASE("RefusedConnections: a flood gets one line per uid per minute, with the count",
          "[server][refused]") {
    ScratchDirectory dir;
    auto log = AuditLog::open(dir.path("audit.log"));
    REQUIRE(log);
    RefusedConnections refused(*log, 1000, 60s);
    auto start = RefusedConnections::Clock::time_point{} + 1h;
    // 10 a second from two uids for three minutes.
    for (int tenth = 0; tenth < 1800; ++tenth) {
        auto now = start + tenth * 100ms;
        refused.record(other(65534, tenth), now);
        refused.record(other(1234, tenth), now);
        refused.flush(now);
    }
    auto lines = refusals_in(dir.path("audit.log"));
    // Per uid: the first at once, then one line at the end of each of the next two minutes.
    CHECK(lines.size() == 6);
    refused.flush(start + 1800 * 100ms, true);
    lines = refusals_in(dir.path("audit.log"));
    CHECK(lines.size() == 8);
    std::size_t counted = 0;
    for (const auto& line : lines) {
        counted += line["count"].get<std::size_t>();
    }
    CHECK(counted == 2 * 1800);
    bool minute_line = false;
    for (const auto& line : lines) {
        minute_line = minute_line
                      || line["reason"].get<std::string>().starts_with(
                          "refused 600 connections from uid 65534 in the last minute: ");
    }
    CHECK(minute_line);
}

TEST_CASE("RefusedConnections: a uid quiet for a minute is written at once again",
          "[server][refused]") {
    ScratchDirectory dir;
    auto log = AuditLog::open(dir.path("audit.log"));
    REQUIRE(log);
    RefusedConnections refused(*log, 1000, 60s);
    auto start = RefusedConnections::Clock::time_point{} + 1h;
    refused.record(other(65534, 1), start);
    refused.flush(start + 61s);
    refused.record(other(65534, 2), start + 120s);
    auto lines = refusals_in(dir.path("audit.log"));
    REQUIRE(lines.size() == 2);
    CHECK(lines[1]["pid"] == 2);
    CHECK(lines[1]["count"] == 1);
}
