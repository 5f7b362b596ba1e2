// SPDX-License-Identifier: MIT
#include "client.hpp"

#include <agent/core/paths.hpp>
#include <agent/util/file.hpp>
#include <agent/util/process.hpp>
#include <agent/util/system_error.hpp>
#include <agent/util/unix_socket.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

namespace feedz {

namespace {

// A reply may wait on the keychain (a D-Bus call times out after 25 s).
constexpr MessageChannel::Timeouts k_client_timeouts{std::chrono::seconds(35),
                                                     std::chrono::seconds(5)};

Error unavailable(const std::string& socket_path, const std::string& why) {
    return make_error(Errc::agent_unavailable,
                      "no feedz-agent answers on " + socket_path + " (" + why
                          + "); start one with `feedz-agent serve`");
}

Result<Fd> connect_socket(const std::string& socket_path) {
    auto address = unix_socket_address(socket_path);
    if (!address) {
        return address.error();
    }
    Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) {
        return make_error(Errc::io_error, "cannot create a socket: " + errno_text(errno));
    }
    while (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&*address), sizeof(*address))
           != 0) {
        if (errno == EINTR) {
            continue;
        }
        return unavailable(socket_path, errno_text(errno));
    }
    // Tokens go to the agent and come from it: make sure it is ours. Another user who can
    // plant a socket where we look (a shared FEEDZ_AGENT_SOCKET directory) would otherwise
    // receive every token we store and choose every token we use.
    ucred peer{};
    socklen_t length = sizeof(peer);
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0) {
        return make_error(Errc::io_error,
                          "cannot tell who listens on " + socket_path + ": " + errno_text(errno));
    }
    if (peer.uid != ::getuid()) {
        return make_error(Errc::permission_denied,
                          "the process listening on " + socket_path + " runs as uid "
                              + std::to_string(peer.uid) + ", not as you (uid "
                              + std::to_string(::getuid())
                              + "): it is not your agent, and no token is sent to it. Remove "
                                "the socket or point FEEDZ_AGENT_SOCKET at a private directory");
    }
    return fd;
}

// Runs `agent_executable serve --on-demand`, which returns once the agent listens (or has
// failed, with the reason on stderr).
Result<void> start_agent(const std::string& agent_executable, std::chrono::milliseconds timeout) {
    SpawnOptions options;
    options.input = ChildStream::null;
    options.output = ChildStream::null;
    options.errors = ChildStream::pipe;
    // The agent outlives us: it must not hold our other descriptors (a pipe of the shell that
    // ran us would otherwise stay open, and `$(feedz-agent list)` would wait for the agent).
    options.close_other_descriptors = true;
    auto child = spawn(agent_executable, {agent_executable, "serve", "--on-demand"}, options);
    if (!child) {
        return make_error(Errc::agent_unavailable,
                          "cannot start the agent: " + child.error().message);
    }
    CommunicateOptions wait;
    wait.deadline = std::chrono::steady_clock::now() + timeout;
    wait.output_limit = 8192;
    auto finished = communicate(*child, wait);
    if (!finished && finished.error().code == Errc::timeout) {
        return make_error(Errc::timeout,
                          "the agent did not start within " + std::to_string(timeout.count())
                              + " ms");
    }
    if (!finished) {
        return make_error(Errc::agent_unavailable,
                          "cannot start the agent: " + finished.error().message);
    }
    if (finished->status == 0) {
        return {};
    }
    std::string& output = finished->errors;
    while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) {
        output.pop_back();
    }
    constexpr std::string_view prefix = "feedz-agent: ";
    if (output.starts_with(prefix)) {
        output.erase(0, prefix.size());
    }
    return make_error(
        Errc::agent_unavailable,
        "cannot start the agent: "
            + (output.empty() ? std::string("it exited without saying why") : output));
}

} // namespace

Result<AgentClient> AgentClient::connect_once(const std::string& socket_path) {
    auto fd = connect_socket(socket_path);
    if (!fd) {
        return fd.error();
    }
    MessageChannel channel(std::move(*fd), k_client_timeouts);
    auto hello = channel.read();
    if (!hello) {
        return unavailable(socket_path, hello.error().message);
    }
    if (!*hello) {
        return unavailable(socket_path, "it closed the connection; it may be refusing this user");
    }
    if (auto busy = reply_error((*hello)->header); busy && (*hello)->header.contains("ok")) {
        // {"ok": false, ...} instead of a greeting: the agent is busy. Errc::timeout only
        // until connect_while_busy() has given up (see busy_is_unavailable()).
        return make_error(Errc::timeout, busy->message);
    }
    auto greeting = Greeting::from_json((*hello)->header);
    if (!greeting) {
        return greeting.error();
    }
    AgentClient client(std::move(channel), socket_path);
    client.m_greeting = std::move(*greeting);
    return client;
}

Result<AgentClient> AgentClient::connect_while_busy(const std::string& socket_path) {
    auto delay = std::chrono::milliseconds(20);
    for (int attempt = 1;; ++attempt) {
        auto client = AgentClient::connect_once(socket_path);
        if (client || client.error().code != Errc::timeout || attempt == 7) {
            return client;
        }
        std::this_thread::sleep_for(delay);
        delay *= 2;
    }
}

namespace {

// A busy agent is an unavailable one (exit 69), with how to find who keeps it busy.
Result<AgentClient> busy_is_unavailable(Result<AgentClient> client,
                                        const std::string& socket_path) {
    if (client || client.error().code != Errc::timeout) {
        return client;
    }
    return make_error(Errc::agent_unavailable,
                      "the agent on " + socket_path + " is " + client.error().message
                          + "; it closes a connection that sends no request within "
                          + std::to_string(k_request_deadline.count())
                          + " s, so try again shortly. To see which processes hold them: ss -xp | "
                            "grep "
                          + basename_of(socket_path));
}

} // namespace

Result<AgentClient> connect_to_running_agent(const std::string& socket_path) {
    return busy_is_unavailable(AgentClient::connect_while_busy(socket_path), socket_path);
}

Result<AgentClient> AgentClient::connect(const ConnectOptions& options) {
    const std::string& socket_path = options.socket_path;
    auto client = connect_while_busy(socket_path);
    if (client || client.error().code != Errc::agent_unavailable
        || options.agent_executable.empty()) {
        // A busy agent is running: starting another cannot help.
        return busy_is_unavailable(std::move(client), socket_path);
    }
    // Start one, with a lock so that concurrent clients start one agent between them.
    FEEDZ_TRY(ensure_private_directory(parent_directory(options.socket_path)));
    auto lock = FileLock::acquire(options.socket_path + ".start.lock",
                                  static_cast<int>(options.start_timeout.count()));
    if (!lock) {
        return lock.error();
    }
    client = connect_while_busy(socket_path);
    if (client || client.error().code != Errc::agent_unavailable) {
        return busy_is_unavailable(std::move(client), socket_path);
    }
    if (auto started = start_agent(options.agent_executable, options.start_timeout); !started) {
        // Someone may have started one without our lock (`feedz-agent serve` by hand), or an
        // agent that is shutting down still held its lock: look for a while before failing.
        bool other_agent = started.error().message.find("already running") != std::string::npos;
        auto until =
            std::chrono::steady_clock::now()
            + (other_agent ? std::chrono::milliseconds(1000) : std::chrono::milliseconds(0));
        do {
            client = connect_to_running_agent(options.socket_path);
            if (client) {
                return client;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        } while (std::chrono::steady_clock::now() < until);
        return started.error();
    }
    auto deadline = std::chrono::steady_clock::now() + options.start_timeout;
    while (true) {
        client = connect_to_running_agent(options.socket_path);
        if (client || client.error().code != Errc::agent_unavailable
            || std::chrono::steady_clock::now() >= deadline) {
            return client;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

Result<Message> AgentClient::call(const nlohmann::json& request, const SecretString* secret) {
    if (std::chrono::steady_clock::now() - m_last_reply >= k_client_reconnect_after) {
        // The agent closes connections that stay unused; take a new one before it does.
        auto fresh = connect_to_running_agent(m_socket_path);
        if (!fresh) {
            return fresh.error();
        }
        *this = std::move(*fresh);
    }
    FEEDZ_TRY(m_channel.write(request, secret));
    auto reply = m_channel.read();
    m_last_reply = std::chrono::steady_clock::now();
    if (!reply) {
        return reply.error();
    }
    if (!*reply) {
        return make_error(Errc::agent_unavailable, "the agent closed the connection");
    }
    if (auto error = reply_error((*reply)->header)) {
        return *error;
    }
    return std::move(**reply);
}

template <typename Reply>
Result<Reply> AgentClient::ask(const nlohmann::json& request, const SecretString* secret) {
    auto reply = call(request, secret);
    if (!reply) {
        return reply.error();
    }
    return Reply::from_json(reply->header);
}

Result<TokenLookup>
AgentClient::get(std::string_view url, Operation operation, std::optional<std::string_view> name) {
    GetRequest request{std::string(url), operation, std::nullopt};
    if (name) {
        request.name = std::string(*name);
    }
    auto message = call(request.to_json());
    if (!message) {
        return message.error();
    }
    auto reply = GetReply::from_json(message->header);
    if (!reply) {
        return reply.error();
    }
    if (reply->token && message->secret.empty()) {
        return make_error(Errc::protocol_error, "the agent sent a token without its secret");
    }
    return TokenLookup{
        std::move(reply->token), std::move(message->secret), std::move(reply->rejected)};
}

Result<std::optional<std::string>> AgentClient::store(const TokenInfo& info,
                                                      const SecretString& secret) {
    auto reply = ask<StoreReply>(StoreRequest{info}.to_json(), &secret);
    if (!reply) {
        return reply.error();
    }
    return std::move(reply->same_token_as);
}

Result<bool> AgentClient::erase(std::string_view name) {
    auto reply = ask<EraseReply>(EraseRequest{std::string(name)}.to_json());
    if (!reply) {
        return reply.error();
    }
    return reply->erased > 0;
}

Result<std::size_t> AgentClient::erase_all() {
    auto reply = ask<EraseReply>(EraseAllRequest{}.to_json());
    if (!reply) {
        return reply.error();
    }
    return reply->erased;
}

Result<std::vector<TokenInfo>> AgentClient::list() {
    auto reply = ask<ListReply>(ListRequest{}.to_json());
    if (!reply) {
        return reply.error();
    }
    return std::move(reply->tokens);
}

Result<TokenInfo> AgentClient::set_disabled(std::string_view name, bool disabled) {
    auto reply = ask<SetDisabledReply>(SetDisabledRequest{std::string(name), disabled}.to_json());
    if (!reply) {
        return reply.error();
    }
    return std::move(reply->token);
}

Result<StatusReply> AgentClient::status() {
    return ask<StatusReply>(StatusRequest{}.to_json());
}

Result<void> AgentClient::stop() {
    auto reply = call(StopRequest{}.to_json());
    if (!reply) {
        return reply.error();
    }
    return {};
}

} // namespace feedz
