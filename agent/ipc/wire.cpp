// SPDX-License-Identifier: MIT
#include "wire.hpp"

#include <agent/util/json_parse.hpp>
#include <agent/util/system_error.hpp>

#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>

namespace feedz {

namespace {

// How long a read tries before it blocks (see fill()).
constexpr std::chrono::microseconds k_spin{50};

// Room for a full header line plus a secret that follows it.
constexpr std::size_t k_buffer_size = k_max_header_bytes + k_max_secret_bytes + 2;

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

} // namespace

MessageChannel::MessageChannel(Fd fd, Timeouts timeouts)
    : m_fd(std::move(fd))
    , m_timeouts(timeouts)
    , m_buffer(new char[k_buffer_size]) {
    // A peer that stops reading must not hold a writer (an agent thread) forever.
    auto transfer = std::chrono::duration_cast<std::chrono::microseconds>(m_timeouts.transfer);
    timeval limit{static_cast<time_t>(transfer.count() / 1000000),
                  static_cast<suseconds_t>(transfer.count() % 1000000)};
    ::setsockopt(m_fd.get(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
}

MessageChannel::~MessageChannel() {
    // The buffer may have held a secret.
    if (m_buffer) {
        wipe_memory(m_buffer.get(), k_buffer_size);
    }
}

void MessageChannel::discard(std::size_t count) {
    wipe_memory(m_buffer.get() + m_begin, count);
    m_begin += count;
    if (m_begin == m_end) {
        m_begin = m_end = 0;
    }
}

Result<bool> MessageChannel::fill(std::chrono::steady_clock::time_point deadline) {
    if (m_end == k_buffer_size) {
        // Move unread bytes to the front to make room.
        std::memmove(m_buffer.get(), m_buffer.get() + m_begin, m_end - m_begin);
        wipe_memory(m_buffer.get() + (m_end - m_begin), m_begin);
        m_end -= m_begin;
        m_begin = 0;
        if (m_end == k_buffer_size) {
            return make_error(Errc::protocol_error, "message too large");
        }
    }
    // The answer to a request usually arrives within microseconds, while putting this thread
    // to sleep and waking it costs tens of microseconds on a virtual machine: try without
    // blocking for a moment first (yielding, so the peer can run on a busy CPU).
    auto spin_until = std::chrono::steady_clock::now() + k_spin;
    while (std::chrono::steady_clock::now() < spin_until) {
        ssize_t n = ::recv(m_fd.get(), m_buffer.get() + m_end, k_buffer_size - m_end, MSG_DONTWAIT);
        if (n > 0) {
            m_end += static_cast<std::size_t>(n);
            return true;
        }
        if (n == 0) {
            return false;
        }
        if (errno != EAGAIN && errno != EINTR) {
            return make_error(Errc::io_error, "connection failed: " + errno_text(errno));
        }
        ::sched_yield();
    }
    while (true) {
        pollfd descriptor{m_fd.get(), POLLIN, 0};
        int ready = ::poll(&descriptor, 1, remaining_ms(deadline));
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            return make_error(Errc::io_error, "poll failed: " + errno_text(errno));
        }
        if (ready == 0) {
            return make_error(Errc::timeout, "timed out waiting for the peer");
        }
        ssize_t n = ::recv(m_fd.get(), m_buffer.get() + m_end, k_buffer_size - m_end, 0);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            return make_error(Errc::io_error, "connection failed: " + errno_text(errno));
        }
        if (n == 0) {
            return false;
        }
        m_end += static_cast<std::size_t>(n);
        return true;
    }
}

Result<std::optional<Message>> MessageChannel::read() {
    using Clock = std::chrono::steady_clock;
    // Wait for the first byte with the idle timeout, then for the rest with the transfer one.
    if (m_begin == m_end) {
        auto more = fill(Clock::now() + m_timeouts.idle);
        if (!more) {
            return more.error();
        }
        if (!*more) {
            return std::optional<Message>();
        }
    }
    auto deadline = Clock::now() + m_timeouts.transfer;

    std::size_t scanned = 0;
    const char* newline = nullptr;
    while (true) {
        newline = static_cast<const char*>(
            std::memchr(m_buffer.get() + m_begin + scanned, '\n', m_end - m_begin - scanned));
        if (newline != nullptr) {
            break;
        }
        scanned = m_end - m_begin;
        if (scanned > k_max_header_bytes) {
            return make_error(Errc::protocol_error,
                              "message header longer than " + std::to_string(k_max_header_bytes)
                                  + " bytes");
        }
        auto more = fill(deadline);
        if (!more) {
            return more.error();
        }
        if (!*more) {
            return make_error(Errc::protocol_error, "connection closed in the middle of a message");
        }
    }
    std::size_t line_length = static_cast<std::size_t>(newline - (m_buffer.get() + m_begin));
    if (line_length > k_max_header_bytes) {
        return make_error(Errc::protocol_error,
                          "message header longer than " + std::to_string(k_max_header_bytes)
                              + " bytes");
    }
    Message message;
    std::string_view line(m_buffer.get() + m_begin, line_length);
    // The JSON parser skips a byte order mark and stops at a NUL; a message has neither.
    bool clean = !line.starts_with("\xEF\xBB\xBF") && line.find('\0') == std::string_view::npos;
    const char* const not_an_object = "message is not a JSON object";
    if (!clean) {
        discard(line_length + 1);
        return make_error(Errc::protocol_error, not_an_object);
    }
    auto header = parse_untrusted_json(line);
    discard(line_length + 1);
    if (!header) {
        return make_error(Errc::protocol_error,
                          std::string(not_an_object) + " (" + header.error().message + ")");
    }
    if (!header->is_object()) {
        return make_error(Errc::protocol_error, not_an_object);
    }
    message.header = std::move(*header);

    auto length_field = message.header.find("secret_length");
    if (length_field == message.header.end()) {
        return std::optional<Message>(std::move(message));
    }
    if (!length_field->is_number_unsigned() || length_field->get<std::size_t>() == 0
        || length_field->get<std::size_t>() > k_max_secret_bytes) {
        return make_error(Errc::protocol_error,
                          "secret_length must be between 1 and "
                              + std::to_string(k_max_secret_bytes));
    }
    std::size_t secret_length = length_field->get<std::size_t>();
    while (m_end - m_begin < secret_length + 1) {
        auto more = fill(deadline);
        if (!more) {
            return more.error();
        }
        if (!*more) {
            return make_error(Errc::protocol_error, "connection closed in the middle of a secret");
        }
    }
    if (m_buffer[m_begin + secret_length] != '\n') {
        discard(secret_length);
        return make_error(Errc::protocol_error, "secret is not followed by a newline");
    }
    message.secret = SecretString(std::string_view(m_buffer.get() + m_begin, secret_length));
    discard(secret_length + 1);
    return std::optional<Message>(std::move(message));
}

Result<void> MessageChannel::write(const nlohmann::json& header, const SecretString* secret) {
    // secret_length is set here, so it always matches what follows.
    std::string line;
    if (secret != nullptr) {
        nlohmann::json with_length = header;
        with_length["secret_length"] = secret->size();
        line = with_length.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
        line = header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    line += '\n';
    static char newline = '\n';
    iovec parts[3] = {
        {line.data(), line.size()},
        {secret != nullptr ? const_cast<char*>(secret->view().data()) : nullptr,
         secret != nullptr ? secret->size() : 0},
        {&newline, secret != nullptr ? 1U : 0U},
    };
    std::size_t part = 0;
    while (part < 3) {
        msghdr message{};
        message.msg_iov = parts + part;
        message.msg_iovlen = 3 - part;
        // MSG_NOSIGNAL: a vanished peer is an error here, not a SIGPIPE.
        ssize_t sent = ::sendmsg(m_fd.get(), &message, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN) {
                return make_error(Errc::timeout, "the peer stopped reading");
            }
            return make_error(Errc::io_error, "cannot send: " + errno_text(errno));
        }
        auto left = static_cast<std::size_t>(sent);
        while (part < 3 && left >= parts[part].iov_len) {
            left -= parts[part].iov_len;
            ++part;
        }
        if (part < 3) {
            parts[part].iov_base = static_cast<char*>(parts[part].iov_base) + left;
            parts[part].iov_len -= left;
        }
    }
    return {};
}

} // namespace feedz
