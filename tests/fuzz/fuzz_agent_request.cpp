// SPDX-License-Identifier: MIT
// The agent's request parser and handler: the bytes a client of the user's own could send on
// the socket, read by MessageChannel and answered by RequestHandler over a memory store.
// Beyond not crashing: a secret sent with a request never appears in a reply's JSON or in the
// audit log. The harness replaces every secret with one it knows, so the fuzzer cannot make a
// "secret" out of text the agent prints anyway (a time stamp, a name).
#include "fuzz_support.hpp"
#include <agent/ipc/wire.hpp>
#include <agent/server/audit_log.hpp>
#include <agent/server/request_handler.hpp>
#include <agent/server/token_registry.hpp>
#include <agent/store/memory_store.hpp>
#include <agent/util/file.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace feedz;

namespace {

constexpr std::string_view k_secret = "T-fuzzSECRETq9Zx7Vb2Kp9Lm3Nz4";

std::string audit_directory() {
    static const std::string directory = [] {
        char pattern[] = "/tmp/feedz-fuzz-agent.XXXXXX";
        const char* made = ::mkdtemp(pattern);
        if (made == nullptr) {
            std::abort();
        }
        return std::string(made);
    }();
    return directory;
}

std::string file_text(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) {
        std::abort();
    }
    // The whole input must fit the socket's buffer: nothing reads while it is written.
    int buffer = 1 << 20;
    ::setsockopt(pair[1], SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    ::setsockopt(pair[0], SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    std::size_t written = 0;
    while (written < size) {
        const auto count = ::write(pair[1], data + written, size - written);
        if (count <= 0) {
            break;
        }
        written += static_cast<std::size_t>(count);
    }
    ::close(pair[1]);

    const std::string audit_path = audit_directory() + "/audit.log";
    std::filesystem::remove(audit_path);
    auto audit = AuditLog::open(audit_path);
    if (!audit) {
        std::abort();
    }
    MemoryStore store;
    TokenRegistry registry(store);
    AgentFacts facts;
    facts.socket_path = audit_directory() + "/agent.sock";
    RequestHandler handler(registry, *audit, facts);
    const Peer peer{4242, ::getuid(), "/usr/bin/fuzz"};

    MessageChannel channel(Fd(pair[0]),
                           {std::chrono::milliseconds(50), std::chrono::milliseconds(50)});
    std::string requests; // the JSON sent: the secret also written there is no leak of ours
    std::string replies;
    for (int messages = 0; messages < 64; ++messages) {
        auto message = channel.read();
        if (!message || !*message) {
            break;
        }
        if (!(*message)->secret.empty()) {
            (*message)->secret = SecretString(k_secret);
        }
        requests +=
            (*message)->header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        auto reply = handler.handle(**message, peer);
        replies += reply.header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    if (requests.find(k_secret.substr(2, 12)) == std::string::npos) {
        FUZZ_REQUIRE(replies.find(k_secret.substr(2, 12)) == std::string::npos);
        FUZZ_REQUIRE(file_text(audit_path).find(k_secret.substr(2, 12)) == std::string::npos);
    }
    return 0;
}
