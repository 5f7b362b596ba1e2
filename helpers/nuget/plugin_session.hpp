// SPDX-License-Identifier: MIT
#pragma once

#include "credential_broker.hpp"
#include "credential_source.hpp"
#include "diagnostic_log.hpp"
#include "line_reader.hpp"
#include "line_writer.hpp"
#include "plugin_messages.hpp"
#include "process_monitor.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace feedz::nuget {

struct SessionOptions {
    // How often Progress goes out while a credential look-up runs (NuGet's request timeout is
    // 30 s and each Progress restarts it).
    std::chrono::milliseconds progress_interval{2000};
    // How often the NuGet process is probed where no pidfd is available.
    std::chrono::milliseconds pid_poll_interval{500};
    // How long an answer waits for NuGet to acknowledge the Log requests sent before it.
    std::chrono::milliseconds log_answer_timeout{2000};
    // Longer input lines are dropped unread.
    std::size_t max_line_bytes = 1024 * 1024;
};

// Why a session ended.
enum class SessionEnd {
    close,         // NuGet sent Close
    end_of_input,  // stdin reached EOF
    nuget_exited,  // the process from MonitorNuGetProcessExit is gone
    output_closed, // stdout broke (NuGet is gone)
};

const char* to_string(SessionEnd end);

// One plugin session: NuGet's side of the protocol arrives as lines on `input_fd`, ours goes out
// as lines on `output_fd`. Everything the protocol allows is answered on the reading thread at
// once, except GetAuthenticationCredentials, which may wait for the agent and runs on a look-up
// thread; meanwhile the reading thread goes on with Cancel, Progress, NuGet's answers to our
// Log requests, and the exit of NuGet.
//
// Rules kept here (reference/nuget-plugin.md): our Handshake goes out first, without waiting
// for NuGet's; every NuGet request gets exactly one answer, never a Fault, and Close none; no
// Cancel unless NuGet cancelled; no Progress after the Response; Log only after SetLogLevel
// (earlier messages wait for it); nothing but protocol lines on the output.
class PluginSession {
public:
    PluginSession(int input_fd,
                  int output_fd,
                  CredentialSource& source,
                  const DiagnosticLog& log,
                  SessionOptions options = {});

    PluginSession(const PluginSession&) = delete;
    PluginSession& operator=(const PluginSession&) = delete;

    // Waits for a look-up still running (a process that is exiting need not destroy the
    // session: see main.cpp).
    ~PluginSession();

    // Runs the session until it ends. Nothing is written to the output after it returns.
    SessionEnd run();

private:
    // A GetAuthenticationCredentials request accepted and not yet answered.
    struct PendingRequest {
        std::chrono::steady_clock::time_point next_progress;
        bool answered = false; // answered or cancelled: nothing more goes out for it
    };

    struct Lookup {
        std::string request_id;
        std::string uri;
        bool is_retry = false;
    };

    std::optional<SessionEnd> handle_line(std::string& line);
    std::optional<SessionEnd> handle_request(IncomingMessage& message);
    void handle_response(const IncomingMessage& message);
    void handle_fault(const IncomingMessage& message);
    void handle_cancel(const IncomingMessage& message);
    void cancel_request(const IncomingMessage& message);

    void answer_handshake(const IncomingMessage& message);
    void answer_operation_claims(const IncomingMessage& message);
    void answer_set_log_level(const IncomingMessage& message);
    std::optional<SessionEnd> answer_monitor_process(const IncomingMessage& message);
    void accept_credentials_request(const IncomingMessage& message);

    void respond(const IncomingMessage& message, const OrderedJson& payload);
    void respond_code(const IncomingMessage& message, ResponseCode code);

    // The look-up thread.
    void lookup_loop();
    void finish_lookup(const Lookup& lookup, CredentialAnswer& answer);

    // Sends `message` as a Log request and returns its id, or keeps it until SetLogLevel, or
    // drops it below NuGet's level. Needs m_mutex.
    std::optional<std::string> post_log_locked(const UserMessage& message);

    void send_due_progress();
    int poll_timeout_ms() const;

    int m_input_fd;
    LineReader m_reader;
    LineWriter m_writer;
    CredentialBroker m_broker;
    const DiagnosticLog& m_log;
    SessionOptions m_options;
    std::string m_handshake_id;
    std::optional<ProcessMonitor> m_monitor;

    // Shared with the look-up thread.
    mutable std::mutex m_mutex;
    std::condition_variable m_wake; // the queue, NuGet's answers to Log requests, stopping
    std::deque<Lookup> m_queue;
    std::map<std::string, PendingRequest, std::less<>> m_pending;
    std::optional<LogLevel> m_log_level;
    std::vector<UserMessage> m_waiting_logs;
    std::set<std::string, std::less<>> m_sent_logs; // ids of our Log requests not yet answered
    bool m_stopping = false;
    std::thread m_worker;
};

} // namespace feedz::nuget
