// SPDX-License-Identifier: MIT
// feedz-agent-https: makes the one HTTPS request feedz-agent asks for, so that feedz-agent
// itself links no TLS or HTTP library (git's git-remote-https does the same for git).
// Standard input: the URL, a newline, the timeout in seconds, a newline, then the token.
// Standard output: {"status": N, "reason": "...", "date": epoch-seconds} or
// {"error": {"code": "...", "message": "..."}}. Never the token.
#include "https_helper.hpp"

#include <agent/https/https_request.hpp>
#include <agent/ipc/protocol.hpp>
#include <agent/util/secret_string.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <string>

namespace feedz {

namespace {

// All of standard input, in a buffer that is wiped (it holds the token).
SecretString read_input() {
    constexpr std::size_t k_limit = 64 * 1024;
    SecretString buffer = SecretString::with_size(k_limit);
    std::size_t used = 0;
    while (used < k_limit) {
        ssize_t n = ::read(STDIN_FILENO, buffer.data() + used, k_limit - used);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        used += static_cast<std::size_t>(n);
    }
    return SecretString(buffer.view().substr(0, used));
}

int answer(const nlohmann::json& json) {
    std::printf("%s\n",
                json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
}

int failure(Errc code, const std::string& message) {
    return answer({{"error", {{"code", to_string(code)}, {"message", message}}}});
}

} // namespace

int https_helper_main(int argc) {
    if (argc != 1 || ::isatty(STDIN_FILENO) != 0) {
        std::fprintf(stderr,
                     "feedz-agent-https is run by feedz-agent to ask a feed about a token; it "
                     "is not meant to be run by hand\n");
        return 2;
    }
    try {
        SecretString input = read_input();
        std::string_view text = input.view();
        auto first = text.find('\n');
        auto second = first == std::string_view::npos ? first : text.find('\n', first + 1);
        if (second == std::string_view::npos) {
            return failure(Errc::protocol_error, "feedz-agent-https: malformed request");
        }
        std::string url(text.substr(0, first));
        long timeout = std::strtol(
            std::string(text.substr(first + 1, second - first - 1)).c_str(), nullptr, 10);
        SecretString token(text.substr(second + 1));
        auto result =
            https_get_with_token(url, token, std::chrono::seconds(timeout > 0 ? timeout : 15));
        if (!result) {
            return failure(result.error().code, result.error().message);
        }
        nlohmann::json json = {{"status", result->status}, {"reason", result->reason}};
        if (result->date) {
            json["date"] =
                std::chrono::duration_cast<std::chrono::seconds>(result->date->time_since_epoch())
                    .count();
        }
        return answer(json);
    } catch (const std::exception& error) {
        return failure(Errc::internal, std::string("internal error: ") + error.what());
    }
}

} // namespace feedz
