// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/token_set.hpp>
#include <agent/ipc/agent.hpp>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// An agent in memory for the commands' unit tests: tokens are picked as the real agent picks
// them (TokenSet, core/selection), and every request is recorded.
class FakeAgent final : public feedz::Agent {
public:
    struct Get {
        std::string url;
        feedz::Operation operation;
    };

    FakeAgent() {
        m_greeting.pid = 4242;
        m_greeting.version = "test";
        m_greeting.store = "memory";
    }

    // Adds a token as login would have stored it.
    void add(feedz::TokenInfo info, std::string_view secret) {
        info.prefix = info.prefix.empty() ? std::string(secret.substr(0, 7)) : info.prefix;
        m_tokens.put(feedz::StoredToken{std::move(info), feedz::SecretString(secret)});
    }

    const feedz::TokenSet& tokens() const { return m_tokens; }

    // Every get() so far.
    const std::vector<Get>& gets() const { return m_gets; }

    // When set, list() fails with it and status() reports it as the store's error, as an
    // agent does whose keychain is locked.
    std::optional<feedz::Error> store_error;

    const feedz::Greeting& greeting() const override { return m_greeting; }

    feedz::Result<feedz::TokenLookup> get(std::string_view url,
                                          feedz::Operation operation,
                                          std::optional<std::string_view> name) override {
        m_gets.push_back({std::string(url), operation});
        if (store_error) {
            return *store_error;
        }
        return m_tokens.lookup(url, operation, feedz::today_utc(), name);
    }

    feedz::Result<std::optional<std::string>> store(const feedz::TokenInfo& info,
                                                    const feedz::SecretString& secret) override {
        if (store_error) {
            return *store_error;
        }
        add(info, secret.view());
        return std::optional<std::string>();
    }

    feedz::Result<bool> erase(std::string_view name) override {
        if (store_error) {
            return *store_error;
        }
        return m_tokens.erase(name);
    }

    feedz::Result<std::size_t> erase_all() override {
        std::size_t count = m_tokens.size();
        m_tokens.clear();
        return count;
    }

    feedz::Result<std::vector<feedz::TokenInfo>> list() override {
        if (store_error) {
            return *store_error;
        }
        return std::vector<feedz::TokenInfo>(m_tokens.infos().begin(), m_tokens.infos().end());
    }

    feedz::Result<feedz::TokenInfo> set_disabled(std::string_view name, bool disabled) override {
        const feedz::TokenInfo* info = m_tokens.find(name);
        if (info == nullptr) {
            return feedz::make_error(feedz::Errc::not_found, "no token");
        }
        feedz::TokenInfo changed = *info;
        changed.disabled = disabled;
        feedz::SecretString secret(m_tokens.secret(name)->view());
        m_tokens.put(feedz::StoredToken{changed, std::move(secret)});
        return changed;
    }

    feedz::Result<feedz::StatusReply> status() override {
        feedz::StatusReply reply;
        reply.store = "memory";
        reply.tokens = m_tokens.size();
        reply.store_error = store_error;
        return reply;
    }

    feedz::Result<void> stop() override { return {}; }

    // A connection for a command: it forwards to this agent, which the test keeps.
    std::unique_ptr<feedz::Agent> connection();

private:
    feedz::Greeting m_greeting;
    feedz::TokenSet m_tokens;
    std::vector<Get> m_gets;
};

namespace fake_agent_detail {

class Connection final : public feedz::Agent {
public:
    explicit Connection(FakeAgent& agent)
        : m_agent(agent) {}

    const feedz::Greeting& greeting() const override { return m_agent.greeting(); }

    feedz::Result<feedz::TokenLookup> get(std::string_view url,
                                          feedz::Operation operation,
                                          std::optional<std::string_view> name) override {
        return m_agent.get(url, operation, name);
    }

    feedz::Result<std::optional<std::string>> store(const feedz::TokenInfo& info,
                                                    const feedz::SecretString& secret) override {
        return m_agent.store(info, secret);
    }

    feedz::Result<bool> erase(std::string_view name) override { return m_agent.erase(name); }

    feedz::Result<std::size_t> erase_all() override { return m_agent.erase_all(); }

    feedz::Result<std::vector<feedz::TokenInfo>> list() override { return m_agent.list(); }

    feedz::Result<feedz::TokenInfo> set_disabled(std::string_view name, bool disabled) override {
        return m_agent.set_disabled(name, disabled);
    }

    feedz::Result<feedz::StatusReply> status() override { return m_agent.status(); }

    feedz::Result<void> stop() override { return m_agent.stop(); }

private:
    FakeAgent& m_agent;
};

} // namespace fake_agent_detail

inline std::unique_ptr<feedz::Agent> FakeAgent::connection() {
    return std::make_unique<fake_agent_detail::Connection>(*this);
}
