// SPDX-License-Identifier: MIT
// The .npmrc parser and editor. Beyond not crashing: for any text, adding a line for a key the
// file does not have and removing it again gives back the original bytes (what logout relies
// on), and rewriting an existing key then reading it finds exactly the new value.
#include "fuzz_support.hpp"
#include <agent/npm/npmrc.hpp>

using feedz::Npmrc;

namespace {

constexpr std::string_view k_key = "//fuzz.example/org/repo/npm/:_auth";

bool plain_key(std::string_view key) {
    return !key.empty()
           && key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789@/:._-")
                  == std::string_view::npos;
}

std::string text_of(const Npmrc& npmrc) {
    const auto text = npmrc.text();
    return std::string(text.view());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = feedz::fuzz::as_text(data, size);
    auto npmrc = Npmrc::parse(input, "fuzz.npmrc");
    FUZZ_REQUIRE(text_of(npmrc) == input);

    for (const auto& entry : npmrc.entries()) {
        (void)feedz::npm_value(entry.raw);
        (void)feedz::npm_placeholders(entry.raw);
        (void)feedz::npm_nerf_dart(entry.key);
    }
    (void)feedz::npm_expand(input,
                            [](std::string_view) { return std::optional<std::string_view>("v"); });

    if (!npmrc.find(k_key)) {
        FUZZ_REQUIRE(npmrc.set(k_key, "c2VjcmV0"));
        const auto added = npmrc.find(k_key);
        FUZZ_REQUIRE(added && added->raw == "c2VjcmV0");
        FUZZ_REQUIRE(npmrc.erase(k_key));
        FUZZ_REQUIRE(text_of(npmrc) == input);
    }

    // A key of the kind login writes (a nerf-dart or a scope's registry), found in the file,
    // can be set and is then read back with the new value. (set() writes keys as they are, so
    // one that needed quotes would not read back; login never writes such a key.)
    for (const auto& entry : Npmrc::parse(input).entries()) {
        if (!entry.top_level() || entry.array || !plain_key(entry.key)) {
            continue;
        }
        auto edited = Npmrc::parse(input);
        edited.set(entry.key, "fuzzvalue");
        const auto found = edited.find(entry.key);
        FUZZ_REQUIRE(found && found->raw == "fuzzvalue");
        break;
    }
    return 0;
}
