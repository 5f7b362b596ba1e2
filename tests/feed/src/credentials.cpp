// SPDX-License-Identifier: MIT
#include "credentials.hpp"

#include "base64.hpp"

#include <cctype>

namespace feed {

namespace {

std::string_view trim(std::string_view text) {
    auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto ca = static_cast<unsigned char>(a[i]);
        auto cb = static_cast<unsigned char>(b[i]);
        if (std::tolower(ca) != std::tolower(cb)) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string_view to_string(AuthScheme scheme) {
    switch (scheme) {
    case AuthScheme::none:
        return "none";
    case AuthScheme::basic:
        return "basic";
    case AuthScheme::bearer:
        return "bearer";
    case AuthScheme::api_key:
        return "api-key";
    case AuthScheme::nuget_api_key:
        return "nuget-api-key";
    case AuthScheme::unsupported:
        return "unsupported";
    }
    return "unsupported";
}

PresentedAuth parse_auth_headers(const AuthHeaders& headers, bool accept_nuget_api_key) {
    PresentedAuth presented;
    auto refuse = [&](AuthScheme scheme, std::string reason) {
        presented.refusal = std::move(reason);
        presented.refused_scheme = scheme;
    };

    if (headers.authorization) {
        auto value = trim(*headers.authorization);
        auto space = value.find(' ');
        auto scheme = value.substr(0, space);
        auto parameter =
            space == std::string_view::npos ? std::string_view{} : trim(value.substr(space + 1));
        if (iequals(scheme, "Basic")) {
            auto decoded = parameter.empty() ? std::nullopt : decode_base64(parameter);
            auto colon = decoded ? decoded->find(':') : std::string::npos;
            if (!decoded || colon == std::string::npos) {
                refuse(AuthScheme::basic, "malformed Basic credentials");
            } else if (colon == 0) {
                refuse(AuthScheme::basic, "Basic credentials with an empty username are refused");
                presented.refused_token = decoded->substr(colon + 1);
            } else if (colon + 1 == decoded->size()) {
                refuse(AuthScheme::basic, "Basic credentials with an empty password");
                presented.refused_username = decoded->substr(0, colon);
            } else {
                presented.candidates.push_back(Credential{
                    AuthScheme::basic, decoded->substr(0, colon), decoded->substr(colon + 1)});
            }
        } else if (iequals(scheme, "Bearer")) {
            refuse(AuthScheme::bearer,
                   "Bearer authentication is not accepted; use Basic (any username, the token as "
                   "password) or the feedz-api-key header");
            presented.refused_token = std::string(parameter);
        } else {
            refuse(AuthScheme::unsupported, "unsupported authorization scheme");
        }
    }

    auto add_header = [&](const std::optional<std::string>& header, AuthScheme scheme) {
        if (!header) {
            return;
        }
        auto value = trim(*header);
        if (value.empty()) {
            if (!presented.refusal) {
                refuse(scheme, "empty API key");
            }
            return;
        }
        presented.candidates.push_back(Credential{scheme, "", std::string(value)});
    };
    add_header(headers.feedz_api_key, AuthScheme::api_key);
    if (accept_nuget_api_key) {
        add_header(headers.nuget_api_key, AuthScheme::nuget_api_key);
    }
    return presented;
}

} // namespace feed
