// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace feedz {

// What a feed answered to a request made with a token.
struct ProbeAnswer {
    int status = 0;     // HTTP status
    std::string reason; // the reason phrase (Feedz puts the missing access level in a 403's)
    std::optional<std::chrono::system_clock::time_point> date; // the server's Date header
};

// GETs `url` over HTTPS with the token as the Basic password (username "feedz"), as NuGet and
// npm will, trusting the system's CAs (OpenSSL's default paths, so SSL_CERT_FILE and
// SSL_CERT_DIR apply). Errc::io_error with the cause when the feed cannot be reached, the
// TLS handshake fails or the certificate is not trusted.
//
// The request is made by feedz-agent-https, next to this program, with the token on its
// standard input: like git's git-remote-https, it keeps the TLS and HTTP libraries out of
// feedz-agent, whose every start (feedz-agent exec before each npm) would otherwise pay
// for loading them.
Result<ProbeAnswer> probe_with_token(const std::string& url,
                                     const SecretString& token,
                                     std::chrono::seconds timeout = std::chrono::seconds(15));

// A way to ask a feed about a token: probe_with_token(), or a test's fake.
using FeedProbe =
    std::function<Result<ProbeAnswer>(const std::string& url, const SecretString& token)>;

// probe_with_token() with its default timeout, as a FeedProbe.
Result<ProbeAnswer> probe_feed(const std::string& url, const SecretString& token);

} // namespace feedz
