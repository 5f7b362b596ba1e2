// SPDX-License-Identifier: MIT
#include "exchange.hpp"

#include "error.hpp"

#include <Poco/Net/HTTPResponse.h>

#include <chrono>
#include <istream>

namespace feed {

namespace {

constexpr std::size_t k_drain_limit = 256 * 1024 * 1024;

bool is_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
           || c == '-' || c == ':' || c == '[' || c == ']';
}

std::string reason_phrase(const std::string& message) {
    std::string reason;
    for (char c : message.substr(0, 300)) {
        reason += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
    return reason;
}

std::optional<std::string> header(const Poco::Net::HTTPServerRequest& request, const char* name) {
    if (!request.has(name)) {
        return std::nullopt;
    }
    return request.get(name);
}

} // namespace

std::string
forbidden_message(Operation operation, AccessLevel level, const std::string& token_prefix) {
    std::string needs = operation == Operation::remove
                            ? "deleting needs Full access"
                            : "publishing needs Read/Write or Full access";
    return "Forbidden: " + needs + "; token " + token_prefix + " has "
           + std::string(display_name(level));
}

Exchange::Exchange(Poco::Net::HTTPServerRequest& request,
                   Poco::Net::HTTPServerResponse& response,
                   const Authenticator& authenticator,
                   std::size_t max_body)
    : m_request(request)
    , m_response(response)
    , m_authenticator(authenticator)
    , m_max_body(max_body) {}

std::string Exchange::origin() const {
    std::string host = m_request.getHost();
    bool ok = !host.empty();
    for (char c : host) {
        ok = ok && is_host_char(c);
    }
    if (!ok) {
        host = m_request.serverAddress().toString();
    }
    return "https://" + host + "/";
}

std::string Exchange::feed_url() const {
    return origin() + m_repo.org + "/" + m_repo.name + "/";
}

PresentedAuth Exchange::presented_auth() const {
    AuthHeaders headers{header(m_request, "Authorization"),
                        header(m_request, "feedz-api-key"),
                        header(m_request, "X-NuGet-ApiKey")};
    return parse_auth_headers(headers, m_nuget_endpoint);
}

AuthResult Exchange::identity_for_log() const {
    if (m_authorized_called) {
        return m_auth;
    }
    auto presented = presented_auth();
    AuthResult result;
    if (presented.refusal) {
        result.scheme = presented.refused_scheme;
        result.username = presented.refused_username;
        result.token_prefix = loggable_prefix(presented.refused_token);
    } else if (!presented.candidates.empty()) {
        const auto& first = presented.candidates.front();
        result.scheme = first.scheme;
        result.username = first.username;
        result.token_prefix = loggable_prefix(first.token);
    }
    return result;
}

bool Exchange::authorize(Operation operation, bool identity_required) {
    m_authorized_called = true;
    m_auth = m_authenticator.authenticate(
        presented_auth(), std::chrono::system_clock::now(), std::chrono::steady_clock::now());
    switch (m_auth.outcome) {
    case AuthOutcome::refused:
        send_error(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED, "Unauthorized: " + m_auth.reason);
        return false;
    case AuthOutcome::anonymous:
        if (operation == Operation::read && m_repo.is_public && !identity_required) {
            return true;
        }
        send_error(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED,
                   "Unauthorized: authentication required");
        return false;
    case AuthOutcome::authenticated:
        if (allows(m_auth.token->access, operation)) {
            return true;
        }
        send_error(Poco::Net::HTTPResponse::HTTP_FORBIDDEN,
                   forbidden_message(operation, m_auth.token->access, m_auth.token_prefix));
        return false;
    }
    return false;
}

std::string Exchange::read_body() {
    m_body_consumed = true;
    if (m_request.hasContentLength()
        && m_request.getContentLength64() > static_cast<Poco::Int64>(m_max_body)) {
        m_body_consumed = false;
        throw HttpError(Poco::Net::HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE,
                        "request body larger than " + std::to_string(m_max_body) + " bytes");
    }
    std::string body;
    auto& in = m_request.stream();
    char buffer[65536];
    while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (body.size() > m_max_body) {
            m_body_consumed = false;
            throw HttpError(Poco::Net::HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE,
                            "request body larger than " + std::to_string(m_max_body) + " bytes");
        }
    }
    return body;
}

bool Exchange::drain_body() {
    bool has_body = m_request.getChunkedTransferEncoding()
                    || (m_request.hasContentLength() && m_request.getContentLength64() > 0);
    if (!has_body || m_body_consumed) {
        return true;
    }
    m_body_consumed = true;
    if (m_request.hasContentLength()
        && m_request.getContentLength64() > static_cast<Poco::Int64>(k_drain_limit)) {
        return false;
    }
    auto& in = m_request.stream();
    char buffer[65536];
    std::size_t total = 0;
    while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
        total += static_cast<std::size_t>(in.gcount());
        if (total > k_drain_limit) {
            return false;
        }
    }
    return true;
}

void Exchange::send_json(int status, const nlohmann::json& body) {
    send_bytes(status, "application/json", body.dump() + "\n");
}

void Exchange::send_bytes(int status, std::string_view content_type, const std::string& body) {
    m_response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    m_response.setContentType(std::string(content_type));
    m_response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    m_response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
}

void Exchange::send_error(int status, const std::string& message) {
    if (status == Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED) {
        m_response.set("WWW-Authenticate", "Basic realm=\"feedz\"");
    }
    if (status == Poco::Net::HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE) {
        m_response.setKeepAlive(false);
    }
    auto body = nlohmann::json{{"error", message}}.dump(
                    -1, ' ', false, nlohmann::json::error_handler_t::replace)
                + "\n";
    m_response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    m_response.setReason(reason_phrase(message));
    m_response.setContentType("application/json");
    m_response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    m_response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
}

} // namespace feed
