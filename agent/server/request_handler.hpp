// SPDX-License-Identifier: MIT
#pragma once

#include <agent/ipc/protocol.hpp>
#include <agent/ipc/wire.hpp>
#include <agent/server/audit_log.hpp>
#include <agent/server/token_registry.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace feedz {

// The process on the other end of a connection, from SO_PEERCRED and /proc.
struct Peer {
    long pid = 0;
    unsigned uid = 0;
    std::string executable;
};

// Facts about the running agent for the greeting and `status`.
struct AgentFacts {
    std::string socket_path;
    bool on_demand = false;
    std::chrono::seconds idle_timeout{0};
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

struct Reply {
    nlohmann::json header;
    SecretString secret;
    bool stop_agent = false;
};

// Turns one request into one reply (PROTOCOL.md), independent of sockets and threads so that
// it can be tested with a MemoryStore. Every request but list and status leaves a line in the
// audit log.
class RequestHandler {
public:
    RequestHandler(TokenRegistry& registry, AuditLog& audit, const AgentFacts& facts);

    nlohmann::json greeting() const;

    Reply handle(const Message& request, const Peer& peer);

private:
    Reply handle_checked(const Message& message, const Peer& peer);
    Reply handle_get(const GetRequest& request, nlohmann::json& audit);
    Reply
    handle_store(const StoreRequest& request, const SecretString& secret, nlohmann::json& audit);
    Reply handle_erase(const EraseRequest& request, nlohmann::json& audit);
    Reply handle_erase_all(nlohmann::json& audit);
    Reply handle_list();
    Reply handle_set_disabled(const SetDisabledRequest& request, nlohmann::json& audit);
    Reply handle_status();

    TokenRegistry& m_registry;
    AuditLog& m_audit;
    const AgentFacts& m_facts;
};

} // namespace feedz
