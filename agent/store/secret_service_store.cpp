// SPDX-License-Identifier: MIT
#include "secret_service_store.hpp"

#include <agent/core/environment.hpp>
#include <agent/core/feed.hpp>
#include <agent/core/token.hpp>

#include <libsecret/secret.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

namespace feedz {

namespace {

// The prefix is stored as an attribute (attributes are not encrypted): Feedz itself shows the
// first 7 characters of a token as its public identifier, and it lets `list` work without
// loading a single secret.
const SecretSchema k_schema = {
    "io.feedz.Agent.Token",
    SECRET_SCHEMA_NONE,
    {
        {"name", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"prefix", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"scopes", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"access", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"expires", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"created", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"disabled", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING},
    },
    0,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

struct GErrorDeleter {
    void operator()(GError* error) const { g_error_free(error); }
};

struct GObjectDeleter {
    void operator()(gpointer object) const { g_object_unref(object); }
};

struct GHashTableDeleter {
    void operator()(GHashTable* table) const { g_hash_table_unref(table); }
};

struct SecretValueDeleter {
    void operator()(SecretValue* value) const { secret_value_unref(value); }
};

struct ItemListDeleter {
    void operator()(GList* list) const { g_list_free_full(list, g_object_unref); }
};

using ErrorPtr = std::unique_ptr<GError, GErrorDeleter>;
using ServicePtr = std::unique_ptr<SecretService, GObjectDeleter>;
using CollectionPtr = std::unique_ptr<SecretCollection, GObjectDeleter>;
using ItemPtr = std::unique_ptr<SecretItem, GObjectDeleter>;
using AttributesPtr = std::unique_ptr<GHashTable, GHashTableDeleter>;
using ValuePtr = std::unique_ptr<SecretValue, SecretValueDeleter>;
using ItemListPtr = std::unique_ptr<GList, ItemListDeleter>;

const char* const k_fallback_hint =
    "or keep tokens in the agent's memory instead: FEEDZ_AGENT_STORE=memory";

// How long a keychain call may take: FEEDZ_AGENT_KEYCHAIN_TIMEOUT seconds, else D-Bus's usual
// 25 s. An unlock prompt answered within it is not a hang.
int keychain_timeout_seconds() {
    auto text = get_env(k_env_keychain_timeout);
    int seconds = text ? std::atoi(text->c_str()) : 0;
    return seconds > 0 ? seconds : 25;
}

bool is_timeout(const GError* error) {
    return (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_TIMED_OUT)
           || (error->domain == G_DBUS_ERROR
               && (error->code == G_DBUS_ERROR_TIMEOUT || error->code == G_DBUS_ERROR_TIMED_OUT
                   || error->code == G_DBUS_ERROR_NO_REPLY));
}

// The bus answered, but nothing provides org.freedesktop.secrets: not installed, or its
// activation failed.
bool is_no_secret_service(const GError* error) {
    if (error->domain != G_DBUS_ERROR) {
        return false;
    }
    switch (error->code) {
    case G_DBUS_ERROR_SERVICE_UNKNOWN:
    case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
    case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
    case G_DBUS_ERROR_SPAWN_FORK_FAILED:
    case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
    case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
    case G_DBUS_ERROR_SPAWN_FAILED:
    case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
    case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
    case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
    case G_DBUS_ERROR_SPAWN_FILE_INVALID:
    case G_DBUS_ERROR_SPAWN_NO_MEMORY:
        return true;
    default:
        return false;
    }
}

// libsecret reports each way the keychain can be out of reach differently; each gets its own
// message with a fix. Nothing here ever reads as "not found" (see SecretStore).
Error classify(const GError* error, const char* action) {
    std::string what = std::string("cannot ") + action + ": ";
    std::string native = error->message != nullptr ? error->message : "";
    if (error->domain == SECRET_ERROR && error->code == SECRET_ERROR_IS_LOCKED) {
        return make_error(Errc::store_locked,
                          what
                              + "the keychain (default collection) is locked. Unlock it: log in "
                                "to the desktop session, or run `gnome-keyring-daemon --unlock` "
                                "and type the keyring password, then try again");
    }
    if (is_timeout(error)) {
        return make_error(Errc::store_unavailable,
                          what + "the keychain did not answer within "
                              + std::to_string(keychain_timeout_seconds())
                              + " s. Is an unlock prompt waiting for you? Otherwise "
                                "gnome-keyring-daemon may be hung: restart it (or log in again), "
                              + k_fallback_hint);
    }
    if (is_no_secret_service(error)) {
        return make_error(Errc::store_unavailable,
                          what
                              + "no Secret Service on the session bus (org.freedesktop.secrets "
                                "is not provided: "
                              + native
                              + "). Install and start a keychain such as "
                                "gnome-keyring (`apt install gnome-keyring`), "
                              + k_fallback_hint);
    }
    if (error->domain == G_IO_ERROR
        || (error->domain == G_DBUS_ERROR
            && (error->code == G_DBUS_ERROR_NO_SERVER || error->code == G_DBUS_ERROR_DISCONNECTED
                || error->code == G_DBUS_ERROR_FILE_NOT_FOUND))) {
        return make_error(Errc::store_unavailable,
                          what + "no D-Bus session bus (" + native
                              + "); the keychain is reached through it. Run inside a desktop "
                                "or login session (or `dbus-run-session`), "
                              + k_fallback_hint);
    }
    if ((error->domain == SECRET_ERROR && error->code == SECRET_ERROR_NO_SUCH_OBJECT)
        || (error->domain == G_DBUS_ERROR
            && (error->code == G_DBUS_ERROR_UNKNOWN_METHOD
                || error->code == G_DBUS_ERROR_UNKNOWN_OBJECT))) {
        return make_error(Errc::store_unavailable,
                          what
                              + "the keychain has no default collection (the 'login' keyring). "
                                "Create it with Seahorse (Passwords and Keys) or by starting "
                                "`gnome-keyring-daemon --unlock`, "
                              + k_fallback_hint);
    }
    return make_error(Errc::store_unavailable, what + "keychain error: " + native);
}

Error no_default_collection(const char* action) {
    return make_error(Errc::store_unavailable,
                      std::string("cannot ") + action
                          + ": the keychain has no default collection (the 'login' keyring). "
                            "Create it with Seahorse (Passwords and Keys) or by starting "
                            "`gnome-keyring-daemon --unlock`, "
                          + k_fallback_hint);
}

AttributesPtr new_attributes() {
    return AttributesPtr(g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free));
}

void set_attribute(GHashTable* attributes, const char* key, const std::string& value) {
    g_hash_table_replace(attributes, g_strdup(key), g_strdup(value.c_str()));
}

std::string join_scopes(const std::vector<std::string>& scopes) {
    std::string joined;
    for (const auto& scope : scopes) {
        if (!joined.empty()) {
            joined += ' ';
        }
        joined += scope;
    }
    return joined;
}

AttributesPtr attributes_for(const TokenInfo& info) {
    auto attributes = new_attributes();
    set_attribute(attributes.get(), "name", info.name);
    set_attribute(attributes.get(), "prefix", info.prefix);
    set_attribute(attributes.get(), "scopes", join_scopes(info.scopes));
    set_attribute(attributes.get(), "access", to_string(info.access));
    set_attribute(attributes.get(), "expires", info.expires ? format_date(*info.expires) : "");
    set_attribute(attributes.get(), "created", format_timestamp(info.created));
    set_attribute(attributes.get(), "disabled", info.disabled ? "true" : "false");
    return attributes;
}

std::string label_for(const TokenInfo& info) {
    std::string label = "Feedz token '" + info.name + "' (" + info.display() + ")";
    if (!info.scopes.empty()) {
        label += " for " + join_scopes(info.scopes);
    }
    return label;
}

// Reads an item's attributes back into a TokenInfo; items with a broken attribute (edited by
// hand) are skipped rather than guessed at.
std::optional<TokenInfo> info_from_item(SecretItem* item) {
    AttributesPtr attributes(secret_item_get_attributes(item));
    auto attribute = [&](const char* key) -> std::optional<std::string> {
        auto* value = static_cast<const char*>(g_hash_table_lookup(attributes.get(), key));
        if (value == nullptr) {
            return std::nullopt;
        }
        return std::string(value);
    };
    TokenInfo info;
    auto name = attribute("name");
    auto prefix = attribute("prefix");
    auto access = attribute("access");
    auto created = attribute("created");
    if (!name || !prefix || !access || !created || !access_from_string(*access)
        || !parse_timestamp(*created)) {
        return std::nullopt;
    }
    info.name = *name;
    info.prefix = *prefix;
    info.access = *access_from_string(*access);
    info.created = *parse_timestamp(*created);
    std::string scopes = attribute("scopes").value_or("");
    for (std::size_t start = 0; start < scopes.size();) {
        std::size_t end = std::min(scopes.find(' ', start), scopes.size());
        // Only what store() could have written: a normalised URL that ends in '/'. A scope
        // edited into something else by hand covers nothing rather than something wider.
        std::string scope = scopes.substr(start, end - start);
        if (auto url = normalize_url(scope); url && url->text == scope && scope.back() == '/') {
            info.scopes.push_back(scope);
        }
        start = end + 1;
    }
    if (auto expires = attribute("expires"); expires && !expires->empty()) {
        info.expires = parse_date(*expires);
        if (!info.expires) {
            return std::nullopt;
        }
    }
    info.disabled = attribute("disabled").value_or("false") == "true";
    return info;
}

// Errors after which the SecretService proxy may lead nowhere: the keychain daemon went away
// or was replaced (restarted), so the bus name owner, session and object paths it holds are
// gone. A new proxy finds the new daemon.
bool is_stale_proxy_error(const GError* error) {
    if (error->domain == G_DBUS_ERROR) {
        switch (error->code) {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_UNKNOWN_OBJECT:
        case G_DBUS_ERROR_UNKNOWN_METHOD:
        case G_DBUS_ERROR_UNKNOWN_INTERFACE:
            return true;
        default:
            return false;
        }
    }
    return (error->domain == SECRET_ERROR && error->code == SECRET_ERROR_NO_SUCH_OBJECT)
           || (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_CLOSED);
}

// Peer.Ping to org.freedesktop.secrets (starting it by D-Bus activation if needed); the error,
// or nullptr when it answered.
GError* ping_secret_service() {
    GError* error = nullptr;
    GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
    if (bus == nullptr) {
        return error;
    }
    GVariant* reply = g_dbus_connection_call_sync(bus,
                                                  "org.freedesktop.secrets",
                                                  "/org/freedesktop/secrets",
                                                  "org.freedesktop.DBus.Peer",
                                                  "Ping",
                                                  nullptr,
                                                  nullptr,
                                                  G_DBUS_CALL_FLAGS_NONE,
                                                  keychain_timeout_seconds() * 1000,
                                                  nullptr,
                                                  &error);
    if (reply != nullptr) {
        g_variant_unref(reply);
    }
    g_object_unref(bus);
    return error;
}

} // namespace

struct SecretServiceStore::Impl {
    ServicePtr service;
    bool stale = false;          // the last failure may be cured by a new proxy
    std::string collection_path; // of the default collection, when last opened

    Error fail(const GError* error, const char* action) {
        stale = stale || is_stale_proxy_error(error);
        return classify(error, action);
    }

    // Runs `operation`, and once more with a new SecretService proxy when it failed in a way a
    // new proxy may cure (the keychain daemon was restarted under the running agent).
    template <typename Operation>
    auto with_reconnect(Operation operation) -> decltype(operation()) {
        stale = false;
        auto result = operation();
        if (!result && stale) {
            drop_service();
            stale = false;
            result = operation();
        }
        return result;
    }

    void drop_service() {
        service.reset();
        // libsecret shares one SecretService and forgets it only when it sees the daemon's
        // bus name vanish, which takes a running GLib main loop; the agent has none.
        secret_service_disconnect();
    }

    // The default collection, checked to exist and be unlocked. A locked collection makes
    // searches silently come back empty, so this check runs before every operation.
    Result<CollectionPtr> open_collection(const char* action) {
        GError* raw_error = nullptr;
        if (!service) {
            // A first call with our timeout, before libsecret builds its proxy with D-Bus's
            // fixed 25 s: a hung daemon or a failed activation shows here, precisely.
            if (ErrorPtr error(ping_secret_service()); error) {
                return fail(error.get(), action);
            }
            service.reset(secret_service_get_sync(SECRET_SERVICE_NONE, nullptr, &raw_error));
            if (raw_error != nullptr) {
                ErrorPtr error(raw_error);
                service.reset();
                return fail(error.get(), action);
            }
            g_dbus_proxy_set_default_timeout(G_DBUS_PROXY(service.get()),
                                             keychain_timeout_seconds() * 1000);
        }
        CollectionPtr collection(secret_collection_for_alias_sync(
            service.get(), SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, nullptr, &raw_error));
        if (raw_error != nullptr) {
            ErrorPtr error(raw_error);
            return fail(error.get(), action);
        }
        if (!collection) {
            return no_default_collection(action);
        }
        collection_path = g_dbus_proxy_get_object_path(G_DBUS_PROXY(collection.get()));
        if (secret_collection_get_locked(collection.get())) {
            GError locked{SECRET_ERROR, SECRET_ERROR_IS_LOCKED, nullptr};
            return fail(&locked, action);
        }
        return collection;
    }

    Result<ItemListPtr>
    search(GHashTable* attributes, SecretSearchFlags flags, const char* action) {
        GError* raw_error = nullptr;
        GList* items =
            secret_service_search_sync(service.get(),
                                       &k_schema,
                                       attributes,
                                       static_cast<SecretSearchFlags>(flags | SECRET_SEARCH_ALL),
                                       nullptr,
                                       &raw_error);
        ItemListPtr list(items);
        if (raw_error != nullptr) {
            ErrorPtr error(raw_error);
            return fail(error.get(), action);
        }
        return list;
    }

    Result<ItemListPtr>
    search_by_name(std::string_view name, SecretSearchFlags flags, const char* action) {
        auto attributes = new_attributes();
        set_attribute(attributes.get(), "name", std::string(name));
        return search(attributes.get(), flags, action);
    }

    // One D-Bus round trip: the Locked property of the default collection, read from the
    // daemon (a proxy's cached properties follow changes only inside a GLib main loop, and the
    // agent runs none).
    Result<void> check_unlocked() {
        const char* action = "hand out the token";
        if (!service || collection_path.empty()) {
            auto collection = open_collection(action);
            if (!collection) {
                return collection.error();
            }
            return {};
        }
        GError* raw_error = nullptr;
        GVariant* reply = g_dbus_connection_call_sync(
            g_dbus_proxy_get_connection(G_DBUS_PROXY(service.get())),
            "org.freedesktop.secrets",
            collection_path.c_str(),
            "org.freedesktop.DBus.Properties",
            "Get",
            g_variant_new("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
            G_VARIANT_TYPE("(v)"),
            G_DBUS_CALL_FLAGS_NONE,
            keychain_timeout_seconds() * 1000,
            nullptr,
            &raw_error);
        if (raw_error != nullptr) {
            ErrorPtr error(raw_error);
            return fail(error.get(), action);
        }
        GVariant* value = nullptr;
        g_variant_get(reply, "(v)", &value);
        bool locked = g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)
                      && g_variant_get_boolean(value) != FALSE;
        g_variant_unref(value);
        g_variant_unref(reply);
        if (locked) {
            GError locked_error{SECRET_ERROR, SECRET_ERROR_IS_LOCKED, nullptr};
            return fail(&locked_error, action);
        }
        return {};
    }

    Result<std::optional<StoredToken>> get(std::string_view name) {
        const char* action = "read the token from the keychain";
        auto collection = open_collection(action);
        if (!collection) {
            return collection.error();
        }
        auto items = search_by_name(name, SECRET_SEARCH_LOAD_SECRETS, action);
        if (!items) {
            return items.error();
        }
        // Should a crash have left two items of one name, the newest wins.
        std::optional<StoredToken> found;
        for (GList* node = items->get(); node != nullptr; node = node->next) {
            auto* item = static_cast<SecretItem*>(node->data);
            auto info = info_from_item(item);
            if (!info || (found && found->info.created > info->created)) {
                continue;
            }
            ValuePtr value(secret_item_get_secret(item));
            if (!value) {
                // libsecret returns no secret for an item it could not unlock.
                GError locked{SECRET_ERROR, SECRET_ERROR_IS_LOCKED, nullptr};
                return fail(&locked, action);
            }
            gsize length = 0;
            const gchar* data = secret_value_get(value.get(), &length);
            found = StoredToken{std::move(*info), SecretString(std::string_view(data, length))};
        }
        return found;
    }

    Result<void> put(const StoredToken& token) {
        const char* action = "store the token in the keychain";
        auto collection = open_collection(action);
        if (!collection) {
            return collection.error();
        }
        auto existing = search_by_name(token.info.name, SECRET_SEARCH_NONE, action);
        if (!existing) {
            return existing.error();
        }
        // Create the new item first and only then delete the old one: if creating fails, the
        // token stored before is still there.
        auto attributes = attributes_for(token.info);
        ValuePtr value(secret_value_new(
            token.secret.view().data(), static_cast<gssize>(token.secret.size()), "text/plain"));
        GError* raw_error = nullptr;
        ItemPtr created(secret_item_create_sync(collection->get(),
                                                &k_schema,
                                                attributes.get(),
                                                label_for(token.info).c_str(),
                                                value.get(),
                                                SECRET_ITEM_CREATE_NONE,
                                                nullptr,
                                                &raw_error));
        if (raw_error != nullptr) {
            ErrorPtr error(raw_error);
            return fail(error.get(), action);
        }
        const char* created_path = g_dbus_proxy_get_object_path(G_DBUS_PROXY(created.get()));
        for (GList* node = existing->get(); node != nullptr; node = node->next) {
            auto* item = static_cast<SecretItem*>(node->data);
            if (std::strcmp(g_dbus_proxy_get_object_path(G_DBUS_PROXY(item)), created_path) == 0) {
                continue;
            }
            if (!secret_item_delete_sync(item, nullptr, &raw_error)) {
                ErrorPtr error(raw_error);
                return fail(error.get(), "replace the old token in the keychain");
            }
        }
        return {};
    }

    Result<bool> erase(std::string_view name) {
        const char* action = "remove the token from the keychain";
        auto collection = open_collection(action);
        if (!collection) {
            return collection.error();
        }
        auto items = search_by_name(name, SECRET_SEARCH_NONE, action);
        if (!items) {
            return items.error();
        }
        bool erased = false;
        for (GList* node = items->get(); node != nullptr; node = node->next) {
            GError* raw_error = nullptr;
            if (!secret_item_delete_sync(
                    static_cast<SecretItem*>(node->data), nullptr, &raw_error)) {
                ErrorPtr error(raw_error);
                return fail(error.get(), action);
            }
            erased = true;
        }
        return erased;
    }

    Result<std::vector<TokenInfo>> list() {
        const char* action = "list the tokens in the keychain";
        auto collection = open_collection(action);
        if (!collection) {
            return collection.error();
        }
        auto attributes = new_attributes();
        auto items = search(attributes.get(), SECRET_SEARCH_NONE, action);
        if (!items) {
            return items.error();
        }
        std::vector<TokenInfo> infos;
        for (GList* node = items->get(); node != nullptr; node = node->next) {
            auto info = info_from_item(static_cast<SecretItem*>(node->data));
            if (!info) {
                continue;
            }
            auto same_name = std::find_if(infos.begin(), infos.end(), [&](const TokenInfo& other) {
                return other.name == info->name;
            });
            if (same_name == infos.end()) {
                infos.push_back(std::move(*info));
            } else if (same_name->created < info->created) {
                *same_name = std::move(*info);
            }
        }
        std::sort(infos.begin(), infos.end(), [](const TokenInfo& a, const TokenInfo& b) {
            return a.name < b.name;
        });
        return infos;
    }
};

SecretServiceStore::SecretServiceStore()
    : m_impl(std::make_unique<Impl>()) {}

SecretServiceStore::~SecretServiceStore() = default;

const char* SecretServiceStore::schema_name() {
    return k_schema.name;
}

Result<std::optional<StoredToken>> SecretServiceStore::get(std::string_view name) {
    std::lock_guard lock(m_mutex);
    return m_impl->with_reconnect([&] { return m_impl->get(name); });
}

Result<void> SecretServiceStore::put(const StoredToken& token) {
    std::lock_guard lock(m_mutex);
    return m_impl->with_reconnect([&] { return m_impl->put(token); });
}

Result<bool> SecretServiceStore::erase(std::string_view name) {
    std::lock_guard lock(m_mutex);
    return m_impl->with_reconnect([&] { return m_impl->erase(name); });
}

Result<std::vector<TokenInfo>> SecretServiceStore::list() {
    std::lock_guard lock(m_mutex);
    return m_impl->with_reconnect([&] { return m_impl->list(); });
}

Result<void> SecretServiceStore::check_unlocked() {
    std::lock_guard lock(m_mutex);
    return m_impl->with_reconnect([&] { return m_impl->check_unlocked(); });
}

bool SecretServiceStore::connection_lost() const {
    std::lock_guard lock(m_mutex);
    if (!m_impl->service) {
        return false;
    }
    return g_dbus_connection_is_closed(
        g_dbus_proxy_get_connection(G_DBUS_PROXY(m_impl->service.get())));
}

} // namespace feedz
