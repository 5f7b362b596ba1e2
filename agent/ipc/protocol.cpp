// SPDX-License-Identifier: MIT
#include "protocol.hpp"

#include <agent/core/token_json.hpp>

#include <algorithm>
#include <cstdint>

namespace feedz {

namespace {

using nlohmann::json;

// `object`'s member `key`, or nullptr (also when `object` is not an object).
const json* member(const json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::optional<std::string> text(const json& object, const char* key) {
    const json* value = member(object, key);
    if (value == nullptr || !value->is_string()) {
        return std::nullopt;
    }
    return value->get<std::string>();
}

std::optional<std::int64_t> integer(const json& object, const char* key) {
    const json* value = member(object, key);
    if (value == nullptr || !value->is_number_integer()
        || (value->is_number_unsigned() && value->get<std::uint64_t>() > INT64_MAX)) {
        return std::nullopt;
    }
    return value->get<std::int64_t>();
}

std::optional<std::size_t> count(const json& object, const char* key) {
    auto value = integer(object, key);
    if (!value || *value < 0) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(*value);
}

std::optional<bool> flag(const json& object, const char* key) {
    const json* value = member(object, key);
    if (value == nullptr || !value->is_boolean()) {
        return std::nullopt;
    }
    return value->get<bool>();
}

// "malformed status reply field 'uptime'"
Error malformed(const char* what, const char* field) {
    return make_error(Errc::protocol_error,
                      std::string("malformed ") + what + " field '" + field + "'");
}

// The token metadata in `object`'s member `key`.
Result<TokenInfo> token_member(const json& object, const char* key) {
    const json* value = member(object, key);
    return token_info_from_json(value != nullptr ? *value : json());
}

Result<std::vector<TokenInfo>> token_list(const json& array) {
    std::vector<TokenInfo> tokens;
    for (const auto& entry : array) {
        auto info = token_info_from_json(entry);
        if (!info) {
            return info.error();
        }
        tokens.push_back(std::move(*info));
    }
    return tokens;
}

json ok(json fields = json::object()) {
    json reply = {{"ok", true}};
    reply.update(fields);
    return reply;
}

json error_json(const Error& error) {
    return {{"code", to_string(error.code)}, {"message", error.message}};
}

// {"code": ..., "message": ...}; nullopt when either is missing or not a string.
std::optional<Error> error_from_json(const json& details) {
    auto code_text = text(details, "code");
    auto message = text(details, "message");
    if (!code_text || !message) {
        return std::nullopt;
    }
    if (auto code = errc_from_string(*code_text)) {
        return make_error(*code, std::move(*message));
    }
    // An agent of another version may send a code this one does not know. Taking it for one
    // it knows would misreport the failure (a missing code once read as `internal`, "a bug"),
    // so it is a protocol error that keeps the agent's words.
    return make_error(Errc::protocol_error,
                      *message + " (error code '" + *code_text
                          + "' is unknown to this version; restart the agent: feedz-agent stop)");
}

Error request_error(std::string message) {
    return make_error(Errc::protocol_error, std::move(message));
}

Result<Request> parse_get(const json& header) {
    // "operation" may be left out (read); anything else must be one of the three.
    std::optional<std::string> operation_text = "read";
    if (member(header, "operation") != nullptr) {
        operation_text = text(header, "operation");
    }
    auto url = text(header, "url");
    auto operation = operation_text ? operation_from_string(*operation_text) : std::nullopt;
    if (!url || !operation) {
        return request_error("get needs \"url\" and \"operation\" (read, write or manage)");
    }
    GetRequest request{std::move(*url), *operation, std::nullopt};
    if (member(header, "name") != nullptr) {
        request.name = text(header, "name");
        if (!request.name) {
            return request_error("\"name\" must be a string");
        }
    }
    return Request(std::move(request));
}

Result<Request> parse_store(const json& header) {
    const json* given = member(header, "token");
    json fields = given != nullptr ? *given : json();
    if (fields.is_object()) {
        // The agent sets these itself (from the secret and its clock), so they need not be
        // sent, and what is sent is not believed.
        fields["prefix"] = "";
        fields["created"] = format_timestamp(Timestamp{});
        fields.erase("fingerprint");
        if (!fields.contains("disabled")) {
            fields["disabled"] = false;
        }
    }
    auto token = token_info_from_json(fields);
    if (!token) {
        return token.error();
    }
    return Request(StoreRequest{std::move(*token)});
}

Result<Request> parse_erase(const json& header) {
    const json* all = member(header, "all");
    if (all != nullptr && !all->is_boolean()) {
        return request_error("\"all\" must be true or false");
    }
    if (all != nullptr && all->get<bool>()) {
        return Request(EraseAllRequest{});
    }
    auto name = text(header, "name");
    if (!name) {
        return request_error("erase needs \"name\" or \"all\"");
    }
    return Request(EraseRequest{std::move(*name)});
}

} // namespace

// --- Names ---

const char* to_string(Errc code) {
    switch (code) {
    case Errc::invalid_argument:
        return "invalid_argument";
    case Errc::store_locked:
        return "store_locked";
    case Errc::store_unavailable:
        return "store_unavailable";
    case Errc::read_only:
        return "read_only";
    case Errc::agent_unavailable:
        return "agent_unavailable";
    case Errc::already_running:
        return "already_running";
    case Errc::permission_denied:
        return "permission_denied";
    case Errc::protocol_error:
        return "protocol_error";
    case Errc::timeout:
        return "timeout";
    case Errc::io_error:
        return "io_error";
    case Errc::not_found:
        return "not_found";
    case Errc::token_rejected:
        return "token_rejected";
    case Errc::internal:
        return "internal";
    }
    return "invalid"; // not an Errc: a bad cast somewhere
}

const char* to_string(Rejection reason) {
    switch (reason) {
    case Rejection::disabled:
        return "disabled";
    case Rejection::expired:
        return "expired";
    case Rejection::insufficient_access:
        return "insufficient_access";
    }
    return "invalid"; // not a Rejection: a bad cast somewhere
}

std::optional<Errc> errc_from_string(std::string_view name) {
    for (Errc code : k_error_codes) {
        if (name == to_string(code)) {
            return code;
        }
    }
    return std::nullopt;
}

std::optional<Rejection> rejection_from_string(std::string_view name) {
    for (Rejection reason : k_rejections) {
        if (name == to_string(reason)) {
            return reason;
        }
    }
    return std::nullopt;
}

// --- Greeting ---

json Greeting::to_json() const {
    return {{"agent", "feedz-agent"},
            {"protocol", protocol},
            {"version", version},
            {"pid", pid},
            {"store", store}};
}

Result<Greeting> Greeting::from_json(const json& message) {
    auto protocol = integer(message, "protocol");
    if (text(message, "agent") != "feedz-agent" || !protocol) {
        return make_error(Errc::protocol_error,
                          "the program on the agent socket is not feedz-agent");
    }
    auto version = text(message, "version");
    if (*protocol != k_protocol_version) {
        return make_error(Errc::protocol_error,
                          "the running agent speaks protocol " + std::to_string(*protocol)
                              + " (version " + version.value_or("unknown")
                              + "), this client speaks " + std::to_string(k_protocol_version)
                              + "; restart it: feedz-agent stop");
    }
    auto pid = integer(message, "pid");
    auto store = text(message, "store");
    if (!version) {
        return malformed("greeting", "version");
    }
    if (!pid) {
        return malformed("greeting", "pid");
    }
    if (!store) {
        return malformed("greeting", "store");
    }
    return Greeting{
        k_protocol_version, std::move(*version), static_cast<long>(*pid), std::move(*store)};
}

// --- Requests ---

json GetRequest::to_json() const {
    json request = {{"op", "get"}, {"url", url}, {"operation", feedz::to_string(operation)}};
    if (name) {
        request["name"] = *name;
    }
    return request;
}

json StoreRequest::to_json() const {
    return {{"op", "store"}, {"token", feedz::to_json(token)}};
}

json EraseRequest::to_json() const {
    return {{"op", "erase"}, {"name", name}};
}

json EraseAllRequest::to_json() const {
    return {{"op", "erase"}, {"all", true}};
}

json ListRequest::to_json() const {
    return {{"op", "list"}};
}

json SetDisabledRequest::to_json() const {
    return {{"op", disabled ? "disable" : "enable"}, {"name", name}};
}

json StatusRequest::to_json() const {
    return {{"op", "status"}};
}

json StopRequest::to_json() const {
    return {{"op", "stop"}};
}

Result<Request> parse_request(const json& header) {
    std::string op = text(header, "op").value_or("");
    if (op.empty()) {
        return request_error("request without \"op\"");
    }
    if (op == "get") {
        return parse_get(header);
    }
    if (op == "store") {
        return parse_store(header);
    }
    if (op == "erase") {
        return parse_erase(header);
    }
    if (op == "list") {
        return Request(ListRequest{});
    }
    if (op == "enable" || op == "disable") {
        auto name = text(header, "name");
        if (!name) {
            return request_error("enable and disable need \"name\"");
        }
        return Request(SetDisabledRequest{std::move(*name), op == "disable"});
    }
    if (op == "status") {
        return Request(StatusRequest{});
    }
    if (op == "stop") {
        return Request(StopRequest{});
    }
    return request_error("unknown request '" + op + "'");
}

// --- Replies ---

json GetReply::to_json() const {
    json passed_over = json::array();
    for (const auto& entry : rejected) {
        passed_over.push_back(
            {{"token", feedz::to_json(entry.token)}, {"reason", feedz::to_string(entry.reason)}});
    }
    return ok({{"token", token ? feedz::to_json(*token) : json(nullptr)},
               {"rejected", std::move(passed_over)}});
}

Result<GetReply> GetReply::from_json(const json& message) {
    GetReply reply;
    const auto* token = member(message, "token");
    if (token == nullptr) {
        return malformed("get reply", "token");
    }
    if (!token->is_null()) {
        auto info = token_info_from_json(*token);
        if (!info) {
            return info.error();
        }
        reply.token = std::move(*info);
    }
    const auto* rejected = member(message, "rejected");
    if (rejected == nullptr || !rejected->is_array()) {
        return malformed("get reply", "rejected");
    }
    for (const auto& entry : *rejected) {
        auto info = token_member(entry, "token");
        if (!info) {
            return info.error();
        }
        auto reason_text = text(entry, "reason");
        if (!reason_text) {
            return malformed("get reply", "reason");
        }
        auto reason = rejection_from_string(*reason_text);
        if (!reason) {
            // A reason this version does not know (from an agent of another version) is not
            // taken for one it knows: the client would explain the refusal wrongly.
            return make_error(Errc::protocol_error,
                              "the agent passed over the token '" + info->name
                                  + "' for a reason unknown to this version ('" + *reason_text
                                  + "'); restart the agent: feedz-agent stop");
        }
        reply.rejected.push_back({std::move(*info), *reason});
    }
    return reply;
}

json StoreReply::to_json() const {
    json reply = ok({{"token", feedz::to_json(token)}});
    if (same_token_as) {
        reply["same_token_as"] = *same_token_as;
    }
    return reply;
}

Result<StoreReply> StoreReply::from_json(const json& message) {
    auto token = token_member(message, "token");
    if (!token) {
        return token.error();
    }
    StoreReply reply{std::move(*token), std::nullopt};
    if (member(message, "same_token_as") != nullptr) {
        reply.same_token_as = text(message, "same_token_as");
        if (!reply.same_token_as) {
            return malformed("store reply", "same_token_as");
        }
    }
    return reply;
}

json EraseReply::to_json() const {
    return ok({{"erased", erased}});
}

Result<EraseReply> EraseReply::from_json(const json& message) {
    auto erased = count(message, "erased");
    if (!erased) {
        return malformed("erase reply", "erased");
    }
    return EraseReply{*erased};
}

json ListReply::to_json() const {
    json list = json::array();
    for (const auto& info : tokens) {
        list.push_back(feedz::to_json(info));
    }
    return ok({{"tokens", std::move(list)}});
}

Result<ListReply> ListReply::from_json(const json& message) {
    const auto* tokens = member(message, "tokens");
    if (tokens == nullptr || !tokens->is_array()) {
        return malformed("list reply", "tokens");
    }
    auto list = token_list(*tokens);
    if (!list) {
        return list.error();
    }
    return ListReply{std::move(*list)};
}

json SetDisabledReply::to_json() const {
    return ok({{"token", feedz::to_json(token)}});
}

Result<SetDisabledReply> SetDisabledReply::from_json(const json& message) {
    auto token = token_member(message, "token");
    if (!token) {
        return token.error();
    }
    return SetDisabledReply{std::move(*token)};
}

json StatusReply::to_json() const {
    json reply = ok({{"socket", socket},
                     {"store", store},
                     {"tokens", tokens},
                     {"on_demand", on_demand},
                     {"idle_timeout", idle_timeout.count()},
                     {"uptime", uptime.count()}});
    if (store_error) {
        reply["store_error"] = error_json(*store_error);
    }
    return reply;
}

Result<StatusReply> StatusReply::from_json(const json& message) {
    StatusReply status;
    auto socket = text(message, "socket");
    auto store = text(message, "store");
    auto tokens = count(message, "tokens");
    auto on_demand = flag(message, "on_demand");
    auto idle_timeout = count(message, "idle_timeout");
    auto uptime = count(message, "uptime");
    if (!socket) {
        return malformed("status reply", "socket");
    }
    if (!store) {
        return malformed("status reply", "store");
    }
    if (!tokens) {
        return malformed("status reply", "tokens");
    }
    if (!on_demand) {
        return malformed("status reply", "on_demand");
    }
    if (!idle_timeout) {
        return malformed("status reply", "idle_timeout");
    }
    if (!uptime) {
        return malformed("status reply", "uptime");
    }
    status.socket = std::move(*socket);
    status.store = std::move(*store);
    status.tokens = *tokens;
    status.on_demand = *on_demand;
    status.idle_timeout = std::chrono::seconds(*idle_timeout);
    status.uptime = std::chrono::seconds(*uptime);
    if (const auto* store_error = member(message, "store_error"); store_error != nullptr) {
        status.store_error = error_from_json(*store_error);
        if (!status.store_error) {
            return malformed("status reply", "store_error");
        }
    }
    return status;
}

json StopReply::to_json() const {
    return ok();
}

json error_reply(const Error& error) {
    return {{"ok", false}, {"error", error_json(error)}};
}

std::optional<Error> reply_error(const json& reply) {
    auto ok = flag(reply, "ok");
    if (!ok) {
        return make_error(Errc::protocol_error, "reply without \"ok\"");
    }
    if (*ok) {
        return std::nullopt;
    }
    const auto* details = member(reply, "error");
    if (auto error = details != nullptr ? error_from_json(*details) : std::nullopt) {
        return error;
    }
    return malformed("error reply", "error");
}

} // namespace feedz
