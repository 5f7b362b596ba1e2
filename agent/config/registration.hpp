// SPDX-License-Identifier: MIT
#pragma once

#include <agent/config/managed_state.hpp>
#include <agent/core/feed.hpp>
#include <agent/core/token.hpp>
#include <agent/util/arguments.hpp>
#include <agent/util/secret_string.hpp>

#include <string>
#include <vector>

namespace feedz {

// What `login` hands each package manager's module once the token is stored: register the
// feeds in that package manager's configuration, record every entry written in `state` (so
// that logout removes exactly that), and add lines for the user to `notes`.
struct Registration {
    const TokenInfo& token;
    const std::vector<Feed>& feeds;
    const SecretString& secret;
    const Arguments& arguments;
    ManagedState& state;
    std::vector<std::string>& notes;
};

// A copy of a Registration whose entries and notes reach the original only by commit(), once
// the file is on disk: what failed to reach it is neither reported as written nor recorded as
// ours (logout would remove it).
class StagedRegistration {
public:
    explicit StagedRegistration(const Registration& original)
        : m_state(original.state)
        , m_staged{original.token,
                   original.feeds,
                   original.secret,
                   original.arguments,
                   m_state,
                   m_notes} {}

    StagedRegistration(const StagedRegistration&) = delete;
    StagedRegistration& operator=(const StagedRegistration&) = delete;

    Registration& get() { return m_staged; }

    void commit(Registration& original) {
        original.state = std::move(m_state);
        original.notes.insert(original.notes.end(), m_notes.begin(), m_notes.end());
    }

private:
    ManagedState m_state;
    std::vector<std::string> m_notes;
    Registration m_staged;
};

} // namespace feedz
