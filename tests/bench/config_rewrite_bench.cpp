// SPDX-License-Identifier: MIT
// feedz-config-rewrite-bench: what login and logout cost on very large configuration files.
// Each variant is a 10 MB file; one iteration is a login and a logout as the commands do them:
// load, look our entry up, add it, save; load, remove it, save. The variants are interleaved
// (run 1 of each, then run 2 of each, ...) so that a noisy neighbour hurts them all alike.
// Figures: median, min and max per variant. It asserts nothing about time.
#include <agent/npm/npmrc.hpp>
#include <agent/nuget/nuget_config.hpp>
#include <agent/util/file.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t k_size = 10 * 1000 * 1000;
constexpr int k_default_runs = 15;
constexpr const char* k_url = "https://f.feedz.io/acme/bench/nuget/index.json";
constexpr const char* k_npm_key = "//f.feedz.io/acme/bench/npm/:_authToken";
constexpr const char* k_token = "T-bench0000abcdefghijklmnopqrstuvwxyz0123456";

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "feedz-config-rewrite-bench: %s\n", message.c_str());
    std::exit(1);
}

template <typename T>
T check(feedz::Result<T> result) {
    if (!result) {
        die(result.error().message);
    }
    if constexpr (!std::is_void_v<T>) {
        return std::move(*result);
    }
}

void check_void(const feedz::Result<void>& result) {
    if (!result) {
        die(result.error().message);
    }
}

// NuGet.Config with one <add> per source, each on its own line or all on one line.
std::string nuget_config_text(bool one_line) {
    const char* eol = one_line ? "" : "\n";
    const char* indent = one_line ? "" : "    ";
    std::string text = std::string("<?xml version=\"1.0\" encoding=\"utf-8\"?>") + eol
                       + "<configuration>" + eol + (one_line ? "" : "  ") + "<packageSources>"
                       + eol;
    for (int i = 0; text.size() < k_size; ++i) {
        text += std::string(indent) + "<add key=\"source" + std::to_string(i)
                + "\" value=\"https://nuget.example.com/feeds/" + std::to_string(i)
                + "/index.json\" />" + eol;
    }
    text +=
        std::string(one_line ? "" : "  ") + "</packageSources>" + eol + "</configuration>" + eol;
    return text;
}

std::string npmrc_text() {
    std::string text;
    for (int i = 0; text.size() < k_size; ++i) {
        text += "//npm.example.com/feeds/" + std::to_string(i)
                + "/:_authToken=T-user0000abcdefghijklmnopqrstuvwxyz0123456\n";
    }
    return text;
}

void nuget_login(const std::string& path) {
    auto config = check(feedz::NuGetConfig::load(path));
    if (config.key_of_url(k_url) || config.has_key("feedz-bench")) {
        die("our source is already in " + path);
    }
    check_void(config.add_source("feedz-bench", k_url));
    check_void(config.save());
}

void nuget_logout(const std::string& path) {
    auto again = check(feedz::NuGetConfig::load(path));
    if (!check(again.remove_source("feedz-bench", k_url))) {
        die("our source is missing from " + path);
    }
    check_void(again.save());
}

void npm_login(const std::string& path) {
    auto config = check(feedz::Npmrc::load(path));
    if (config.find(k_npm_key)) {
        die("our line is already in " + path);
    }
    config.set(k_npm_key, k_token);
    check_void(config.save());
}

void npm_logout(const std::string& path) {
    auto again = check(feedz::Npmrc::load(path));
    if (!again.erase(k_npm_key)) {
        die("our line is missing from " + path);
    }
    check_void(again.save());
}

double milliseconds_of(const std::function<void(const std::string&)>& step,
                       const std::string& path) {
    auto start = Clock::now();
    step(path);
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void print_figures(const std::string& name, std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    std::printf("  %-42s median %7.1f ms   min %7.1f ms   max %7.1f ms\n",
                name.c_str(),
                samples[samples.size() / 2],
                samples.front(),
                samples.back());
}

struct Variant {
    std::string name;
    std::string path;
    std::string text;
    std::function<void(const std::string&)> login;
    std::function<void(const std::string&)> logout;
    std::vector<double> login_ms;
    std::vector<double> logout_ms;
};

} // namespace

int main(int argc, char** argv) {
    // An argument overrides the number of runs (a quick look before a slow fix).
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : k_default_runs;
    char directory_template[] = "/tmp/feedz-config-bench.XXXXXX";
    if (::mkdtemp(directory_template) == nullptr) {
        die("cannot create a temporary directory");
    }
    std::string directory = directory_template;
    std::vector<Variant> variants;
    variants.push_back({"NuGet.Config, one source a line",
                        directory + "/lines.config",
                        nuget_config_text(false),
                        nuget_login,
                        nuget_logout,
                        {},
                        {}});
    variants.push_back({"NuGet.Config, all on one line",
                        directory + "/one-line.config",
                        nuget_config_text(true),
                        nuget_login,
                        nuget_logout,
                        {},
                        {}});
    variants.push_back({".npmrc, one credential a line",
                        directory + "/.npmrc",
                        npmrc_text(),
                        npm_login,
                        npm_logout,
                        {},
                        {}});
    for (auto& variant : variants) {
        check_void(feedz::write_file_atomically(variant.path, variant.text, 0600));
    }
    for (int run = 0; run < runs; ++run) {
        for (auto& variant : variants) {
            variant.login_ms.push_back(milliseconds_of(variant.login, variant.path));
            variant.logout_ms.push_back(milliseconds_of(variant.logout, variant.path));
        }
    }
    std::printf("10 MB files, %d runs; login = load, look up, add, save; logout = load, remove, "
                "save:\n",
                runs);
    for (auto& variant : variants) {
        auto after = check(feedz::read_file(variant.path));
        if (!after || *after != variant.text) {
            die(variant.path + " did not come back to its original bytes");
        }
        print_figures(variant.name + ": login", variant.login_ms);
        print_figures(variant.name + ": logout", variant.logout_ms);
        ::unlink(variant.path.c_str());
    }
    ::rmdir(directory.c_str());
    return 0;
}
