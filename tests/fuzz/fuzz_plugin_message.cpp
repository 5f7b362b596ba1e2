// SPDX-License-Identifier: MIT
// The NuGet plugin's message parser: any line NuGet (or anything else on its stdin) sends is
// parsed or refused. Every "@@" in the input stands for a password the test knows (a proxy
// password can arrive in a message): an error never quotes it.
#include "fuzz_support.hpp"
#include <helpers/nuget/plugin_messages.hpp>

namespace {

constexpr std::string_view k_password = "P-fuzzSECRETq9Zx7Vb2Kp9Lm3Nz4";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string line(feedz::fuzz::as_text(data, size));
    for (auto at = line.find("@@"); at != std::string::npos; at = line.find("@@", at)) {
        line.replace(at, 2, k_password);
        at += k_password.size();
    }
    auto message = feedz::nuget::parse_message(line);
    if (!message) {
        FUZZ_REQUIRE(message.error().message.find(k_password.substr(2, 12)) == std::string::npos);
    }
    return 0;
}
