// SPDX-License-Identifier: MIT
#pragma once

#include <agent/server/audit_log.hpp>
#include <agent/server/refused_connections.hpp>
#include <agent/server/request_handler.hpp>
#include <agent/server/token_registry.hpp>
#include <agent/util/fd.hpp>
#include <agent/util/file.hpp>

#include <atomic>
#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace feedz {

struct ServerOptions {
    std::string socket_path;
    bool on_demand = false;               // started by a client; exits when idle
    std::chrono::seconds idle_timeout{0}; // 0 = never
    std::chrono::seconds refresh_interval{30};
    std::chrono::milliseconds request_deadline{k_request_deadline};
    std::chrono::milliseconds transfer_timeout{std::chrono::seconds(5)};
    std::size_t max_connections = 128;
};

// The per-user agent: a Unix socket, one thread per connection, a housekeeping loop. It is
// the single owner of the secrets; see PROTOCOL.md for what it answers.
class AgentServer {
public:
    AgentServer(ServerOptions options, SecretStore& store, AuditLog& audit);
    ~AgentServer();

    // Takes the per-user lock and binds the socket, or adopts the one systemd passed
    // (LISTEN_FDS). Errc::already_running when another agent holds the lock.
    Result<void> start();

    // Serves until a stop request, SIGTERM/SIGINT/SIGHUP (which must be blocked in every
    // thread before this is called), the idle timeout or the loss of the session bus. Returns
    // why it stopped; the socket is removed.
    std::string run(int signal_fd);

    const std::string& socket_path() const { return m_options.socket_path; }

private:
    struct Connection {
        std::thread thread;
        int fd = -1;
        std::atomic<bool> finished{false};
    };

    Result<void> bind_socket();
    void accept_one();
    void serve_connection(Connection& connection, Fd fd, Peer peer);
    void converse(MessageChannel& channel, const Peer& peer);
    void reap_connections(bool all);
    std::optional<std::string> housekeeping();
    void request_stop();
    void remove_socket();

    ServerOptions m_options;
    TokenRegistry m_registry;
    AuditLog& m_audit;
    RefusedConnections m_refused;
    AgentFacts m_facts;
    RequestHandler m_handler;
    std::optional<FileLock> m_lock;
    Fd m_listen_fd;
    Fd m_wake_fd; // eventfd: a connection thread asks the loop to stop
    bool m_owns_socket_file = false;
    ino_t m_socket_inode = 0;
    std::mutex m_connections_mutex;
    std::list<Connection> m_connections;
    std::atomic<std::size_t> m_active{0};
    std::atomic<bool> m_stop_requested{false};
    std::atomic<std::int64_t> m_last_activity_ms{0};
    std::chrono::steady_clock::time_point m_last_refresh{};
};

} // namespace feedz
