// SPDX-License-Identifier: MIT
#pragma once

#include <agent/net/feed_probe.hpp>

namespace feedz {

// The request probe_with_token() has feedz-agent-https make: over HTTPS with Poco NetSSL and
// OpenSSL, which only that helper links.
Result<ProbeAnswer> https_get_with_token(const std::string& url,
                                         const SecretString& token,
                                         std::chrono::seconds timeout);

} // namespace feedz
