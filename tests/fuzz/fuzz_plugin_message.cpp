// SPDX-License-Identifier: MIT
// The NuGet plugin's message parser: any line NuGet (or anything else on its stdin) sends is
// parsed or refused with an error that does not quote the line.
#include "fuzz_support.hpp"
#include <helpers/nuget/plugin_messages.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto line = feedz::fuzz::as_text(data, size);
    auto message = feedz::nuget::parse_message(line);
    if (!message) {
        // The line may hold a proxy password: an error never quotes it (a long enough line
        // cannot appear in a short message by chance).
        FUZZ_REQUIRE(line.size() < 16 || message.error().message.find(line) == std::string::npos);
    }
    return 0;
}
