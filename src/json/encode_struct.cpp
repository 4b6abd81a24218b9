// Writing a model struct from its StructInfo.
#include "json/codec_ops.hpp"

namespace chathooks::detail {

void encode_struct(const void* object, const StructInfo& info, Writer& w) {
  w.StartObject();
  for (std::size_t i = 0; i < info.count; ++i) {
    const MemberInfo& m = info.members[i];
    const void* member = m.cget(object);
    if (!m.present(member)) continue;
    write_key(w, m.name);
    m.encode(member, w);
  }
  for (const auto& [key, value] : *info.cextras(object)) {
    // An extra that repeats a known member's name (only possible when code put it there)
    // would make the output ambiguous: the typed member wins.
    bool known = false;
    for (std::size_t i = 0; i < info.count && !known; ++i) {
      known = info.members[i].name == key && info.members[i].present(info.members[i].cget(object));
    }
    if (known) continue;
    write_key(w, key);
    write_json(value, w);
  }
  w.EndObject();
}

}  // namespace chathooks::detail
