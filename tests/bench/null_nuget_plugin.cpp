// SPDX-License-Identifier: MIT
// null_nuget_plugin: the restore benchmark's floor (run-nuget-restore-bench.sh). The shortest
// conversation NuGet accepts from a credential plugin, with no work behind it: every answer is
// fixed, the password is $BENCH_PLUGIN_TOKEN. It is not a plugin to ship: it trusts its input
// (NuGet's lines, whose fields come in NuGet's order) and keeps no protocol rule it need not.
//
// NULL_PLUGIN_HANDSHAKE picks when our Handshake request goes out, to compare the orders:
// `start` (the moment the process starts) or `answered` (after answering NuGet's, the default:
// what a .NET plugin does after its own start-up).
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

void write_all(const std::string& text) {
    const char* data = text.data();
    size_t left = text.size();
    while (left > 0) {
        ssize_t written = ::write(STDOUT_FILENO, data, left);
        if (written <= 0) {
            std::_Exit(0); // NuGet is gone
        }
        data += written;
        left -= static_cast<size_t>(written);
    }
}

// The string value of "key" in a compact JSON line, or empty.
std::string_view field(std::string_view line, std::string_view key) {
    std::string pattern = "\"" + std::string(key) + "\":\"";
    auto begin = line.find(pattern);
    if (begin == std::string_view::npos) {
        return {};
    }
    begin += pattern.size();
    auto end = line.find('"', begin);
    return end == std::string_view::npos ? std::string_view() : line.substr(begin, end - begin);
}

void send(std::string_view id,
          std::string_view type,
          std::string_view method,
          const std::string& payload) {
    write_all("{\"RequestId\":\"" + std::string(id) + "\",\"Type\":\"" + std::string(type)
              + "\",\"Method\":\"" + std::string(method) + "\",\"Payload\":" + payload + "}\n");
}

void send_handshake() {
    send("null-plugin-handshake",
         "Request",
         "Handshake",
         R"({"ProtocolVersion":"2.0.0","MinimumProtocolVersion":"1.0.0"})");
}

// Returns false on Close.
bool answer(std::string_view line, const std::string& token, bool& handshake_due) {
    if (field(line, "Type") != "Request") {
        return true;
    }
    auto id = field(line, "RequestId");
    auto method = field(line, "Method");
    if (method == "Close") {
        return false;
    }
    std::string payload = R"({"ResponseCode":"Success"})";
    if (method == "Handshake") {
        payload = R"({"ResponseCode":"Success","ProtocolVersion":"2.0.0"})";
    } else if (method == "GetOperationClaims") {
        bool agnostic = line.find("\"ServiceIndex\"") == std::string_view::npos;
        payload = agnostic ? R"({"Claims":["Authentication"]})" : R"({"Claims":[]})";
    } else if (method == "GetAuthenticationCredentials") {
        payload = R"({"Username":"feedz","Password":")" + token
                  + R"(","AuthenticationTypes":["Basic"],"ResponseCode":"Success"})";
    }
    send(id, "Response", method, payload);
    if (method == "Handshake" && handshake_due) {
        handshake_due = false;
        send_handshake();
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2 || std::strcmp(argv[1], "-Plugin") != 0) {
        return 2;
    }
    const char* token = std::getenv("BENCH_PLUGIN_TOKEN");
    const char* order = std::getenv("NULL_PLUGIN_HANDSHAKE");
    bool handshake_due = true;
    if (order != nullptr && std::strcmp(order, "start") == 0) {
        handshake_due = false;
        send_handshake();
    }
    std::string pending;
    char buffer[65536];
    while (true) {
        ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got <= 0) {
            return 0;
        }
        pending.append(buffer, static_cast<size_t>(got));
        size_t newline;
        while ((newline = pending.find('\n')) != std::string::npos) {
            std::string line = pending.substr(0, newline);
            pending.erase(0, newline + 1);
            if (!answer(line, token != nullptr ? token : "", handshake_due)) {
                return 0;
            }
        }
    }
}
