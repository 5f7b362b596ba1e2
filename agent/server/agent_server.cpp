// SPDX-License-Identifier: MIT
#include "agent_server.hpp"

#include <agent/core/paths.hpp>
#include <agent/util/system_error.hpp>
#include <agent/util/unix_socket.hpp>

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace feedz {

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string executable_of(long pid) {
    char path[PATH_MAX];
    std::string link = "/proc/" + std::to_string(pid) + "/exe";
    ssize_t length = ::readlink(link.c_str(), path, sizeof(path) - 1);
    if (length <= 0) {
        return "";
    }
    return std::string(path, static_cast<std::size_t>(length));
}

// The socket systemd passed (sd_listen_fds(3) without libsystemd), or -1.
int socket_from_systemd() {
    const char* listen_pid = std::getenv("LISTEN_PID");
    const char* listen_fds = std::getenv("LISTEN_FDS");
    if (listen_pid == nullptr || listen_fds == nullptr
        || std::strtol(listen_pid, nullptr, 10) != static_cast<long>(::getpid())
        || std::strtol(listen_fds, nullptr, 10) < 1) {
        return -1;
    }
    // Children must not think the sockets are theirs.
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_FDNAMES");
    constexpr int k_first_fd = 3;
    int accepting = 0;
    socklen_t length = sizeof(accepting);
    if (::getsockopt(k_first_fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) != 0
        || accepting == 0) {
        return -1;
    }
    ::fcntl(k_first_fd, F_SETFD, FD_CLOEXEC);
    return k_first_fd;
}

} // namespace

AgentServer::AgentServer(ServerOptions options, SecretStore& store, AuditLog& audit)
    : m_options(std::move(options))
    , m_registry(store)
    , m_audit(audit)
    , m_refused(audit, ::getuid(), std::chrono::minutes(1))
    , m_handler(m_registry, m_audit, m_facts) {
    m_facts.socket_path = m_options.socket_path;
    m_facts.on_demand = m_options.on_demand;
    m_facts.idle_timeout = m_options.idle_timeout;
}

AgentServer::~AgentServer() {
    reap_connections(true);
}

Result<void> AgentServer::start() {
    const std::string& path = m_options.socket_path;
    int activated = socket_from_systemd();
    if (activated < 0) {
        FEEDZ_TRY(ensure_private_directory(parent_directory(path)));
    }
    // One agent per user: the lock is held for the agent's lifetime, so a socket file found
    // while holding it was left by an agent that died, and can be replaced.
    std::string lock_path = path + ".lock";
    auto lock = FileLock::try_acquire(lock_path);
    if (!lock) {
        return lock.error();
    }
    if (!*lock) {
        std::string pid = read_file(lock_path).value().value_or("");
        while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) {
            pid.pop_back();
        }
        if (activated >= 0) {
            ::close(activated);
        }
        return make_error(Errc::already_running,
                          "an agent is already running for this user"
                              + (pid.empty() ? std::string() : " (pid " + pid + ")") + " on " + path
                              + "; stop it with `feedz-agent stop`");
    }
    m_lock = std::move(**lock);
    std::string pid_text = std::to_string(::getpid()) + "\n";
    if (::ftruncate(m_lock->fd(), 0) == 0) {
        [[maybe_unused]] auto written = ::pwrite(m_lock->fd(), pid_text.data(), pid_text.size(), 0);
    }

    if (activated >= 0) {
        m_listen_fd.reset(activated);
    } else {
        FEEDZ_TRY(bind_socket());
    }
    m_wake_fd.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!m_wake_fd) {
        return make_error(Errc::io_error, "cannot create an eventfd: " + errno_text(errno));
    }
    m_last_activity_ms = now_ms();
    // Load the tokens now; a locked or unreachable keychain is reported to clients.
    std::ignore = m_registry.refresh();
    m_last_refresh = std::chrono::steady_clock::now();
    m_audit.record({{"op", "start"},
                    {"pid", static_cast<long>(::getpid())},
                    {"socket", path},
                    {"store", m_registry.store_backend().kind()},
                    {"socket_activated", activated >= 0},
                    {"on_demand", m_options.on_demand}});
    return {};
}

Result<void> AgentServer::bind_socket() {
    const std::string& path = m_options.socket_path;
    auto address = unix_socket_address(path);
    if (!address) {
        return address.error();
    }
    Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) {
        return make_error(Errc::io_error, "cannot create a socket: " + errno_text(errno));
    }

    struct stat st {};

    if (::lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            return make_error(Errc::io_error,
                              path
                                  + " exists and is not a socket; remove it or set "
                                    "FEEDZ_AGENT_SOCKET elsewhere");
        }
        ::unlink(path.c_str()); // stale: we hold the lock
    }
    // Created 0600 from the start: no window in which another user could connect.
    mode_t old_umask = ::umask(0177);
    int bound = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&*address), sizeof(*address));
    int bind_errno = errno;
    ::umask(old_umask);
    if (bound != 0) {
        return make_error(Errc::io_error, "cannot bind " + path + ": " + errno_text(bind_errno));
    }
    if (::listen(fd.get(), 128) != 0) {
        return make_error(Errc::io_error, "cannot listen on " + path + ": " + errno_text(errno));
    }
    if (::lstat(path.c_str(), &st) == 0) {
        m_socket_inode = st.st_ino;
    }
    m_owns_socket_file = true;
    m_listen_fd = std::move(fd);
    return {};
}

void AgentServer::remove_socket() {
    if (!m_owns_socket_file) {
        return;
    }

    // Only our own socket: a new agent may already have replaced it.
    struct stat st {};

    if (::lstat(m_options.socket_path.c_str(), &st) == 0 && st.st_ino == m_socket_inode) {
        ::unlink(m_options.socket_path.c_str());
    }
    m_owns_socket_file = false;
}

void AgentServer::request_stop() {
    m_stop_requested = true;
    std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(m_wake_fd.get(), &one, sizeof(one));
}

std::string AgentServer::run(int signal_fd) {
    std::string reason;
    while (reason.empty()) {
        pollfd descriptors[3] = {
            {m_listen_fd.get(), POLLIN, 0},
            {m_wake_fd.get(), POLLIN, 0},
            {signal_fd, POLLIN, 0},
        };
        int ready = ::poll(descriptors, signal_fd >= 0 ? 3 : 2, 1000);
        if (ready < 0 && errno != EINTR) {
            reason = "poll failed: " + errno_text(errno);
            break;
        }
        if (signal_fd >= 0 && (descriptors[2].revents & POLLIN) != 0) {
            signalfd_siginfo info{};
            if (::read(signal_fd, &info, sizeof(info)) == sizeof(info)) {
                reason = std::string("signal ") + strsignal(static_cast<int>(info.ssi_signo));
                break;
            }
        }
        if (m_stop_requested) {
            reason = "stop requested";
            break;
        }
        if ((descriptors[0].revents & POLLIN) != 0) {
            accept_one();
        }
        reap_connections(false);
        if (auto why = housekeeping()) {
            reason = *why;
        }
    }
    m_listen_fd.reset();
    remove_socket();
    reap_connections(true);
    m_refused.flush(std::chrono::steady_clock::now(), true);
    m_audit.record({{"op", "stop"}, {"pid", static_cast<long>(::getpid())}, {"reason", reason}});
    return reason;
}

std::optional<std::string> AgentServer::housekeeping() {
    SecretStore& store = m_registry.store_backend();
    if (store.connection_lost()) {
        return "the session bus went away";
    }
    auto now = std::chrono::steady_clock::now();
    m_refused.flush(now);
    bool keeps_tokens_in_memory = std::string_view(store.kind()) == "memory";
    if (!keeps_tokens_in_memory && now - m_last_refresh >= m_options.refresh_interval) {
        std::ignore = m_registry.refresh();
        m_last_refresh = now;
    }
    if (m_options.idle_timeout.count() > 0 && m_active == 0
        && !(keeps_tokens_in_memory && m_registry.size() > 0)) {
        auto idle_ms = now_ms() - m_last_activity_ms;
        if (idle_ms >= std::chrono::duration_cast<std::chrono::milliseconds>(m_options.idle_timeout)
                           .count()) {
            return "idle for " + std::to_string(m_options.idle_timeout.count()) + " s";
        }
    }
    return std::nullopt;
}

void AgentServer::accept_one() {
    Fd fd(::accept4(m_listen_fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!fd) {
        return;
    }
    m_last_activity_ms = now_ms();
    ucred credentials{};
    socklen_t length = sizeof(credentials);
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
        return;
    }
    Peer peer{credentials.pid, credentials.uid, executable_of(credentials.pid)};
    // The socket is 0600 in a 0700 directory, but root or a passed descriptor can still reach
    // it: check who is really on the other end.
    if (credentials.uid != ::getuid()) {
        m_refused.record(peer, std::chrono::steady_clock::now());
        return;
    }
    if (m_active >= m_options.max_connections) {
        MessageChannel channel(std::move(fd),
                               {std::chrono::milliseconds(100), std::chrono::milliseconds(100)});
        std::ignore = channel.write(error_reply(make_error(
            Errc::agent_unavailable,
            "busy serving " + std::to_string(m_active.load()) + " connections, its limit")));
        return;
    }
    std::lock_guard lock(m_connections_mutex);
    Connection& connection = m_connections.emplace_back();
    connection.fd = fd.get();
    ++m_active;
    connection.thread = std::thread([this, &connection, fd = std::move(fd), peer]() mutable {
        serve_connection(connection, std::move(fd), std::move(peer));
    });
}

void AgentServer::serve_connection(Connection& connection, Fd fd, Peer peer) {
    MessageChannel channel(std::move(fd), {m_options.request_deadline, m_options.transfer_timeout});
    try {
        converse(channel, peer);
    } catch (const std::exception&) {
        // One connection's failure must never take the agent down; drop the connection.
    }
    m_last_activity_ms = now_ms();
    --m_active;
    // Closed under the lock, so reap_connections() never shuts down a reused descriptor.
    std::lock_guard lock(m_connections_mutex);
    channel.close();
    connection.finished = true;
}

void AgentServer::converse(MessageChannel& channel, const Peer& peer) {
    if (channel.write(m_handler.greeting())) {
        while (!m_stop_requested) {
            auto request = channel.read();
            if (!request) {
                // No request within the deadline: close without a word, as a reply nobody
                // asked for could be read as the answer to a request sent just now.
                if (request.error().code == Errc::timeout && !channel.has_buffered_input()) {
                    break;
                }
                // Malformed, oversized or half-sent: say why, then drop this connection only.
                if (request.error().code != Errc::io_error) {
                    std::ignore = channel.write(error_reply(request.error()));
                }
                break;
            }
            if (!*request) {
                break;
            }
            m_last_activity_ms = now_ms();
            Reply reply = m_handler.handle(**request, peer);
            auto sent = channel.write(reply.header, reply.secret.empty() ? nullptr : &reply.secret);
            if (reply.stop_agent) {
                request_stop();
            }
            if (!sent) {
                break;
            }
        }
    }
}

void AgentServer::reap_connections(bool all) {
    std::list<Connection> done;
    {
        std::lock_guard lock(m_connections_mutex);
        for (auto it = m_connections.begin(); it != m_connections.end();) {
            auto next = std::next(it);
            if (all && !it->finished) {
                // Wake the thread from its read; it then finishes on its own.
                ::shutdown(it->fd, SHUT_RDWR);
            }
            if (all || it->finished) {
                done.splice(done.end(), m_connections, it);
            }
            it = next;
        }
    }
    for (auto& connection : done) {
        if (connection.thread.joinable()) {
            connection.thread.join();
        }
    }
}

} // namespace feedz
