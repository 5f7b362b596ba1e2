// SPDX-License-Identifier: MIT
#pragma once

#include "access.hpp"
#include "authenticator.hpp"
#include "repo_store.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace feed {

// One request and its response, with the helpers every endpoint needs: authorisation by the
// PAT rules, a size-limited body, and JSON / error replies.
class Exchange {
public:
    Exchange(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response,
             const Authenticator& authenticator,
             std::size_t max_body);

    Poco::Net::HTTPServerRequest& request() { return m_request; }

    const std::string& method() const { return m_request.getMethod(); }

    // GET or HEAD: a read.
    bool is_get() const { return method() == "GET" || method() == "HEAD"; }

    // The repository the request is for; set by the router before any endpoint runs.
    void set_repo(Repo repo) { m_repo = std::move(repo); }

    // NuGet endpoints also take the token from X-NuGet-ApiKey.
    void set_nuget_endpoint(bool nuget) { m_nuget_endpoint = nuget; }

    const Repo& repo() const { return m_repo; }

    // "https://HOST/" as the client addressed us, for URLs in documents we serve.
    std::string origin() const;
    // "https://HOST/ORG/REPO/".
    std::string feed_url() const;

    // Applies the PAT rules for this repository. On failure sends 401 (with the Basic
    // challenge) or 403 and returns false. identity_required: anonymous is never enough
    // (whoami), even on a public repository.
    bool authorize(Operation operation, bool identity_required = false);

    const AuthResult& auth() const { return m_auth; }

    // Who the request claimed to be, for the log: the authorisation result if authorize() ran,
    // otherwise what the headers offered (scheme, username, token prefix), without a look-up.
    AuthResult identity_for_log() const;

    // The request body; throws HttpError 413 above the limit.
    std::string read_body();

    bool body_consumed() const { return m_body_consumed; }

    // Reads and discards an unread body so the connection can be reused; false if it is too big.
    bool drain_body();

    void send_json(int status, const nlohmann::json& body);
    void send_bytes(int status, std::string_view content_type, const std::string& body);
    // A 4xx/5xx with the message as both the reason phrase and {"error": message}: dotnet shows
    // the reason phrase, npm shows "error".
    void send_error(int status, const std::string& message);

    bool response_sent() const { return m_response.sent(); }

private:
    PresentedAuth presented_auth() const;

    Poco::Net::HTTPServerRequest& m_request;
    Poco::Net::HTTPServerResponse& m_response;
    const Authenticator& m_authenticator;
    std::size_t m_max_body;
    Repo m_repo;
    AuthResult m_auth;
    bool m_nuget_endpoint = false;
    bool m_authorized_called = false;
    bool m_body_consumed = false;
};

// "Forbidden: publishing needs Read/Write or Full access; token T-abc12 has Read".
std::string
forbidden_message(Operation operation, AccessLevel level, const std::string& token_prefix);

} // namespace feed
