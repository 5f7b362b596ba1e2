// SPDX-License-Identifier: MIT
#include "proxy.hpp"

#include <agent/util/text.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace feedz {

namespace {

std::optional<std::string>
first_set(const std::function<std::optional<std::string>(std::string_view)>& get,
          std::initializer_list<std::string_view> names,
          std::string& which) {
    for (auto name : names) {
        if (auto value = get(name)) {
            which = name;
            return value;
        }
    }
    return std::nullopt;
}

bool bypassed(std::string_view host, const std::string& no_proxy) {
    std::string target = to_lower(host);
    if (target.size() > 2 && target.front() == '[' && target.back() == ']') {
        target = target.substr(1, target.size() - 2);
    }
    std::size_t start = 0;
    while (start <= no_proxy.size()) {
        std::size_t end = std::min(no_proxy.find(',', start), no_proxy.size());
        std::string entry = to_lower(no_proxy.substr(start, end - start));
        start = end + 1;
        entry.erase(0, entry.find_first_not_of(" \t"));
        entry.erase(entry.find_last_not_of(" \t") + 1);
        if (auto colon = entry.rfind(':'); colon != std::string::npos && entry.find(':') == colon) {
            entry.erase(colon); // "host:port": the port does not matter here
        }
        if (entry.starts_with('.')) {
            entry.erase(0, 1);
        }
        if (entry.empty()) {
            continue;
        }
        if (entry == "*" || target == entry
            || (target.size() > entry.size() && target.ends_with("." + entry))) {
            return true;
        }
    }
    return false;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            unsigned value = 0;
            auto [end, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
            if (ec == std::errc() && end == text.data() + i + 3) {
                out += static_cast<char>(value);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

} // namespace

Result<std::optional<ProxySettings>>
proxy_for(std::string_view scheme,
          std::string_view host,
          const std::function<std::optional<std::string>(std::string_view)>& get) {
    std::string which;
    std::optional<std::string> value = scheme == "https"
                                           ? first_set(get, {"https_proxy", "HTTPS_PROXY"}, which)
                                           : first_set(get, {"http_proxy"}, which);
    if (!value) {
        value = first_set(get, {"all_proxy", "ALL_PROXY"}, which);
    }
    if (!value) {
        return std::optional<ProxySettings>();
    }
    std::string ignored;
    if (auto no_proxy = first_set(get, {"no_proxy", "NO_PROXY"}, ignored);
        no_proxy && bypassed(host, *no_proxy)) {
        return std::optional<ProxySettings>();
    }

    auto bad = [&](const std::string& why) {
        return make_error(Errc::invalid_argument,
                          which + " is not a proxy URL (" + why
                              + "); use http://[user:password@]host:port");
    };
    std::string_view rest = *value;
    if (auto scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
        std::string proxy_scheme = to_lower(rest.substr(0, scheme_end));
        if (proxy_scheme != "http") {
            return bad("only http:// proxies are supported, not " + proxy_scheme + "://");
        }
        rest.remove_prefix(scheme_end + 3);
    }
    rest = rest.substr(0, rest.find('/'));
    ProxySettings settings;
    if (auto at = rest.rfind('@'); at != std::string_view::npos) {
        std::string_view userinfo = rest.substr(0, at);
        auto colon = userinfo.find(':');
        settings.username = percent_decode(userinfo.substr(0, colon));
        if (colon != std::string_view::npos) {
            settings.password = percent_decode(userinfo.substr(colon + 1));
        }
        rest.remove_prefix(at + 1);
    }
    std::string_view port_text;
    if (!rest.empty() && rest.front() == '[') {
        auto close = rest.find(']');
        if (close == std::string_view::npos) {
            return bad("unclosed '['");
        }
        settings.host = std::string(rest.substr(1, close - 1));
        rest.remove_prefix(close + 1);
        if (!rest.empty() && rest.front() == ':') {
            port_text = rest.substr(1);
        }
    } else {
        auto colon = rest.rfind(':');
        settings.host = std::string(rest.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = rest.substr(colon + 1);
        }
    }
    if (settings.host.empty()) {
        return bad("no host");
    }
    settings.port = 1080;
    if (!port_text.empty()) {
        unsigned port = 0;
        auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0
            || port > 65535) {
            return bad("bad port");
        }
        settings.port = static_cast<std::uint16_t>(port);
    }
    return std::optional<ProxySettings>(std::move(settings));
}

} // namespace feedz
