// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace feedz {

// An HTTP proxy to reach a host through (HTTPS goes through it with CONNECT).
struct ProxySettings {
    std::string host;
    std::uint16_t port = 0;
    std::string username;
    std::string password;
};

// The proxy for `scheme`://`host` as curl and most tools read the environment: https_proxy
// (or HTTPS_PROXY) for https, http_proxy for http, else all_proxy (ALL_PROXY); none when
// no_proxy (NO_PROXY) lists the host, a domain it is in (".example.com" or "example.com"), or
// "*". `get` reads an environment variable (nullopt when unset or empty). A proxy value that
// cannot be parsed is an error that names the variable.
Result<std::optional<ProxySettings>>
proxy_for(std::string_view scheme,
          std::string_view host,
          const std::function<std::optional<std::string>(std::string_view)>& get);

} // namespace feedz
