// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/fd.hpp>

#include <string>
#include <string_view>

namespace feedz::nuget {

// One event for the log; empty fields are left out.
struct LogEvent {
    std::string_view event = {};        // "start", "request", "answer", "ignored", "exit", ...
    std::string_view method = {};       // the NuGet method concerned
    std::string_view url = {};          // the package source asked about
    std::string_view decision = {};     // "success", "not_found", "cancelled", ...
    std::string_view token_prefix = {}; // the 7 characters Feedz shows, never more
    std::string_view detail = {};       // free text written for a person
};

// The plugin's diagnostics: stderr must stay silent (NuGet passes it straight to the user's
// terminal and CI logs), so when FEEDZ_AGENT_LOG names a file, events are appended to it as
// JSON lines with the time and pid. Never a token: callers pass prefixes only.
class DiagnosticLog {
public:
    // A log that records nothing.
    DiagnosticLog() = default;

    // Appends to `path` (created 0600); records nothing when it cannot be opened.
    static DiagnosticLog open(const std::string& path);

    // open($FEEDZ_AGENT_LOG), or a log that records nothing when it is unset.
    static DiagnosticLog from_environment();

    bool enabled() const { return static_cast<bool>(m_fd); }

    // One line per event, written with a single write(2) to an O_APPEND file, so lines from
    // threads and concurrent plugin processes never mix.
    void record(const LogEvent& event) const;

private:
    Fd m_fd;
};

} // namespace feedz::nuget
