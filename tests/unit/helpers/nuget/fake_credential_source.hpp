// SPDX-License-Identifier: MIT
#pragma once

// A credential source for tests, intentionally simple: tokens in a TokenSet (the real selection
// rules), an error to return instead, and a gate that holds look-ups until the test opens it.

#include <helpers/nuget/credential_source.hpp>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace feedz::nuget::test {

class FakeCredentialSource final : public CredentialSource {
public:
    explicit FakeCredentialSource(bool environment = false)
        : m_environment(environment) {}

    ~FakeCredentialSource() override { release(); }

    // Adds a token for `scope` (a feed root ending in '/').
    void add(const std::string& name,
             const std::string& scope,
             Access access,
             std::string_view secret,
             bool disabled = false,
             std::optional<Date> expires = std::nullopt) {
        StoredToken token;
        token.info.name = name;
        token.info.prefix = token_prefix(secret);
        token.info.scopes = {scope};
        token.info.access = access;
        token.info.disabled = disabled;
        token.info.expires = expires;
        token.info.created = Timestamp(std::chrono::seconds(m_next_created++));
        token.secret = SecretString(secret);
        std::lock_guard lock(m_mutex);
        m_tokens.put(std::move(token));
    }

    void fail_with(Error error) {
        std::lock_guard lock(m_mutex);
        m_error = std::move(error);
    }

    // Look-ups wait until release().
    void hold() {
        std::lock_guard lock(m_mutex);
        m_held = true;
    }

    void release() {
        {
            std::lock_guard lock(m_mutex);
            m_held = false;
        }
        m_changed.notify_all();
    }

    // Waits until a look-up is waiting at the gate.
    bool wait_until_held_lookup(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, timeout, [this] { return m_waiting > 0; });
    }

    std::vector<std::pair<std::string, Operation>> calls() const {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }

    std::string_view description() const override { return "the agent"; }

    bool from_environment() const override { return m_environment; }

    Result<TokenLookup> lookup(std::string_view url, Operation operation) override {
        std::unique_lock lock(m_mutex);
        m_calls.emplace_back(std::string(url), operation);
        ++m_waiting;
        m_changed.notify_all();
        m_changed.wait(lock, [this] { return !m_held; });
        --m_waiting;
        if (m_error) {
            return *m_error;
        }
        return m_tokens.lookup(url, operation, today_utc());
    }

private:
    bool m_environment;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    TokenSet m_tokens;
    std::optional<Error> m_error;
    bool m_held = false;
    int m_waiting = 0;
    std::int64_t m_next_created = 1'700'000'000;
    std::vector<std::pair<std::string, Operation>> m_calls;
};

} // namespace feedz::nuget::test
