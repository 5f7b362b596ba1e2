// SPDX-License-Identifier: MIT
// The npm and NuGet command-line classifiers that decide which access level exec asks for.
// Input: the words of a command line separated by NUL bytes. Beyond not crashing: a command
// the npm classifier reads as a write still reads as one with more arguments after it, as long
// as they are plain words (so an appended flag value cannot downgrade a publish).
#include "fuzz_support.hpp"
#include <agent/npm/npm_command.hpp>
#include <agent/nuget/nuget_command.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto words = feedz::fuzz::split(feedz::fuzz::as_text(data, size), '\0');
    if (words.size() > 64) {
        words.resize(64);
    }
    const auto npm = feedz::plan_npm_command(words);
    (void)feedz::npm_resolve_verb(words[0]);
    (void)feedz::plan_nuget_command(words);

    if (npm.operation != feedz::Operation::read) {
        auto longer = words;
        longer.emplace_back("extra");
        FUZZ_REQUIRE(feedz::plan_npm_command(longer).operation == npm.operation);
    }
    return 0;
}
