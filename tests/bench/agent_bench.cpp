// SPDX-License-Identifier: MIT
// feedz-agent-bench: the agent's figures, each against a baseline measured in the same run.
//   1. get round trip on a kept-open connection (median, p99)
//   2. gets per second with 8 concurrent clients
//   3. the same look-up straight through libsecret (the baseline the agent saves us from)
//   4. the agent's resident memory with 0 and with 100 tokens
// Run it inside a Secret Service session: tests/bench/run-agent-bench.sh does that.
#include <agent/ipc/client.hpp>

#include <libsecret/secret.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

const SecretSchema k_schema = {
    "io.feedz.Agent.Token",
    SECRET_SCHEMA_DONT_MATCH_NAME,
    {{"name", SECRET_SCHEMA_ATTRIBUTE_STRING}, {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING}},
    0,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr};

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "feedz-agent-bench: %s\n", message.c_str());
    std::exit(1);
}

double percentile(std::vector<double> samples, double p) {
    std::sort(samples.begin(), samples.end());
    auto index = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1));
    return samples[index];
}

double microseconds_since(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

long resident_kib(long pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::strtol(line.c_str() + 6, nullptr, 10);
        }
    }
    return -1;
}

std::string make_token(int i) {
    char token[64];
    std::snprintf(token, sizeof(token), "T-bench%04dabcdefghijklmnopqrstuvwxyz0123456", i);
    return token;
}

feedz::AgentClient connect(const std::string& socket) {
    auto client = feedz::connect_to_running_agent(socket);
    if (!client) {
        die(client.error().message);
    }
    return std::move(*client);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        die("usage: feedz-agent-bench PATH-TO-feedz-agent (inside a Secret Service session)");
    }
    std::string agent = argv[1];
    char pattern[] = "/tmp/feedz-bench.XXXXXX";
    std::string root = ::mkdtemp(pattern);
    std::string socket = root + "/agent.sock";
    ::setenv("FEEDZ_AGENT_SOCKET", socket.c_str(), 1);
    ::setenv("XDG_STATE_HOME", (root + "/state").c_str(), 1);
    ::unsetenv("FEEDZ_AGENT_STORE");
    if (std::system((agent + " serve").c_str()) != 0) {
        die("cannot start the agent");
    }
    auto client = connect(socket);
    long agent_pid = client.greeting().pid;
    if (client.greeting().store != "secret-service") {
        die("the agent does not use the Secret Service; run inside run-agent-bench.sh");
    }
    long rss_empty = resident_kib(agent_pid);

    constexpr int k_tokens = 100;
    for (int i = 0; i < k_tokens; ++i) {
        feedz::TokenInfo info;
        info.name = "bench-" + std::to_string(i);
        info.scopes = {"https://f.feedz.io/org" + std::to_string(i) + "/repo/"};
        info.access = feedz::Access::read;
        if (!client.store(info, feedz::SecretString(make_token(i)))) {
            die("cannot store token " + std::to_string(i));
        }
    }
    // A fresh agent loads the 100 tokens from the keychain, as after a login session starts.
    std::ignore = client.stop();
    if (std::system((agent + " serve").c_str()) != 0) {
        die("cannot restart the agent");
    }
    client = connect(socket);
    agent_pid = client.greeting().pid;
    long rss_after_load = resident_kib(agent_pid);
    const std::string url = "https://f.feedz.io/org57/repo/nuget/index.json";
    const std::string expected = make_token(57);

    // 1. Round trips on one connection.
    for (int i = 0; i < 2000; ++i) {
        std::ignore = client.get(url, feedz::Operation::read);
    }
    std::vector<double> agent_samples;
    constexpr int k_round_trips = 20000;
    agent_samples.reserve(k_round_trips);
    for (int i = 0; i < k_round_trips; ++i) {
        auto start = Clock::now();
        auto reply = client.get(url, feedz::Operation::read);
        agent_samples.push_back(microseconds_since(start));
        if (!reply || !reply->token || reply->secret.view() != expected) {
            die("wrong answer from the agent");
        }
    }
    long rss_loaded = resident_kib(agent_pid);

    // 2. Eight concurrent clients for two seconds.
    std::atomic<long> served{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            auto own = connect(socket);
            while (!stop) {
                if (own.get(url, feedz::Operation::read)) {
                    ++served;
                }
            }
        });
    }
    auto window_start = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    stop = true;
    for (auto& thread : threads) {
        thread.join();
    }
    double seconds = std::chrono::duration<double>(Clock::now() - window_start).count();
    double per_second = static_cast<double>(served.load()) / seconds;

    // 3. The same look-up through libsecret: the cheapest call there is, one attribute match.
    std::vector<double> libsecret_samples;
    for (int i = 0; i < 500; ++i) {
        auto start = Clock::now();
        GError* error = nullptr;
        gchar* secret =
            secret_password_lookup_sync(&k_schema, nullptr, &error, "name", "bench-57", nullptr);
        libsecret_samples.push_back(microseconds_since(start));
        if (error != nullptr || secret == nullptr || expected != secret) {
            die("libsecret look-up failed");
        }
        secret_password_free(secret);
    }

    std::ignore = client.stop();
    std::system(("rm -rf '" + root + "'").c_str());

    double agent_median = percentile(agent_samples, 0.5);
    double agent_p99 = percentile(agent_samples, 0.99);
    double libsecret_median = percentile(libsecret_samples, 0.5);
    std::printf("get round trip, kept-open connection (%d gets): median %.1f us, p99 %.1f us "
                "(target p99 < 200 us)\n",
                k_round_trips,
                agent_median,
                agent_p99);
    std::printf("8 concurrent clients: %.0f gets/s (target >= 20000)\n", per_second);
    std::printf("same look-up through libsecret (secret_password_lookup_sync, 500 calls): median "
                "%.1f us; the agent is %.0fx faster (target >= 20x)\n",
                libsecret_median,
                libsecret_median / agent_median);
    std::printf("agent resident memory: %.1f MiB with 0 tokens; with %d tokens %.1f MiB after "
                "loading them, %.1f MiB after %d gets (target < 10 MiB)\n",
                static_cast<double>(rss_empty) / 1024.0,
                k_tokens,
                static_cast<double>(rss_after_load) / 1024.0,
                static_cast<double>(rss_loaded) / 1024.0,
                k_round_trips);
    return 0;
}
