// SPDX-License-Identifier: MIT
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace feedz {

// The closed set of failures. The same codes cross the agent's socket (PROTOCOL.md), so a
// client can tell "the keychain is locked" from "the agent is not running" without parsing text;
// their names are in agent/ipc/protocol.hpp. Not finding something is never an error: lookups
// return an empty std::optional instead.
enum class Errc {
    invalid_argument,  // the caller's input is wrong (usage errors, bad feed, bad token)
    store_locked,      // the keychain exists but is locked
    store_unavailable, // no D-Bus, no Secret Service, no default collection
    read_only,         // the store cannot be written (no store of ours is, now; kept in protocol 1)
    agent_unavailable, // no agent answers and none could be started
    already_running,   // a second agent for the same user
    permission_denied, // wrong owner or mode, or a peer of another uid
    protocol_error,    // a malformed, oversized or unexpected message
    timeout,
    io_error,
    not_found,      // an operation needs an existing object (enable NAME) and there is none
    token_rejected, // a feed refused the token (401/403)
    internal,
};

// A failure: what went wrong and, in `message`, what the user can do about it. Messages never
// contain a secret.
struct Error {
    Errc code = Errc::internal;
    std::string message;
    // For the command line only; neither crosses the agent's socket. `hint`: a line printed
    // after the message. `exit_code`: the exit status when it is not the one `code` maps to
    // (0: that one), for failures a code cannot tell apart, such as exec's 126 and 127.
    std::string hint;
    int exit_code = 0;
};

inline Error make_error(Errc code, std::string message) {
    Error error;
    error.code = code;
    error.message = std::move(message);
    return error;
}

// Result<T> holds a T or an Error; it is shaped like C++23 std::expected so it can become an
// alias once the toolchain has one. Low layers return it; boundaries (main, the connection
// handler) turn errors into exit codes, wire errors and log lines.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value)
        : m_state(std::in_place_index<0>, std::move(value)) {}

    Result(Error error)
        : m_state(std::in_place_index<1>, std::move(error)) {}

    bool has_value() const { return m_state.index() == 0; }

    explicit operator bool() const { return has_value(); }

    T& value() & {
        assert(has_value());
        return std::get<0>(m_state);
    }

    const T& value() const& {
        assert(has_value());
        return std::get<0>(m_state);
    }

    T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(m_state));
    }

    T& operator*() & { return value(); }

    const T& operator*() const& { return value(); }

    T&& operator*() && { return std::move(*this).value(); }

    T* operator->() { return &value(); }

    const T* operator->() const { return &value(); }

    const Error& error() const {
        assert(!has_value());
        return std::get<1>(m_state);
    }

private:
    std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;

    Result(Error error)
        : m_error(std::move(error))
        , m_failed(true) {}

    bool has_value() const { return !m_failed; }

    explicit operator bool() const { return has_value(); }

    const Error& error() const {
        assert(m_failed);
        return m_error;
    }

private:
    Error m_error;
    bool m_failed = false;
};

// Early return of the error from a function that returns a Result.
#define FEEDZ_TRY(expr)                                                                            \
    do {                                                                                           \
        auto feedz_try_result_ = (expr);                                                           \
        if (!feedz_try_result_) {                                                                  \
            return feedz_try_result_.error();                                                      \
        }                                                                                          \
    } while (false)

} // namespace feedz
