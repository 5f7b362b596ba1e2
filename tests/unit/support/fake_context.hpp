// SPDX-License-Identifier: MIT
#pragma once

#include "fake_agent.hpp"
#include "fake_environment.hpp"
#include <agent/cli/cli.hpp>
#include <agent/cli/common.hpp>

#include <initializer_list>
#include <string>
#include <vector>

// A command line run against a FakeAgent, a FakeEnvironment and a feed that answers every
// request with `feed_status`. With `agent_running` false, no agent answers and none can be
// started (Errc::agent_unavailable).
struct FakeContext {
    FakeEnvironment environment;
    FakeAgent agent;
    bool agent_running = true;
    int feed_status = 200;
    std::string feed_reason = "OK";
    std::vector<std::string> probed; // each URL the feed was asked, with its token
    std::vector<std::string> probed_tokens;

    feedz::Result<std::unique_ptr<feedz::Agent>> connect() {
        if (!agent_running) {
            return feedz::make_error(feedz::Errc::agent_unavailable, "no agent (test)");
        }
        return agent.connection();
    }

    // Runs `feedz-agent ARGS...` and returns its exit code.
    int run(std::initializer_list<std::string> arguments) {
        feedz::cli::Context context{
            environment,
            [this] { return connect(); },
            [this] { return connect(); },
            [this](const std::string& url, const feedz::SecretString& token) {
                probed.push_back(url);
                probed_tokens.emplace_back(token.view());
                return feedz::Result<feedz::ProbeAnswer>(
                    feedz::ProbeAnswer{feed_status, feed_reason, std::nullopt});
            }};
        std::vector<std::string> storage{"feedz-agent"};
        storage.insert(storage.end(), arguments.begin(), arguments.end());
        std::vector<char*> argv;
        for (auto& argument : storage) {
            argv.push_back(argument.data());
        }
        argv.push_back(nullptr);
        return feedz::cli::run(context, static_cast<int>(storage.size()), argv.data());
    }
};
