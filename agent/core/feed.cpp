// SPDX-License-Identifier: MIT
#include "feed.hpp"

#include <agent/util/text.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <vector>

namespace feedz {

namespace {

// Only names that cannot leave the machine: "127.0.0.1.nip.io" resolves wherever DNS says.
bool is_loopback_host(std::string_view host) {
    if (host == "localhost" || host == "[::1]") {
        return true;
    }
    in_addr address{};
    return ::inet_pton(AF_INET, std::string(host).c_str(), &address) == 1
           && (ntohl(address.s_addr) >> 24) == 127;
}

} // namespace

void add_feed(std::vector<Feed>& feeds, const Feed& feed) {
    if (std::none_of(
            feeds.begin(), feeds.end(), [&](const Feed& f) { return f.root == feed.root; })) {
        feeds.push_back(feed);
    }
}

std::string without_user_info(std::string_view text) {
    std::string shown(text);
    auto scheme_end = shown.find("://");
    std::size_t authority_begin = scheme_end == std::string::npos ? 0 : scheme_end + 3;
    std::size_t authority_end = shown.find_first_of("/?#", authority_begin);
    auto at =
        shown.rfind('@', authority_end == std::string::npos ? std::string::npos : authority_end);
    if (at != std::string::npos && at >= authority_begin
        && (authority_end == std::string::npos || at < authority_end)) {
        shown.replace(authority_begin, at - authority_begin, "\u2026");
    }
    return shown;
}

namespace {

// `text` for a message, with any user info (it may hold a token) cut out.
std::string quoted(std::string_view text) {
    return "'" + without_user_info(text) + "'";
}

bool is_valid_host(std::string_view host) {
    if (host.empty()) {
        return false;
    }
    if (host.front() == '[') {
        return host.size() > 2 && host.back() == ']'
               && std::all_of(host.begin() + 1, host.end() - 1, [](unsigned char c) {
                      return std::isxdigit(c) || c == ':' || c == '.';
                  });
    }
    return std::all_of(host.begin(), host.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '.' || c == '_';
    });
}

// One path segment of an org or repo name: what Feedz allows in its URLs.
bool is_valid_name_segment(std::string_view segment) {
    return !segment.empty() && segment != "." && segment != ".."
           && std::all_of(segment.begin(), segment.end(), [](unsigned char c) {
                  return std::isalnum(c) || c == '-' || c == '_' || c == '.';
              });
}

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) {
            end = path.size();
        }
        if (end > start) {
            segments.push_back(path.substr(start, end - start));
        }
        start = end + 1;
    }
    return segments;
}

// "." or "..", also percent-encoded: servers decode %2E, so the scope check must as well.
std::string_view dot_segment_kind(std::string_view segment) {
    std::string decoded = to_lower(segment);
    for (auto at = decoded.find("%2e"); at != std::string::npos; at = decoded.find("%2e")) {
        decoded.replace(at, 3, ".");
    }
    if (decoded == ".") {
        return ".";
    }
    if (decoded == "..") {
        return "..";
    }
    return "";
}

// RFC 3986 §5.2.4: "/acme/pkgs/../other/" is "/acme/other/". Resolving here keeps a URL from
// reaching a token whose scope it only seems to be under.
std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> output;
    bool trailing_slash = path.ends_with('/');
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) {
            end = path.size();
        }
        std::string_view segment = path.substr(start, end - start);
        std::string_view kind = dot_segment_kind(segment);
        if (kind == "..") {
            if (!output.empty()) {
                output.pop_back();
            }
            trailing_slash = trailing_slash || end == path.size();
        } else if (kind == ".") {
            trailing_slash = trailing_slash || end == path.size();
        } else if (end < path.size() || !segment.empty()) {
            output.push_back(segment);
        }
        start = end + 1;
    }
    std::string result;
    for (std::size_t i = 0; i < output.size(); ++i) {
        result += "/";
        result += output[i];
    }
    if (result.empty() || trailing_slash) {
        result += "/";
    }
    return result;
}

// True when a segment holds an encoded slash or backslash behind which a dot segment hides:
// "..%2Fother" is "../other" to a server that decodes %2F. "@scope%2Fname" (npm) is harmless.
bool hides_dot_segment(std::string_view segment) {
    std::string decoded = to_lower(segment);
    if (decoded.find("%2f") == std::string::npos && decoded.find("%5c") == std::string::npos) {
        return false;
    }
    for (const char* encoded : {"%2f", "%5c"}) {
        for (auto at = decoded.find(encoded); at != std::string::npos; at = decoded.find(encoded)) {
            decoded.replace(at, 3, "/");
        }
    }
    for (std::size_t start = 0; start <= decoded.size();) {
        std::size_t end = std::min(decoded.find('/', start), decoded.size());
        if (!dot_segment_kind(std::string_view(decoded).substr(start, end - start)).empty()) {
            return true;
        }
        start = end + 1;
    }
    return false;
}

// Why servers and proxies may read `path` as another path than the scope check does, or
// nullopt: after decoding an encoded slash or merging "//" (some do either), a dot segment
// can leave the scope the URL seemed to be in.
std::optional<std::string> ambiguous_path_reason(std::string_view path) {
    if (path.find("//") != std::string_view::npos) {
        return "an empty segment (//)";
    }
    for (std::size_t start = 0; start < path.size();) {
        std::size_t end = std::min(path.find('/', start), path.size());
        if (hides_dot_segment(path.substr(start, end - start))) {
            return "a dot segment behind an encoded slash or backslash (%2F, %5C)";
        }
        start = end + 1;
    }
    return std::nullopt;
}

Error feed_error(std::string_view text, std::string_view reason) {
    std::string message = "not a feed: " + quoted(text);
    if (!reason.empty()) {
        message += " (" + std::string(reason) + ")";
    }
    return make_error(Errc::invalid_argument, message + "\n" + accepted_feed_forms());
}

Feed make_feed(std::string origin, std::string_view org, std::string_view repo) {
    Feed feed;
    feed.origin = std::move(origin);
    feed.org = org;
    feed.repo = repo;
    feed.root = feed.origin + feed.org + "/" + feed.repo + "/";
    return feed;
}

} // namespace

Result<NormalizedUrl> normalize_url(std::string_view original) {
    // Spaces and control characters have no place in a URL; stored scopes are joined with
    // spaces, so one inside a scope would split it into two wider ones.
    if (std::any_of(original.begin(), original.end(), [](unsigned char c) {
            return c <= 0x20 || c == 0x7f;
        })) {
        return make_error(Errc::invalid_argument,
                          "a URL cannot contain spaces or control characters: " + quoted(original));
    }
    // Before any query or fragment, http clients (.NET's Uri, WHATWG URL) read a backslash as
    // a slash: "/acme/pkgs/..\evil/" goes to "/acme/evil/", so it must count as one here.
    std::string with_slashes(original);
    std::replace(with_slashes.begin(),
                 with_slashes.begin()
                     + static_cast<std::ptrdiff_t>(
                         std::min(with_slashes.find_first_of("?#"), with_slashes.size())),
                 '\\',
                 '/');
    std::string_view url = with_slashes;
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return make_error(Errc::invalid_argument, "not a URL: " + quoted(url));
    }
    std::string scheme = to_lower(url.substr(0, scheme_end));
    if (scheme != "https" && scheme != "http") {
        return make_error(Errc::invalid_argument,
                          "unsupported scheme '" + scheme + "' in " + quoted(url)
                              + ": use https://");
    }
    std::string_view rest = url.substr(scheme_end + 3);
    std::size_t authority_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authority_end);
    std::string_view path_and_more =
        authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
    if (authority.find('@') != std::string_view::npos) {
        return make_error(Errc::invalid_argument,
                          "a feed URL must not contain a user name or password: give the token "
                          "with --pat, --pat-stdin or at the prompt");
    }

    std::string host;
    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return make_error(Errc::invalid_argument, "bad host in " + quoted(url));
        }
        host = to_lower(authority.substr(0, close + 1));
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') {
                return make_error(Errc::invalid_argument, "bad host in " + quoted(url));
            }
            port_text = authority.substr(close + 2);
        }
    } else {
        auto colon = authority.find(':');
        host = to_lower(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
        }
    }
    if (!is_valid_host(host)) {
        return make_error(Errc::invalid_argument, "bad host in " + quoted(url));
    }
    std::string port;
    if (!port_text.empty()) {
        unsigned value = 0;
        auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
        if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0
            || value > 65535) {
            return make_error(Errc::invalid_argument, "bad port in " + quoted(url));
        }
        bool is_default = (scheme == "https" && value == 443) || (scheme == "http" && value == 80);
        if (!is_default) {
            port = ":" + std::to_string(value);
        }
    }
    if (scheme == "http" && !is_loopback_host(host)) {
        return make_error(Errc::invalid_argument,
                          "refusing plain http for " + quoted(url)
                              + ": tokens would cross the network unencrypted; use https://");
    }

    NormalizedUrl normalized;
    normalized.origin = scheme + "://" + host + port + "/";
    std::string_view path = path_and_more.substr(0, path_and_more.find_first_of("?#"));
    if (auto reason = ambiguous_path_reason(path)) {
        return make_error(Errc::invalid_argument,
                          quoted(url) + " is ambiguous: its path has " + *reason
                              + ", which servers read in different ways. Use the plain path");
    }
    normalized.path = path.empty() ? "/" : remove_dot_segments(path);
    normalized.text = scheme + "://" + host + port + normalized.path;
    return normalized;
}

std::string accepted_feed_forms() {
    return "a feed is one of:\n"
           "  org/repo                                      (on https://f.feedz.io/)\n"
           "  https://f.feedz.io/org/repo/                  (the feed root)\n"
           "  https://f.feedz.io/org/repo/nuget/index.json  (the NuGet v3 source)\n"
           "  https://f.feedz.io/org/repo/npm/              (the npm registry)";
}

Result<Feed> parse_feed(std::string_view text) {
    if (text.empty()) {
        return feed_error(text, "empty");
    }
    if (text.find("://") == std::string_view::npos) {
        auto segments = split_path(text);
        bool well_formed =
            segments.size() == 2 && text.front() != '/' && text.find("//") == std::string_view::npos
            && is_valid_name_segment(segments[0]) && is_valid_name_segment(segments[1]);
        if (!well_formed) {
            return feed_error(text, "");
        }
        return make_feed(std::string(k_default_host_root), segments[0], segments[1]);
    }

    auto url = normalize_url(text);
    if (!url) {
        return feed_error(text, url.error().message);
    }
    if (text.find_first_of("?#") != std::string_view::npos) {
        return feed_error(text, "a feed URL has no query or fragment");
    }
    auto segments = split_path(url->path);
    bool ok = false;
    if (segments.size() == 2) {
        ok = true;
    } else if (segments.size() == 3) {
        ok = segments[2] == "nuget" || segments[2] == "npm";
    } else if (segments.size() == 4) {
        ok = segments[2] == "nuget" && segments[3] == "index.json";
    }
    if (!ok || !is_valid_name_segment(segments[0]) || !is_valid_name_segment(segments[1])) {
        return feed_error(text, "expected /org/repo/ after the host");
    }
    return make_feed(url->origin, segments[0], segments[1]);
}

bool scope_covers(std::string_view scope, std::string_view url) {
    // A scope is a directory: without its '/', "https://h/a" would cover "https://h/ab/".
    if (scope.empty() || scope.back() != '/') {
        return false;
    }
    if (url.starts_with(scope)) {
        // Only a URL in normal form: "…/acme/pkgs/../other/" starts with the scope but names
        // another feed. Dot segments, escapes and backslashes are what normalising changes
        // after a matching prefix; URLs without them need no second look.
        std::string_view rest = url.substr(scope.size());
        bool plain = rest.find("/.") == std::string_view::npos && !rest.starts_with('.')
                     && rest.find('%') == std::string_view::npos
                     && rest.find('\\') == std::string_view::npos
                     && rest.find("//") == std::string_view::npos;
        if (plain) {
            return true;
        }
        auto normal = normalize_url(url);
        return normal && normal->text == url;
    }
    // "https://h/acme/pkgs" names the feed root itself.
    return scope.size() == url.size() + 1 && scope.back() == '/' && scope.starts_with(url);
}

} // namespace feedz
