// The sending side of the demo and its steps: each step sends something to the receivers
// (demo_receivers.hpp) through the SDK's senders or its transport, checks what both sides saw,
// and returns the trace line (demo_trace.hpp) or why it did not behave as expected.
// Thread-safety: Senders is shared by the steps, which run one after another on one thread.
#pragma once

#include <memory>
#include <string>

#include "chathooks/boticario/client.hpp"
#include "chathooks/cliengo/client.hpp"
#include "chathooks/error.hpp"
#include "chathooks/flw/client.hpp"
#include "chathooks/http/transport.hpp"
#include "chathooks/signing/signer.hpp"
#include "demo_receivers.hpp"
#include "demo_trace.hpp"

namespace chathooks_cli::demo {

/// The SDK's three senders over one libcurl transport, signing with the demo's secret, and a
/// Signer for the requests the demo builds by hand.
struct Senders {
  std::shared_ptr<chathooks::http::HttpTransport> transport;
  chathooks::flw::Client flw;
  chathooks::cliengo::Client cliengo;
  chathooks::boticario::Client boticario;
  chathooks::signing::Signer signer;

  /// Senders for loopback (the transport's guard would refuse 127.0.0.1 by default), every
  /// request timed out after a few seconds, retries quick enough for a demo.
  static chathooks::Result<Senders> create(const std::string& secret);
};

/// Flw: the documented dispatch, answered with a branch, a contact update and messages.
StepResult flw_dispatch_step(const Senders& senders, const Receivers& receivers);
/// Cliengo: the documented chatbot memory, answered with an override.
StepResult cliengo_step(const Senders& senders, const Receivers& receivers);
/// Boticario: the documented message event.
StepResult boticario_message_step(const Senders& senders, const Receivers& receivers);
/// Boticario: the documented status event ("delivered").
StepResult boticario_status_step(const Senders& senders, const Receivers& receivers);
/// A delivery to the flaky endpoint: attempt 1 gets 503, attempt 2 is delivered.
StepResult retry_step(const Senders& senders, const Receivers& receivers);
/// A signed request whose body is changed after signing: refused with 401 and a problem body.
StepResult tampered_step(const Senders& senders, const Receivers& receivers);
/// The same signed request sent twice: the second is answered as a duplicate.
StepResult replay_step(const Senders& senders, const Receivers& receivers);

}  // namespace chathooks_cli::demo
