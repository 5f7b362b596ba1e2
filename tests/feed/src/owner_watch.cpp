// SPDX-License-Identifier: MIT
#include "owner_watch.hpp"

#include "error.hpp"
#include "files.hpp"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <sstream>

namespace feed {

std::optional<std::string> process_start_time(pid_t pid) {
    std::optional<std::string> stat;
    try {
        stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    } catch (const FeedError&) {
        return std::nullopt;
    }
    if (!stat) {
        return std::nullopt;
    }
    // "PID (COMM) STATE ..." where COMM may contain spaces and parentheses: split after the last
    // ')'.
    auto close = stat->rfind(')');
    if (close == std::string::npos) {
        return std::nullopt;
    }
    std::istringstream fields(stat->substr(close + 1));
    std::string state;
    fields >> state;
    if (state == "Z" || state == "X") {
        return std::nullopt;
    }
    std::string field;
    for (int i = 4; i <= 22 && fields >> field; ++i) {
    }
    return field;
}

OwnerWatch::OwnerWatch(pid_t owner)
    : m_owner(owner)
    , m_start_time(process_start_time(owner)) {
    if (!m_start_time) {
        throw FeedError("--owner-pid " + std::to_string(owner) + ": no such process");
    }
    m_thread = std::thread([this] { run(); });
}

OwnerWatch::~OwnerWatch() {
    m_stop = true;
    m_thread.join();
}

void OwnerWatch::run() {
    while (!m_stop) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (process_start_time(m_owner) != m_start_time) {
            ::kill(::getpid(), SIGTERM);
            return;
        }
    }
}

} // namespace feed
