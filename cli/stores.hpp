// The CLI's --store STORE: `sqlite:PATH`, `postgresql://...` (or `postgres://...`), and for
// `serve` also `redis://HOST:PORT` (or `redis+unix:///PATH`), opened as an outbox store or as an
// idempotency store. Thread-safety: plain functions; the stores they open are thread-safe.
#pragma once

#include <memory>
#include <string_view>

#include "chathooks/error.hpp"
#include "chathooks/outbox/store.hpp"
#include "chathooks/receiver/idempotency_store.hpp"

namespace chathooks_cli {

/// The outbox STORE names. Errc::invalid_argument for a STORE that is not one (a usage error),
/// another code when it cannot be opened.
chathooks::Result<std::shared_ptr<chathooks::outbox::OutboxStore>> open_outbox_store(
    std::string_view store);

/// The idempotency store STORE names; errors as open_outbox_store().
chathooks::Result<std::shared_ptr<chathooks::receiver::IdempotencyStore>> open_idempotency_store(
    std::string_view store);

/// Prints "error: CODE: MESSAGE" for a store that cannot be opened or failed.
void print_store_error(const chathooks::Error& error);

}  // namespace chathooks_cli
