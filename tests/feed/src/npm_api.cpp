// SPDX-License-Identifier: MIT
#include "npm_api.hpp"

#include "date.hpp"
#include "error.hpp"
#include "files.hpp"
#include "http_status.hpp"
#include "names.hpp"
#include "npm_documents.hpp"

#include <chrono>

namespace feed {

namespace {

void method_not_allowed(const Exchange& exchange) {
    throw HttpError(k_method_not_allowed, "method " + exchange.method() + " not allowed here");
}

std::string now() {
    return format_timestamp(std::chrono::system_clock::now());
}

nlohmann::json parse_json_body(Exchange& exchange) {
    auto body = exchange.read_body();
    try {
        return nlohmann::json::parse(body);
    } catch (const nlohmann::json::exception&) {
        throw HttpError(k_bad_request, "malformed JSON in the request body");
    }
}

void apply(const NpmStore& store, const std::string& name, const NpmChange& change) {
    for (const auto& tarball : change.tarballs) {
        store.write_tarball(name, tarball.file, tarball.data);
    }
    if (change.packument.is_null()) {
        store.remove_package(name);
        return;
    }
    store.save_packument(name, change.packument);
    for (const auto& file : change.obsolete) {
        store.remove_tarball(name, file);
    }
}

nlohmann::json load_or_404(const NpmStore& store, const std::string& name) {
    auto packument = store.load_packument(name);
    if (!packument) {
        throw HttpError(k_not_found, "package " + name + " not found");
    }
    return *packument;
}

void whoami(Exchange& exchange) {
    if (!exchange.is_get()) {
        method_not_allowed(exchange);
    }
    if (exchange.authorize(Operation::read, true)) {
        exchange.send_json(k_ok, {{"username", exchange.auth().token->name}});
    }
}

void dist_tags(Exchange& exchange,
               const std::vector<std::string>& segments,
               std::size_t index,
               const std::string& name,
               const NpmStore& store) {
    if (index + 1 == segments.size()) {
        if (!exchange.is_get()) {
            method_not_allowed(exchange);
        }
        if (exchange.authorize(Operation::read)) {
            exchange.send_json(k_ok, load_or_404(store, name)["dist-tags"]);
        }
        return;
    }
    if (index + 2 != segments.size()) {
        throw HttpError(k_not_found, "not found");
    }
    const auto& tag = segments[index + 1];
    if (exchange.method() != "PUT" && exchange.method() != "DELETE") {
        method_not_allowed(exchange);
    }
    if (!is_valid_dist_tag(tag)) {
        throw HttpError(k_bad_request, "invalid dist-tag");
    }
    if (!exchange.authorize(Operation::write)) {
        return;
    }
    std::string version;
    if (exchange.method() == "PUT") {
        auto body = parse_json_body(exchange);
        if (!body.is_string()) {
            throw HttpError(k_bad_request, "the body must be a JSON string: the version");
        }
        version = body.get<std::string>();
    }
    FileLock lock(store.lock_file());
    auto packument = load_or_404(store, name);
    auto& tags = packument["dist-tags"];
    if (exchange.method() == "PUT") {
        if (!packument["versions"].contains(version)) {
            throw HttpError(k_bad_request, "version " + version + " of " + name + " not found");
        }
        tags[tag] = version;
    } else {
        if (tag == "latest") {
            throw HttpError(k_bad_request, "the latest dist-tag cannot be removed");
        }
        if (!tags.contains(tag)) {
            throw HttpError(k_not_found, "dist-tag " + tag + " not found");
        }
        tags.erase(tag);
    }
    packument["time"]["modified"] = now();
    store.save_packument(name, packument);
    exchange.send_json(k_created, tags);
}

void dash_routes(Exchange& exchange,
                 const std::vector<std::string>& segments,
                 const NpmStore& store) {
    if (segments.size() == 2 && segments[1] == "whoami") {
        whoami(exchange);
        return;
    }
    if (segments.size() == 2 && segments[1] == "ping") {
        if (exchange.authorize(Operation::read)) {
            exchange.send_json(k_ok, nlohmann::json::object());
        }
        return;
    }
    if (segments.size() >= 4 && segments[1] == "package") {
        std::size_t index = 2;
        auto name = parse_npm_name(segments, index);
        if (index < segments.size() && segments[index] == "dist-tags") {
            dist_tags(exchange, segments, index, name, store);
            return;
        }
    }
    if (segments.size() >= 5 && segments[1] == "npm" && segments[2] == "v1"
        && segments[3] == "security") {
        if (exchange.method() != "POST") {
            method_not_allowed(exchange);
        }
        if (exchange.authorize(Operation::read)) {
            exchange.read_body();
            exchange.send_json(k_ok, nlohmann::json::object());
        }
        return;
    }
    throw HttpError(k_not_found, "not found");
}

void packument(Exchange& exchange, const std::string& name, const NpmStore& store) {
    if (exchange.is_get()) {
        if (exchange.authorize(Operation::read)) {
            auto stored = load_or_404(store, name);
            exchange.send_json(k_ok,
                               npm_packument_for_client(stored, exchange.feed_url() + "npm/"));
        }
        return;
    }
    if (exchange.method() != "PUT") {
        method_not_allowed(exchange);
    }
    if (!exchange.authorize(Operation::write)) {
        return;
    }
    auto body = parse_json_body(exchange);
    FileLock lock(store.lock_file());
    auto existing = store.load_packument(name);
    bool publishing = body.is_object() && body.contains("_attachments")
                      && body["_attachments"].is_object() && !body["_attachments"].empty();
    auto change = publishing ? npm_publish(body, name, existing, now())
                             : npm_update_metadata(body, name, existing, now());
    apply(store, name, change);
    exchange.send_json(k_created, {{"ok", true}, {"id", name}, {"rev", change.packument["_rev"]}});
}

void remove_versions(Exchange& exchange, const std::string& name, const NpmStore& store) {
    if (exchange.method() != "PUT" && exchange.method() != "DELETE") {
        method_not_allowed(exchange);
    }
    if (!exchange.authorize(Operation::remove)) {
        return;
    }
    if (exchange.method() == "DELETE") {
        FileLock lock(store.lock_file());
        load_or_404(store, name);
        store.remove_package(name);
        exchange.send_json(k_ok, {{"ok", true}});
        return;
    }
    auto body = parse_json_body(exchange);
    FileLock lock(store.lock_file());
    auto change = npm_remove_versions(body, name, store.load_packument(name), now());
    apply(store, name, change);
    exchange.send_json(k_created, {{"ok", true}});
}

void tarball(Exchange& exchange,
             const std::vector<std::string>& segments,
             std::size_t index,
             const std::string& name,
             const NpmStore& store) {
    const auto& file = segments[index + 1];
    if (file.find('/') != std::string::npos || file.size() < 5
        || file.substr(file.size() - 4) != ".tgz") {
        throw HttpError(k_bad_request, "invalid tarball name");
    }
    if (index + 2 == segments.size()) {
        if (!exchange.is_get()) {
            method_not_allowed(exchange);
        }
        if (!exchange.authorize(Operation::read)) {
            return;
        }
        auto data = store.read_tarball(name, file);
        if (!data) {
            throw HttpError(k_not_found, "tarball " + file + " of " + name + " not found");
        }
        exchange.send_bytes(k_ok, "application/octet-stream", *data);
        return;
    }
    if (index + 4 == segments.size() && segments[index + 2] == "-rev") {
        if (exchange.method() != "DELETE") {
            method_not_allowed(exchange);
        }
        if (!exchange.authorize(Operation::remove)) {
            return;
        }
        FileLock lock(store.lock_file());
        auto packument = store.load_packument(name);
        bool in_use = false;
        if (packument) {
            for (const auto& [version, manifest] : (*packument)["versions"].items()) {
                in_use = in_use || npm_tarball_file(name, version) == file;
                (void)manifest;
            }
        }
        if (!in_use) {
            store.remove_tarball(name, file);
        }
        exchange.send_json(k_ok, {{"ok", true}});
        return;
    }
    throw HttpError(k_not_found, "not found");
}

} // namespace

std::string parse_npm_name(const std::vector<std::string>& segments, std::size_t& index) {
    if (index >= segments.size()) {
        throw HttpError(k_not_found, "not found");
    }
    std::string name = segments[index++];
    if (!name.empty() && name.front() == '@' && name.find('/') == std::string::npos) {
        if (index >= segments.size()) {
            throw HttpError(k_bad_request, "invalid package name");
        }
        name += "/" + segments[index++];
    }
    if (!is_valid_npm_name(name)) {
        throw HttpError(k_bad_request, "invalid package name");
    }
    return name;
}

void handle_npm(Exchange& exchange,
                const std::vector<std::string>& segments,
                const NpmStore& store) {
    if (segments.empty()) {
        throw HttpError(k_not_found, "not found");
    }
    if (segments[0] == "-") {
        dash_routes(exchange, segments, store);
        return;
    }
    std::size_t index = 0;
    auto name = parse_npm_name(segments, index);
    if (index == segments.size()) {
        packument(exchange, name, store);
        return;
    }
    if (segments[index] == "-rev" && index + 2 == segments.size()) {
        remove_versions(exchange, name, store);
        return;
    }
    if (segments[index] == "-" && index + 2 <= segments.size()) {
        tarball(exchange, segments, index, name, store);
        return;
    }
    if (index + 1 == segments.size()) {
        if (!exchange.is_get()) {
            method_not_allowed(exchange);
        }
        const auto& wanted = segments[index];
        if (!is_valid_semver(wanted) && !is_valid_dist_tag(wanted)) {
            throw HttpError(k_bad_request, "invalid version");
        }
        if (exchange.authorize(Operation::read)) {
            auto manifest =
                npm_find_version(load_or_404(store, name), wanted, exchange.feed_url() + "npm/");
            if (!manifest) {
                throw HttpError(k_not_found, "version " + wanted + " of " + name + " not found");
            }
            exchange.send_json(k_ok, *manifest);
        }
        return;
    }
    throw HttpError(k_not_found, "not found");
}

} // namespace feed
