// The whole chathooks API in one include. Prefer the narrower headers in code that uses one
// protocol; this one is for quick starts and examples.
// Thread-safety: see each included header.
#pragma once

#include "chathooks/boticario/codec.hpp"
#include "chathooks/boticario/event.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/cliengo/request.hpp"
#include "chathooks/cliengo/response.hpp"
#include "chathooks/cliengo/response_builder.hpp"
#include "chathooks/error.hpp"
#include "chathooks/field.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/flw/dispatch.hpp"
#include "chathooks/flw/phone.hpp"
#include "chathooks/flw/response.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "chathooks/json.hpp"
#include "chathooks/open_enum.hpp"
#include "chathooks/ordered_map.hpp"
#include "chathooks/problem.hpp"
#include "chathooks/timestamp.hpp"
#include "chathooks/version.hpp"
