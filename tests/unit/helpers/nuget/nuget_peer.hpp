// SPDX-License-Identifier: MIT
#pragma once

// A scripted NuGet for the session tests: a PluginSession runs on its own thread over two
// pipes, and the test writes NuGet's lines and reads the plugin's, byte for byte.

#include "fake_credential_source.hpp"
#include <helpers/nuget/diagnostic_log.hpp>
#include <helpers/nuget/plugin_session.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>

namespace feedz::nuget::test {

using namespace std::chrono_literals;

inline SessionOptions fast_options() {
    SessionOptions options;
    options.progress_interval = 10s; // tests that want Progress set their own
    options.pid_poll_interval = 20ms;
    return options;
}

class NuGetPeer {
public:
    explicit NuGetPeer(FakeCredentialSource& source,
                       SessionOptions options = fast_options(),
                       const DiagnosticLog& log = no_log())
        : m_source(source) {
        int to_plugin[2];
        int from_plugin[2];
        REQUIRE(::pipe2(to_plugin, O_CLOEXEC) == 0);
        REQUIRE(::pipe2(from_plugin, O_CLOEXEC) == 0);
        m_plugin_in = to_plugin[0];
        m_write = to_plugin[1];
        m_read = from_plugin[0];
        m_plugin_out = from_plugin[1];
        m_session =
            std::make_unique<PluginSession>(m_plugin_in, m_plugin_out, source, log, options);
        m_end = std::async(std::launch::async, [this] { return m_session->run(); });
    }

    NuGetPeer(const NuGetPeer&) = delete;
    NuGetPeer& operator=(const NuGetPeer&) = delete;

    ~NuGetPeer() {
        close_input();
        m_source.release();
        if (m_end.valid()) {
            m_end.wait();
        }
        m_session.reset();
        for (int fd : {m_plugin_in, m_read, m_plugin_out}) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
    }

    static const DiagnosticLog& no_log() {
        static const DiagnosticLog log;
        return log;
    }

    // Writes `bytes` to the plugin's stdin as they are.
    void send_raw(std::string_view bytes) {
        while (!bytes.empty()) {
            ssize_t n = ::write(m_write, bytes.data(), bytes.size());
            REQUIRE(n > 0);
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    void send(std::string_view line) { send_raw(std::string(line) + "\n"); }

    void send_json(const nlohmann::json& message) { send(message.dump()); }

    // The next line the plugin wrote, without its "\n"; nullopt if none arrives in time.
    std::optional<std::string> next_line(std::chrono::milliseconds timeout = 5s) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            if (auto newline = m_buffer.find('\n'); newline != std::string::npos) {
                std::string line = m_buffer.substr(0, newline);
                m_buffer.erase(0, newline + 1);
                return line;
            }
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                return std::nullopt;
            }
            pollfd descriptor{m_read, POLLIN, 0};
            if (::poll(&descriptor, 1, static_cast<int>(left.count())) <= 0) {
                continue;
            }
            char chunk[65536];
            ssize_t n = ::read(m_read, chunk, sizeof(chunk));
            if (n <= 0) {
                return std::nullopt;
            }
            m_buffer.append(chunk, static_cast<std::size_t>(n));
        }
    }

    // The next line, which must come and be one JSON object.
    nlohmann::json next_message(std::chrono::milliseconds timeout = 5s) {
        auto line = next_line(timeout);
        REQUIRE(line.has_value());
        auto json = nlohmann::json::parse(*line, nullptr, false);
        INFO(*line);
        REQUIRE(json.is_object());
        return json;
    }

    // Nothing more is written within `wait`.
    bool silent_for(std::chrono::milliseconds wait) {
        auto line = next_line(wait);
        if (line) {
            UNSCOPED_INFO("unexpected output: " << *line);
        }
        return !line;
    }

    void close_input() {
        if (m_write >= 0) {
            ::close(m_write);
            m_write = -1;
        }
    }

    // Closes the end the plugin writes to (NuGet has gone away).
    void close_output_reader() {
        ::close(m_read);
        m_read = -1;
    }

    // How the session ended, if it did within `timeout`.
    std::optional<SessionEnd> end(std::chrono::milliseconds timeout = 5s) {
        if (m_end.wait_for(timeout) != std::future_status::ready) {
            return std::nullopt;
        }
        if (!m_ended) {
            m_ended = m_end.get();
        }
        return m_ended;
    }

    // --- Steps of a normal session ---

    // Reads the plugin's Handshake request (its first line) and answers it.
    std::string answer_plugin_handshake(std::string_view version = "2.0.0") {
        auto request = next_message();
        REQUIRE(request["Type"] == "Request");
        REQUIRE(request["Method"] == "Handshake");
        std::string id = request["RequestId"];
        send_json(nlohmann::json{
            {"RequestId", id},
            {"Type", "Response"},
            {"Method", "Handshake"},
            {"Payload", {{"ResponseCode", "Success"}, {"ProtocolVersion", version}}}});
        return id;
    }

    // Sends a request and returns the plugin's line in answer.
    std::string
    request(std::string_view id, std::string_view method, const nlohmann::json& payload) {
        nlohmann::json message = {{"RequestId", id}, {"Type", "Request"}, {"Method", method}};
        if (!payload.is_null()) {
            message["Payload"] = payload;
        }
        send_json(message);
        auto line = next_line();
        REQUIRE(line.has_value());
        return *line;
    }

    // Handshake both ways, Initialize, the claims and SetLogLevel, as NuGet does.
    void start(std::string_view log_level = "Information") {
        answer_plugin_handshake();
        request(
            "h", "Handshake", {{"ProtocolVersion", "2.0.0"}, {"MinimumProtocolVersion", "1.0.0"}});
        request("i",
                "Initialize",
                {{"ClientVersion", "7.0.0"}, {"Culture", "en-US"}, {"RequestTimeout", "00:00:30"}});
        request("c", "GetOperationClaims", nlohmann::json::object());
        request("l", "SetLogLevel", {{"LogLevel", log_level}});
    }

    // Sends GetAuthenticationCredentials.
    void ask(std::string_view id, std::string_view uri, bool is_retry = false) {
        send_json(nlohmann::json{{"RequestId", id},
                                 {"Type", "Request"},
                                 {"Method", "GetAuthenticationCredentials"},
                                 {"Payload",
                                  {{"Uri", uri},
                                   {"IsRetry", is_retry},
                                   {"IsNonInteractive", true},
                                   {"CanShowDialog", true}}}});
    }

    // Answers the plugin's Log request `log` as NuGet does.
    void acknowledge(const nlohmann::json& log) {
        send_json(nlohmann::json{{"RequestId", log["RequestId"]},
                                 {"Type", "Response"},
                                 {"Method", "Log"},
                                 {"Payload", {{"ResponseCode", "Success"}}}});
    }

private:
    FakeCredentialSource& m_source;
    int m_plugin_in = -1;
    int m_write = -1;
    int m_read = -1;
    int m_plugin_out = -1;
    std::unique_ptr<PluginSession> m_session;
    std::future<SessionEnd> m_end;
    std::optional<SessionEnd> m_ended;
    std::string m_buffer;
};

} // namespace feedz::nuget::test
