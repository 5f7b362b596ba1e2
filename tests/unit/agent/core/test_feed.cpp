// SPDX-License-Identifier: MIT
#include <agent/core/feed.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

using namespace feedz;

namespace {

Feed parsed(std::string_view text) {
    auto feed = parse_feed(text);
    INFO("feed text: " << text);
    if (!feed) {
        INFO("error: " << feed.error().message);
        REQUIRE(feed.has_value());
    }
    return *feed;
}

NormalizedUrl normalized(std::string_view text) {
    auto url = normalize_url(text);
    INFO("url: " << text);
    if (!url) {
        INFO("error: " << url.error().message);
        REQUIRE(url.has_value());
    }
    return *url;
}

// Checks that `text` is refused as a feed with the usage message that lists the forms.
void check_refused_feed(std::string_view text) {
    auto feed = parse_feed(text);
    INFO("feed text: '" << text << "'");
    REQUIRE_FALSE(feed.has_value());
    CHECK(feed.error().code == Errc::invalid_argument);
    CHECK_THAT(feed.error().message, Catch::Contains(accepted_feed_forms()));
    CHECK_THAT(feed.error().message, Catch::StartsWith("not a feed: '"));
}

void check_refused_url(std::string_view text) {
    auto url = normalize_url(text);
    INFO("url: '" << text << "'");
    REQUIRE_FALSE(url.has_value());
    CHECK(url.error().code == Errc::invalid_argument);
}

} // namespace

// --- parse_feed: accepted forms ---

TEST_CASE("parse_feed: org/repo names a feed on https://f.feedz.io/", "[core][feed]") {
    Feed feed = parsed("acme/pkgs");
    CHECK(feed.root == "https://f.feedz.io/acme/pkgs/");
    CHECK(feed.origin == "https://f.feedz.io/");
    CHECK(feed.org == "acme");
    CHECK(feed.repo == "pkgs");
    CHECK(feed.nuget_url() == "https://f.feedz.io/acme/pkgs/nuget/index.json");
    CHECK(feed.npm_url() == "https://f.feedz.io/acme/pkgs/npm/");
    CHECK(std::string(k_default_host_root) == "https://f.feedz.io/");
}

TEST_CASE("parse_feed: org/repo segments may hold letters digits dots dashes and underscores",
          "[core][feed]") {
    Feed feed = parsed("Acme-2.co_x/my.Pkgs-1_b");
    CHECK(feed.org == "Acme-2.co_x");
    CHECK(feed.repo == "my.Pkgs-1_b");
    CHECK(feed.root == "https://f.feedz.io/Acme-2.co_x/my.Pkgs-1_b/");
}

TEST_CASE("parse_feed: every accepted URL form names the same feed root", "[core][feed]") {
    auto text = GENERATE(as<std::string>{},
                         "https://f.feedz.io/acme/pkgs",
                         "https://f.feedz.io/acme/pkgs/",
                         "https://f.feedz.io/acme/pkgs/nuget/index.json",
                         "https://f.feedz.io/acme/pkgs/nuget",
                         "https://f.feedz.io/acme/pkgs/nuget/",
                         "https://f.feedz.io/acme/pkgs/npm/",
                         "https://f.feedz.io/acme/pkgs/npm",
                         "HTTPS://F.FEEDZ.IO/acme/pkgs/",
                         "https://F.Feedz.Io/acme/pkgs/npm/",
                         "https://f.feedz.io:443/acme/pkgs/nuget/index.json");
    Feed feed = parsed(text);
    CHECK(feed.root == "https://f.feedz.io/acme/pkgs/");
    CHECK(feed.origin == "https://f.feedz.io/");
    CHECK(feed.org == "acme");
    CHECK(feed.repo == "pkgs");
}

TEST_CASE("parse_feed: org/repo and the root URL of the same feed are equal", "[core][feed]") {
    CHECK(parsed("acme/pkgs").root == parsed("https://f.feedz.io/acme/pkgs/npm/").root);
}

TEST_CASE("parse_feed: the host is lower-cased but the path keeps its case", "[core][feed]") {
    Feed feed = parsed("https://Feeds.Example.COM/Acme/Pkgs/");
    CHECK(feed.root == "https://feeds.example.com/Acme/Pkgs/");
    CHECK(feed.origin == "https://feeds.example.com/");
    CHECK(feed.org == "Acme");
    CHECK(feed.repo == "Pkgs");
}

TEST_CASE("parse_feed: the default port is dropped", "[core][feed]") {
    CHECK(parsed("https://feeds.example.com:443/acme/pkgs/").root
          == "https://feeds.example.com/acme/pkgs/");
    CHECK(parsed("http://localhost:80/acme/pkgs/").root == "http://localhost/acme/pkgs/");
    CHECK(parsed("https://feeds.example.com:0443/acme/pkgs/").root
          == "https://feeds.example.com/acme/pkgs/");
    // RFC 3986: an empty port is the default port.
    CHECK(parsed("https://feeds.example.com:/acme/pkgs/").root
          == "https://feeds.example.com/acme/pkgs/");
}

TEST_CASE("parse_feed: a non-default port is kept", "[core][feed]") {
    Feed feed = parsed("https://feeds.example.com:8443/acme/pkgs/npm/");
    CHECK(feed.root == "https://feeds.example.com:8443/acme/pkgs/");
    CHECK(feed.origin == "https://feeds.example.com:8443/");
    CHECK(feed.npm_url() == "https://feeds.example.com:8443/acme/pkgs/npm/");
    // Port 80 is not the default for https, and 443 is not the default for http.
    CHECK(parsed("https://h.example:80/a/b").root == "https://h.example:80/a/b/");
    CHECK(parsed("http://127.0.0.1:443/a/b").root == "http://127.0.0.1:443/a/b/");
    CHECK(parsed("http://127.0.0.1:5555/acme/pkgs/nuget/index.json").root
          == "http://127.0.0.1:5555/acme/pkgs/");
}

TEST_CASE("parse_feed: plain http is accepted for loopback hosts", "[core][feed]") {
    CHECK(parsed("http://localhost/acme/pkgs/").root == "http://localhost/acme/pkgs/");
    CHECK(parsed("http://LOCALHOST:8080/acme/pkgs/").root == "http://localhost:8080/acme/pkgs/");
    CHECK(parsed("http://127.0.0.1/acme/pkgs/").root == "http://127.0.0.1/acme/pkgs/");
    CHECK(parsed("http://127.1.2.3:9000/acme/pkgs/npm/").root
          == "http://127.1.2.3:9000/acme/pkgs/");
    CHECK(parsed("http://[::1]/acme/pkgs/").root == "http://[::1]/acme/pkgs/");
}

TEST_CASE("parse_feed: an IPv6 loopback host keeps its brackets and port", "[core][feed]") {
    Feed feed = parsed("http://[::1]:8080/acme/pkgs/nuget/index.json");
    CHECK(feed.root == "http://[::1]:8080/acme/pkgs/");
    CHECK(feed.origin == "http://[::1]:8080/");
    CHECK(parsed("https://[::1]/a/b").root == "https://[::1]/a/b/");
    CHECK(parsed("https://[::1]:443/a/b").root == "https://[::1]/a/b/");
}

TEST_CASE("parse_feed: plain http to a host that is not loopback is refused", "[core][feed]") {
    auto text = GENERATE(as<std::string>{},
                         "http://f.feedz.io/acme/pkgs/",
                         "http://feeds.example.com:8080/acme/pkgs/npm/",
                         "http://10.0.0.1/acme/pkgs/",
                         "http://[::2]/acme/pkgs/",
                         "http://localhost.example.com/acme/pkgs/",
                         "http://mylocalhost/acme/pkgs/");
    check_refused_feed(text);
    auto url = normalize_url(text);
    REQUIRE_FALSE(url.has_value());
    CHECK(url.error().code == Errc::invalid_argument);
    CHECK_THAT(url.error().message, Catch::Contains("refusing plain http"));
    CHECK_THAT(url.error().message, Catch::Contains("https://"));
}

// A DNS name that merely starts with "127." (wildcard DNS services resolve such names to any
// address) is not a loopback address.
TEST_CASE("normalize_url: plain http to a DNS name starting with 127. is refused", "[core][feed]") {
    check_refused_url("http://127.0.0.1.nip.io/acme/pkgs/");
    check_refused_url("http://127.attacker.example/acme/pkgs/");
}

TEST_CASE("parse_feed: a URL with user info is refused", "[core][feed]") {
    auto text = GENERATE(as<std::string>{},
                         "https://user:T-Qx7Vb2Kp9Lm3Nz4@f.feedz.io/acme/pkgs/",
                         "https://T-Qx7Vb2Kp9Lm3Nz4@f.feedz.io/acme/pkgs/",
                         "https://user@f.feedz.io/acme/pkgs/",
                         "https://@f.feedz.io/acme/pkgs/");
    check_refused_feed(text);
    auto url = normalize_url(text);
    REQUIRE_FALSE(url.has_value());
    CHECK(url.error().code == Errc::invalid_argument);
    CHECK_THAT(url.error().message, Catch::Contains("user name or password"));
    // normalize_url never quotes a URL that may carry a password.
    CHECK_THAT(url.error().message, !Catch::Contains("Qx7Vb2Kp9Lm3Nz4"));
}

// The password part of a URL is a secret (people paste "https://x:TOKEN@host/..."); the usage
// message must not repeat it.
TEST_CASE("parse_feed: the message for a URL with user info does not repeat the password",
          "[core][feed]") {
    auto feed = parse_feed("https://user:T-Qx7Vb2Kp9Lm3Nz4@f.feedz.io/acme/pkgs/");
    REQUIRE_FALSE(feed.has_value());
    CHECK(feed.error().code == Errc::invalid_argument);
    CHECK_THAT(feed.error().message, !Catch::Contains("Qx7Vb2Kp9Lm3Nz4"));
}

TEST_CASE("parse_feed: a URL with a query or fragment is refused", "[core][feed]") {
    auto text = GENERATE(as<std::string>{},
                         "https://f.feedz.io/acme/pkgs/?x=1",
                         "https://f.feedz.io/acme/pkgs/#top",
                         "https://f.feedz.io/acme/pkgs/nuget/index.json?v=3",
                         "https://f.feedz.io/acme/pkgs?");
    check_refused_feed(text);
    CHECK_THAT(parse_feed(text).error().message, Catch::Contains("no query or fragment"));
}

TEST_CASE("parse_feed: garbage is refused with a message listing the accepted forms",
          "[core][feed]") {
    auto text = GENERATE(as<std::string>{},
                         "",
                         "acme",
                         "acme/",
                         "/acme",
                         "/acme/pkgs",
                         "acme//pkgs",
                         "acme/pkgs/extra",
                         "acme/pkgs/npm",
                         "../pkgs",
                         "acme/..",
                         "./pkgs",
                         "acme/.",
                         "acme pkgs/x",
                         "acme/my pkgs",
                         " acme/pkgs",
                         "acme/pkgs ",
                         "acme/pk\tgs",
                         "acme/p%20kgs",
                         "acme:pkgs/x",
                         "f.feedz.io/acme/pkgs",
                         "https://",
                         "https://f.feedz.io",
                         "https://f.feedz.io/",
                         "https://f.feedz.io/acme",
                         "https://f.feedz.io/acme/",
                         "https://f.feedz.io/acme/pkgs/other",
                         "https://f.feedz.io/acme/pkgs/nuget/v3.json",
                         "https://f.feedz.io/acme/pkgs/npm/index.json",
                         "https://f.feedz.io/acme/pkgs/npm/left-pad",
                         "https://f.feedz.io/acme/pkgs/nuget/index.json/x",
                         "https://f.feedz.io/../pkgs/",
                         "https://f.feedz.io/acme/../",
                         "https://f.feedz.io/acme/../pkgs/",
                         "https://f.feedz.io/ac me/pkgs/",
                         "https:///acme/pkgs/",
                         "https://:443/acme/pkgs/",
                         "https://f.feedz.io:0/acme/pkgs/",
                         "https://f.feedz.io:65536/acme/pkgs/",
                         "https://f.feedz.io:abc/acme/pkgs/",
                         "https://f.feedz.io:-1/acme/pkgs/",
                         "https://f.feed z.io/acme/pkgs/",
                         "https://[::1/acme/pkgs/",
                         "https://[::1]x/acme/pkgs/",
                         "https://[]/acme/pkgs/",
                         "https://[zz::1]/acme/pkgs/",
                         "ftp://f.feedz.io/acme/pkgs/",
                         "file:///home/acme/pkgs",
                         "://f.feedz.io/acme/pkgs/");
    check_refused_feed(text);
}

TEST_CASE("parse_feed: an empty feed says it is empty", "[core][feed]") {
    auto feed = parse_feed("");
    REQUIRE_FALSE(feed.has_value());
    CHECK_THAT(feed.error().message, Catch::Contains("(empty)"));
}

TEST_CASE("parse_feed: a URL that is not /org/repo says what it expected", "[core][feed]") {
    auto feed = parse_feed("https://f.feedz.io/acme/pkgs/other");
    REQUIRE_FALSE(feed.has_value());
    CHECK_THAT(feed.error().message, Catch::Contains("expected /org/repo/ after the host"));
}

TEST_CASE("accepted_feed_forms: lists org/repo and the root, NuGet and npm URLs", "[core][feed]") {
    std::string forms = accepted_feed_forms();
    CHECK_THAT(forms, Catch::Contains("org/repo"));
    CHECK_THAT(forms, Catch::Contains("https://f.feedz.io/org/repo/ "));
    CHECK_THAT(forms, Catch::Contains("https://f.feedz.io/org/repo/nuget/index.json"));
    CHECK_THAT(forms, Catch::Contains("https://f.feedz.io/org/repo/npm/"));
}

// --- normalize_url ---

TEST_CASE("normalize_url: splits a URL into text, origin and path", "[core][feed]") {
    NormalizedUrl url = normalized("https://f.feedz.io/acme/pkgs/npm/left-pad");
    CHECK(url.text == "https://f.feedz.io/acme/pkgs/npm/left-pad");
    CHECK(url.origin == "https://f.feedz.io/");
    CHECK(url.path == "/acme/pkgs/npm/left-pad");
}

TEST_CASE("normalize_url: lower-cases scheme and host, keeps the path", "[core][feed]") {
    NormalizedUrl url = normalized("HTTPS://F.Feedz.IO:443/Acme/Pkgs/NuGet/index.json");
    CHECK(url.text == "https://f.feedz.io/Acme/Pkgs/NuGet/index.json");
    CHECK(url.origin == "https://f.feedz.io/");
    CHECK(url.path == "/Acme/Pkgs/NuGet/index.json");
}

TEST_CASE("normalize_url: a backslash in the path is a slash, as http clients read it",
          "[core][feed]") {
    // .NET sends https://f.feedz.io/acme/pkgs/..\..\evil/x to /evil/x.
    CHECK(normalized("https://f.feedz.io/acme/pkgs/..\\..\\evil/x").text
          == "https://f.feedz.io/evil/x");
    CHECK_FALSE(
        feedz::scope_covers("https://f.feedz.io/acme/pkgs/",
                            normalized("https://f.feedz.io/acme/pkgs/..\\..\\evil/x").text));
    CHECK(normalized("https://f.feedz.io/acme\\pkgs/npm/").text
          == "https://f.feedz.io/acme/pkgs/npm/");
    // A backslash ends the host, so what follows is path, as clients read it.
    CHECK(normalized("https://f.feedz.io\\@evil.example/").origin == "https://f.feedz.io/");
    CHECK(normalized("https://h.example\\x/").text == "https://h.example/x/");
}

TEST_CASE("normalize_url: a URL without a path gets '/'", "[core][feed]") {
    NormalizedUrl url = normalized("https://f.feedz.io");
    CHECK(url.text == "https://f.feedz.io/");
    CHECK(url.origin == "https://f.feedz.io/");
    CHECK(url.path == "/");
    CHECK(normalized("https://h.example:8443").text == "https://h.example:8443/");
}

TEST_CASE("normalize_url: a query or fragment is dropped", "[core][feed]") {
    CHECK(normalized("https://f.feedz.io/acme/pkgs/npm/x?write=true#frag").text
          == "https://f.feedz.io/acme/pkgs/npm/x");
    CHECK(normalized("https://f.feedz.io/acme/pkgs/#frag").text == "https://f.feedz.io/acme/pkgs/");
    NormalizedUrl bare = normalized("https://f.feedz.io?x=1");
    CHECK(bare.text == "https://f.feedz.io/");
    CHECK(bare.path == "/");
    CHECK(normalized("https://f.feedz.io#a/b").text == "https://f.feedz.io/");
}

TEST_CASE("normalize_url: the port is kept unless it is the scheme's default", "[core][feed]") {
    CHECK(normalized("https://h.example:443/x").text == "https://h.example/x");
    CHECK(normalized("https://h.example:8443/x").text == "https://h.example:8443/x");
    CHECK(normalized("https://h.example:8443/x").origin == "https://h.example:8443/");
    CHECK(normalized("http://localhost:80/x").text == "http://localhost/x");
    CHECK(normalized("http://localhost:65535/x").text == "http://localhost:65535/x");
    CHECK(normalized("https://h.example:1/x").text == "https://h.example:1/x");
}

TEST_CASE("normalize_url: IPv6 hosts are lower-cased and keep their brackets", "[core][feed]") {
    CHECK(normalized("https://[FE80::AB]/x").text == "https://[fe80::ab]/x");
    CHECK(normalized("https://[fe80::ab]:8443/x").origin == "https://[fe80::ab]:8443/");
    CHECK(normalized("http://[::1]:3000/x").text == "http://[::1]:3000/x");
}

TEST_CASE("normalize_url: text that is not an http(s) URL is refused", "[core][feed]") {
    auto text = GENERATE(as<std::string>{},
                         "",
                         "acme/pkgs",
                         "f.feedz.io/acme/pkgs",
                         "https:/f.feedz.io/",
                         "ftp://f.feedz.io/",
                         "ssh://f.feedz.io/",
                         "https://",
                         "https:///x",
                         "https://h.example:0/",
                         "https://h.example:65536/",
                         "https://h.example:99999999999999999999/",
                         "https://h.example:12ab/",
                         "https://h.example:+443/",
                         "https://h.ex ample/",
                         "https://[::1/",
                         "https://[::1]8080/");
    check_refused_url(text);
}

TEST_CASE("normalize_url: an unsupported scheme names https in the message", "[core][feed]") {
    auto url = normalize_url("FTP://f.feedz.io/acme/pkgs/");
    REQUIRE_FALSE(url.has_value());
    CHECK_THAT(url.error().message, Catch::Contains("unsupported scheme 'ftp'"));
    CHECK_THAT(url.error().message, Catch::Contains("use https://"));
}

// --- scope_covers ---

TEST_CASE("scope_covers: a feed scope covers the feed root and everything below it",
          "[core][feed]") {
    const std::string scope = "https://h.example/acme/pkgs/";
    CHECK(scope_covers(scope, "https://h.example/acme/pkgs/"));
    CHECK(scope_covers(scope, "https://h.example/acme/pkgs"));
    CHECK(scope_covers(scope, "https://h.example/acme/pkgs/npm/"));
    CHECK(scope_covers(scope, "https://h.example/acme/pkgs/npm/x"));
    CHECK(scope_covers(scope, "https://h.example/acme/pkgs/nuget/index.json"));
}

TEST_CASE("scope_covers: matching is by whole path segments", "[core][feed]") {
    const std::string scope = "https://h.example/acme/pkgs/";
    CHECK_FALSE(scope_covers(scope, "https://h.example/acme/pkgs2/"));
    CHECK_FALSE(scope_covers(scope, "https://h.example/acme/pkgs2"));
    CHECK_FALSE(scope_covers(scope, "https://h.example/acme/pkgs2/npm/x"));
    CHECK_FALSE(scope_covers(scope, "https://h.example/acme/pkgsx"));
    CHECK_FALSE(scope_covers(scope, "https://h.example/acme/pk"));
    CHECK_FALSE(scope_covers(scope, "https://h.example/acme/"));
    CHECK_FALSE(scope_covers(scope, "https://h.example/acme"));
    CHECK_FALSE(scope_covers(scope, "https://h.example/"));
    CHECK_FALSE(scope_covers(scope, "https://h.example/other/pkgs/"));
}

TEST_CASE("scope_covers: a URL that normalises out of the scope is not covered", "[core][feed]") {
    const std::string scope = "https://h.example/acme/pkgs/";
    CHECK_FALSE(scope_covers(scope, "https://h.example/acme/pkgs/../other/npm/"));
    CHECK_FALSE(scope_covers(scope, "https://h.example/acme/pkgs/ns/../../x/index.json"));
    CHECK_FALSE(scope_covers(scope, "https://h.example/acme/pkgs/%2e%2e/other/"));
    CHECK_FALSE(scope_covers(scope, "https://h.example/acme/pkgs/..\\other/"));
    // Dots and escapes that stay inside are fine.
    CHECK(scope_covers(scope, "https://h.example/acme/pkgs/npm/.well-known"));
    CHECK(scope_covers(scope, "https://h.example/acme/pkgs/npm/@acme%2fhello"));
}

TEST_CASE("scope_covers: an origin scope covers everything on its host", "[core][feed]") {
    const std::string scope = "https://h.example/";
    CHECK(scope_covers(scope, "https://h.example/"));
    CHECK(scope_covers(scope, "https://h.example"));
    CHECK(scope_covers(scope, "https://h.example/acme/pkgs/"));
    CHECK(scope_covers(scope, "https://h.example/x/y/z/npm/left-pad"));
}

TEST_CASE("scope_covers: a different host, port or scheme is never covered", "[core][feed]") {
    for (std::string scope : {"https://h.example/", "https://h.example/acme/pkgs/"}) {
        INFO("scope: " << scope);
        CHECK_FALSE(scope_covers(scope, "https://other.example/acme/pkgs/"));
        CHECK_FALSE(scope_covers(scope, "https://h.example.evil/acme/pkgs/"));
        CHECK_FALSE(scope_covers(scope, "https://h.exampl/acme/pkgs/"));
        CHECK_FALSE(scope_covers(scope, "https://xh.example/acme/pkgs/"));
        CHECK_FALSE(scope_covers(scope, "https://h.example:8443/acme/pkgs/"));
        CHECK_FALSE(scope_covers(scope, "http://h.example/acme/pkgs/"));
    }
    CHECK_FALSE(scope_covers("https://h.example:8443/", "https://h.example/acme/pkgs/"));
    CHECK_FALSE(scope_covers("https://h.example:844/", "https://h.example:8443/acme/pkgs/"));
    CHECK(scope_covers("https://h.example:8443/", "https://h.example:8443/acme/pkgs/"));
}

// RFC 3986 §5.2.4: every client and server resolves "." and ".." segments, so
// "/acme/pkgs/../other/" names /acme/other/. A request URL must not reach a scope it escapes
// (normalize_url could resolve the segments or refuse such URLs; either way this holds).
TEST_CASE("scope_covers: a URL that leaves a scope through dot segments is not covered",
          "[core][feed]") {
    const std::string scope = "https://f.feedz.io/acme/pkgs/";
    for (const char* text : {"https://f.feedz.io/acme/pkgs/../other/npm/x",
                             "https://f.feedz.io/acme/pkgs/../../evil/repo/nuget/index.json",
                             "https://f.feedz.io/acme/pkgs/./../other/"}) {
        INFO("url: " << text);
        auto url = normalize_url(text);
        if (url) {
            CHECK_FALSE(scope_covers(scope, url->text));
        }
    }
}

// Some servers and proxies decode %2F and %5C, others merge "//": after either, a dot segment
// can leave the scope that the URL as written is in. Such URLs get no token at all.
TEST_CASE("normalize_url: a dot segment behind an encoded slash, or an empty segment, is refused",
          "[core][feed]") {
    const std::string scope = "https://f.feedz.io/acme/pkgs/";
    for (const char* text : {"https://f.feedz.io/acme/pkgs/..%2fother/",
                             "https://f.feedz.io/acme/pkgs/..%2Fother/npm/",
                             "https://f.feedz.io/acme/pkgs/%2e%2e%2fother/nuget/index.json",
                             "https://f.feedz.io/acme/pkgs/..%5cother/",
                             "https://f.feedz.io/acme/pkgs/..%5Cother/",
                             "https://f.feedz.io/acme/pkgs/x%2F.%2F..%2F..%2Fother/",
                             "https://f.feedz.io/acme/pkgs//../other/",
                             "https://f.feedz.io/acme/pkgs/npm//../../other/",
                             "https://f.feedz.io/acme/pkgs\\\\..\\other/",
                             "https://f.feedz.io//acme/pkgs/",
                             "https://f.feedz.io/acme/pkgs//"}) {
        INFO("url: " << text);
        auto url = normalize_url(text);
        if (url) {
            INFO("normalised: " << url->text);
            CHECK_FALSE(scope_covers(scope, url->text));
        }
        REQUIRE_FALSE(url.has_value());
        CHECK(url.error().code == Errc::invalid_argument);
        CHECK_THAT(url.error().message, Catch::Contains("is ambiguous"));
    }
    // An encoded slash without a dot segment behind it is an npm scoped package name.
    CHECK(scope_covers(scope, normalized("https://f.feedz.io/acme/pkgs/npm/@scope%2fpkg").text));
    // Encoded slashes in a query are no part of the path.
    CHECK(normalized("https://f.feedz.io/acme/pkgs/npm/x?q=%2f..%2f").text
          == "https://f.feedz.io/acme/pkgs/npm/x");
}

TEST_CASE("scope_covers: works on the output of parse_feed and normalize_url", "[core][feed]") {
    Feed feed = parsed("acme/pkgs");
    CHECK(scope_covers(feed.root, normalized(feed.npm_url() + "left-pad").text));
    CHECK(scope_covers(feed.root, normalized(feed.nuget_url()).text));
    CHECK(scope_covers(feed.root, normalized("HTTPS://F.FEEDZ.IO:443/acme/pkgs").text));
    CHECK(scope_covers(feed.origin, normalized(feed.nuget_url()).text));
    CHECK_FALSE(scope_covers(feed.root, normalized("https://f.feedz.io/acme/pkgs2/npm/").text));
}

TEST_CASE("normalize_url: whitespace and control characters are refused", "[core][feed]") {
    for (const char* text : {"https://f.feedz.io/a b/",
                             "https://f.feedz.io/a\tb/",
                             "https://f.feedz.io/a\nb/",
                             "https://f.feedz.io/a\x7f/",
                             " https://f.feedz.io/a/"}) {
        INFO(text);
        auto url = normalize_url(text);
        REQUIRE_FALSE(url);
        CHECK(url.error().code == Errc::invalid_argument);
    }
}

TEST_CASE("scope_covers: a scope without its final '/' covers nothing", "[core][feed]") {
    CHECK_FALSE(scope_covers("https://f.feedz.io/a", "https://f.feedz.io/ab/npm/"));
    CHECK_FALSE(scope_covers("https://f.feedz.io/a", "https://f.feedz.io/a/npm/"));
    CHECK_FALSE(scope_covers("", "https://f.feedz.io/"));
    CHECK(scope_covers("https://f.feedz.io/a/", "https://f.feedz.io/a/npm/"));
}
