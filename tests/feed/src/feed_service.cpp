// SPDX-License-Identifier: MIT
#include "feed_service.hpp"

#include "date.hpp"
#include "error.hpp"
#include "exchange.hpp"
#include "http_status.hpp"
#include "names.hpp"
#include "npm_api.hpp"
#include "nuget_api.hpp"
#include "request_path.hpp"

#include <Poco/Exception.h>

#include <iostream>

namespace feed {

namespace {

void route(Exchange& exchange, const RepoStore& repos, const DataDir& data) {
    auto path = path_of(exchange.request().getURI());
    auto segments = split_request_path(path);
    if (!segments) {
        throw HttpError(k_bad_request, "bad request path");
    }
    if (segments->empty()) {
        // Readiness probe: no repository, no authentication.
        exchange.send_bytes(k_ok, "text/plain", "feedz-test-feed\n");
        return;
    }
    if (segments->size() < 3) {
        throw HttpError(k_not_found, "not found");
    }
    const auto& org = (*segments)[0];
    const auto& name = (*segments)[1];
    const auto& protocol = (*segments)[2];
    if (!is_valid_repo_name(org) || !is_valid_repo_name(name)) {
        throw HttpError(k_bad_request, "invalid organisation or repository name");
    }
    auto repo = repos.find(org, name);
    if (!repo) {
        throw HttpError(k_not_found, "unknown repository " + org + "/" + name);
    }
    exchange.set_repo(*repo);
    std::vector<std::string> rest(segments->begin() + 3, segments->end());
    auto repo_dir = data.repo_dir(org, name);
    exchange.set_nuget_endpoint(protocol == "nuget");
    if (protocol == "nuget") {
        handle_nuget(exchange, rest, NugetStore(repo_dir, data.lock_file()));
    } else if (protocol == "npm") {
        handle_npm(exchange, rest, NpmStore(repo_dir, data.lock_file()));
    } else {
        throw HttpError(k_not_found, "not found");
    }
}

} // namespace

FeedService::FeedService(DataDir data, FeedSettings settings)
    : m_data(std::move(data))
    , m_settings(settings)
    , m_tokens(m_data.tokens_file())
    , m_repos(m_data.repos_file())
    , m_cache(settings.revocation_delay,
              [this](const std::string& hash) { return m_tokens.find_by_hash(hash); })
    , m_authenticator(m_cache)
    , m_log(m_data.request_log()) {}

void FeedService::handle(Poco::Net::HTTPServerRequest& request,
                         Poco::Net::HTTPServerResponse& response) {
    Exchange exchange(request, response, m_authenticator, m_settings.max_body);
    // A reply that cannot be sent (the client went away) must not cost the log line.
    auto reply_error = [&](int status, const std::string& message) {
        try {
            if (!exchange.response_sent()) {
                exchange.send_error(status, message);
            }
        } catch (const std::exception&) {
            response.setKeepAlive(false);
        }
    };
    try {
        route(exchange, m_repos, m_data);
    } catch (const HttpError& e) {
        reply_error(e.status(), e.what());
    } catch (const std::exception& e) {
        std::cerr << "feedz-test-feed: error handling " << request.getMethod() << " "
                  << path_of(request.getURI()) << ": " << e.what() << "\n";
        reply_error(k_internal_error, "internal error");
    }
    try {
        if (!exchange.drain_body()) {
            response.setKeepAlive(false);
        }
    } catch (const std::exception&) {
        response.setKeepAlive(false);
    }

    auto auth = exchange.identity_for_log();
    m_log.append(RequestLogEntry{format_timestamp_ms(std::chrono::system_clock::now()),
                                 request.getMethod(),
                                 std::string(path_of(request.getURI())),
                                 std::string(to_string(auth.scheme)),
                                 auth.username,
                                 auth.token_prefix,
                                 static_cast<int>(response.getStatus())});
}

} // namespace feed
