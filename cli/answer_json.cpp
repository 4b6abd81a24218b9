// answer_json: the Flw answer line of `chathooks send`, built with the public codec: the answer's
// contact, metadata and messages are encoded by flw::encode(Response) and then put in the
// line's own member order.
#include "answer_json.hpp"

#include <string_view>
#include <utility>

#include "chathooks/flw/codec.hpp"
#include "chathooks/json.hpp"

namespace chathooks_cli {

namespace {

// The line's `branch` value: these names predate flw::Flow and scripts read them.
std::string_view branch_name(chathooks::flw::Flow flow) {
  switch (flow) {
    case chathooks::flw::Flow::main:
      return "main";
    case chathooks::flw::Flow::branch:
      return "response_key";
    case chathooks::flw::Flow::unlisted_branch:
      return "unlisted_key";
  }
  return "main";
}

}  // namespace

std::string answer_json(const chathooks::flw::Answer& answer) {
  // Encode just the members the line carries, then reorder them.
  chathooks::flw::Response parts;
  parts.contact = answer.contact;
  parts.metadata = answer.metadata;
  parts.messages = answer.messages;
  // The codec's own output is JSON; parsing it back cannot fail short of a bug.
  auto encoded = chathooks::Json::parse(chathooks::flw::encode(parts)).value();

  chathooks::Json line = chathooks::Json::object();
  line["branch"] = branch_name(answer.flow);
  line["response"] = answer.flow == chathooks::flw::Flow::main ? chathooks::Json(nullptr)
                                                               : chathooks::Json(answer.branch);
  for (const char* name : {"contact", "metadata", "messages"}) {
    if (chathooks::Json* value = encoded.find(name)) line[name] = std::move(*value);
  }
  // A contact or metadata the tolerant decode could not read is written as it came (the
  // decoded answer keeps it), not as the null an unreadable Field encodes to on its own.
  if (answer.response) {
    for (const auto& [name, unreadable] :
         {std::pair{"contact", answer.contact.is_unreadable()},
          std::pair{"metadata", answer.metadata.is_unreadable()}}) {
      const chathooks::Json* raw = answer.response->extra.unreadable(name);
      if (unreadable && raw != nullptr) line[name] = *raw;
    }
  }
  return line.dump();
}

}  // namespace chathooks_cli
