// SPDX-License-Identifier: MIT
#include "token_rejections.hpp"

#include <algorithm>

namespace feedz {

namespace {

// What a passed-over token is, in words ("'laptop' (T-abc12…) is expired").
std::string state_of(const RejectedTokenInfo& rejection) {
    switch (rejection.reason) {
    case Rejection::disabled:
        return "disabled";
    case Rejection::expired:
        return "expired";
    case Rejection::insufficient_access:
        break;
    }
    return feedz_name(rejection.token.access);
}

} // namespace

std::string describe_rejections(const std::vector<RejectedTokenInfo>& rejected) {
    std::string text;
    for (const auto& rejection : rejected) {
        text += (text.empty() ? "" : ", ")
                + ("'" + rejection.token.name + "' (" + rejection.token.display() + ") is ");
        text += state_of(rejection);
    }
    return text;
}

bool has_insufficient_access(const std::vector<RejectedTokenInfo>& rejected) {
    return std::any_of(rejected.begin(), rejected.end(), [](const RejectedTokenInfo& r) {
        return r.reason == Rejection::insufficient_access;
    });
}

Error needs_access(const std::string& what,
                   Operation operation,
                   const std::string& feed_url,
                   const std::vector<RejectedTokenInfo>& rejected) {
    Access needed = least_access_for(operation);
    return make_error(Errc::permission_denied,
                      what + " needs a " + feedz_name(needed) + " token for " + feed_url + ", and "
                          + describe_rejections(rejected)
                          + "; nothing was run. Store such a token: feedz-agent login --access "
                          + to_string(needed) + " --feed " + feed_url);
}

} // namespace feedz
