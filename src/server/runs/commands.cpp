#include "server/runs/commands.hpp"

#include "core/error.hpp"
#include "core/json_fields.hpp"

namespace netlens::server::runs {

Command parse_command(const std::string& type, const nlohmann::json& message) {
  const Fields f(message, type);
  f.has("type");
  Command command = List{};
  if (type == "list") {
    command = List{};
  } else if (type == "rename") {
    command = Rename{f.string("run"), f.string("to")};
  } else if (type == "star") {
    command = Star{f.string("run"), f.boolean("starred")};
  } else if (type == "delete") {
    command = Delete{f.string("run")};
  } else {
    throw Error("message.type", "unknown type '" + excerpt(type) + "' (known: list, rename, star, delete)");
  }
  f.refuse_unknown();
  return command;
}

}  // namespace netlens::server::runs
