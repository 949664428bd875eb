#pragma once
// IngestRun: one ingested stream saved as a run directory as its records arrive
// (docs/run-format.md "Ingested runs"). Everything received is appended to records.nlrec (the
// records' own bytes, CRC'd) and synced at each flush; manifest.json (with "source":
// "ingested") and each checkpoint file are written atomically. When the model is a Playground
// network (2 inputs, dense layers; the model record's "spec"), each weight snapshot becomes a
// checkpoint in the run format, so the Playground and the Timeline open the run as any other;
// when it is an image network (ONNX bytes, or a layer list netlens builds), each snapshot
// becomes a checkpoint of model.nlmodel (ImageRun), so Digits and Lurk open it.
// A server that restarts reopens the directory and goes on where it stopped.
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/ingest/image_run.hpp"
#include "server/ingest/records.hpp"
#include "train/run_spec.hpp"

namespace netlens::server::ingest {

enum class Applied { Accepted, Duplicate, Skipped };

class IngestRun {
 public:
  // Opens `dir`: a new run for a hello record, or the ingested run a previous server left
  // there (`hello` may then be null). Throws Error when `dir` holds another kind of run.
  IngestRun(std::filesystem::path dir, const nlohmann::json* hello);
  ~IngestRun();
  IngestRun(const IngestRun&) = delete;
  IngestRun& operator=(const IngestRun&) = delete;

  // One record of this run. A record whose seq is not past the last one kept is a duplicate
  // (a client's retry); a kind this netlens does not know is skipped and counted. Throws Error
  // for a record that is wrong (named in the answer); the run keeps its state then.
  Applied apply(const Record& record);
  // Syncs records.nlrec and writes the manifest: after it, a restart loses nothing applied.
  void flush();

  long next_seq() const;
  const std::filesystem::path& dir() const { return dir_; }
  const nlohmann::json& manifest() const { return manifest_; }
  std::optional<std::string> warning() const;  // why the views cannot show it, if they cannot

 private:
  void apply_model(const Record& record);
  void apply_scalars(const Record& record);
  void apply_snapshot(const Record& record);
  void apply_activations(const Record& record);

  std::filesystem::path dir_;
  nlohmann::json manifest_;
  std::optional<train::RunSpec> spec_;  // the Playground network the snapshots fill
  std::optional<ImageRun> image_;       // or the image network they fill
  std::FILE* records_ = nullptr;
};

// True for a name a run directory may take: 1..64 of [A-Za-z0-9._-], not starting with '.'.
bool valid_run_name(const std::string& name);

}  // namespace netlens::server::ingest
