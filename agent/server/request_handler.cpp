// SPDX-License-Identifier: MIT
#include "request_handler.hpp"

#include <agent/core/feed.hpp>
#include <agent/server/fingerprint.hpp>
#include <agent/version.hpp>

#include <unistd.h>

namespace feedz {

namespace {

Reply error(const Error& failure) {
    return Reply{error_reply(failure), {}, false};
}

template <typename SuccessReply>
Reply ok(const SuccessReply& reply) {
    return Reply{reply.to_json(), {}, false};
}

// std::visit with one lambda per alternative.
template <typename... Lambdas>
struct Overloaded : Lambdas... {
    using Lambdas::operator()...;
};

// Spelled out for clang 14 (the fuzzers' compiler), which does not deduce an aggregate's
// template arguments by itself.
template <typename... Lambdas>
Overloaded(Lambdas...) -> Overloaded<Lambdas...>;

// The "op" as the client sent it, also when it is not one we know, for the audit log.
std::string op_of(const nlohmann::json& header) {
    auto op = header.find("op");
    return op != header.end() && op->is_string() ? op->get<std::string>() : "";
}

// Checks the metadata a client sent with `store` and completes it: the agent itself sets the
// prefix (from the secret) and the creation time.
Result<TokenInfo> validate_new_token(TokenInfo info, const SecretString& secret) {
    FEEDZ_TRY(validate_token_name(info.name));
    FEEDZ_TRY(validate_token(secret.view()));
    if (info.scopes.empty()) {
        return make_error(Errc::invalid_argument, "a token needs at least one scope");
    }
    for (auto& scope : info.scopes) {
        auto url = normalize_url(scope);
        if (!url) {
            return url.error();
        }
        scope = url->text.back() == '/' ? url->text : url->text + "/";
    }
    info.prefix = token_prefix(secret.view());
    info.created =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    return info;
}

} // namespace

RequestHandler::RequestHandler(TokenRegistry& registry, AuditLog& audit, const AgentFacts& facts)
    : m_registry(registry)
    , m_audit(audit)
    , m_facts(facts) {}

nlohmann::json RequestHandler::greeting() const {
    return Greeting{k_protocol_version,
                    k_version,
                    static_cast<long>(::getpid()),
                    m_registry.store_backend().kind()}
        .to_json();
}

Reply RequestHandler::handle(const Message& request, const Peer& peer) {
    // The boundary of one request: whatever a client sends, the agent answers and lives on.
    try {
        return handle_checked(request, peer);
    } catch (const std::exception& failure) {
        return error(make_error(Errc::internal, std::string("internal error: ") + failure.what()));
    }
}

Reply RequestHandler::handle_checked(const Message& message, const Peer& peer) {
    std::string op = op_of(message.header);
    nlohmann::json audit = {
        {"op", op}, {"pid", peer.pid}, {"uid", peer.uid}, {"exe", peer.executable}};
    auto request = parse_request(message.header);
    Reply reply;
    if (!request) {
        reply = error(request.error());
    } else {
        reply = std::visit(
            Overloaded{
                [&](const GetRequest& get) { return handle_get(get, audit); },
                [&](const StoreRequest& store) {
                    return handle_store(store, message.secret, audit);
                },
                [&](const EraseRequest& erase) { return handle_erase(erase, audit); },
                [&](const EraseAllRequest&) { return handle_erase_all(audit); },
                [&](const ListRequest&) { return handle_list(); },
                [&](const SetDisabledRequest& set) { return handle_set_disabled(set, audit); },
                [&](const StatusRequest&) { return handle_status(); },
                [&](const StopRequest&) {
                    return Reply{StopReply{}.to_json(), {}, true};
                },
            },
            *request);
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

Reply RequestHandler::handle_get(const GetRequest& request, nlohmann::json& audit) {
    audit["operation"] = to_string(request.operation);
    auto url = normalize_url(request.url);
    if (!url) {
        // Not logged: a URL with user info may carry a password.
        return error(url.error());
    }
    audit["url"] = url->text;
    auto found = m_registry.lookup(url->text,
                                   request.operation,
                                   today_utc(),
                                   request.name ? std::optional<std::string_view>(*request.name)
                                                : std::nullopt);
    if (!found) {
        return error(found.error());
    }
    if (found->token) {
        audit["decision"] = "served";
        audit["name"] = found->token->name;
        audit["token"] = found->token->prefix;
    } else {
        audit["decision"] = "not_found";
    }
    GetReply reply{std::move(found->token), std::move(found->rejected)};
    return Reply{reply.to_json(), std::move(found->secret), false};
}

Reply RequestHandler::handle_store(const StoreRequest& request,
                                   const SecretString& secret,
                                   nlohmann::json& audit) {
    if (secret.empty()) {
        return error(
            make_error(Errc::protocol_error, "store needs the token as the message's secret"));
    }
    auto info = validate_new_token(request.token, secret);
    if (!info) {
        return error(info.error());
    }
    audit["name"] = info->name;
    audit["token"] = info->prefix;
    auto same_token = m_registry.name_of_same_token(fingerprint(secret.view()), info->name);
    auto stored = m_registry.store(StoredToken{*info, secret.clone()});
    if (!stored) {
        return error(stored.error());
    }
    return ok(StoreReply{std::move(*info), std::move(same_token)});
}

Reply RequestHandler::handle_erase(const EraseRequest& request, nlohmann::json& audit) {
    audit["name"] = request.name;
    auto erased = m_registry.erase(request.name);
    if (!erased) {
        return error(erased.error());
    }
    return ok(EraseReply{*erased ? 1U : 0U});
}

Reply RequestHandler::handle_erase_all(nlohmann::json& audit) {
    audit["name"] = "*";
    auto erased = m_registry.erase_all();
    if (!erased) {
        return error(erased.error());
    }
    return ok(EraseReply{*erased});
}

Reply RequestHandler::handle_list() {
    auto tokens = m_registry.list();
    if (!tokens) {
        return error(tokens.error());
    }
    return ok(ListReply{std::move(*tokens)});
}

Reply RequestHandler::handle_set_disabled(const SetDisabledRequest& request,
                                          nlohmann::json& audit) {
    audit["name"] = request.name;
    auto info = m_registry.set_disabled(request.name, request.disabled);
    if (!info) {
        return error(info.error());
    }
    audit["token"] = info->prefix;
    return ok(SetDisabledReply{std::move(*info)});
}

Reply RequestHandler::handle_status() {
    auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now()
                                                                   - m_facts.started);
    return ok(StatusReply{m_facts.socket_path,
                          m_registry.store_backend().kind(),
                          m_registry.size(),
                          m_facts.on_demand,
                          m_facts.idle_timeout,
                          uptime,
                          m_registry.store_error()});
}

} // namespace feedz
