// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/fd.hpp>
#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <optional>

namespace feedz {

// The framing of the agent's socket protocol (PROTOCOL.md); protocol.hpp has its messages.

// A header line longer than this is refused (the connection is then closed).
inline constexpr std::size_t k_max_header_bytes = 64 * 1024;

// A secret longer than this is refused.
inline constexpr std::size_t k_max_secret_bytes = 4096;

// The agent closes a connection that sends no request this long after the greeting or after
// its last reply, so that idle clients cannot hold all its connections.
inline constexpr std::chrono::seconds k_request_deadline{10};

// A client that kept a connection unused this long reconnects before its next request: well
// inside the agent's deadline, so the agent never closes a connection a request is on its way to.
inline constexpr std::chrono::seconds k_client_reconnect_after{5};

// One message: a JSON object on one line and, when the header says "secret_length": N, the N
// bytes of a secret and a newline after it. Secrets never go into the JSON, so the JSON can be
// logged, and a secret is read straight into a SecretString.
struct Message {
    nlohmann::json header;
    SecretString secret;
};

// Reads and writes messages on a connected stream socket. Reads wait at most `idle` for a
// message to begin and at most `transfer` for the rest of it, so a half-sent request cannot
// hold a connection (and its thread) forever.
class MessageChannel {
public:
    struct Timeouts {
        std::chrono::milliseconds idle;
        std::chrono::milliseconds transfer;
    };

    MessageChannel(Fd fd, Timeouts timeouts);
    MessageChannel(MessageChannel&&) noexcept = default;
    MessageChannel& operator=(MessageChannel&&) noexcept = default;
    ~MessageChannel();

    // The next message; nullopt when the peer closed the connection between messages.
    Result<std::optional<Message>> read();

    // Sends `header` and, when given, `secret` after it (the header's "secret_length" is set
    // to match). Text that is not UTF-8 is replaced, never a reason to fail.
    Result<void> write(const nlohmann::json& header, const SecretString* secret = nullptr);

    int fd() const { return m_fd.get(); }

    // Whether part of a message has arrived and not been read yet.
    bool has_buffered_input() const { return m_begin != m_end; }

    void close() { m_fd.reset(); }

    void set_timeouts(Timeouts timeouts) { m_timeouts = timeouts; }

private:
    // Fills the buffer with at least one more byte; false on orderly EOF.
    Result<bool> fill(std::chrono::steady_clock::time_point deadline);

    void discard(std::size_t count);

    Fd m_fd;
    Timeouts m_timeouts;
    std::unique_ptr<char[]> m_buffer;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
};

} // namespace feedz
