// SPDX-License-Identifier: MIT
#include "npm_preflight.hpp"

#include <algorithm>
#include <array>

namespace feedz {

namespace {

// The keys npm 11's config validation rejects at the top level (ERR_INVALID_AUTH).
constexpr std::array<std::string_view, 6> k_unscoped_auth_keys = {
    "_authToken", "_auth", "username", "_password", "_authtoken", "-authtoken"};

// The credential keys npm reads under a registry's nerf-dart.
constexpr std::array<std::string_view, 4> k_credential_keys = {
    "_authToken", "_auth", "username", "_password"};

std::string code(std::string_view text) {
    return "`" + std::string(text) + "`";
}

// "https://h/o/r/npm" (a path, no trailing slash) is what breaks publish; "https://h" is fine.
bool lacks_trailing_slash(std::string_view url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return false;
    }
    auto path_begin = url.find('/', scheme_end + 3);
    if (path_begin == std::string_view::npos) {
        return false;
    }
    std::string_view path = url.substr(path_begin);
    path = path.substr(0, path.find_first_of("?#"));
    return path.size() > 1 && !path.ends_with('/');
}

struct Context {
    const NpmEnvironment& environment;
    std::vector<std::string> nerf_darts; // of feedz-agent's registries
    std::vector<NpmFinding> findings;

    void add(const Npmrc& file, std::size_t line, std::string problem, std::string fix) {
        findings.push_back({file.path(), line, std::move(problem), std::move(fix)});
    }

    // The registry whose credential `key` is ("//h/o/r/npm/" of "//h/o/r/npm/:_auth"), if
    // it is one of ours, and the credential key.
    std::optional<std::pair<std::string, std::string>> our_credential(std::string_view key) const {
        for (const auto& nerf : nerf_darts) {
            if (key.size() > nerf.size() + 1 && key.starts_with(nerf) && key[nerf.size()] == ':') {
                std::string_view name = key.substr(nerf.size() + 1);
                if (std::find(k_credential_keys.begin(), k_credential_keys.end(), name)
                    != k_credential_keys.end()) {
                    return std::make_pair(nerf, std::string(name));
                }
            }
        }
        return std::nullopt;
    }
};

void check_unscoped_auth(Context& context, const Npmrc& file, const NpmrcEntry& entry) {
    if (std::find(k_unscoped_auth_keys.begin(), k_unscoped_auth_keys.end(), entry.key)
        == k_unscoped_auth_keys.end()) {
        return;
    }
    context.add(file,
                entry.line,
                "an unscoped " + code(entry.key)
                    + " makes npm 11 refuse every command (ERR_INVALID_AUTH)",
                "delete the line, or scope it to its registry, e.g. "
                    + code("//registry.example.com/:" + entry.key + "=...")
                    + " (`npm config fix` does that); feedz-agent supplies Feedz credentials "
                      "itself");
}

void check_our_credentials(Context& context,
                           const Npmrc& file,
                           bool project,
                           const NpmrcEntry& entry) {
    auto credential = context.our_credential(entry.key);
    if (!credential) {
        return;
    }
    auto placeholders = npm_placeholders(entry.raw);
    if (!placeholders.empty()) {
        // ${NAME?} falls through to our line when unset, ${NAME} is meant to win when set;
        // an unset ${NAME} is reported by check_placeholders().
        return;
    }
    const auto& [nerf, name] = *credential;
    if (project) {
        context.add(file,
                    entry.line,
                    "a credential for " + nerf
                        + " in the project config, which takes precedence over feedz-agent's",
                    "delete the line; if CI needs it, commit "
                        + code(nerf + ":_auth=${FEEDZ_NPM_AUTH?}")
                        + " instead (base64 of feedz:TOKEN in FEEDZ_NPM_AUTH), which falls back "
                          "to feedz-agent where the variable is unset");
    } else if (name == "_authToken") {
        context.add(file,
                    entry.line,
                    "an _authToken for " + nerf
                        + ": npm sends it (as Bearer, which Feedz refuses) instead of "
                          "feedz-agent's Basic credential",
                    "delete the line");
    }
}

void check_registry(Context& context, const Npmrc& file, const NpmrcEntry& entry) {
    if (entry.key != "registry" && !entry.key.ends_with(":registry")) {
        return;
    }
    std::string url = npm_expand(
        npm_value(entry.raw), [&](std::string_view name) { return context.environment.get(name); });
    if (lacks_trailing_slash(url)) {
        context.add(file,
                    entry.line,
                    "the registry URL " + url
                        + " has no trailing slash: npm then drops its last path segment when it "
                          "looks for credentials, and `npm publish` fails with ENEEDAUTH",
                    "write " + code(entry.key + "=" + url + "/"));
    }
}

void check_placeholders(Context& context, const Npmrc& file, const NpmrcEntry& entry) {
    auto placeholders = npm_placeholders(entry.key);
    auto in_value = npm_placeholders(entry.raw);
    placeholders.insert(placeholders.end(), in_value.begin(), in_value.end());
    for (const auto& placeholder : placeholders) {
        if (placeholder.optional || context.environment.get(placeholder.name)) {
            continue;
        }
        std::string fix = "set " + placeholder.name + ", or write "
                          + code("${" + placeholder.name + "?}")
                          + " so that npm reads nothing when it is unset";
        if (context.our_credential(entry.key)) {
            fix += "; `feedz-agent exec -- npm ...` sets it for Feedz feeds";
        }
        context.add(file,
                    entry.line,
                    code("${" + placeholder.name + "}") + " is not set, so npm uses the text "
                        + code("${" + placeholder.name + "}") + " itself (as a credential: a 401)",
                    std::move(fix));
    }
}

void check_always_auth(Context& context, const Npmrc& file, const NpmrcEntry& entry) {
    if (entry.key == "always-auth" || entry.key.ends_with(":always-auth")) {
        context.add(file,
                    entry.line,
                    "always-auth no longer exists in npm 11, which warns about it on every "
                    "command (credentials are always sent now)",
                    "delete the line");
    }
}

} // namespace

std::vector<NpmFinding> npm_preflight(const NpmConfigs& configs,
                                      const std::vector<std::string>& registries,
                                      const NpmEnvironment& environment) {
    Context context{environment, {}, {}};
    for (const auto& registry : registries) {
        if (auto nerf = npm_nerf_dart(registry)) {
            context.nerf_darts.push_back(*nerf);
        }
    }
    for (const auto& [path, error] : configs.unreadable) {
        context.findings.push_back({path,
                                    0,
                                    "npm reads this file, but it cannot be read: " + error.message,
                                    "fix or remove the file"});
    }
    for (const Npmrc* file : configs.files()) {
        bool project = configs.project && file == &*configs.project;
        for (const auto& entry : file->entries()) {
            if (!entry.top_level()) {
                continue; // npm ignores keys under a [section]
            }
            check_unscoped_auth(context, *file, entry);
            check_our_credentials(context, *file, project, entry);
            check_registry(context, *file, entry);
            check_placeholders(context, *file, entry);
            check_always_auth(context, *file, entry);
        }
    }
    return std::move(context.findings);
}

std::string format_npm_finding(const NpmFinding& finding, const std::string& home) {
    std::string file = finding.file;
    if (!home.empty() && file.starts_with(home + "/")) {
        file = "~" + file.substr(home.size());
    }
    std::string where = finding.line == 0 ? file : file + ":" + std::to_string(finding.line);
    return where + ": " + finding.problem + "; fix: " + finding.fix;
}

} // namespace feedz
