// SPDX-License-Identifier: MIT
// feedz-plugin-bench: how long NuGet waits for nuget-plugin-feedz, against the floor of
// spawning /bin/true in the same run. One iteration is a whole plugin session as NuGet runs it:
// spawn, both handshakes, Initialize, GetOperationClaims, SetLogLevel, one
// GetAuthenticationCredentials, Close, exit. Figures: median and p99 of
//   - spawning /bin/true and reaping it (the floor),
//   - spawn to the credentials answer (what a restore waits for),
//   - the whole session to the plugin's exit,
// and the ratio of the medians to the floor. It asserts nothing about time.
//
//   feedz-plugin-bench PLUGIN SOURCE-URL [ITERATIONS]
//
// The plugin inherits the environment: run it with an agent that holds a token for SOURCE-URL
// (or with FEEDZ_CREDENTIALS); tests/bench/run-nuget-plugin-bench.sh sets both up.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "feedz-plugin-bench: %s\n", message.c_str());
    std::exit(1);
}

double percentile(std::vector<double> samples, double p) {
    std::sort(samples.begin(), samples.end());
    auto index = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[index];
}

double milliseconds_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

pid_t spawn(const char* program, char* const argv[], int stdin_fd, int stdout_fd) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (stdin_fd >= 0) {
        posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
        posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    }
    pid_t pid = 0;
    int error = ::posix_spawn(&pid, program, &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) {
        die(std::string("cannot run ") + program);
    }
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
    }
    return status;
}

// The plugin's side of a session: reads lines with a deadline.
class Peer {
public:
    Peer(int in, int out)
        : m_in(in)
        , m_out(out) {}

    void send(const std::string& line) {
        std::string bytes = line + "\n";
        if (::write(m_out, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
            die("cannot write to the plugin");
        }
    }

    std::string receive() {
        while (true) {
            if (auto newline = m_buffer.find('\n'); newline != std::string::npos) {
                std::string line = m_buffer.substr(0, newline);
                m_buffer.erase(0, newline + 1);
                return line;
            }
            pollfd descriptor{m_in, POLLIN, 0};
            if (::poll(&descriptor, 1, 10000) <= 0) {
                die("the plugin did not answer within 10 s");
            }
            char chunk[4096];
            ssize_t n = ::read(m_in, chunk, sizeof(chunk));
            if (n <= 0) {
                die("the plugin closed its output");
            }
            m_buffer.append(chunk, static_cast<std::size_t>(n));
        }
    }

    // The request id of our Handshake request, found in its line.
    static std::string request_id(const std::string& line) {
        const std::string key = "\"RequestId\":\"";
        auto begin = line.find(key);
        if (begin == std::string::npos) {
            die("no RequestId in " + line);
        }
        begin += key.size();
        return line.substr(begin, line.find('"', begin) - begin);
    }

private:
    int m_in;
    int m_out;
    std::string m_buffer;
};

struct SessionTimes {
    double answer_ms;
    double exit_ms;
};

SessionTimes run_session(const std::string& plugin, const std::string& source) {
    int to_plugin[2];
    int from_plugin[2];
    if (::pipe2(to_plugin, O_CLOEXEC) != 0 || ::pipe2(from_plugin, O_CLOEXEC) != 0) {
        die("pipe");
    }
    std::string program = plugin;
    std::string flag = "-Plugin";
    char* argv[] = {program.data(), flag.data(), nullptr};
    auto start = Clock::now();
    pid_t pid = spawn(program.c_str(), argv, to_plugin[0], from_plugin[1]);
    ::close(to_plugin[0]);
    ::close(from_plugin[1]);
    Peer peer(from_plugin[0], to_plugin[1]);

    std::string ours = Peer::request_id(peer.receive());
    peer.send(
        R"({"RequestId":"h","Type":"Request","Method":"Handshake","Payload":{"ProtocolVersion":"2.0.0","MinimumProtocolVersion":"1.0.0"}})");
    peer.receive();
    peer.send(
        R"({"RequestId":")" + ours
        + R"(","Type":"Response","Method":"Handshake","Payload":{"ResponseCode":"Success","ProtocolVersion":"2.0.0"}})");
    peer.send(
        R"({"RequestId":"i","Type":"Request","Method":"Initialize","Payload":{"ClientVersion":"7.0.0","Culture":"en-US","RequestTimeout":"00:00:30"}})");
    peer.receive();
    peer.send(R"({"RequestId":"c","Type":"Request","Method":"GetOperationClaims","Payload":{}})");
    peer.receive();
    peer.send(
        R"({"RequestId":"l","Type":"Request","Method":"SetLogLevel","Payload":{"LogLevel":"Minimal"}})");
    peer.receive();
    peer.send(
        R"({"RequestId":"g","Type":"Request","Method":"GetAuthenticationCredentials","Payload":{"Uri":")"
        + source + R"(","IsRetry":false,"IsNonInteractive":true,"CanShowDialog":true}})");
    std::string answer = peer.receive();
    double answer_ms = milliseconds_since(start);
    if (answer.find(R"("ResponseCode":"Success")") == std::string::npos) {
        die("the plugin found no token for " + source + " (is the agent running with one?)");
    }
    peer.send(R"({"RequestId":"x","Type":"Request","Method":"Close"})");
    int status = wait_for(pid);
    double exit_ms = milliseconds_since(start);
    ::close(to_plugin[1]);
    ::close(from_plugin[0]);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        die("the plugin did not exit cleanly");
    }
    return {answer_ms, exit_ms};
}

double run_true() {
    std::string program = "/bin/true";
    char* argv[] = {program.data(), nullptr};
    auto start = Clock::now();
    wait_for(spawn(program.c_str(), argv, -1, -1));
    return milliseconds_since(start);
}

void report(const char* what, const std::vector<double>& samples, double floor) {
    double median = percentile(samples, 0.5);
    std::printf("  %-38s median %7.3f ms   p99 %7.3f ms   %5.1fx /bin/true\n",
                what,
                median,
                percentile(samples, 0.99),
                median / floor);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3 || argc > 4) {
        std::fprintf(stderr, "usage: feedz-plugin-bench PLUGIN SOURCE-URL [ITERATIONS]\n");
        return 2;
    }
    std::string plugin = argv[1];
    std::string source = argv[2];
    int iterations = argc == 4 ? std::atoi(argv[3]) : 200;
    if (iterations < 1) {
        die("ITERATIONS must be positive");
    }
    for (int i = 0; i < 5; ++i) { // warm up: page cache, the agent's first look-up
        run_true();
        run_session(plugin, source);
    }
    std::vector<double> floor_samples;
    std::vector<double> answer_samples;
    std::vector<double> exit_samples;
    for (int i = 0; i < iterations; ++i) {
        // Interleaved, so that load on a shared machine hits all three alike.
        floor_samples.push_back(run_true());
        auto times = run_session(plugin, source);
        answer_samples.push_back(times.answer_ms);
        exit_samples.push_back(times.exit_ms);
    }
    double floor = percentile(floor_samples, 0.5);
    std::printf("nuget-plugin-feedz, %d sessions:\n", iterations);
    report("spawn /bin/true and reap (the floor)", floor_samples, floor);
    report("spawn to the credentials answer", answer_samples, floor);
    report("whole session, spawn to exit", exit_samples, floor);
    return 0;
}
