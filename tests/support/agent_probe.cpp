// SPDX-License-Identifier: MIT
// feedz-agent-probe: a test client of the agent. It reports what the agent answered without
// ever printing a token: a served token shows as the SHA-256 of what arrived, which a test
// compares with the hash of the token it stored.
//
//   feedz-agent-probe get URL [read|write|manage]   one look-up, JSON on stdout
//   feedz-agent-probe raw                           send stdin's bytes after the greeting,
//                                                   print every reply line until EOF/timeout
//
// The socket is FEEDZ_AGENT_SOCKET or the default path; the agent is never started.
#include <agent/core/paths.hpp>
#include <agent/core/token_json.hpp>
#include <agent/ipc/client.hpp>

#include <openssl/evp.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
    std::string hex;
    char byte[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(byte, sizeof(byte), "%02x", digest[i]);
        hex += byte;
    }
    return hex;
}

int print_error(const feedz::Error& error) {
    nlohmann::json output = {
        {"error", {{"code", feedz::to_string(error.code)}, {"message", error.message}}}};
    std::printf("%s\n", output.dump().c_str());
    return 1;
}

int get(const std::string& url, const std::string& operation_text) {
    auto operation = feedz::operation_from_string(operation_text);
    if (!operation) {
        std::fprintf(stderr, "bad operation %s\n", operation_text.c_str());
        return 2;
    }
    auto client = feedz::connect_to_running_agent(feedz::agent_socket_path());
    if (!client) {
        return print_error(client.error());
    }
    auto reply = client->get(url, *operation);
    if (!reply) {
        return print_error(reply.error());
    }
    nlohmann::json output = {{"found", reply->token.has_value()}};
    if (reply->token) {
        output["name"] = reply->token->name;
        output["prefix"] = reply->token->prefix;
        output["access"] = feedz::to_string(reply->token->access);
        output["sha256"] = sha256_hex(reply->secret.view());
    }
    nlohmann::json rejected = nlohmann::json::array();
    for (const auto& entry : reply->rejected) {
        rejected.push_back(
            {{"name", entry.token.name}, {"reason", feedz::to_string(entry.reason)}});
    }
    output["rejected"] = rejected;
    std::printf("%s\n", output.dump().c_str());
    return reply->token ? 0 : 1;
}

int raw() {
    std::string input;
    char chunk[65536];
    for (ssize_t n; (n = ::read(STDIN_FILENO, chunk, sizeof(chunk))) > 0;) {
        input.append(chunk, static_cast<std::size_t>(n));
    }
    std::string path = feedz::agent_socket_path();
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        std::printf("connect failed: %s\n", std::strerror(errno));
        return 1;
    }
    // The whole input, in pieces if large; a peer that stops reading is fine too.
    std::size_t sent = 0;
    while (sent < input.size()) {
        ssize_t n = ::send(fd, input.data() + sent, input.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            break;
        }
        sent += static_cast<std::size_t>(n);
    }
    std::string output;
    char buffer[4096];
    while (true) {
        pollfd descriptor{fd, POLLIN, 0};
        if (::poll(&descriptor, 1, 10000) <= 0) {
            output += "<timeout>\n";
            break;
        }
        ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
        if (n <= 0) {
            output += "<closed>\n";
            break;
        }
        output.append(buffer, static_cast<std::size_t>(n));
    }
    std::fwrite(output.data(), 1, output.size(), stdout);
    ::close(fd);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    std::string command = argc > 1 ? argv[1] : "";
    if (command == "get" && (argc == 3 || argc == 4)) {
        return get(argv[2], argc == 4 ? argv[3] : "read");
    }
    if (command == "raw" && argc == 2) {
        return raw();
    }
    std::fprintf(stderr, "usage: feedz-agent-probe get URL [read|write|manage] | raw\n");
    return 2;
}
