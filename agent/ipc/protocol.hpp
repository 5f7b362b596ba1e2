// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/selection.hpp>
#include <agent/core/token.hpp>
#include <agent/core/token_set.hpp>
#include <agent/util/result.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The agent's socket protocol: every request and reply, its JSON form, and the names of the
// error codes and rejection reasons. agent/PROTOCOL.md is the specification and lists the same
// requests, fields and names (tests/unit/test_ipc_protocol.cpp compares the names).
//
// A message here is the JSON header only: a token travels after it (Message::secret in
// wire.hpp), so that the JSON can be logged. Reading is strict about the fields a message
// needs (missing or of the wrong type: Errc::protocol_error), ignores fields it does not know,
// and never throws.
namespace feedz {

inline constexpr int k_protocol_version = 1;

// --- Names ---

// Every error code and every rejection reason, in the order the enums declare them.
inline constexpr std::array k_error_codes = {
    Errc::invalid_argument,
    Errc::store_locked,
    Errc::store_unavailable,
    Errc::read_only,
    Errc::agent_unavailable,
    Errc::already_running,
    Errc::permission_denied,
    Errc::protocol_error,
    Errc::timeout,
    Errc::io_error,
    Errc::not_found,
    Errc::token_rejected,
    Errc::internal,
};

inline constexpr std::array k_rejections = {
    Rejection::disabled,
    Rejection::expired,
    Rejection::insufficient_access,
};

// The wire names ("store_locked", "insufficient_access"), also used in --json output.
const char* to_string(Errc code);
const char* to_string(Rejection reason);

// Inverses of to_string(); nullopt for a name this version does not know.
std::optional<Errc> errc_from_string(std::string_view name);
std::optional<Rejection> rejection_from_string(std::string_view name);

// --- Greeting: the agent's first message on every connection ---

struct Greeting {
    int protocol = k_protocol_version;
    std::string version;
    long pid = 0;
    std::string store;

    nlohmann::json to_json() const;

    // Another program, or an agent speaking another protocol version, is a protocol error
    // that says what to do.
    static Result<Greeting> from_json(const nlohmann::json& message);
};

// --- Requests: {"op": ..., ...} ---

struct GetRequest {
    std::string url;
    Operation operation = Operation::read;
    std::optional<std::string> name; // only this token may be chosen

    nlohmann::json to_json() const;
};

// The token itself is the message's secret. The agent sets `prefix`, `created` and
// `fingerprint` itself: what a client sends there is ignored.
struct StoreRequest {
    TokenInfo token;

    nlohmann::json to_json() const;
};

struct EraseRequest {
    std::string name;

    nlohmann::json to_json() const;
};

struct EraseAllRequest {
    nlohmann::json to_json() const;
};

struct ListRequest {
    nlohmann::json to_json() const;
};

// "disable" or "enable".
struct SetDisabledRequest {
    std::string name;
    bool disabled = true;

    nlohmann::json to_json() const;
};

struct StatusRequest {
    nlohmann::json to_json() const;
};

struct StopRequest {
    nlohmann::json to_json() const;
};

using Request = std::variant<GetRequest,
                             StoreRequest,
                             EraseRequest,
                             EraseAllRequest,
                             ListRequest,
                             SetDisabledRequest,
                             StatusRequest,
                             StopRequest>;

Result<Request> parse_request(const nlohmann::json& header);

// --- Replies: {"ok": true, ...} or an error reply ---
// from_json() reads a reply that reply_error() found to be a success.

// When `token` is set, its secret follows the JSON.
struct GetReply {
    std::optional<TokenInfo> token;
    std::vector<RejectedTokenInfo> rejected; // tokens that cover the URL but were passed over

    nlohmann::json to_json() const;
    static Result<GetReply> from_json(const nlohmann::json& message);
};

struct StoreReply {
    TokenInfo token;
    std::optional<std::string> same_token_as; // another name the same token is stored under

    nlohmann::json to_json() const;
    static Result<StoreReply> from_json(const nlohmann::json& message);
};

// The reply to erase and to erase all.
struct EraseReply {
    std::size_t erased = 0;

    nlohmann::json to_json() const;
    static Result<EraseReply> from_json(const nlohmann::json& message);
};

struct ListReply {
    std::vector<TokenInfo> tokens;

    nlohmann::json to_json() const;
    static Result<ListReply> from_json(const nlohmann::json& message);
};

// The reply to enable and disable: the token's new metadata.
struct SetDisabledReply {
    TokenInfo token;

    nlohmann::json to_json() const;
    static Result<SetDisabledReply> from_json(const nlohmann::json& message);
};

struct StatusReply {
    std::string socket;
    std::string store;
    std::size_t tokens = 0;
    bool on_demand = false;
    std::chrono::seconds idle_timeout{0}; // 0 = never
    std::chrono::seconds uptime{0};
    std::optional<Error> store_error; // why the store cannot be read right now, if it cannot

    nlohmann::json to_json() const;
    static Result<StatusReply> from_json(const nlohmann::json& message);
};

// The reply to stop.
struct StopReply {
    nlohmann::json to_json() const;
};

// {"ok": false, "error": {"code": ..., "message": ...}}
nlohmann::json error_reply(const Error& error);

// The Error in an error reply, or nullopt for {"ok": true, ...}. A reply that is neither is a
// protocol error, and so is an error code this version does not know (its message is kept).
std::optional<Error> reply_error(const nlohmann::json& reply);

} // namespace feedz
