// SPDX-License-Identifier: MIT
#include "feed_probe.hpp"

#include <agent/ipc/protocol.hpp>
#include <agent/util/process.hpp>

#include <nlohmann/json.hpp>

#include <cstring>

namespace feedz {

Result<ProbeAnswer>
probe_with_token(const std::string& url, const SecretString& token, std::chrono::seconds timeout) {
    std::string helper = program_beside_own_executable("feedz-agent-https");
    if (!is_executable_file(helper)) {
        return make_error(Errc::io_error,
                          helper
                              + " is missing or not executable, so the feed cannot be "
                                "asked; reinstall feedz-agent");
    }
    // The URL and the timeout on a line each, then the token: never in argv, where `ps` shows it.
    std::string head = url + "\n" + std::to_string(timeout.count()) + "\n";
    SecretString request = SecretString::with_size(head.size() + token.size());
    std::memcpy(request.data(), head.data(), head.size());
    if (!token.empty()) {
        std::memcpy(request.data() + head.size(), token.view().data(), token.size());
    }
    SpawnOptions options;
    options.input = ChildStream::pipe;
    options.output = ChildStream::pipe;
    auto child = spawn(helper, {helper}, options);
    if (!child) {
        return make_error(Errc::io_error, child.error().message);
    }
    CommunicateOptions exchange;
    exchange.input = request.view();
    auto finished = communicate(*child, exchange);
    if (!finished) {
        return finished.error();
    }
    const std::string& reply = finished->output;
    auto json = nlohmann::json::parse(reply, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return make_error(Errc::io_error,
                          helper + " gave no answer (exit status "
                              + std::to_string(finished->status) + ")");
    }
    if (auto error = json.find("error"); error != json.end() && error->is_object()) {
        // feedz-agent-https comes from the same build: a code it sends that we do not know
        // is a bug of ours.
        return make_error(
            errc_from_string(error->value("code", "io_error")).value_or(Errc::internal),
            error->value("message", "the request failed"));
    }
    ProbeAnswer answer{json.value("status", 0), json.value("reason", ""), {}};
    if (auto date = json.find("date"); date != json.end() && date->is_number_integer()) {
        answer.date =
            std::chrono::system_clock::time_point(std::chrono::seconds(date->get<long>()));
    }
    return answer;
}

Result<ProbeAnswer> probe_feed(const std::string& url, const SecretString& token) {
    return probe_with_token(url, token);
}

} // namespace feedz
