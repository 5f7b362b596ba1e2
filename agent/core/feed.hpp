// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace feedz {

// Where `org/repo` feeds live.
inline constexpr std::string_view k_default_host_root = "https://f.feedz.io/";

// A URL reduced to what identifies a resource: lower-case scheme and host, no default port,
// no user info, query or fragment. `text` is "scheme://host[:port]/path".
struct NormalizedUrl {
    std::string text;
    std::string origin; // "scheme://host[:port]/"
    std::string path;   // starts with '/'
};

// Parses and normalises an http(s) URL; plain http is accepted only for loopback hosts, and
// whitespace or control characters are refused.
// A query or fragment is dropped (a client may add one to a request URL).
Result<NormalizedUrl> normalize_url(std::string_view url);

// A Feedz feed: `root` is "https://host/org/repo/" and the NuGet and npm endpoints hang off it.
struct Feed {
    std::string root;
    std::string origin; // "https://host/"
    std::string org;
    std::string repo;

    std::string nuget_url() const { return root + "nuget/index.json"; }

    std::string npm_url() const { return root + "npm/"; }
};

// Accepts `org/repo` (on https://f.feedz.io/), a feed root URL, a NuGet v3 URL
// (`…/nuget/index.json`) or an npm registry URL (`…/npm/`), and returns the one feed they name.
Result<Feed> parse_feed(std::string_view text);

// Appends `feed` to `feeds` unless a feed with the same root is there already.
void add_feed(std::vector<Feed>& feeds, const Feed& feed);

// `url` for logs and messages: any user info (which may hold a password or token) replaced
// by "…".
std::string without_user_info(std::string_view url);

// The text shown when a feed cannot be parsed, listing the accepted forms.
std::string accepted_feed_forms();

// True when `scope` (a normalised URL ending in '/'; anything else covers nothing) is a
// path-segment prefix of `url`
// (normalised): "https://h/acme/pkgs/" matches "https://h/acme/pkgs/npm/x" and
// "https://h/acme/pkgs", never "https://h/acme/pkgs2/".
bool scope_covers(std::string_view scope, std::string_view url);

} // namespace feedz
