// SPDX-License-Identifier: MIT
#pragma once

#include "authenticator.hpp"
#include "data_dir.hpp"
#include "repo_store.hpp"
#include "request_log.hpp"
#include "token_store.hpp"
#include "validation_cache.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <chrono>
#include <cstddef>

namespace feed {

struct FeedSettings {
    std::chrono::seconds revocation_delay{10};
    std::size_t max_body = 64 * 1024 * 1024;
    // Added to the Date header of every response: a feed whose clock is off, for clients
    // that compare clocks.
    std::chrono::seconds clock_offset{0};
};

// Everything one request needs, shared by all server threads: routes a request to the NuGet or
// npm endpoints of its repository, turns errors into responses and logs the request.
class FeedService {
public:
    FeedService(DataDir data, FeedSettings settings);

    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

private:
    DataDir m_data;
    FeedSettings m_settings;
    TokenStore m_tokens;
    RepoStore m_repos;
    ValidationCache m_cache;
    Authenticator m_authenticator;
    RequestLog m_log;
};

} // namespace feed
