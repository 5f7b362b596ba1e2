// SPDX-License-Identifier: MIT
#include "refused_connections.hpp"

#include <string>

namespace feedz {

RefusedConnections::RefusedConnections(AuditLog& audit, unsigned agent_uid, Clock::duration window)
    : m_audit(audit)
    , m_agent_uid(agent_uid)
    , m_window(window) {}

void RefusedConnections::record(const Peer& peer, Clock::time_point now) {
    flush(now);
    auto [window, first] = m_by_uid.try_emplace(peer.uid, Window{now, 0, peer});
    if (first) {
        write(peer, 1);
        return;
    }
    ++window->second.unlogged;
    window->second.last = peer;
}

void RefusedConnections::flush(Clock::time_point now, bool all) {
    for (auto it = m_by_uid.begin(); it != m_by_uid.end();) {
        Window& window = it->second;
        if (!all && now - window.start < m_window) {
            ++it;
            continue;
        }
        if (window.unlogged == 0) {
            it = m_by_uid.erase(it);
            continue;
        }
        write(window.last, window.unlogged);
        // A new minute begins with this line: a steady flood gets one line a minute.
        window = Window{now, 0, window.last};
        ++it;
    }
}

void RefusedConnections::write(const Peer& peer, std::size_t count) {
    std::string reason = "peer uid " + std::to_string(peer.uid) + " is not the agent's uid "
                         + std::to_string(m_agent_uid);
    if (count > 1) {
        reason = "refused " + std::to_string(count) + " connections from uid "
                 + std::to_string(peer.uid) + " in the last minute: " + reason;
    }
    m_audit.record({{"op", "connect"},
                    {"pid", peer.pid},
                    {"uid", peer.uid},
                    {"exe", peer.executable},
                    {"decision", "refused"},
                    {"count", count},
                    {"reason", reason}});
}

} // namespace feedz
