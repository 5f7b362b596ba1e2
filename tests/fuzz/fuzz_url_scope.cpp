// SPDX-License-Identifier: MIT
// URL normalisation and the scope check that decides which token a URL may get. Input: a scope
// and a URL, separated by a newline. Beyond not crashing: normalisation is idempotent, and a
// URL judged in scope is still in scope after any further normalisation (so no re-reading of
// the same URL can move it into a scope it was not judged in).
#include "fuzz_support.hpp"
#include <agent/core/feed.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto parts = feedz::fuzz::split(feedz::fuzz::as_text(data, size), '\n');
    const std::string& scope_text = parts[0];
    const std::string url_text = parts.size() > 1 ? parts[1] : "";

    (void)feedz::parse_feed(scope_text);
    (void)feedz::without_user_info(url_text);
    auto url = feedz::normalize_url(url_text);
    if (url) {
        auto again = feedz::normalize_url(url->text);
        FUZZ_REQUIRE(again.has_value());
        FUZZ_REQUIRE(again->text == url->text);
        FUZZ_REQUIRE(url->text == url->origin + url->path.substr(1));
    }
    auto scope = feedz::normalize_url(scope_text);
    if (!scope || !url) {
        return 0;
    }
    // Refusing a raw URL that its normalised form would pass is the safe direction; the other
    // one would let a re-reading of the URL move it into a scope it was not judged in.
    if (feedz::scope_covers(scope->text, url_text)) {
        FUZZ_REQUIRE(feedz::scope_covers(scope->text, url->text));
        FUZZ_REQUIRE(url->origin == scope->origin);
    }
    return 0;
}
