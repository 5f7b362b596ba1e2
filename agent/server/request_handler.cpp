// SPDX-License-Identifier: MIT
#include "request_handler.hpp"

#include <agent/core/feed.hpp>
#include <agent/core/token_json.hpp>
#include <agent/server/fingerprint.hpp>
#include <agent/version.hpp>

#include <unistd.h>

namespace feedz {

namespace {

Reply error(Errc code, std::string message) {
    return Reply{error_reply(make_error(code, std::move(message))), {}, false};
}

Reply error(const Error& failure) {
    return Reply{error_reply(failure), {}, false};
}

Reply ok(nlohmann::json fields = nlohmann::json::object()) {
    nlohmann::json header = {{"ok", true}};
    header.update(fields);
    return Reply{std::move(header), {}, false};
}

std::optional<std::string> string_field(const nlohmann::json& request, const char* name) {
    auto it = request.find(name);
    if (it == request.end() || !it->is_string()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

// Checks the metadata a client sent with `store`; the agent itself sets the prefix (from the
// secret) and the creation time.
Result<TokenInfo> validate_new_token(const nlohmann::json& fields, const SecretString& secret) {
    nlohmann::json completed = fields;
    if (completed.is_object()) {
        completed["prefix"] = "";
        completed["created"] = format_timestamp(
            std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
        if (!completed.contains("disabled")) {
            completed["disabled"] = false;
        }
        if (!completed.contains("expires")) {
            completed["expires"] = nullptr;
        }
    }
    auto info = token_info_from_json(completed);
    if (!info) {
        return info.error();
    }
    FEEDZ_TRY(validate_token_name(info->name));
    FEEDZ_TRY(validate_token(secret.view()));
    if (info->scopes.empty()) {
        return make_error(Errc::invalid_argument, "a token needs at least one scope");
    }
    for (auto& scope : info->scopes) {
        auto url = normalize_url(scope);
        if (!url) {
            return url.error();
        }
        scope = url->text.back() == '/' ? url->text : url->text + "/";
    }
    info->prefix = token_prefix(secret.view());
    return info;
}

} // namespace

RequestHandler::RequestHandler(TokenRegistry& registry, AuditLog& audit, const AgentFacts& facts)
    : m_registry(registry)
    , m_audit(audit)
    , m_facts(facts) {}

nlohmann::json RequestHandler::greeting() const {
    return {{"agent", "feedz-agent"},
            {"protocol", k_protocol_version},
            {"version", k_version},
            {"pid", static_cast<long>(::getpid())},
            {"store", m_registry.store_backend().kind()}};
}

Reply RequestHandler::handle(const Message& request, const Peer& peer) {
    // The boundary of one request: whatever a client sends, the agent answers and lives on.
    try {
        return handle_checked(request, peer);
    } catch (const std::exception& failure) {
        return error(Errc::internal, std::string("internal error: ") + failure.what());
    }
}

Reply RequestHandler::handle_checked(const Message& request, const Peer& peer) {
    const auto& header = request.header;
    std::string op = string_field(header, "op").value_or("");
    nlohmann::json audit = {
        {"op", op}, {"pid", peer.pid}, {"uid", peer.uid}, {"exe", peer.executable}};
    Reply reply;
    if (op == "get") {
        reply = handle_get(header, audit);
    } else if (op == "store") {
        reply = handle_store(request, audit);
    } else if (op == "erase") {
        reply = handle_erase(header, audit);
    } else if (op == "list") {
        reply = handle_list();
    } else if (op == "enable" || op == "disable") {
        reply = handle_set_disabled(header, op == "disable", audit);
    } else if (op == "status") {
        reply = handle_status();
    } else if (op == "stop") {
        reply = ok();
        reply.stop_agent = true;
    } else {
        reply = error(Errc::protocol_error,
                      op.empty() ? "request without \"op\"" : "unknown request '" + op + "'");
    }
    if (!reply.header.value("ok", false)) {
        audit["decision"] = "error";
        audit["error"] = reply.header["error"]["code"];
    } else if (!audit.contains("decision")) {
        audit["decision"] = "ok";
    }
    if (op != "status" && op != "list") {
        m_audit.record(std::move(audit));
    }
    return reply;
}

Reply RequestHandler::handle_get(const nlohmann::json& request, nlohmann::json& audit) {
    auto url_text = string_field(request, "url");
    // "operation" may be left out (read); anything else must be one of the three.
    std::optional<std::string> operation_text = "read";
    if (request.contains("operation")) {
        operation_text = string_field(request, "operation");
    }
    auto operation = operation_text ? operation_from_string(*operation_text) : std::nullopt;
    if (!url_text || !operation) {
        return error(Errc::protocol_error,
                     "get needs \"url\" and \"operation\" (read, write or manage)");
    }
    audit["operation"] = *operation_text;
    auto url = normalize_url(*url_text);
    if (!url) {
        // Not logged: a URL with user info may carry a password.
        return error(url.error());
    }
    audit["url"] = url->text;
    // "name" restricts the choice to one token (doctor checks each token against its feed).
    std::optional<std::string> only_name;
    if (request.contains("name")) {
        only_name = string_field(request, "name");
        if (!only_name) {
            return error(Errc::protocol_error, "\"name\" must be a string");
        }
    }
    auto found =
        m_registry.lookup(url->text,
                          *operation,
                          today_utc(),
                          only_name ? std::optional<std::string_view>(*only_name) : std::nullopt);
    if (!found) {
        return error(found.error());
    }
    nlohmann::json rejected = nlohmann::json::array();
    for (const auto& entry : found->rejected) {
        rejected.push_back({{"token", to_json(entry.token)}, {"reason", to_string(entry.reason)}});
    }
    Reply reply = ok({{"token", nullptr}, {"rejected", std::move(rejected)}});
    if (found->token) {
        audit["decision"] = "served";
        audit["name"] = found->token->name;
        audit["token"] = found->token->prefix;
        reply.header["token"] = to_json(*found->token);
        reply.secret = std::move(found->secret);
    } else {
        audit["decision"] = "not_found";
    }
    return reply;
}

Reply RequestHandler::handle_store(const Message& request, nlohmann::json& audit) {
    if (request.secret.empty()) {
        return error(Errc::protocol_error, "store needs the token as the message's secret");
    }
    auto info = validate_new_token(request.header.value("token", nlohmann::json()), request.secret);
    if (!info) {
        return error(info.error());
    }
    audit["name"] = info->name;
    audit["token"] = info->prefix;
    auto same_token = m_registry.name_of_same_token(fingerprint(request.secret.view()), info->name);
    auto stored = m_registry.store(StoredToken{*info, request.secret.clone()});
    if (!stored) {
        return error(stored.error());
    }
    Reply reply = ok({{"token", to_json(*info)}});
    if (same_token) {
        reply.header["same_token_as"] = *same_token;
    }
    return reply;
}

Reply RequestHandler::handle_erase(const nlohmann::json& request, nlohmann::json& audit) {
    auto all = request.find("all");
    if (all != request.end() && !all->is_boolean()) {
        return error(Errc::protocol_error, "\"all\" must be true or false");
    }
    if (all != request.end() && all->get<bool>()) {
        audit["name"] = "*";
        auto erased = m_registry.erase_all();
        if (!erased) {
            return error(erased.error());
        }
        return ok({{"erased", *erased}});
    }
    auto name = string_field(request, "name");
    if (!name) {
        return error(Errc::protocol_error, "erase needs \"name\" or \"all\"");
    }
    audit["name"] = *name;
    auto erased = m_registry.erase(*name);
    if (!erased) {
        return error(erased.error());
    }
    return ok({{"erased", *erased ? 1 : 0}});
}

Reply RequestHandler::handle_list() {
    auto tokens = m_registry.list();
    if (!tokens) {
        return error(tokens.error());
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& info : *tokens) {
        list.push_back(to_json(info));
    }
    return ok({{"tokens", std::move(list)}});
}

Reply RequestHandler::handle_set_disabled(const nlohmann::json& request,
                                          bool disabled,
                                          nlohmann::json& audit) {
    auto name = string_field(request, "name");
    if (!name) {
        return error(Errc::protocol_error, "enable and disable need \"name\"");
    }
    audit["name"] = *name;
    auto info = m_registry.set_disabled(*name, disabled);
    if (!info) {
        return error(info.error());
    }
    audit["token"] = info->prefix;
    return ok({{"token", to_json(*info)}});
}

Reply RequestHandler::handle_status() {
    auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now()
                                                                   - m_facts.started);
    Reply reply = ok({{"socket", m_facts.socket_path},
                      {"tokens", m_registry.size()},
                      {"on_demand", m_facts.on_demand},
                      {"idle_timeout", m_facts.idle_timeout.count()},
                      {"uptime", uptime.count()},
                      {"store", m_registry.store_backend().kind()}});
    if (auto store_error = m_registry.store_error()) {
        reply.header["store_error"] = {{"code", to_string(store_error->code)},
                                       {"message", store_error->message}};
    }
    return reply;
}

} // namespace feedz
