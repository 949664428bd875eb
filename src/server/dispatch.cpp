#include "server/dispatch.hpp"

#include "core/error.hpp"
#include "data/csv_points.hpp"
#include "server/protocol.hpp"

namespace netlens::server {

namespace {

// Applies a command that validates on the caller's thread; its Error becomes "command: what".
template <class F>
std::optional<std::string> checked(const char* command, F&& apply) {
  try {
    apply();
  } catch (const Error& e) {
    return std::string(command) + ": " + e.what();
  }
  return std::nullopt;
}

}  // namespace

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
      case CommandType::SetSpec: return checked("set_spec", [&] { live.set_spec(command.spec); });
      case CommandType::Import: return checked("import", [&] { live.import_model(command.spec); });
      case CommandType::SetRun: live.set_run(command); break;
      case CommandType::SetParam: live.set_param(command.layer, command.unit, command.input, command.value); break;
      case CommandType::AddPoint: live.add_point(command.point); break;
      case CommandType::UploadCsv:
        return checked("upload_csv", [&] {
          live.upload(data::parse_csv_points(command.text, command.name, live.spec().problem), command.name);
        });
      case CommandType::Prune: live.prune(command.layer, command.count, command.prune_by); break;
      case CommandType::Export: live.export_model(); break;
      case CommandType::Checkpoint: live.show_checkpoint(command.timeline); break;
      case CommandType::ExportGif: live.export_gif(command.timeline); break;
    }
  } catch (const Error& e) {
    return e.what();
  }
  return std::nullopt;
}

}  // namespace netlens::server
