// SPDX-License-Identifier: MIT
#include "scratch_directory.hpp"
#include <agent/core/token.hpp>
#include <agent/server/audit_log.hpp>
#include <agent/util/file.hpp>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

using namespace feedz;
using nlohmann::json;

namespace {

AuditLog opened(const std::string& path) {
    auto log = AuditLog::open(path);
    if (!log) {
        INFO("error: " << log.error().message);
        REQUIRE(log.has_value());
    }
    return std::move(*log);
}

std::vector<json> lines_of(const std::string& path) {
    std::vector<json> lines;
    std::istringstream stream(read_existing_file(path));
    std::string line;
    while (std::getline(stream, line)) {
        json entry = json::parse(line, nullptr, false);
        INFO("line: " << line);
        REQUIRE(entry.is_object());
        lines.push_back(std::move(entry));
    }
    return lines;
}

mode_t mode_of(const std::string& path) {
    struct stat st {};

    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

} // namespace

TEST_CASE("AuditLog: open creates the directories 0700 and the file 0600", "[server][audit_log]") {
    ScratchDirectory dir;
    const std::string path = dir.path("state/feedz-agent/audit.log");
    AuditLog log = opened(path);
    CHECK(log.path() == path);
    CHECK(mode_of(dir.path("state")) == 0700);
    CHECK(mode_of(dir.path("state/feedz-agent")) == 0700);
    CHECK(mode_of(path) == 0600);
}

TEST_CASE("AuditLog: each record is one JSON line with the time added", "[server][audit_log]") {
    ScratchDirectory dir;
    const std::string path = dir.path("audit.log");
    AuditLog log = opened(path);
    auto before =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    log.record({{"op", "get"}, {"decision", "served"}, {"token", "T-abc12"}});
    log.record({{"op", "store"}, {"decision", "ok"}});
    auto after =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    std::vector<json> lines = lines_of(path);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].value("op", "") == "get");
    CHECK(lines[0].value("decision", "") == "served");
    CHECK(lines[0].value("token", "") == "T-abc12");
    CHECK(lines[1].value("op", "") == "store");
    for (const auto& line : lines) {
        auto time = parse_timestamp(line.value("time", ""));
        REQUIRE(time.has_value());
        CHECK(*time >= before);
        CHECK(*time <= after);
    }
}

TEST_CASE("AuditLog: appends to an existing log", "[server][audit_log]") {
    ScratchDirectory dir;
    const std::string path = dir.path("audit.log");
    {
        AuditLog log = opened(path);
        log.record({{"n", 1}});
    }
    AuditLog log = opened(path);
    log.record({{"n", 2}});
    std::vector<json> lines = lines_of(path);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].value("n", 0) == 1);
    CHECK(lines[1].value("n", 0) == 2);
}

TEST_CASE("AuditLog: an empty path logs nothing", "[server][audit_log]") {
    auto log = AuditLog::open("");
    REQUIRE(log.has_value());
    CHECK(log->path().empty());
    log->record({{"op", "get"}}); // a no-op, not a crash
}

TEST_CASE("AuditLog: text that is not UTF-8 is written, not thrown", "[server][audit_log]") {
    ScratchDirectory dir;
    const std::string path = dir.path("audit.log");
    AuditLog log = opened(path);
    // An executable path from /proc may be any bytes.
    CHECK_NOTHROW(log.record({{"exe", "/tmp/\xff\xfe-tool"}, {"op", "get"}}));
    std::vector<json> lines = lines_of(path);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].value("op", "") == "get");
    CHECK_THAT(lines[0].value("exe", ""), Catch::StartsWith("/tmp/"));
}

TEST_CASE("AuditLog: a log past the size limit is rotated to .1", "[server][audit_log]") {
    ScratchDirectory dir;
    const std::string path = dir.path("audit.log");
    {
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        REQUIRE(fd >= 0);
        REQUIRE(::ftruncate(fd, static_cast<off_t>(k_audit_log_rotate_bytes - 10)) == 0);
        ::close(fd);
    }
    AuditLog log = opened(path);
    log.record({{"op", "get"}, {"decision", "served"}});

    struct stat old_log {};

    REQUIRE(::stat((path + ".1").c_str(), &old_log) == 0);
    CHECK(static_cast<std::size_t>(old_log.st_size) == k_audit_log_rotate_bytes - 10);
    std::vector<json> lines = lines_of(path);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].value("op", "") == "get");
    CHECK(mode_of(path) == 0600);
    // The next record goes to the new file.
    log.record({{"op", "store"}});
    CHECK(lines_of(path).size() == 2);
}

TEST_CASE("AuditLog: a moved log keeps writing to the same file", "[server][audit_log]") {
    ScratchDirectory dir;
    const std::string path = dir.path("audit.log");
    AuditLog first = opened(path);
    first.record({{"n", 1}});
    AuditLog second(std::move(first));
    second.record({{"n", 2}});
    CHECK(second.path() == path);
    CHECK(lines_of(path).size() == 2);
}

TEST_CASE("AuditLog: records from many threads stay whole lines", "[server][audit_log]") {
    ScratchDirectory dir;
    const std::string path = dir.path("audit.log");
    AuditLog log = opened(path);
    constexpr int k_threads = 4;
    constexpr int k_records = 200;
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
        threads.emplace_back([&log, t] {
            for (int i = 0; i < k_records; ++i) {
                log.record({{"thread", t}, {"i", i}, {"padding", std::string(200, 'p')}});
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(lines_of(path).size() == static_cast<std::size_t>(k_threads * k_records));
}

TEST_CASE("AuditLog: a symlink in place of the log is refused", "[server][audit_log]") {
    ScratchDirectory dir;
    const std::string target = dir.path("elsewhere");
    const std::string path = dir.path("audit.log");
    REQUIRE(::symlink(target.c_str(), path.c_str()) == 0);
    auto log = AuditLog::open(path);
    REQUIRE_FALSE(log.has_value());
    CHECK(log.error().code == Errc::io_error);
    CHECK_THAT(log.error().message, Catch::Contains(path));
    auto content = read_file(target);
    REQUIRE(content.has_value());
    CHECK_FALSE(content->has_value()); // nothing created through the link
}
