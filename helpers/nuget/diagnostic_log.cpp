// SPDX-License-Identifier: MIT
#include "diagnostic_log.hpp"

#include <agent/core/environment.hpp>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

namespace feedz::nuget {

namespace {

// "2026-11-30T14:06:01.123Z"
std::string now_text() {
    auto now = std::chrono::system_clock::now();
    auto seconds = std::chrono::system_clock::to_time_t(now);
    auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[40];
    std::size_t length = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(text + length, sizeof(text) - length, ".%03dZ", static_cast<int>(millis.count()));
    return text;
}

} // namespace

DiagnosticLog DiagnosticLog::open(const std::string& path) {
    DiagnosticLog log;
    log.m_fd.reset(
        ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600));
    return log;
}

DiagnosticLog DiagnosticLog::from_environment() {
    auto path = get_env(k_env_log);
    return path ? open(*path) : DiagnosticLog();
}

void DiagnosticLog::record(const LogEvent& event) const {
    if (!m_fd) {
        return;
    }
    nlohmann::ordered_json line;
    line["time"] = now_text();
    line["pid"] = static_cast<long>(::getpid());
    line["program"] = "nuget-plugin-feedz";
    auto add = [&line](const char* key, std::string_view value) {
        if (!value.empty()) {
            line[key] = value;
        }
    };
    add("event", event.event);
    add("method", event.method);
    add("url", event.url);
    add("decision", event.decision);
    add("token_prefix", event.token_prefix);
    add("detail", event.detail);
    std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    text += '\n';
    // A failed write is not worth reporting anywhere: this is the place reports go.
    [[maybe_unused]] auto written = ::write(m_fd.get(), text.data(), text.size());
}

} // namespace feedz::nuget
