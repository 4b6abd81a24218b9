// to_json(Outcome): the Outcome's documented JSON form (flw/outcome.hpp), written with the
// codec's own encoders so that contact, metadata and messages appear exactly as the Flw codec
// encodes them.
#include "chathooks/flw/outcome.hpp"
#include "codec/schemas.hpp"
#include "json/codec_ops.hpp"
#include "json/writer.hpp"

namespace chathooks::flw {

std::string to_json(const Outcome& outcome) {
  return detail::write_compact([&](detail::Writer& w) {
    w.StartObject();
    detail::write_key(w, "branch");
    detail::write_string(w, to_string(outcome.branch));
    detail::write_key(w, "response");
    if (outcome.branch == Branch::response_key || outcome.branch == Branch::unlisted_key) {
      detail::write_string(w, outcome.key);
    } else {
      w.Null();
    }
    if (outcome.contact.is_present()) {
      detail::write_key(w, "contact");
      detail::Codec<Field<Contact>>::encode(&outcome.contact, w);
    }
    if (outcome.metadata.is_present()) {
      detail::write_key(w, "metadata");
      detail::Codec<Field<JsonObject>>::encode(&outcome.metadata, w);
    }
    detail::write_key(w, "messages");
    detail::Codec<std::vector<OutgoingMessage>>::encode(&outcome.messages, w);
    if (outcome.error) {
      detail::write_key(w, "error");
      w.StartObject();
      detail::write_key(w, "code");
      detail::write_string(w, chathooks::to_string(outcome.error->code()));
      detail::write_key(w, "message");
      detail::write_string(w, outcome.error->message());
      detail::write_key(w, "pointer");
      detail::write_string(w, outcome.error->pointer());
      w.EndObject();
    }
    w.EndObject();
  });
}

}  // namespace chathooks::flw
