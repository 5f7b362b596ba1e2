// SPDX-License-Identifier: MIT
#include "npm_command.hpp"

#include <agent/util/file.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <span>
#include <utility>

namespace feedz {

namespace {

// npm 11's commands and aliases (lib/utils/cmd-list.js), for its abbreviation rules.
constexpr std::string_view k_npm_commands[] = {
    "access",
    "adduser",
    "approve-scripts",
    "audit",
    "bugs",
    "cache",
    "ci",
    "completion",
    "config",
    "dedupe",
    "deny-scripts",
    "deprecate",
    "diff",
    "dist-tag",
    "docs",
    "doctor",
    "edit",
    "exec",
    "explain",
    "explore",
    "find-dupes",
    "fund",
    "get",
    "help",
    "help-search",
    "init",
    "install",
    "install-ci-test",
    "install-scripts",
    "install-test",
    "link",
    "ll",
    "login",
    "logout",
    "ls",
    "org",
    "outdated",
    "owner",
    "pack",
    "ping",
    "pkg",
    "prefix",
    "profile",
    "prune",
    "publish",
    "query",
    "rebuild",
    "repo",
    "restart",
    "root",
    "run",
    "sbom",
    "search",
    "set",
    "shrinkwrap",
    "stage",
    "star",
    "stars",
    "start",
    "stop",
    "team",
    "test",
    "token",
    "trust",
    "undeprecate",
    "uninstall",
    "unpublish",
    "unstar",
    "update",
    "version",
    "view",
    "whoami",
};

constexpr std::pair<std::string_view, std::string_view> k_npm_aliases[] = {
    {"author", "owner"},
    {"home", "docs"},
    {"issues", "bugs"},
    {"info", "view"},
    {"show", "view"},
    {"find", "search"},
    {"add", "install"},
    {"unlink", "uninstall"},
    {"remove", "uninstall"},
    {"rm", "uninstall"},
    {"r", "uninstall"},
    {"un", "uninstall"},
    {"rb", "rebuild"},
    {"list", "ls"},
    {"ln", "link"},
    {"create", "init"},
    {"i", "install"},
    {"it", "install-test"},
    {"cit", "install-ci-test"},
    {"u", "update"},
    {"up", "update"},
    {"c", "config"},
    {"s", "search"},
    {"se", "search"},
    {"tst", "test"},
    {"t", "test"},
    {"ddp", "dedupe"},
    {"v", "view"},
    {"run-script", "run"},
    {"clean-install", "ci"},
    {"clean-install-test", "install-ci-test"},
    {"x", "exec"},
    {"why", "explain"},
    {"la", "ll"},
    {"verison", "version"},
    {"ic", "ci"},
    {"innit", "init"},
    {"in", "install"},
    {"ins", "install"},
    {"inst", "install"},
    {"insta", "install"},
    {"instal", "install"},
    {"isnt", "install"},
    {"isnta", "install"},
    {"isntal", "install"},
    {"isntall", "install"},
    {"install-clean", "ci"},
    {"isntall-clean", "ci"},
    {"hlep", "help"},
    {"dist-tags", "dist-tag"},
    {"upgrade", "update"},
    {"udpate", "update"},
    {"rum", "run"},
    {"sit", "install-ci-test"},
    {"urn", "run"},
    {"ogr", "org"},
    {"add-user", "adduser"},
};

// How a client reads its options: which take the next word as their value (`--opt=value`
// always works), which take it only when it does not look like an option (commander's
// `[value]`, nopt's `[Boolean, String]`), and which of them matter to us.
struct OptionSyntax {
    std::span<const std::string_view> values;
    std::span<const std::string_view> optional_values;
    std::span<const std::string_view> directories; // the project directory (-C, --cwd)
    std::span<const std::string_view> workspaces;  // may act on several packages
    bool true_false_values = false;                // nopt: `--flag false` reads the `false`
};

// npm 11's options whose type is not Boolean (@npmcli/config definitions) and their
// shorthands; every other option is a flag, as nopt treats unknown options.
constexpr std::string_view k_npm_values[] = {"--_auth",
                                             "--access",
                                             "--allow-directory",
                                             "--allow-file",
                                             "--allow-git",
                                             "--allow-remote",
                                             "--allow-scripts",
                                             "--also",
                                             "--audit-level",
                                             "--auth-type",
                                             "--before",
                                             "--ca",
                                             "--cache",
                                             "--cache-max",
                                             "--cache-min",
                                             "--cafile",
                                             "--call",
                                             "--cert",
                                             "--cidr",
                                             "--cpu",
                                             "--depth",
                                             "--diff",
                                             "--diff-dst-prefix",
                                             "--diff-src-prefix",
                                             "--diff-unified",
                                             "--editor",
                                             "--expect-result-count",
                                             "--expires",
                                             "--fetch-retries",
                                             "--fetch-retry-factor",
                                             "--fetch-retry-maxtimeout",
                                             "--fetch-retry-mintimeout",
                                             "--fetch-timeout",
                                             "--git",
                                             "--globalconfig",
                                             "--heading",
                                             "--https-proxy",
                                             "--include",
                                             "--init-author-email",
                                             "--init-author-name",
                                             "--init-author-url",
                                             "--init-license",
                                             "--init-module",
                                             "--init-type",
                                             "--init-version",
                                             "--install-strategy",
                                             "--key",
                                             "--libc",
                                             "--local-address",
                                             "--location",
                                             "--lockfile-version",
                                             "--loglevel",
                                             "--logs-dir",
                                             "--logs-max",
                                             "--name",
                                             "--maxsockets",
                                             "--message",
                                             "--min-release-age",
                                             "--min-release-age-exclude",
                                             "--node-gyp",
                                             "--node-options",
                                             "--noproxy",
                                             "--omit",
                                             "--only",
                                             "--orgs",
                                             "--os",
                                             "--otp",
                                             "--package",
                                             "--pack-destination",
                                             "--packages",
                                             "--prefix",
                                             "--preid",
                                             "--provenance-file",
                                             "--proxy",
                                             "--registry",
                                             "--replace-registry-host",
                                             "--save-prefix",
                                             "--sbom-format",
                                             "--sbom-type",
                                             "--scope",
                                             "--scopes",
                                             "--packages-and-scopes-permission",
                                             "--orgs-permission",
                                             "--password",
                                             "--token-description",
                                             "--script-shell",
                                             "--searchexclude",
                                             "--searchlimit",
                                             "--searchopts",
                                             "--searchstaleness",
                                             "--shell",
                                             "--tag",
                                             "--tag-version-prefix",
                                             "--umask",
                                             "--user-agent",
                                             "--userconfig",
                                             "--viewer",
                                             "--which",
                                             "--workspace",
                                             "--reg",
                                             "--enjoy-by",
                                             "-c",
                                             "-L",
                                             "-m",
                                             "-C",
                                             "-w"};
constexpr std::string_view k_npm_optional_values[] = {"--browser"};
constexpr std::string_view k_npm_directories[] = {"--prefix", "-C"};
constexpr std::string_view k_npm_workspaces[] = {
    "--workspace", "-w", "--workspaces", "-ws", "--include-workspace-root", "-iwr"};

// pnpm's own options with values (@pnpm/config types), on top of npm's: pnpm reads the
// npm ones too. -w is --workspace-root there, a flag.
constexpr std::string_view k_pnpm_values[] = {"--cache-dir",
                                              "--child-concurrency",
                                              "--config-dir",
                                              "--dir",
                                              "-C",
                                              "--fetch-timeout",
                                              "--fetching-concurrency",
                                              "--filter",
                                              "-F",
                                              "--filter-prod",
                                              "--global-bin-dir",
                                              "--global-dir",
                                              "--global-pnpmfile",
                                              "--lockfile-dir",
                                              "--loglevel",
                                              "--maxsockets",
                                              "--modules-dir",
                                              "--network-concurrency",
                                              "--node-linker",
                                              "--noproxy",
                                              "--npm-path",
                                              "--package-import-method",
                                              "--pnpmfile",
                                              "--publish-branch",
                                              "--reporter",
                                              "--script-shell",
                                              "--state-dir",
                                              "--store-dir",
                                              "--use-node-version",
                                              "--virtual-store-dir",
                                              "--workspace-concurrency",
                                              "--test-pattern",
                                              "--changed-files-ignore-pattern",
                                              "--resolution-mode",
                                              "--color",
                                              "--registry",
                                              "--tag",
                                              "--access",
                                              "--otp",
                                              "--package",
                                              "--cache",
                                              "--cafile",
                                              "--ca",
                                              "--cert",
                                              "--key",
                                              "--https-proxy",
                                              "--proxy",
                                              "--userconfig",
                                              "--globalconfig",
                                              "--prefix",
                                              "--scope",
                                              "--depth",
                                              "--omit",
                                              "--include",
                                              "--sort-by",
                                              "--report-summary-file",
                                              "--allow-build",
                                              "--config"};
constexpr std::string_view k_pnpm_directories[] = {"--dir", "-C", "--prefix"};
constexpr std::string_view k_pnpm_workspaces[] = {
    "--recursive", "-r", "--filter", "-F", "--filter-prod"};

// yarn 1 (commander: global options and those of publish and version) and yarn 4 (clipanion:
// npm publish, npm tag, workspaces foreach, dlx), in one table: a word is read the same way by
// both. A commander `[value]` takes the next word unless it begins with '-'.
constexpr std::string_view k_yarn_values[] = {"--use-yarnrc",
                                              "--link-folder",
                                              "--global-folder",
                                              "--modules-folder",
                                              "--preferred-cache-folder",
                                              "--cache-folder",
                                              "--mutex",
                                              "--cwd",
                                              "--proxy",
                                              "--https-proxy",
                                              "--registry",
                                              "--network-concurrency",
                                              "--network-timeout",
                                              "--otp",
                                              "--from",
                                              "--include",
                                              "--exclude",
                                              "--jobs",
                                              "-j",
                                              "--package",
                                              "-p",
                                              "--filename",
                                              "-f",
                                              "--scope",
                                              "-S",
                                              "--into",
                                              "--level",
                                              "--groups"};
constexpr std::string_view k_yarn_optional_values[] = {"--emoji",
                                                       "--prod",
                                                       "--production",
                                                       "--scripts-prepend-node-path",
                                                       "--access",
                                                       "--tag",
                                                       "--new-version",
                                                       "--message",
                                                       "--preid",
                                                       "--pattern",
                                                       "--depth"};
constexpr std::string_view k_yarn_directories[] = {"--cwd"};

// bun's install and publish options with values (`bun publish --help`).
constexpr std::string_view k_bun_values[] = {"--registry",
                                             "--cwd",
                                             "--cache-dir",
                                             "--ca",
                                             "--cafile",
                                             "--backend",
                                             "--concurrent-scripts",
                                             "--network-concurrency",
                                             "--omit",
                                             "--linker",
                                             "--minimum-release-age",
                                             "--cpu",
                                             "--os",
                                             "--access",
                                             "--tag",
                                             "--otp",
                                             "--auth-type",
                                             "--gzip-level",
                                             "--filter",
                                             "-F",
                                             "--config",
                                             "-c"};
constexpr std::string_view k_bun_directories[] = {"--cwd"};
constexpr std::string_view k_bun_workspaces[] = {"--filter", "-F"};

constexpr OptionSyntax k_npm_syntax{
    k_npm_values, k_npm_optional_values, k_npm_directories, k_npm_workspaces, true};
constexpr OptionSyntax k_pnpm_syntax{
    k_pnpm_values, {}, k_pnpm_directories, k_pnpm_workspaces, true};
constexpr OptionSyntax k_yarn_syntax{
    k_yarn_values, k_yarn_optional_values, k_yarn_directories, {}, false};
constexpr OptionSyntax k_bun_syntax{k_bun_values, {}, k_bun_directories, k_bun_workspaces, false};

bool contains(std::span<const std::string_view> list, std::string_view word) {
    return std::find(list.begin(), list.end(), word) != list.end();
}

// Reads a client's arguments one positional word at a time, skipping options and their
// values, and noting in the plan those that change where the command goes.
class ArgumentReader {
public:
    ArgumentReader(const std::vector<std::string>& arguments,
                   const OptionSyntax& syntax,
                   NpmCommandPlan& plan)
        : m_arguments(arguments)
        , m_syntax(syntax)
        , m_plan(plan) {}

    // The next word that is neither an option nor an option's value.
    std::optional<std::string> next() {
        while (m_index < m_arguments.size()) {
            const std::string& word = m_arguments[m_index++];
            if (m_only_positionals || word == "-" || !word.starts_with('-')) {
                return word;
            }
            if (word == "--") {
                m_only_positionals = true;
                continue;
            }
            read_option(word);
        }
        return std::nullopt;
    }

    // Whether an option of one of these names was read (before the last word read).
    bool saw(std::initializer_list<std::string_view> names) const {
        return std::any_of(names.begin(), names.end(), [&](std::string_view name) {
            return std::find(m_options.begin(), m_options.end(), name) != m_options.end();
        });
    }

    // The words after the last one read, as given: a program's own command line.
    std::vector<std::string> rest() const {
        return {m_arguments.begin() + static_cast<std::ptrdiff_t>(m_index), m_arguments.end()};
    }

private:
    void read_option(const std::string& word) {
        auto equals = word.find('=');
        std::string name = word.substr(0, equals);
        m_options.push_back(name);
        std::optional<std::string> value;
        if (equals != std::string::npos) {
            value = word.substr(equals + 1);
        } else if (contains(m_syntax.values, name)) {
            value = take();
        } else if (contains(m_syntax.optional_values, name)) {
            if (m_index < m_arguments.size() && !m_arguments[m_index].starts_with('-')) {
                value = take();
            }
        } else if (m_syntax.true_false_values && m_index < m_arguments.size()
                   && (m_arguments[m_index] == "true" || m_arguments[m_index] == "false")) {
            ++m_index;
        }
        if (contains(m_syntax.workspaces, name)) {
            m_plan.many_packages = true;
        }
        if (!value) {
            return;
        }
        if (name == "--registry" || name == "--reg") {
            m_plan.registry = *value;
        } else if (contains(m_syntax.directories, name)) {
            m_plan.directory = *value;
        }
    }

    std::optional<std::string> take() {
        return m_index < m_arguments.size() ? std::optional(m_arguments[m_index++]) : std::nullopt;
    }

    const std::vector<std::string>& m_arguments;
    const OptionSyntax& m_syntax;
    NpmCommandPlan& m_plan;
    std::vector<std::string> m_options;
    std::size_t m_index = 0;
    bool m_only_positionals = false;
};

std::optional<std::string_view> alias_of(std::string_view word) {
    for (const auto& [alias, command] : k_npm_aliases) {
        if (alias == word) {
            return command;
        }
    }
    return std::nullopt;
}

bool is_npm_command(std::string_view word) {
    return std::find(std::begin(k_npm_commands), std::end(k_npm_commands), word)
           != std::end(k_npm_commands);
}

bool is_tag_change(const std::optional<std::string>& subcommand) {
    static constexpr std::array<std::string_view, 9> changes = {
        "add", "a", "set", "s", "rm", "r", "del", "d", "remove"};
    return subcommand && std::find(changes.begin(), changes.end(), *subcommand) != changes.end();
}

// A command's program as its client's name: "/usr/bin/npm", "npm.cmd", "yarnpkg" -> "npm",
// "npm", "yarn"; "pnpm@10" (corepack) -> "pnpm".
std::string program_name(const std::string& program) {
    std::string name = basename_of(program);
    for (std::string_view suffix :
         {".cmd", ".CMD", ".exe", ".EXE", ".ps1", ".js", ".cjs", ".mjs"}) {
        if (name.ends_with(suffix)) {
            name.resize(name.size() - suffix.size());
            break;
        }
    }
    if (auto at = name.find('@'); at != std::string::npos && at > 0) {
        name.resize(at);
    }
    return name == "yarnpkg" ? "yarn" : name;
}

constexpr int k_max_depth = 8;

NpmCommandPlan plan_at_depth(const std::vector<std::string>& command, int depth);

// A program run by npx, npm exec, pnpm dlx, yarn dlx, bunx: what that program does.
void plan_program(NpmCommandPlan& plan, std::vector<std::string> command, int depth) {
    if (command.empty() || depth >= k_max_depth) {
        plan.classified = command.empty(); // npx with nothing to run only fails
        return;
    }
    bool many_packages = plan.many_packages;
    plan = plan_at_depth(command, depth + 1);
    plan.many_packages = plan.many_packages || many_packages;
}

// The command line of the program that npx, pnpm dlx and the like run: the next word and every
// word after it, as given.
std::vector<std::string> program_command(ArgumentReader& words) {
    std::vector<std::string> command;
    if (auto program = words.next()) {
        command.push_back(*program);
        auto rest = words.rest();
        command.insert(command.end(), rest.begin(), rest.end());
    }
    return command;
}

// npm's verbs that change the registry; `words` reads the rest of the command line.
void plan_npm_verb(NpmCommandPlan& plan, ArgumentReader& words) {
    if (plan.verb == "publish" || plan.verb == "stage") {
        plan.operation = Operation::write;
        plan.target = words.next();
    } else if (plan.verb == "unpublish") {
        plan.operation = Operation::manage; // Feedz lets only Full tokens delete
        plan.target = words.next();
    } else if (plan.verb == "deprecate" || plan.verb == "undeprecate") {
        plan.operation = Operation::write;
        plan.target = words.next();
    } else if (plan.verb == "dist-tag") {
        if (is_tag_change(words.next())) {
            plan.operation = Operation::write;
            plan.target = words.next();
        }
    }
}

// npm's verbs that run code of the project's or a package's choosing.
constexpr std::string_view k_npm_runs_scripts[] = {
    "run", "test", "start", "stop", "restart", "explore", "install-test", "install-ci-test"};

void plan_npm(NpmCommandPlan& plan, const std::vector<std::string>& arguments, int depth) {
    ArgumentReader words(arguments, k_npm_syntax, plan);
    auto word = words.next();
    plan.classified = true;
    if (!word) {
        return; // npm, npm --version
    }
    plan.verb = npm_resolve_verb(*word);
    if (plan.verb.empty()) {
        plan.verb = *word;
        plan.classified = false; // npm refuses it; nothing to classify
    } else if (plan.verb == "exec") {
        // npm reads its options all along the line; the program's own start after `--`.
        std::vector<std::string> program;
        while (auto next = words.next()) {
            program.push_back(*next);
        }
        plan_program(plan, program, depth);
    } else if (contains(k_npm_runs_scripts, plan.verb)) {
        plan.classified = false;
    } else {
        plan_npm_verb(plan, words);
    }
}

// npx [options] COMMAND [ARG]...: the options end at the first word, the rest is COMMAND's.
void plan_npx(NpmCommandPlan& plan, const std::vector<std::string>& arguments, int depth) {
    ArgumentReader words(arguments, k_npm_syntax, plan);
    auto command = program_command(words);
    if (words.saw({"-c", "--call"})) {
        plan.classified = false; // a shell command line
        return;
    }
    plan_program(plan, command, depth);
}

// pnpm's commands that do not change the registry (pnpm 10-12), aliases included.
constexpr std::string_view k_pnpm_reads[] = {"add",          "approve-builds",
                                             "audit",        "bin",
                                             "cache",        "cat-file",
                                             "cat-index",    "c",
                                             "config",       "dedupe",
                                             "deploy",       "doctor",
                                             "env",          "fetch",
                                             "find-hash",    "get",
                                             "help",         "ignored-builds",
                                             "import",       "init",
                                             "install",      "i",
                                             "licenses",     "link",
                                             "ln",           "list",
                                             "ls",           "ll",
                                             "la",           "outdated",
                                             "pack",         "patch",
                                             "patch-commit", "patch-remove",
                                             "prune",        "rebuild",
                                             "rb",           "remove",
                                             "rm",           "uninstall",
                                             "un",           "uni",
                                             "root",         "sbom",
                                             "self-update",  "server",
                                             "set",          "setup",
                                             "store",        "unlink",
                                             "dislink",      "update",
                                             "up",           "upgrade",
                                             "why",          "install-test",
                                             "it",           "login",
                                             "logout",       "whoami",
                                             "view",         "info",
                                             "show",         "v",
                                             "search",       "s",
                                             "ping",         "prefix",
                                             "docs",         "bugs",
                                             "repo",         "version",
                                             "pkg",          "access",
                                             "owner",        "team",
                                             "token",        "profile",
                                             "star",         "stars",
                                             "unstar",       "query",
                                             "ci",           "clean-install"};
// pnpm's commands that pass their words to npm, which decides.
constexpr std::string_view k_pnpm_to_npm[] = {"deprecate", "undeprecate", "dist-tag", "unpublish"};

void plan_pnpm(NpmCommandPlan& plan, const std::vector<std::string>& arguments, int depth) {
    ArgumentReader words(arguments, k_pnpm_syntax, plan);
    auto word = words.next();
    if (word && (*word == "recursive" || *word == "multi" || *word == "m")) {
        plan.many_packages = true;
        word = words.next();
    }
    plan.classified = true;
    if (!word) {
        return; // pnpm, pnpm --version, pnpm -r (install)
    }
    plan.verb = *word;
    if (plan.verb == "publish") {
        plan.operation = Operation::write;
        plan.target = words.next();
    } else if (contains(k_pnpm_to_npm, plan.verb)) {
        plan_npm_verb(plan, words);
    } else if (plan.verb == "exec" || plan.verb == "dlx") {
        auto command = program_command(words);
        if (words.saw({"-c", "--shell-mode"})) {
            plan.classified = false; // a shell command line
        } else {
            plan_program(plan, command, depth);
        }
    } else if (!contains(k_pnpm_reads, plan.verb)) {
        plan.classified = false; // a script of the project's (pnpm runs unknown words so)
    }
}

// yarn 1's and yarn 4's commands that do not change the registry.
constexpr std::string_view k_yarn_reads[] = {"access",
                                             "add",
                                             "audit",
                                             "autoclean",
                                             "bin",
                                             "cache",
                                             "check",
                                             "config",
                                             "constraints",
                                             "dedupe",
                                             "explain",
                                             "generate-lock-entry",
                                             "global",
                                             "help",
                                             "import",
                                             "info",
                                             "init",
                                             "install",
                                             "licenses",
                                             "link",
                                             "lockfile",
                                             "login",
                                             "logout",
                                             "list",
                                             "outdated",
                                             "owner",
                                             "pack",
                                             "patch",
                                             "patch-commit",
                                             "plugin",
                                             "policies",
                                             "prune",
                                             "rebuild",
                                             "remove",
                                             "search",
                                             "set",
                                             "stage",
                                             "team",
                                             "unlink",
                                             "unplug",
                                             "up",
                                             "upgrade",
                                             "upgrade-interactive",
                                             "version",
                                             "versions",
                                             "why"};
constexpr std::string_view k_yarn_npm_reads[] = {"audit", "info", "login", "logout", "whoami"};

void plan_yarn(NpmCommandPlan& plan, const std::vector<std::string>& arguments, int depth) {
    ArgumentReader words(arguments, k_yarn_syntax, plan);
    auto word = words.next();
    plan.classified = true;
    if (!word) {
        return; // yarn: install
    }
    plan.verb = *word;
    auto yarn_running = [&](std::vector<std::string> command) { // yarn COMMAND...
        if (!command.empty()) {
            command.insert(command.begin(), "yarn");
            plan_program(plan, command, depth);
        }
    };
    if (*word == "publish") { // yarn 1: publish [tarball|folder]
        plan.operation = Operation::write;
        plan.target = words.next();
    } else if (*word == "tag") { // yarn 1: tag add|rm PACKAGE@VERSION TAG
        if (is_tag_change(words.next())) {
            plan.operation = Operation::write;
            plan.target = words.next();
        }
    } else if (*word == "npm") { // yarn 4: npm publish, npm tag add|remove
        auto subcommand = words.next().value_or("");
        plan.verb = "npm " + subcommand;
        if (subcommand == "publish") {
            plan.operation = Operation::write;
        } else if (subcommand == "tag") {
            if (is_tag_change(words.next())) {
                plan.operation = Operation::write;
                plan.target = words.next();
            }
        } else if (!contains(k_yarn_npm_reads, subcommand)) {
            plan.classified = false;
        }
    } else if (*word == "workspace") { // yarn workspace NAME COMMAND...
        auto name = words.next();
        if (!name) {
            return;
        }
        yarn_running(program_command(words));
        if (plan.operation != Operation::read && !plan.target) {
            plan.target = name; // the package's name tells its scope
        }
    } else if (*word == "workspaces") { // yarn 4: workspaces foreach [options] COMMAND...
        auto subcommand = words.next();
        if (subcommand == "foreach") {
            plan.many_packages = true;
            yarn_running(program_command(words));
        } else if (subcommand != "list" && subcommand != "info" && subcommand != "focus") {
            plan.classified = false; // yarn 1: workspaces run SCRIPT
        }
    } else if (*word == "dlx" || *word == "exec") {
        plan_program(plan, program_command(words), depth);
    } else if (!contains(k_yarn_reads, *word)) {
        plan.classified = false; // run, node, or a script of the project's
    }
}

// bun's commands that do not change the registry.
constexpr std::string_view k_bun_reads[] = {
    "install", "i",         "add",     "a",    "remove",      "rm",     "update", "outdated",
    "link",    "unlink",    "pm",      "info", "audit",       "why",    "patch",  "patch-commit",
    "build",   "init",      "upgrade", "help", "completions", "--help", "-h",     "--version",
    "-v",      "--revision"};

void plan_bun(NpmCommandPlan& plan, const std::vector<std::string>& arguments, int depth) {
    // bun finds its command as the first word not beginning with '-': its global options
    // take no separate value there.
    auto verb = std::find_if(arguments.begin(), arguments.end(), [](const std::string& word) {
        return !word.starts_with('-');
    });
    plan.classified = true;
    if (verb == arguments.end()) {
        plan.classified = arguments.empty() || contains(k_bun_reads, arguments.front());
        return;
    }
    plan.verb = *verb;
    std::vector<std::string> after(verb + 1, arguments.end());
    ArgumentReader words(after, k_bun_syntax, plan);
    if (plan.verb == "publish") {
        plan.operation = Operation::write;
        plan.target = words.next();
    } else if (plan.verb == "x") {
        plan_program(plan, program_command(words), depth);
    } else if (!contains(k_bun_reads, plan.verb)) {
        plan.classified = false; // run, test, exec, a file or a script
    }
}

NpmCommandPlan plan_at_depth(const std::vector<std::string>& command, int depth) {
    NpmCommandPlan plan;
    if (command.empty()) {
        return plan;
    }
    plan.tool = program_name(command[0]);
    std::vector<std::string> arguments(command.begin() + 1, command.end());
    if (plan.tool == "npm") {
        plan_npm(plan, arguments, depth);
    } else if (plan.tool == "npx") {
        plan_npx(plan, arguments, depth);
    } else if (plan.tool == "pnpm") {
        plan_pnpm(plan, arguments, depth);
    } else if (plan.tool == "pnpx") {
        arguments.insert(arguments.begin(), "dlx");
        plan.tool = "pnpm";
        plan_pnpm(plan, arguments, depth);
    } else if (plan.tool == "yarn") {
        plan_yarn(plan, arguments, depth);
    } else if (plan.tool == "bun") {
        plan_bun(plan, arguments, depth);
    } else if (plan.tool == "bunx") {
        arguments.insert(arguments.begin(), "x");
        plan.tool = "bun";
        plan_bun(plan, arguments, depth);
    } else if (plan.tool == "corepack" && depth < k_max_depth) {
        plan_program(plan, arguments, depth);
    }
    if (plan.operation == Operation::read) {
        plan.target.reset();
    }
    return plan;
}

// "@s" of "@s/n@1.0.0", "" for an unscoped name.
std::string scope_of(std::string_view name) {
    if (!name.starts_with('@')) {
        return "";
    }
    auto slash = name.find('/');
    return slash == std::string_view::npos ? "" : std::string(name.substr(0, slash));
}

bool is_directory(const std::string& path) {
    struct stat st {};

    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

} // namespace

std::string npm_resolve_verb(std::string_view word) {
    std::string name;
    for (char c : word) {
        if (std::isupper(static_cast<unsigned char>(c))) {
            name += '-';
            name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            name += c;
        }
    }
    if (is_npm_command(name)) {
        return name;
    }
    if (auto command = alias_of(name)) {
        return std::string(*command);
    }
    // A unique abbreviation of a command or an alias, then through the aliases.
    std::optional<std::string_view> match;
    auto consider = [&](std::string_view candidate) {
        if (candidate.starts_with(name) && match != candidate) {
            match = match ? std::optional<std::string_view>("") : candidate;
        }
    };
    for (auto command : k_npm_commands) {
        consider(command);
    }
    for (const auto& alias : k_npm_aliases) {
        consider(alias.first);
    }
    if (!match || match->empty()) {
        return "";
    }
    std::string_view resolved = *match;
    while (auto command = alias_of(resolved)) {
        resolved = *command;
    }
    return std::string(resolved);
}

NpmCommandPlan plan_npm_command(const std::vector<std::string>& command) {
    return plan_at_depth(command, 0);
}

std::optional<std::string> npm_write_registry(const NpmCommandPlan& plan,
                                              const NpmConfigs& configs,
                                              const NpmEnvironment& environment,
                                              const std::string& cwd) {
    if (plan.registry) {
        return plan.registry;
    }
    if (plan.many_packages && !plan.target) {
        return std::nullopt; // each package of the workspace may name its own
    }
    std::string base = cwd;
    if (plan.directory) {
        base = plan.directory->starts_with('/') ? *plan.directory : cwd + "/" + *plan.directory;
    }
    std::string name;
    std::map<std::string, std::string> publish_config;
    std::string target = plan.target.value_or(".");
    std::string directory = target.starts_with('/') ? target : base + "/" + target;
    bool names_package = plan.target && !target.starts_with('.') && !target.starts_with('/')
                         && !target.ends_with(".tgz") && !target.ends_with(".tar.gz")
                         && !is_directory(directory);
    if (names_package) {
        // A spec: "@s/n@1.0.0" or "n@latest"; only its scope matters.
        name = target;
    } else if (is_directory(directory)) {
        auto package = read_package_manifest(directory);
        if (!package) {
            return std::nullopt;
        }
        name = package->name;
        publish_config = package->publish_config;
    } else {
        return std::nullopt; // a tarball: its package.json is inside
    }
    std::string scope = scope_of(name);
    for (const std::string& key :
         {scope.empty() ? std::string() : scope + ":registry", std::string("registry")}) {
        if (auto it = publish_config.find(key); !key.empty() && it != publish_config.end()) {
            return it->second;
        }
    }
    if (!scope.empty()) {
        if (auto registry = configs.value(scope + ":registry", environment)) {
            return registry;
        }
    }
    return configs.value("registry", environment).value_or("https://registry.npmjs.org/");
}

} // namespace feedz
