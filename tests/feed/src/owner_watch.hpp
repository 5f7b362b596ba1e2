// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>

namespace feed {

// Sends SIGTERM to this process once another process (the one that started the feed, usually a
// test script) has ended, so a feed never outlives its test even when the test is killed before
// it could stop the feed (a ctest timeout kills the test's process tree, which no longer includes
// a feed that was started in the background). A process is identified by pid and start time, so a
// reused pid does not keep the feed alive.
class OwnerWatch {
public:
    explicit OwnerWatch(pid_t owner);
    ~OwnerWatch();
    OwnerWatch(const OwnerWatch&) = delete;
    OwnerWatch& operator=(const OwnerWatch&) = delete;

private:
    void run();

    pid_t m_owner;
    std::optional<std::string> m_start_time;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

// Field 22 of /proc/PID/stat (start time in clock ticks since boot); nullopt if the process is
// gone or a zombie.
std::optional<std::string> process_start_time(pid_t pid);

} // namespace feed
