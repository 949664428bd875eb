#include "server/dispatch.hpp"

#include "core/error.hpp"
#include "data/csv_points.hpp"
#include "server/protocol.hpp"

namespace netlens::server {

std::optional<std::string> dispatch_message(LiveSession& live, std::string_view text) {
  try {
    const Command command = parse_command(text);
    if (live.pending() >= kMaxPendingCommands)
      return "busy: " + std::to_string(kMaxPendingCommands) + " commands are still waiting; send fewer";
    switch (command.type) {
      case CommandType::Play: live.play(); break;
      case CommandType::Pause: live.pause(); break;
      case CommandType::Step: live.step(); break;
      case CommandType::Reset: live.reset(); break;
      case CommandType::SetSpec:
        try {
          live.set_spec(command.spec);
        } catch (const Error& e) {
          return std::string("set_spec: ") + e.what();
        }
        break;
      case CommandType::Import:
        try {
          live.import_model(command.spec);
        } catch (const Error& e) {
          return std::string("import: ") + e.what();
        }
        break;
      case CommandType::SetRun: live.set_run(command); break;
      case CommandType::SetParam: live.set_param(command.layer, command.unit, command.input, command.value); break;
      case CommandType::AddPoint: live.add_point(command.point); break;
      case CommandType::UploadCsv:
        try {
          live.upload(data::parse_csv_points(command.text, command.name, live.spec().problem), command.name);
        } catch (const Error& e) {
          return std::string("upload_csv: ") + e.what();
        }
        break;
      case CommandType::Prune: live.prune(command.layer, command.count, command.prune_by); break;
      case CommandType::Export: live.export_model(); break;
    }
  } catch (const Error& e) {
    return e.what();
  }
  return std::nullopt;
}

}  // namespace netlens::server
