// SPDX-License-Identifier: MIT
#pragma once

#include <agent/server/audit_log.hpp>
#include <agent/server/request_handler.hpp>

#include <chrono>
#include <map>

namespace feedz {

// Connections refused because the peer is another uid, written to the audit log at most once
// per uid per minute: another user who can reach the socket must not be able to fill the log
// and push the real entries out through rotation. The first refusal of a uid is written at
// once; the ones after it in the same minute are counted and written as one line when the
// minute is over ("refused 37 connections from uid 65534 in the last minute"), or at flush.
class RefusedConnections {
public:
    using Clock = std::chrono::steady_clock;

    RefusedConnections(AuditLog& audit, unsigned agent_uid, Clock::duration window);

    void record(const Peer& peer, Clock::time_point now);

    // Writes the counts of minutes that are over (of all, with `all`).
    void flush(Clock::time_point now, bool all = false);

private:
    struct Window {
        Clock::time_point start;
        std::size_t unlogged = 0;
        Peer last; // the latest refused peer, for the line with the count
    };

    void write(const Peer& peer, std::size_t count);

    AuditLog& m_audit;
    unsigned m_agent_uid;
    Clock::duration m_window;
    std::map<unsigned, Window> m_by_uid;
};

} // namespace feedz
